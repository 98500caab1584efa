package gnn

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MixerMLPConfig configures a MixerMLP. The zero value is the reference
// default, Graph-ViT-MLPMixer's MLP(nin, nout, nlayer=2,
// with_final_activation=True, with_norm=True, bias=True).
type MixerMLPConfig struct {
	Dtype  tensor.Dtype // Float32 when zero
	Layers int          // nlayer; 2 when zero
	// NoFinalActivation is with_final_activation=False: no norm and ReLU
	// after the last Linear.
	NoFinalActivation bool
	// NoNorm is with_norm=False (BatchNorm off).
	NoNorm bool
	// NoBias is bias=False.
	NoBias bool
}

// MixerMLP is the MLP of Graph-ViT-MLPMixer, which Graph-JEPA uses inside
// its GINE layers and encoders: Layers Linear layers, all of width in except
// the last (in→…→in→out), each but the last followed by BatchNorm and ReLU
// (the last too with a final activation). As in the reference, a Linear has
// a bias only when no norm follows it and bias is on, or when norms are off
// altogether.
//
// Shapes: x [..., in] → [..., out].
//
// Parameters: "<name>.layers.<i>" and "<name>.norms.<i>" for every layer i,
// as the reference state dict has them. Without a final activation the
// last BatchNorm exists there but is never applied; it is kept here (its
// weight and bias marked as buffers, so optimizers leave it alone) so that
// state dicts match key for key. The ReLUs run as fused branch-free ops.
type MixerMLP struct {
	Layers []*nn.Linear
	Norms  []*nn.BatchNorm // nil entries without norms
	cfg    MixerMLPConfig
	params nn.Params
}

// NewMixerMLP returns an MLP from in to out features.
func NewMixerMLP(name string, in, out int, cfg MixerMLPConfig, rng *rand.Rand) *MixerMLP {
	n := cfg.Layers
	if n == 0 {
		n = 2
	}
	if n < 1 || in <= 0 || out <= 0 {
		panic(fmt.Sprintf("gnn: NewMixerMLP %s: need positive sizes and layers, got in=%d out=%d layers=%d", name, in, out, n))
	}
	cfg.Layers = n
	dt := dtypeOr(cfg.Dtype)
	m := &MixerMLP{cfg: cfg}
	for i := 0; i < n; i++ {
		o := in
		if i == n-1 {
			o = out
		}
		bias := (i == n-1 && cfg.NoFinalActivation && !cfg.NoBias) || cfg.NoNorm
		l := nn.NewLinear(fmt.Sprintf("%s.layers.%d", name, i), in, o, nn.LinearConfig{Dtype: dt, NoBias: !bias}, rng)
		m.Layers = append(m.Layers, l)
		m.params.AddAll(l.Params())
		var bn *nn.BatchNorm
		if !cfg.NoNorm {
			bn = nn.NewBatchNorm(fmt.Sprintf("%s.norms.%d", name, i), o, nn.BatchNormConfig{Dtype: dt})
			if i == n-1 && cfg.NoFinalActivation {
				bn.Weight.Buffer, bn.Bias.Buffer = true, true
			}
		}
		m.Norms = append(m.Norms, bn)
	}
	for _, bn := range m.Norms {
		if bn != nil {
			m.params.AddAll(bn.Params())
		}
	}
	return m
}

// Params returns the parameters and buffers, Linear layers first.
func (m *MixerMLP) Params() *nn.Params { return &m.params }

// Forward adds the MLP to g.
func (m *MixerMLP) Forward(g *nn.Graph, x *G.Node) (*G.Node, error) {
	return m.forward(g, x, nil)
}

// ForwardRepeated adds the MLP for a batch x [R, in] whose row r stands for
// counts[r] identical rows (nn.BatchNorm.ForwardRepeated): for any index
// list idx with counts[r] = |{i : idx[i] = r}|,
// Gather(ForwardRepeated(x, counts), idx) = Forward(Gather(x, idx)), values
// and gradients, with R rows of work instead of len(idx).
func (m *MixerMLP) ForwardRepeated(g *nn.Graph, x *G.Node, counts []int) (*G.Node, error) {
	if counts == nil {
		return nil, fmt.Errorf("gnn: MixerMLP %s: ForwardRepeated needs row counts", m.Layers[0].Weight.Name)
	}
	return m.forward(g, x, counts)
}

func (m *MixerMLP) forward(g *nn.Graph, x *G.Node, counts []int) (*G.Node, error) {
	n := len(m.Layers)
	var err error
	for i, l := range m.Layers {
		if x, err = l.Forward(g, x); err != nil {
			return nil, err
		}
		if i == n-1 && m.cfg.NoFinalActivation {
			break
		}
		if bn := m.Norms[i]; bn != nil {
			if counts != nil {
				x, err = bn.ForwardRepeated(g, x, counts)
			} else {
				x, err = bn.Forward(g, x)
			}
			if err != nil {
				return nil, err
			}
		}
		if x, err = reluResidual(x, nil); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// GraphJEPAMLP returns the inner network of Graph-JEPA's GINE layers,
// MixerMLP(in, out, nlayer=2, with_final_activation=False, bias=False):
// Linear(in→in, no bias) → BatchNorm(in) → ReLU → Linear(in→out, no bias),
// named "<name>.layers.0", "<name>.norms.0", "<name>.layers.1" (and the
// unused "<name>.norms.1").
func GraphJEPAMLP(name string, in, out int, dt tensor.Dtype, rng *rand.Rand) *MixerMLP {
	return NewMixerMLP(name, in, out, MixerMLPConfig{Dtype: dt, NoFinalActivation: true, NoBias: true}, rng)
}
