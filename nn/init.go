package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Init names a weight initialisation scheme. The zero value is PyTorch's
// default for the layer in question.
type Init int

const (
	// InitDefault is PyTorch's default: for Linear weights and biases
	// U(−1/√fan_in, 1/√fan_in) (kaiming_uniform_ with a=√5); for Embedding
	// N(0, 1).
	InitDefault Init = iota
	// InitXavierUniform is torch.nn.init.xavier_uniform_ with the layer's
	// Gain (1 when zero); biases start at zero.
	InitXavierUniform
	// InitTruncNormal is torch.nn.init.trunc_normal_(std, a=−2, b=2) with the
	// layer's Std (0.02 when zero), as timm's ViT; biases start at zero.
	InitTruncNormal
	// InitZeros sets every weight to zero.
	InitZeros
)

// fans returns fan_in and fan_out of a weight in PyTorch layout [out, in, ...].
func fans(shape []int) (fanIn, fanOut int) {
	if len(shape) < 2 {
		panic(fmt.Sprintf("nn: fan of a weight needs rank ≥ 2, got shape %v", shape))
	}
	rf := 1
	for _, d := range shape[2:] {
		rf *= d
	}
	return shape[1] * rf, shape[0] * rf
}

// FillUniform fills p with U(lo, hi) draws from rng.
func FillUniform(p *Param, rng *rand.Rand, lo, hi float64) {
	fill(p, func() float64 { return lo + (hi-lo)*rng.Float64() })
}

// FillNormal fills p with N(mean, std²) draws from rng.
func FillNormal(p *Param, rng *rand.Rand, mean, std float64) {
	fill(p, func() float64 { return mean + std*rng.NormFloat64() })
}

// FillTruncNormal fills p with N(mean, std²) draws restricted to [a, b]
// (absolute bounds, as torch.nn.init.trunc_normal_), by rejection.
func FillTruncNormal(p *Param, rng *rand.Rand, mean, std, a, b float64) {
	if !(a < b) {
		panic(fmt.Sprintf("nn: FillTruncNormal: empty interval [%g, %g]", a, b))
	}
	fill(p, func() float64 {
		for {
			v := mean + std*rng.NormFloat64()
			if v >= a && v <= b {
				return v
			}
		}
	})
}

// FillConstant sets every element of p to v.
func FillConstant(p *Param, v float64) { fill(p, func() float64 { return v }) }

// FillXavierUniform fills a weight [out, in, ...] with U(−a, a),
// a = gain·√(6/(fan_in+fan_out)) (Glorot & Bengio 2010).
func FillXavierUniform(p *Param, rng *rand.Rand, gain float64) {
	in, out := fans(p.Shape())
	a := gain * math.Sqrt(6/float64(in+out))
	FillUniform(p, rng, -a, a)
}

// FillKaimingUniformDefault applies PyTorch's default Linear/Conv weight init,
// kaiming_uniform_(a=√5), which is U(−1/√fan_in, 1/√fan_in).
func FillKaimingUniformDefault(p *Param, rng *rand.Rand) {
	in, _ := fans(p.Shape())
	a := 1 / math.Sqrt(float64(in))
	FillUniform(p, rng, -a, a)
}

func fill(p *Param, next func() float64) {
	switch d := p.Value.Data().(type) {
	case []float32:
		for i := range d {
			d[i] = float32(next())
		}
	case []float64:
		for i := range d {
			d[i] = next()
		}
	default:
		panic(fmt.Sprintf("nn: cannot fill parameter %s of dtype %v", p.Name, p.Dtype()))
	}
}
