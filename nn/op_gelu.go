package nn

import (
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/nongrid/jepa/nn/vecmath"
)

const (
	sqrt2     = 1.4142135623730951
	sqrt2OvPi = 0.7978845608028654 // √(2/π)
	invSqrt2P = 0.3989422804014327 // 1/√(2π)
)

// geluKernels32 are the float32 slice kernels of GELU and GELUTanh.
type geluKernels32 struct {
	erf, tanh         func(y, x []float32)
	erfGrad, tanhGrad func(dx, x, dy []float32)
}

// gelu32 is read each time a GELU op runs; the benchmarks swap in the former
// scalar path (fastmath_test.go) to measure both in the same run.
var gelu32 = geluKernels32{
	erf:      vecmath.GELU,
	tanh:     vecmath.GELUTanh,
	erfGrad:  vecmath.GELUGrad,
	tanhGrad: vecmath.GELUTanhGrad,
}

// GELU returns the Gaussian error linear unit x·Φ(x) (Hendrycks & Gimpel
// 2016) in its exact erf form, torch.nn.GELU() (Point-JEPA's encoders).
//
// Float64 data uses math.Erf. Float32 data uses the SIMD kernels of package
// vecmath (vecmath.GELU, vecmath.GELUGrad), accurate to 1.5 float32 ulps of
// max(1, |x|) and, through an erfc expansion, to a few ulps of the value in
// the negative tail; GELU(−Inf) is NaN, as in PyTorch.
func GELU(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "GELU",
		f: func(v float64) float64 { return 0.5 * v * (1 + math.Erf(v/sqrt2)) },
		df: func(v float64) float64 {
			return 0.5*(1+math.Erf(v/sqrt2)) + v*invSqrt2P*math.Exp(-0.5*v*v)
		},
		f32:  func(y, x []float32) { gelu32.erf(y, x) },
		df32: func(dx, x, dy []float32) { gelu32.erfGrad(dx, x, dy) },
	}, "erf")
}

// GELUTanh returns the tanh approximation
// 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), torch.nn.GELU(approximate="tanh").
//
// Float64 data uses math.Tanh. Float32 data uses the SIMD kernels of package
// vecmath (vecmath.GELUTanh, vecmath.GELUTanhGrad), which evaluate the same
// function as x·σ(2u), accurate to about 2 float32 ulps of max(1, |y|).
func GELUTanh(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "GELU",
		f: func(v float64) float64 { return 0.5 * v * (1 + math.Tanh(sqrt2OvPi*(v+0.044715*v*v*v))) },
		df: func(v float64) float64 {
			t := math.Tanh(sqrt2OvPi * (v + 0.044715*v*v*v))
			return 0.5*(1+t) + 0.5*v*(1-t*t)*sqrt2OvPi*(1+3*0.044715*v*v)
		},
		f32:  func(y, x []float32) { gelu32.tanh(y, x) },
		df32: func(dx, x, dy []float32) { gelu32.tanhGrad(dx, x, dy) },
	}, "tanh")
}
