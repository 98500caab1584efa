package gnn

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Aggr is the aggregation ⊕ of messages at a node (or of nodes in a graph):
// PyG's aggr="sum" | "mean" | "max". The zero value is Sum.
type Aggr int

const (
	Sum  Aggr = iota // Σ (PyG "add"/"sum", torch_scatter scatter_add)
	Mean             // Σ / count; 0 for a node without messages
	Max              // elementwise maximum; 0 for a node without messages
)

// String returns "sum", "mean" or "max".
func (a Aggr) String() string {
	switch a {
	case Sum:
		return "sum"
	case Mean:
		return "mean"
	case Max:
		return "max"
	}
	return fmt.Sprintf("Aggr(%d)", int(a))
}

// ParseAggr parses the names String returns (and PyG's "add" for Sum).
func ParseAggr(s string) (Aggr, error) {
	switch s {
	case "sum", "add":
		return Sum, nil
	case "mean":
		return Mean, nil
	case "max":
		return Max, nil
	}
	return 0, fmt.Errorf("gnn: unknown aggregation %q (want sum, mean or max)", s)
}

// PropagateConfig configures Propagate. The zero value sends the plain
// source row x_u as the message (plus the edge term when one is given) and
// sums the messages.
type PropagateConfig struct {
	Aggr Aggr
	// ReLU applies max(·, 0) to each message, ReLU(x_u + e_uv), as GINE.
	ReLU bool
}

// Propagate is one round of message passing over edges, as one fused op:
//
//	out[v] = ⊕_{k : Target[k] = v} φ(x[Source[k]] + e[k])
//
// with ⊕ the configured aggregation and φ the identity or ReLU. The
// messages are never materialised: each target row is reduced in edge
// order (deterministic, and the order PyTorch's index_add_ uses on a CPU),
// in parallel over targets; the backward pass scatters into sources the
// same way. A node without incoming edges gets 0 (PyG semantics for every
// aggregation).
//
// Shapes: x [N, D] with N = edges.NumNodes; edgeAttr [M, D] with M =
// edges.Len() (or [edges.EdgeRows, D] with Edges.WithEdgeRows), or nil for
// no edge term → [N, D]. x and edgeAttr both get
// gradients.
func Propagate(x, edgeAttr *G.Node, edges *Edges, cfg PropagateConfig) (*G.Node, error) {
	k := &mpKernel{aggr: cfg.Aggr, relu: cfg.ReLU, edge: edgeAttr != nil, edges: edges}
	return k.apply("Propagate", x, edgeAttr, nil, nil)
}

// mpKernel is the fused message-passing op behind Propagate, GIN, GINE and
// GCN:
//
//	out[v] = ⊕_{k→v} c_k·φ(x[src_k] + e_k) + s_v·x[v] + (1+ε)·x[v] + b
//
// where c_k is 1 (or GCN's symmetric normalisation), s_v is GCN's self-loop
// coefficient, and the ε and bias terms are present only when those inputs
// are given. Per-run state (edge groupings, coefficients, argmax) is
// rebuilt by every forward pass, since the index values may change between
// runs.
type mpKernel struct {
	aggr      Aggr
	relu      bool
	edge      bool // an edge-term input follows x
	eps       bool // a [1] input ε follows
	bias      bool // a [D] bias input follows
	gcn       bool // symmetric normalisation with coefficients c_k
	selfLoops bool // GCN: add a self loop to every node (replacing existing ones)
	edges     *Edges

	n, m, d      int
	byTgt, bySrc csr
	count        []float64 // mean: messages per target
	coef         []float64 // GCN: per-edge coefficient
	selfC        []float64 // GCN: per-node self-loop coefficient
	arg          []int32   // max: edge id of each maximum, −1 when none
	epsParts     scratch   // per-row partial sums of dε
	erow         []int     // edges.EdgeRow's values (nil: edge k reads row k)
}

// edgeRow returns the edge-feature row edge kk reads.
func (k *mpKernel) edgeRow(kk int) int {
	if k.erow != nil {
		return k.erow[kk]
	}
	return kk
}

