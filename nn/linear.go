package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LinearConfig configures a Linear layer. The zero value is
// torch.nn.Linear's default: float32, with bias, PyTorch's default init.
type LinearConfig struct {
	Dtype  tensor.Dtype // Float32 when zero
	NoBias bool
	Init   Init
	Gain   float64 // InitXavierUniform gain; 1 when zero
	Std    float64 // InitTruncNormal std; 0.02 when zero
	// ZeroBias starts the bias at zero. Otherwise the bias gets PyTorch's
	// default U(−1/√in, 1/√in), except under InitTruncNormal and InitZeros
	// (timm's init zeroes biases).
	ZeroBias bool
}

// Linear is y = x·Wᵀ + b (torch.nn.Linear), also PointNet's kernel-size-1
// Conv1d. Weight is [out, in], Bias is [out] or nil.
//
// Shapes: x [..., in] → y [..., out].
type Linear struct {
	Weight, Bias *Param
	In, Out      int
	params       Params
}

// NewLinear returns a Linear layer whose parameters are named
// "<name>.weight" and "<name>.bias", initialised from rng.
func NewLinear(name string, in, out int, cfg LinearConfig, rng *rand.Rand) *Linear {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn: NewLinear %s: sizes must be positive, got in=%d out=%d", name, in, out))
	}
	dt := dtypeOr(cfg.Dtype)
	l := &Linear{In: in, Out: out, Weight: NewParam(joinName(name, "weight"), dt, out, in)}
	if !cfg.NoBias {
		l.Bias = NewParam(joinName(name, "bias"), dt, out)
		l.Bias.NoDecay = true
	}
	switch cfg.Init {
	case InitDefault:
		FillKaimingUniformDefault(l.Weight, rng)
	case InitXavierUniform:
		gain := cfg.Gain
		if gain == 0 {
			gain = 1
		}
		FillXavierUniform(l.Weight, rng, gain)
	case InitTruncNormal:
		std := cfg.Std
		if std == 0 {
			std = 0.02
		}
		FillTruncNormal(l.Weight, rng, 0, std, -2, 2)
	case InitZeros:
	default:
		panic(fmt.Sprintf("nn: NewLinear %s: unknown init %d", name, cfg.Init))
	}
	if l.Bias != nil && !cfg.ZeroBias && cfg.Init != InitTruncNormal && cfg.Init != InitZeros {
		a := 1 / math.Sqrt(float64(in))
		FillUniform(l.Bias, rng, -a, a)
	}
	l.params.Add(l.Weight)
	if l.Bias != nil {
		l.params.Add(l.Bias)
	}
	return l
}

// Params returns the layer's parameters.
func (l *Linear) Params() *Params { return &l.params }

// Forward adds the layer to g. It returns an error naming both shapes if the
// last dimension of x is not In.
func (l *Linear) Forward(g *Graph, x *G.Node) (*G.Node, error) {
	var b *G.Node
	if l.Bias != nil {
		b = g.Param(l.Bias)
	}
	return LinearOp(x, g.Param(l.Weight), b)
}

func dtypeOr(dt tensor.Dtype) tensor.Dtype {
	if dt == (tensor.Dtype{}) {
		return tensor.Float32
	}
	checkFloat(dt)
	return dt
}
