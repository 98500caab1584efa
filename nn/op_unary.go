package nn

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// unaryFn is an elementwise function with its derivative, evaluated in
// float64 (both dtypes convert through float64 per element).
type unaryFn struct {
	name string
	f    func(x float64) float64
	df   func(x float64) float64
	// Optional float32 versions (fast approximations); float32 data uses f
	// and df through float64 when they are nil.
	f32  func(x float32) float32
	df32 func(x float32) float32
}

// applyUnary adds y = f(x) elementwise, with backward dx = dy·f′(x).
func applyUnary(x *G.Node, u unaryFn, params string) (*G.Node, error) {
	op := &fusedOp{name: u.name, params: params, outShape: x.Shape(), diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := y.Data().(type) {
		case []float32:
			if u.f32 != nil {
				mapUnary32(yd, data[float32](vals[0]), u.f32)
			} else {
				mapUnary(yd, data[float32](vals[0]), u.f)
			}
		case []float64:
			mapUnary(yd, data[float64](vals[0]), u.f)
		}
		return nil
	}
	op.backward = func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		bop := &fusedOp{name: u.name + "Grad", params: params, outShape: x.Shape()}
		bop.forward = func(dx *tensor.Dense, vals []*tensor.Dense) error {
			switch d := dx.Data().(type) {
			case []float32:
				if u.df32 != nil {
					mapUnaryGrad32(d, data[float32](vals[0]), data[float32](vals[1]), u.df32)
				} else {
					mapUnaryGrad(d, data[float32](vals[0]), data[float32](vals[1]), u.df)
				}
			case []float64:
				mapUnaryGrad(d, data[float64](vals[0]), data[float64](vals[1]), u.df)
			}
			return nil
		}
		n, err := bop.apply(in[0], grad)
		return G.Nodes{n}, err
	}
	return op.apply(x)
}

func mapUnary[T float](y, x []T, f func(float64) float64) {
	ParallelFor(len(x), 1<<14, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			y[i] = T(f(float64(x[i])))
		}
	})
}

func mapUnaryGrad[T float](dx, x, dy []T, df func(float64) float64) {
	ParallelFor(len(x), 1<<14, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dx[i] = dy[i] * T(df(float64(x[i])))
		}
	})
}

func mapUnary32(y, x []float32, f func(float32) float32) {
	ParallelFor(len(x), 1<<14, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			y[i] = f(x[i])
		}
	})
}

func mapUnaryGrad32(dx, x, dy []float32, df func(float32) float32) {
	ParallelFor(len(x), 1<<14, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dx[i] = dy[i] * df(x[i])
		}
	})
}

// Cosh returns cosh(x) elementwise (gorgonia has no cosh).
func Cosh(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "Cosh", f: math.Cosh, df: math.Sinh}, "")
}

// Sinh returns sinh(x) elementwise.
func Sinh(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "Sinh", f: math.Sinh, df: math.Cosh}, "")
}

// Acosh returns arcosh(x) elementwise; its derivative 1/√(x²−1) is infinite
// at x = 1 and the value is NaN below 1, so callers clamp first (package
// hyperbolic does, with geoopt's guards).
func Acosh(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "Acosh", f: math.Acosh, df: func(v float64) float64 { return 1 / math.Sqrt(v*v-1) }}, "")
}

// Atanh returns artanh(x) elementwise; derivative 1/(1−x²). Callers clamp
// |x| < 1 first.
func Atanh(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "Atanh", f: math.Atanh, df: func(v float64) float64 { return 1 / (1 - v*v) }}, "")
}

// Clamp limits x to [lo, hi] elementwise. As torch.clamp, the gradient passes
// where lo ≤ x ≤ hi and is zero elsewhere. Use ±Inf for a one-sided clamp.
func Clamp(x *G.Node, lo, hi float64) (*G.Node, error) {
	if lo > hi {
		return nil, fmt.Errorf("nn: Clamp: lo %g > hi %g", lo, hi)
	}
	return applyUnary(x, unaryFn{name: "Clamp",
		f: func(v float64) float64 { return math.Min(math.Max(v, lo), hi) },
		df: func(v float64) float64 {
			if v >= lo && v <= hi {
				return 1
			}
			return 0
		}}, fmt.Sprintf("%g,%g", lo, hi))
}

// LeakyReLU returns x for x > 0 and slope·x otherwise.
func LeakyReLU(x *G.Node, slope float64) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "LeakyReLU",
		f: func(v float64) float64 {
			if v > 0 {
				return v
			}
			return slope * v
		},
		df: func(v float64) float64 {
			if v > 0 {
				return 1
			}
			return slope
		}}, fmt.Sprintf("%g", slope))
}

const (
	sqrt2     = 1.4142135623730951
	sqrt2OvPi = 0.7978845608028654 // √(2/π)
	invSqrt2P = 0.3989422804014327 // 1/√(2π)
)

// GELU returns the Gaussian error linear unit x·Φ(x) (Hendrycks & Gimpel
// 2016) in its exact erf form, torch.nn.GELU() (Point-JEPA's encoders).
//
// Float32 data uses erf32 and exp32, accurate to a few float32 ulps.
func GELU(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "GELU",
		f: func(v float64) float64 { return 0.5 * v * (1 + math.Erf(v/sqrt2)) },
		df: func(v float64) float64 {
			return 0.5*(1+math.Erf(v/sqrt2)) + v*invSqrt2P*math.Exp(-0.5*v*v)
		},
		f32: func(v float32) float32 { return 0.5 * v * (1 + erf32(v*(1/sqrt2))) },
		df32: func(v float32) float32 {
			return 0.5*(1+erf32(v*(1/sqrt2))) + v*invSqrt2P*exp32(-0.5*v*v)
		}}, "erf")
}

// GELUTanh returns the tanh approximation
// 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), torch.nn.GELU(approximate="tanh").
//
// Float32 data uses tanh32, accurate to a few float32 ulps.
func GELUTanh(x *G.Node) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: "GELU",
		f: func(v float64) float64 { return 0.5 * v * (1 + math.Tanh(sqrt2OvPi*(v+0.044715*v*v*v))) },
		df: func(v float64) float64 {
			t := math.Tanh(sqrt2OvPi * (v + 0.044715*v*v*v))
			return 0.5*(1+t) + 0.5*v*(1-t*t)*sqrt2OvPi*(1+3*0.044715*v*v)
		},
		f32: func(v float32) float32 { return 0.5 * v * (1 + tanh32(sqrt2OvPi*(v+0.044715*v*v*v))) },
		df32: func(v float32) float32 {
			t := tanh32(sqrt2OvPi * (v + 0.044715*v*v*v))
			return 0.5*(1+t) + 0.5*v*(1-t*t)*sqrt2OvPi*(1+3*0.044715*v*v)
		}}, "tanh")
}