// apply validates shapes and adds the op. e, eps and bias may be nil.
func (k *mpKernel) apply(name string, x, e, eps, bias *G.Node) (*G.Node, error) {
	if k.edges == nil {
		return nil, fmt.Errorf("gnn: %s: nil edges", name)
	}
	xs := x.Shape()
	if xs.Dims() != 2 {
		return nil, fmt.Errorf("gnn: %s: node features must be [N, D], got shape %v", name, xs)
	}
	k.n, k.d, k.m = xs[0], xs[1], k.edges.Len()
	if k.n != k.edges.NumNodes {
		return nil, fmt.Errorf("gnn: %s: node features shape %v do not match %d nodes of the edges", name, xs, k.edges.NumNodes)
	}
	if k.aggr < Sum || k.aggr > Max {
		return nil, fmt.Errorf("gnn: %s: unknown aggregation %d", name, int(k.aggr))
	}
	inputs := G.Nodes{x}
	shapes := []tensor.Shape{xs.Clone()}
	if e != nil {
		if rows := k.edges.edgeFeatureRows(); !e.Shape().Eq(tensor.Shape{rows, k.d}) {
			what := fmt.Sprintf("%d edges", k.m)
			if k.edges.EdgeRow != nil {
				what = fmt.Sprintf("%d shared edge rows", rows)
			}
			return nil, fmt.Errorf("gnn: %s: edge features shape %v do not match node features shape %v and %s (want [%d %d])", name, e.Shape(), xs, what, rows, k.d)
		}
		inputs = append(inputs, e)
		shapes = append(shapes, e.Shape().Clone())
	}
	if eps != nil {
		if es := eps.Shape(); es.TotalSize() != 1 {
			return nil, fmt.Errorf("gnn: %s: ε must hold one value, got shape %v", name, es)
		}
		inputs = append(inputs, eps)
		shapes = append(shapes, eps.Shape().Clone())
	}
	if bias != nil {
		if bs := bias.Shape(); !bs.Eq(tensor.Shape{k.d}) {
			return nil, fmt.Errorf("gnn: %s: bias shape %v does not match node features shape %v", name, bs, xs)
		}
		inputs = append(inputs, bias)
		shapes = append(shapes, bias.Shape().Clone())
	}
	diff := make([]bool, len(inputs))
	for i := range diff {
		diff[i] = true
	}
	op := nn.CustomOp{
		Name:     name,
		Params:   fmt.Sprintf("aggr=%v,relu=%t,gcn=%t,loops=%t,n=%d,m=%d", k.aggr, k.relu, k.gcn, k.selfLoops, k.n, k.m),
		OutShape: tensor.Shape{k.n, k.d},
		DiffWRT:  diff,
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			if err := k.prepare(); err != nil {
				return err
			}
			switch o := out.Data().(type) {
			case []float32:
				mpForward(k, o, unpackMP[float32](k, in))
			case []float64:
				mpForward(k, o, unpackMP[float64](k, in))
			}
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			gg := nn.NewGradGroup(name+"Grad", shapes, func(outs, vals []*tensor.Dense) error {
				switch dy := vals[len(vals)-1].Data().(type) {
				case []float32:
					mpBackward(k, unpackMPGrads[float32](k, outs), unpackMP[float32](k, vals), dy)
				case []float64:
					mpBackward(k, unpackMPGrads[float64](k, outs), unpackMP[float64](k, vals), dy)
				}
				return nil
			})
			return gg.Pieces(append(append(G.Nodes{}, in...), grad)...)
		},
	}
	y, err := nn.ApplyCustomOp(op, inputs...)
	if err != nil {
		return nil, fmt.Errorf("gnn: %s: %w", name, err)
	}
	return y, nil
}

// mpArgs are the op's input values (nil slices for absent inputs).
type mpArgs[T float] struct {
	x, e, bias []T
	onePlusEps T
	hasEps     bool
}

func unpackMP[T float](k *mpKernel, in []*tensor.Dense) mpArgs[T] {
	a := mpArgs[T]{x: data[T](in[0])}
	i := 1
	if k.edge {
		a.e = data[T](in[i])
		i++
	}
	if k.eps {
		a.onePlusEps = 1 + data[T](in[i])[0]
		a.hasEps = true
		i++
	}
	if k.bias {
		a.bias = data[T](in[i])
	}
	return a
}

// mpGrads are the gradient buffers, in input order.
type mpGrads[T float] struct {
	dx, de, deps, dbias []T
}

func unpackMPGrads[T float](k *mpKernel, outs []*tensor.Dense) mpGrads[T] {
	g := mpGrads[T]{dx: data[T](outs[0])}
	i := 1
	if k.edge {
		g.de = data[T](outs[i])
		i++
	}
	if k.eps {
		g.deps = data[T](outs[i])
		i++
	}
	if k.bias {
		g.dbias = data[T](outs[i])
	}
	return g
}
