package hyperbolic

import (
	"fmt"
	"unsafe"
)

// Float is the element type of the batched kernels: float32 or float64
// (or a type defined on them). Whatever T is, every kernel computes in
// float64 internally and rounds once when it stores, so the float32
// instantiation is a storage format, not a lower-precision algorithm
// (geoopt likewise computes arcosh in float64).
type Float interface {
	~float32 | ~float64
}

// is32 reports whether T is a 4-byte float. It selects the geoopt
// projection eps (4e-3 for float32, 1e-5 for float64).
func is32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// numRows checks that a row-major matrix of length l has rows of width d
// and returns the number of rows. It panics on a programmer error.
func numRows(op, arg string, l, d int) int {
	if d <= 0 {
		panic(fmt.Sprintf("hyperbolic: %s: row width d=%d must be positive", op, d))
	}
	if l%d != 0 {
		panic(fmt.Sprintf("hyperbolic: %s: len(%s)=%d is not a multiple of d=%d", op, arg, l, d))
	}
	return l / d
}

// sameLen panics unless len(a) == want.
func sameLen(op, arg string, got, want int) {
	if got != want {
		panic(fmt.Sprintf("hyperbolic: %s: len(%s)=%d, want %d", op, arg, got, want))
	}
}

// useDst returns dst if it has length l, a new slice if dst is nil, and
// panics otherwise.
func useDst[T Float](op string, dst []T, l int) []T {
	if dst == nil {
		return make([]T, l)
	}
	if len(dst) != l {
		panic(fmt.Sprintf("hyperbolic: %s: len(dst)=%d, want %d", op, len(dst), l))
	}
	return dst
}

// dot2 returns Σ a_i², Σ b_i² and Σ a_i b_i in float64.
func dot2[T Float](a, b []T) (aa, bb, ab float64) {
	b = b[:len(a)]
	for i, av := range a {
		x, y := float64(av), float64(b[i])
		aa += x * x
		bb += y * y
		ab += x * y
	}
	return aa, bb, ab
}

// sqnorm returns Σ a_i² in float64.
func sqnorm[T Float](a []T) float64 {
	var s float64
	for _, v := range a {
		x := float64(v)
		s += x * x
	}
	return s
}

// dot returns Σ a_i b_i in float64.
func dot[T Float](a, b []T) float64 {
	b = b[:len(a)]
	var s float64
	for i, v := range a {
		s += float64(v) * float64(b[i])
	}
	return s
}

// scaleTo writes s·a into dst (dst may alias a).
func scaleTo[T Float](dst, a []T, s float64) {
	dst = dst[:len(a)]
	for i, v := range a {
		dst[i] = T(s * float64(v))
	}
}
