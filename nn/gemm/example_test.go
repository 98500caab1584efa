// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm_test

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/nongrid/jepa/nn/gemm"
)

// C = A·Bᵀ for a 2×3 A and a 2×3 B, straight through the implementation.
func ExampleImplementation_Sgemm() {
	a := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{
		1, 0, -1,
		2, 1, 0,
	}
	c := make([]float32, 2*2)
	gemm.Implementation{}.Sgemm(blas.NoTrans, blas.Trans, 2, 2, 3, 1, a, 3, b, 3, 0, c, 2)
	fmt.Println(c)
	// Output: [-2 4 -2 13]
}

// Use installs the implementation behind gonum's blas32 and blas64, so that
// every blas32.Gemm (and gonum/mat float64 product) takes the fast path.
func ExampleUse() {
	gemm.Use()
	a := blas32.General{Rows: 1, Cols: 2, Stride: 2, Data: []float32{1, 2}}
	b := blas32.General{Rows: 2, Cols: 1, Stride: 1, Data: []float32{3, 4}}
	c := blas32.General{Rows: 1, Cols: 1, Stride: 1, Data: []float32{100}}
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 1, c) // c = a·b + c
	fmt.Println(c.Data)
	// Output: [111]
}

// SetKernel forces the portable Go micro-kernel, for example to test the
// code path of machines without AVX2. Kernels lists what this CPU can run.
func ExampleSetKernel() {
	def := gemm.Kernel()
	if err := gemm.SetKernel("generic"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(gemm.Kernel())
	fmt.Println(gemm.SetKernel("vax") != nil)
	_ = gemm.SetKernel(def)
	// Output:
	// generic
	// true
}
