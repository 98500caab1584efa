package gnn

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// PointNet is the set encoder of Qi, Su, Mo & Guibas ("PointNet: Deep
// Learning on Point Sets for 3D Classification and Segmentation", CVPR
// 2017) without the input and feature transforms: a shared MLP applied to
// every point (PyTorch's kernel-size-1 Conv1d stack), then a max-pool over
// the points, which makes the output invariant to their order.
//
// Shapes: x [B, P, Cin] (B sets of P points) → [B, Cout].
//
// Parameters: the MLP's, "<name>.layers.<i>" and "<name>.norms.<i>" (see
// nn.MLP). A PyTorch Conv1d(k=1) weight [out, in, 1] holds the same numbers
// as the Linear weight [out, in] here.
type PointNet struct {
	MLP *nn.MLP
}

// NewPointNet returns a PointNet whose shared MLP has the widths dims
// (dims[0] = Cin, last = Cout) and configuration cfg. The paper's
// classification network is dims {3, 64, 64, 64, 128, 1024} with
// cfg.Norm = nn.NormBatch and cfg.FinalActivation = true (BatchNorm and ReLU
// after every layer, including the last before the pool).
func NewPointNet(name string, dims []int, cfg nn.MLPConfig, rng *rand.Rand) *PointNet {
	return &PointNet{MLP: nn.NewMLP(name, dims, cfg, rng)}
}

// Params returns the MLP's parameters.
func (p *PointNet) Params() *nn.Params { return p.MLP.Params() }

// Forward adds the encoder to g.
func (p *PointNet) Forward(g *nn.Graph, x *G.Node) (*G.Node, error) {
	if xs := x.Shape(); xs.Dims() != 3 || xs[1] == 0 {
		return nil, fmt.Errorf("gnn: PointNet %s: input must be [B, P, C] with P ≥ 1, got shape %v", p.MLP.Layers[0].Weight.Name, xs)
	}
	h, err := p.MLP.Forward(g, x)
	if err != nil {
		return nil, err
	}
	return nn.MaxAxis1(h)
}

// MiniPointNetConfig configures a MiniPointNet. The zero value is
// Point-JEPA's "PointNetSmall" tokenizer with 384-d tokens.
type MiniPointNetConfig struct {
	Dtype   tensor.Dtype
	In      int // point channels; 3 when zero
	Hidden1 int // first_conv.0 width; 128 when zero
	Global  int // first_conv.3 width (the per-patch global feature); 256 when zero
	Hidden2 int // second_conv.0 width; 512 when zero
	Out     int // token width C (second_conv.3); 384 when zero
}

func (c MiniPointNetConfig) withDefaults() MiniPointNetConfig {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.In, 3)
	def(&c.Hidden1, 128)
	def(&c.Global, 256)
	def(&c.Hidden2, 512)
	def(&c.Out, 384)
	c.Dtype = dtypeOr(c.Dtype)
	return c
}

// MiniPointNet is the two-stage PointNet patch embedding of Point-MAE and
// Point-JEPA (spec/point-jepa.md §1.3, Point-JEPA's PointNetSmall): for each
// patch of K points,
//
//	f = Linear(In→128, no bias) → BatchNorm(128) → ReLU → Linear(128→256)   per point
//	g = max over the K points of f                                          [256]
//	f = concat[g broadcast to every point, f]                               per point, 512
//	f = Linear(512→512, no bias) → BatchNorm(512) → ReLU → Linear(512→C)    per point
//	token = max over the K points of f                                      [C]
//
// BatchNorm statistics run over all patches × points (PyTorch's
// BatchNorm1d on [B·G, C, K] in training mode). The token is invariant to
// the order of the points within a patch. The concatenation is never
// built: second_conv.0 multiplies the global feature once per patch and
// the per-point features once per point with the two column blocks of its
// weight (same function, a quarter fewer multiply-adds).
//
// Shapes: patches [N, K, In] (N = B·G patches of K points) → tokens [N, C].
//
// Parameters, as Point-JEPA names them inside its tokenizer:
// "<name>.first_conv.0.weight" [128, In], "<name>.first_conv.1.*" (BatchNorm),
// "<name>.first_conv.3.weight" [256, 128] and ".bias" [256],
// "<name>.second_conv.0.weight" [512, 512], "<name>.second_conv.1.*",
// "<name>.second_conv.3.weight" [C, 512] and ".bias" [C]. PyTorch stores the
// Conv1d(k=1) weights as [out, in, 1]; the data are the same numbers in the
// same order, so converting is a reshape (drop or add the trailing 1).
type MiniPointNet struct {
	First0, First3, Second0, Second3 *nn.Linear
	First1, Second1                  *nn.BatchNorm
	cfg                              MiniPointNetConfig
	params                           nn.Params
}

