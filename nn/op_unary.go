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
	// Optional float32 slice kernels (vectorised approximations, see
	// op_gelu.go): f32 sets y = f(x), df32 sets dx = dy·f′(x). Float32 data
	// uses f and df through float64 when they are nil.
	f32  func(y, x []float32)
	df32 func(dx, x, dy []float32)
}

// applyUnary adds y = f(x) elementwise, with backward dx = dy·f′(x).
func applyUnary(x *G.Node, u unaryFn, params string) (*G.Node, error) {
	op := &fusedOp{name: u.name, params: params, outShape: x.Shape(), diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			if u.f32 != nil {
				mapSlices32(yd, data[float32](vals[0]), u.f32)
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
			switch d := floatData(dx).(type) {
			case []float32:
				if u.df32 != nil {
					mapGradSlices32(d, data[float32](vals[0]), data[float32](vals[1]), u.df32)
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

// vecChunk is the smallest part of a slice a float32 slice kernel is given
// by ParallelFor: at 0.1–0.4 ns per element (package vecmath) that is
// 3–13 µs of work, well above the cost of starting a goroutine.
const vecChunk = 1 << 15

func mapSlices32(y, x []float32, f func(y, x []float32)) {
	ParallelFor(len(x), vecChunk, func(lo, hi int) { f(y[lo:hi], x[lo:hi]) })
}

func mapGradSlices32(dx, x, dy []float32, df func(dx, x, dy []float32)) {
	ParallelFor(len(x), vecChunk, func(lo, hi int) { df(dx[lo:hi], x[lo:hi], dy[lo:hi]) })
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
