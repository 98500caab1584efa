package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// Optimizer updates parameters in place from their gradients, outside any
// graph, the way a torch.optim.Optimizer does. Adam (NewAdam, NewAdamW)
// implements it.
//
// A training step is: ZeroGrad, run the program (which accumulates into
// Param.Grad), optionally ClipGradNorm, then Step.
type Optimizer interface {
	// Step applies one update to every parameter that has a gradient
	// (Param.Grad != nil) and is not a buffer.
	Step()
	// ZeroGrad sets every gradient to zero (torch's zero_grad(set_to_none=False)).
	ZeroGrad()
	// LR returns the current learning rate.
	LR() float64
	// SetLR sets the learning rate used by the next Step (schedulers call it).
	SetLR(lr float64)
	// State returns the optimizer state under PyTorch-like names, for
	// checkpoints; see Adam.State.
	State() map[string]*tensor.Dense
	// LoadState restores what State returned.
	LoadState(state map[string]*tensor.Dense) error
}

// optimFloat is the element type of optimizer kernels.
type optimFloat interface{ ~float32 | ~float64 }

// powInt returns x**n for n >= 0, correctly rounded in all but
// astronomically rare cases. It squares in double-double arithmetic and rounds
// once, so it agrees with C's pow (what Python's float ** int calls, and
// hence torch's bias corrections 1 - beta**step) where math.Pow, which
// multiplies in plain float64, can be one unit in the last place off.
func powInt(x float64, n int) float64 {
	if n < 0 {
		panic(fmt.Sprintf("nn: powInt: negative exponent %d", n))
	}
	rh, rl := 1.0, 0.0 // result, as an unevaluated sum rh+rl
	bh, bl := x, 0.0   // x**(2**k)
	for n > 0 {
		if n&1 == 1 {
			rh, rl = ddMul(rh, rl, bh, bl)
		}
		n >>= 1
		if n > 0 {
			bh, bl = ddMul(bh, bl, bh, bl)
		}
	}
	return rh + rl
}

// ddMul multiplies two double-double numbers.
func ddMul(ah, al, bh, bl float64) (float64, float64) {
	p := ah * bh
	e := math.FMA(ah, bh, -p) // exact error of the product
	e += ah*bl + al*bh
	h := p + e
	return h, e - (h - p)
}

// fma32 returns a*b+c rounded once to float32, as the fused multiply-add
// (vfmadd) of torch's AVX2 kernels and of adam_amd64.s computes it. The
// product of two float32 values is exact in float64; the sum is formed with
// its exact error (TwoSum) and rounded to odd when inexact, which makes the
// final rounding to float32 the correct one (float64 carries more than two
// extra bits), so no double rounding can occur.
func fma32(a, b, c float32) float32 {
	p, q := float64(a)*float64(b), float64(c)
	s := p + q
	bb := s - p
	e := (p - (s - bb)) + (q - bb) // exact: p + q = s + e
	if bits := math.Float64bits(s); e != 0 && e == e && bits&1 == 0 {
		if (e > 0) == (s > 0) {
			bits++ // away from zero, toward the exact sum
		} else {
			bits--
		}
		s = math.Float64frombits(bits)
	}
	return float32(s)
}

// sqrt32 is the correctly rounded float32 square root.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// scalarDense returns a 0-dim tensor holding v (PyTorch's tensor(v)).
func scalarDense[T float32 | float64 | int64](v T) *tensor.Dense {
	return tensor.New(tensor.WithShape(), tensor.WithBacking([]T{v}))
}

// denseScalar reads the single element of a float32, float64 or int64 tensor
// with one element (any shape).
func denseScalar(d *tensor.Dense) (float64, error) {
	if d == nil || d.Shape().TotalSize() != 1 {
		return 0, fmt.Errorf("want one element, have shape %v", shapeOf(d))
	}
	switch d.Dtype() {
	case tensor.Float32:
		return float64(d.Float32s()[0]), nil
	case tensor.Float64:
		return d.Float64s()[0], nil
	case tensor.Int64:
		return float64(d.Int64s()[0]), nil
	}
	return 0, fmt.Errorf("unsupported dtype %v", d.Dtype())
}

// sameShape reports whether a and b have exactly the same dimensions
// (tensor.Shape.Eq also equates vectors such as (1, 2) and (2)).
func sameShape(a, b tensor.Shape) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// shapeOf returns the shape of d as a plain slice ([] for a scalar, nil for nil).
func shapeOf(d *tensor.Dense) []int {
	if d == nil {
		return nil
	}
	return append([]int{}, d.Shape()...)
}

// copyFloats copies src (float32 or float64, any shape with the same number
// of elements) into dst, converting the element type.
func copyFloats(dst, src *tensor.Dense) error {
	n := dst.Shape().TotalSize()
	if src.Shape().TotalSize() != n {
		return fmt.Errorf("have %d elements, want %d", src.Shape().TotalSize(), n)
	}
	switch d := denseFloatData(dst).(type) {
	case []float32:
		switch s := denseFloatData(src).(type) {
		case []float32:
			copy(d, s)
		case []float64:
			for i, v := range s {
				d[i] = float32(v)
			}
		default:
			return fmt.Errorf("source dtype %v is not float32 or float64", src.Dtype())
		}
	case []float64:
		switch s := denseFloatData(src).(type) {
		case []float32:
			for i, v := range s {
				d[i] = float64(v)
			}
		case []float64:
			copy(d, s)
		default:
			return fmt.Errorf("source dtype %v is not float32 or float64", src.Dtype())
		}
	default:
		return fmt.Errorf("destination dtype %v is not float32 or float64", dst.Dtype())
	}
	return nil
}

// denseFloatData returns the backing []float32 or []float64 of d (also for
// 0-dim and empty tensors, where Dense.Data does not return a slice), or nil
// for other dtypes.
func denseFloatData(d *tensor.Dense) any {
	switch d.Dtype() {
	case tensor.Float32:
		return d.Float32s()[:d.Shape().TotalSize()]
	case tensor.Float64:
		return d.Float64s()[:d.Shape().TotalSize()]
	}
	return nil
}
