package gnn

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// GCNConfig configures GCN. The zero value is PyG's GCNConv default:
// self loops added, symmetric normalisation, bias.
type GCNConfig struct {
	Dtype tensor.Dtype // Float32 when zero
	// NoSelfLoops is PyG's add_self_loops=False.
	NoSelfLoops bool
	// NoBias is PyG's bias=False.
	NoBias bool
}

// GCN is the graph convolution of Kipf & Welling ("Semi-Supervised
// Classification with Graph Convolutional Networks", ICLR 2017), PyG's
// GCNConv(in, out) with its defaults:
//
//	x'_v = Σ_{u→v, u≠v} x_u·W / √(d_u d_v) + x_v·W / d_v + b
//
// with d_v = 1 + (number of edges into v other than self loops): every node
// gets exactly one self loop of weight 1 (existing loops are replaced, as
// add_remaining_self_loops does with unit weights). With NoSelfLoops, edges
// (loops included) are used as given and d_v is the plain in-degree; a node
// with d_v = 0 contributes nothing. Edge weights are all 1 (PyG's
// edge_weight=None). Normalisation and aggregation run as one fused op
// (see Propagate).
//
// Shapes: x [N, in], edges over N nodes → [N, out].
//
// Parameters (PyG ≥ 2.3 names): "<name>.lin.weight" [out, in] (glorot
// init, no bias inside the Linear) and "<name>.bias" [out] (zeros).
type GCN struct {
	Lin    *nn.Linear
	Bias   *nn.Param // nil with NoBias
	cfg    GCNConfig
	params nn.Params
}

// NewGCN returns a GCN layer from in to out features.
func NewGCN(name string, in, out int, cfg GCNConfig, rng *rand.Rand) *GCN {
	dt := dtypeOr(cfg.Dtype)
	c := &GCN{cfg: cfg, Lin: nn.NewLinear(name+".lin", in, out,
		nn.LinearConfig{Dtype: dt, NoBias: true, Init: nn.InitXavierUniform}, rng)}
	c.params.AddAll(c.Lin.Params())
	if !cfg.NoBias {
		c.Bias = nn.NewParam(name+".bias", dt, out)
		c.Bias.NoDecay = true
		c.params.Add(c.Bias)
	}
	return c
}

// Params returns the layer's parameters.
func (c *GCN) Params() *nn.Params { return &c.params }

// Forward adds the layer to g. GCN has no edge features: edgeAttr must be
// nil.
func (c *GCN) Forward(g *nn.Graph, x *G.Node, edges *Edges, edgeAttr *G.Node) (*G.Node, error) {
	name := c.Lin.Weight.Name
	if edgeAttr != nil {
		return nil, fmt.Errorf("gnn: GCN %s: GCN takes no edge features (got shape %v)", name, edgeAttr.Shape())
	}
	h, err := c.Lin.Forward(g, x)
	if err != nil {
		return nil, fmt.Errorf("gnn: GCN %s: %w", name, err)
	}
	var b *G.Node
	if c.Bias != nil {
		b = g.Param(c.Bias)
	}
	k := &mpKernel{aggr: Sum, gcn: true, selfLoops: !c.cfg.NoSelfLoops, bias: b != nil, edges: edges}
	y, err := k.apply("GCN", h, nil, nil, b)
	if err != nil {
		return nil, fmt.Errorf("gnn: GCN %s: %w", name, err)
	}
	return y, nil
}
