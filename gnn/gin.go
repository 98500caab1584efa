package gnn

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// GINConfig configures GIN and GINE. The zero value is the GIN-ε of Xu et
// al. (2019) as Graph-JEPA uses it: ε starts at 0 and is trained
// (PyG GINConv/GINEConv(nn, train_eps=True)).
type GINConfig struct {
	Dtype tensor.Dtype // Float32 when zero
	// Eps is the initial ε.
	Eps float64
	// FixedEps keeps ε constant: it becomes a buffer, as PyG's default
	// train_eps=False registers it.
	FixedEps bool
	// EdgeDim (GINE only), when positive, maps edge features of that width
	// to the node width with a Linear "<name>.lin" (PyG's edge_dim); NodeDim
	// must then give the node width. When zero, edge features must already
	// have the node width.
	EdgeDim, NodeDim int
}

// GIN is the graph isomorphism network layer (Xu, Hu, Leskovec & Jegelka,
// "How Powerful are Graph Neural Networks?", ICLR 2019), PyG's
// GINConv(nn, train_eps=True):
//
//	x'_v = nn((1 + ε)·x_v + Σ_{u→v} x_u)
//
// Shapes: x [N, D], edges over N nodes → [N, Dout of nn].
//
// Parameters: "<name>.eps" [1] (a buffer when FixedEps) and the inner
// network's own, which callers build under "<name>.nn" to get PyG's state
// dict names ("<name>.nn.layers.0.weight", … for an nn.MLP).
type GIN struct {
	NN     Layer
	Eps    *nn.Param
	params nn.Params
}

// NewGIN returns a GIN layer around the row-wise network mlp.
func NewGIN(name string, mlp Layer, cfg GINConfig) *GIN {
	c := &GIN{NN: mlp, Eps: newEps(name, cfg)}
	c.params.Add(c.Eps)
	c.params.AddAll(mlp.Params())
	return c
}

func newEps(name string, cfg GINConfig) *nn.Param {
	dt := dtypeOr(cfg.Dtype)
	var eps *nn.Param
	if cfg.FixedEps {
		eps = nn.NewBuffer(name+".eps", dt, 1)
	} else {
		eps = nn.NewParam(name+".eps", dt, 1)
		eps.NoDecay = true
	}
	nn.FillConstant(eps, cfg.Eps)
	return eps
}

// Params returns ε and the inner network's parameters.
func (c *GIN) Params() *nn.Params { return &c.params }

// Forward adds the layer to g. GIN has no edge features: edgeAttr must be
// nil (use GINE for edge features).
func (c *GIN) Forward(g *nn.Graph, x *G.Node, edges *Edges, edgeAttr *G.Node) (*G.Node, error) {
	if edgeAttr != nil {
		return nil, fmt.Errorf("gnn: GIN %s: GIN takes no edge features (got shape %v); use GINE", c.Eps.Name, edgeAttr.Shape())
	}
	k := &mpKernel{aggr: Sum, eps: true, edges: edges}
	h, err := k.apply("GIN", x, nil, g.Param(c.Eps), nil)
	if err != nil {
		return nil, fmt.Errorf("gnn: GIN %s: %w", c.Eps.Name, err)
	}
	return c.NN.Forward(g, h)
}

// GINE is GIN with edge features (Hu et al., "Strategies for Pre-training
// Graph Neural Networks", ICLR 2020), PyG's GINEConv(nn, train_eps=True):
//
//	x'_v = nn((1 + ε)·x_v + Σ_{u→v} ReLU(x_u + e_uv))
//
// It is Graph-JEPA's patch encoder layer (spec/graph-jepa.md §5), there
// with nn = GraphJEPAMLP. The aggregation is one fused op (see Propagate):
// the E×D messages are never stored.
//
// Shapes: x [N, D], edgeAttr [M, D] (or [M, EdgeDim] with EdgeDim set) →
// [N, Dout of nn].
//
// Parameters: "<name>.eps" [1], "<name>.lin.weight" [D, EdgeDim] and
// "<name>.lin.bias" [D] when EdgeDim is set, and the inner network's
// (build it under "<name>.nn"). Graph-JEPA's wrapper nests the PyG layer one
// level deeper: its state dict holds "convs.<i>.layer.eps" and the MLP
// twice, as "convs.<i>.nn.*" and "convs.<i>.layer.nn.*".
type GINE struct {
	NN     Layer
	Eps    *nn.Param
	Lin    *nn.Linear // nil unless EdgeDim > 0
	params nn.Params
}

// NewGINE returns a GINE layer around the row-wise network mlp. rng
// initialises the edge Linear (unused without EdgeDim).
func NewGINE(name string, mlp Layer, cfg GINConfig, rng *rand.Rand) *GINE {
	c := &GINE{NN: mlp, Eps: newEps(name, cfg)}
	c.params.Add(c.Eps)
	if cfg.EdgeDim > 0 {
		if cfg.NodeDim <= 0 {
			panic(fmt.Sprintf("gnn: NewGINE %s: EdgeDim %d needs NodeDim", name, cfg.EdgeDim))
		}
		c.Lin = nn.NewLinear(name+".lin", cfg.EdgeDim, cfg.NodeDim, nn.LinearConfig{Dtype: dtypeOr(cfg.Dtype)}, rng)
		c.params.AddAll(c.Lin.Params())
	}
	c.params.AddAll(mlp.Params())
	return c
}

// Params returns ε, the edge Linear (if any) and the inner network's
// parameters.
func (c *GINE) Params() *nn.Params { return &c.params }

// Forward adds the layer to g. edgeAttr is required.
func (c *GINE) Forward(g *nn.Graph, x *G.Node, edges *Edges, edgeAttr *G.Node) (*G.Node, error) {
	if edgeAttr == nil {
		return nil, fmt.Errorf("gnn: GINE %s: edge features are required", c.Eps.Name)
	}
	e := edgeAttr
	if c.Lin != nil {
		var err error
		if e, err = c.Lin.Forward(g, edgeAttr); err != nil {
			return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
		}
	}
	k := &mpKernel{aggr: Sum, relu: true, edge: true, eps: true, edges: edges}
	h, err := k.apply("GINE", x, e, g.Param(c.Eps), nil)
	if err != nil {
		return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
	}
	return c.NN.Forward(g, h)
}

func dtypeOr(dt tensor.Dtype) tensor.Dtype {
	if dt == (tensor.Dtype{}) {
		return tensor.Float32
	}
	return dt
}
