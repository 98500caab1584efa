package nn

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Norm names the normalisation an MLP applies after each hidden Linear.
type Norm int

const (
	NormNone  Norm = iota // no normalisation
	NormBatch             // BatchNorm over the channel dimension
	NormLayer             // LayerNorm
)

// MLPConfig configures an MLP. The zero value gives Linear layers with bias,
// ReLU between them, no normalisation and no activation after the last layer.
type MLPConfig struct {
	Dtype      tensor.Dtype
	Activation Activation
	Norm       Norm
	// FinalActivation also applies norm and activation after the last layer
	// (Graph-ViT-MLPMixer's with_final_activation).
	FinalActivation bool
	// BiasWithNorm keeps the Linear bias when a norm follows it; by default
	// the bias is dropped there, as Graph-JEPA's MLP does.
	BiasWithNorm bool
	Dropout      float64 // after each activation
	Linear       LinearConfig
}

// MLP is a stack of Linear layers with optional normalisation and an
// activation between them. Dims [d0, d1, ..., dn] give n Linear layers
// "<name>.layers.<i>" and, with a norm, "<name>.norms.<i>" (the naming of
// Graph-ViT-MLPMixer's MLP, which Graph-JEPA uses).
//
// Shapes: x [..., d0] → [..., dn].
type MLP struct {
	Layers []*Linear
	Norms  []Module // *BatchNorm or *LayerNorm, or nil entries
	cfg    MLPConfig
	params Params
}

// Module is anything that owns parameters.
type Module interface{ Params() *Params }

// NewMLP returns an MLP with the given layer widths (at least two).
func NewMLP(name string, dims []int, cfg MLPConfig, rng *rand.Rand) *MLP {
	if len(dims) < 2 {
		panic(fmt.Sprintf("nn: NewMLP %s: need at least 2 dims, got %v", name, dims))
	}
	m := &MLP{cfg: cfg}
	dt := dtypeOr(cfg.Dtype)
	n := len(dims) - 1
	for i := 0; i < n; i++ {
		withNorm := cfg.Norm != NormNone && (i < n-1 || cfg.FinalActivation)
		lc := cfg.Linear
		lc.Dtype = dt
		if withNorm && !cfg.BiasWithNorm {
			lc.NoBias = true
		}
		l := NewLinear(fmt.Sprintf("%s.layers.%d", name, i), dims[i], dims[i+1], lc, rng)
		m.Layers = append(m.Layers, l)
		m.params.AddAll(l.Params())
		var norm Module
		if withNorm {
			nn := fmt.Sprintf("%s.norms.%d", name, i)
			switch cfg.Norm {
			case NormBatch:
				norm = NewBatchNorm(nn, dims[i+1], BatchNormConfig{Dtype: dt})
			case NormLayer:
				norm = NewLayerNorm(nn, dims[i+1], LayerNormConfig{Dtype: dt})
			}
			m.params.AddAll(norm.Params())
		}
		m.Norms = append(m.Norms, norm)
	}
	return m
}

// Params returns every parameter and buffer.
func (m *MLP) Params() *Params { return &m.params }

// Forward adds the MLP to g.
func (m *MLP) Forward(g *Graph, x *G.Node) (*G.Node, error) {
	n := len(m.Layers)
	var err error
	for i, l := range m.Layers {
		if x, err = l.Forward(g, x); err != nil {
			return nil, err
		}
		if i == n-1 && !m.cfg.FinalActivation {
			break
		}
		switch norm := m.Norms[i].(type) {
		case *BatchNorm:
			x, err = norm.Forward(g, x)
		case *LayerNorm:
			x, err = norm.Forward(g, x)
		}
		if err != nil {
			return nil, err
		}
		if x, err = m.cfg.Activation.Apply(x); err != nil {
			return nil, err
		}
		if x, err = (Dropout{P: m.cfg.Dropout}).Forward(g, x); err != nil {
			return nil, err
		}
	}
	return x, nil
}