// NewMiniPointNet returns a mini-PointNet with PyTorch's default inits.
func NewMiniPointNet(name string, cfg MiniPointNetConfig, rng *rand.Rand) *MiniPointNet {
	c := cfg.withDefaults()
	dt := c.Dtype
	lin := func(n string, in, out int, noBias bool) *nn.Linear {
		return nn.NewLinear(name+"."+n, in, out, nn.LinearConfig{Dtype: dt, NoBias: noBias}, rng)
	}
	m := &MiniPointNet{cfg: c,
		First0:  lin("first_conv.0", c.In, c.Hidden1, true),
		First1:  nn.NewBatchNorm(name+".first_conv.1", c.Hidden1, nn.BatchNormConfig{Dtype: dt}),
		First3:  lin("first_conv.3", c.Hidden1, c.Global, false),
		Second0: lin("second_conv.0", 2*c.Global, c.Hidden2, true),
		Second1: nn.NewBatchNorm(name+".second_conv.1", c.Hidden2, nn.BatchNormConfig{Dtype: dt}),
		Second3: lin("second_conv.3", c.Hidden2, c.Out, false),
	}
	m.params.AddAll(m.First0.Params(), m.First1.Params(), m.First3.Params(),
		m.Second0.Params(), m.Second1.Params(), m.Second3.Params())
	return m
}

// Params returns the parameters and BatchNorm buffers.
func (m *MiniPointNet) Params() *nn.Params { return &m.params }

// Config returns the configuration with defaults filled in.
func (m *MiniPointNet) Config() MiniPointNetConfig { return m.cfg }

// Forward adds the embedding to g.
func (m *MiniPointNet) Forward(g *nn.Graph, patches *G.Node) (tok *G.Node, err error) {
	ps := patches.Shape()
	if ps.Dims() != 3 || ps[1] == 0 || ps[2] != m.cfg.In {
		return nil, fmt.Errorf("gnn: MiniPointNet %s: patches must be [N, K, %d] with K ≥ 1, got shape %v", m.First0.Weight.Name, m.cfg.In, ps)
	}
	f, err := m.First0.Forward(g, patches)
	if err != nil {
		return nil, err
	}
	if f, err = m.First1.Forward(g, f); err != nil {
		return nil, err
	}
	if f, err = reluResidual(f, nil); err != nil {
		return nil, err
	}
	if f, err = m.First3.Forward(g, f); err != nil {
		return nil, err
	}
	glob, err := nn.MaxAxis1(f)
	if err != nil {
		return nil, err
	}
	// second_conv.0 on concat[glob broadcast, f], without the concatenation.
	if f, err = globalLocalLinear(f, glob, g.Param(m.Second0.Weight)); err != nil {
		return nil, err
	}
	if f, err = m.Second1.Forward(g, f); err != nil {
		return nil, err
	}
	if f, err = reluResidual(f, nil); err != nil {
		return nil, err
	}
	if f, err = m.Second3.Forward(g, f); err != nil {
		return nil, err
	}
	return nn.MaxAxis1(f)
}
