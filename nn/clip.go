package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// GradNorm returns the L2 norm of all gradients taken together, as if they
// were concatenated into one vector (torch.nn.utils.clip_grad_norm_'s
// total_norm with norm_type 2). Buffers and parameters with a nil Grad are
// skipped. Squares are summed in float64, also for float32 gradients (torch
// sums each tensor in float32, so the two agree to about 1e-7 relative).
func GradNorm(params []*Param) float64 {
	var ss float64
	for _, p := range params {
		if p.Buffer || p.Grad == nil {
			continue
		}
		switch p.Grad.Dtype() {
		case tensor.Float32:
			ss += sumSquares(p.Grad.Float32s()[:p.Len()])
		case tensor.Float64:
			ss += sumSquares(p.Grad.Float64s()[:p.Len()])
		}
	}
	return math.Sqrt(ss)
}

// sumSquares returns Σ x² accumulated in float64 with four partial sums.
func sumSquares[T optimFloat](x []T) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a, b, c, d := float64(x[i]), float64(x[i+1]), float64(x[i+2]), float64(x[i+3])
		s0 += a * a
		s1 += b * b
		s2 += c * c
		s3 += d * d
	}
	for ; i < len(x); i++ {
		a := float64(x[i])
		s0 += a * a
	}
	return (s0 + s1) + (s2 + s3)
}

// ClipGradNorm rescales the gradients in place so that their total L2 norm
// is at most maxNorm, and returns the total norm before clipping; it is
// torch.nn.utils.clip_grad_norm_(params, maxNorm) with norm_type 2 and
// error_if_nonfinite=False:
//
//	total = ‖(g₁, …, gₙ)‖₂
//	coef  = maxNorm / (total + 1e-6)
//	g    *= coef, if coef < 1
//
// When every gradient is float32 the coefficient is computed in float32 the
// way torch does (a reciprocal, then a product). Like torch, a non-finite
// total makes the gradients non-finite (NaN coefficient) or zeroes them
// (infinite total); test the returned norm, or call CheckFinite first.
// Buffers and parameters with a nil Grad are skipped. It panics if maxNorm
// is negative or NaN (a programmer error).
func ClipGradNorm(params []*Param, maxNorm float64) (totalNorm float64) {
	if !(maxNorm >= 0) {
		panic(fmt.Sprintf("nn: ClipGradNorm: invalid max norm %v", maxNorm))
	}
	total := GradNorm(params)
	all32, have := true, false
	for _, p := range params {
		if p.Buffer || p.Grad == nil {
			continue
		}
		have = true
		if p.Grad.Dtype() != tensor.Float32 {
			all32 = false
		}
	}
	if !have {
		return 0
	}
	var coef float64
	if all32 {
		t := float32(total)
		coef = float64(float32(1) / (t + float32(1e-6)) * float32(maxNorm))
	} else {
		coef = 1 / (total + 1e-6) * maxNorm
	}
	if coef >= 1 { // torch multiplies by clamp(coef, max=1): a no-op here
		return total
	}
	for _, p := range params {
		if p.Buffer || p.Grad == nil {
			continue
		}
		switch p.Grad.Dtype() {
		case tensor.Float32:
			scaleSlice(p.Grad.Float32s()[:p.Len()], float32(coef))
		case tensor.Float64:
			scaleSlice(p.Grad.Float64s()[:p.Len()], coef)
		}
	}
	return total
}

// scaleSlice multiplies x by c in place.
func scaleSlice[T optimFloat](x []T, c T) {
	for i := range x {
		x[i] *= c
	}
}

// NonFiniteError reports the first NaN or ±Inf found by CheckFinite.
type NonFiniteError struct {
	// Param is the parameter's name.
	Param string
	// Grad is true if the value was found in the gradient, false if in the
	// parameter's data.
	Grad bool
	// Index is the flat (row-major) index of the element.
	Index int
	// Value is the offending value (NaN, +Inf or -Inf).
	Value float64
}

func (e *NonFiniteError) Error() string {
	where := "value"
	if e.Grad {
		where = "gradient"
	}
	return fmt.Sprintf("nn: parameter %q: %s element %d is %v", e.Param, where, e.Index, e.Value)
}

// CheckFinite returns a *NonFiniteError naming the first parameter (in
// order; its value before its gradient) that holds a NaN or an infinity, or
// nil if every float value and gradient is finite. Integer tensors are
// skipped. Call it after the backward pass to fail fast instead of letting
// a NaN spread through Adam's moments.
func CheckFinite(params []*Param) error {
	for _, p := range params {
		if err := checkFiniteDense(p.Name, false, p.Value); err != nil {
			return err
		}
		if p.Grad != nil {
			if err := checkFiniteDense(p.Name, true, p.Grad); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkFiniteDense(name string, grad bool, d *tensor.Dense) error {
	i, v := -1, 0.0
	n := d.Shape().TotalSize()
	switch d.Dtype() {
	case tensor.Float32:
		x := d.Float32s()[:n]
		if j := firstNonFinite(x); j >= 0 {
			i, v = j, float64(x[j])
		}
	case tensor.Float64:
		x := d.Float64s()[:n]
		if j := firstNonFinite(x); j >= 0 {
			i, v = j, x[j]
		}
	}
	if i < 0 {
		return nil
	}
	return &NonFiniteError{Param: name, Grad: grad, Index: i, Value: v}
}

// firstNonFinite returns the index of the first NaN or ±Inf in x, or -1.
// x·0 is NaN exactly for NaN and ±Inf, so one cheap pass with four
// independent sums answers the common all-finite case.
func firstNonFinite[T optimFloat](x []T) int {
	var a0, a1, a2, a3 T
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a0 += x[i] * 0
		a1 += x[i+1] * 0
		a2 += x[i+2] * 0
		a3 += x[i+3] * 0
	}
	for ; i < len(x); i++ {
		a0 += x[i] * 0
	}
	if a := a0 + a1 + a2 + a3; a == a {
		return -1
	}
	for i, v := range x {
		if v*0 != 0 {
			return i
		}
	}
	return -1
}
