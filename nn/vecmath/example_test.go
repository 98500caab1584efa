// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath_test

import (
	"fmt"

	"github.com/nongrid/jepa/nn/vecmath"
)

// GELU forward and backward over a slice, as an MLP layer uses them. The
// printed values agree with x·Φ(x) and Φ(x) + x·φ(x) from Python's
// math.erfc and math.exp in float64.
func ExampleGELU() {
	x := []float32{-3, -1, 0, 0.5, 2}
	y := make([]float32, len(x))
	vecmath.GELU(y, x)
	fmt.Printf("%.5f\n", y)

	dy := []float32{1, 1, 1, 1, 1}
	dx := make([]float32, len(x))
	vecmath.GELUGrad(dx, x, dy)
	fmt.Printf("%.5f\n", dx)
	// Output:
	// [-0.00405 -0.15866 0.00000 0.34573 1.95450]
	// [-0.01195 -0.08332 0.50000 0.86750 1.08523]
}

// The tanh approximation of GELU, in place.
func ExampleGELUTanh() {
	x := []float32{-3, -1, 0, 0.5, 2}
	vecmath.GELUTanh(x, x)
	fmt.Printf("%.5f\n", x)
	// Output:
	// [-0.00364 -0.15881 0.00000 0.34571 1.95460]
}
