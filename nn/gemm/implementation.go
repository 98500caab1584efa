// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's pure-Go BLAS with Sgemm and Dgemm replaced by the
// blocked, multi-threaded GEMM of this package. It satisfies blas.Float32,
// blas.Float64, blas.Complex64 and blas.Complex128 (and so gorgonia's and
// gorgonia/tensor's BLAS interfaces). The zero value is ready to use.
type Implementation struct {
	gonum.Implementation
}

var (
	_ blas.Float32 = Implementation{}
	_ blas.Float64 = Implementation{}
)

// Use makes Implementation the BLAS behind gonum's blas32 and blas64
// packages (and so behind gonum/mat's float64 products).
func Use() {
	blas32.Use(Implementation{})
	blas64.Use(Implementation{})
}

// Sgemm performs one of the matrix-matrix operations
//
//	C = alpha * A * B + beta * C
//	C = alpha * Aᵀ * B + beta * C
//	C = alpha * A * Bᵀ + beta * C
//	C = alpha * Aᵀ * Bᵀ + beta * C
//
// where A is an m×k or k×m row-major matrix with leading dimension lda, B is a
// k×n or n×k matrix with leading dimension ldb, C is an m×n matrix with
// leading dimension ldc, and alpha and beta are scalars. tA and tB say whether
// A or B are transposed (blas.ConjTrans means blas.Trans). Bad arguments panic
// with gonum's messages ("blas: ...").
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	gemm(&eng32, &currentKernels().s, aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm is Sgemm for float64.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	aT, bT := checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	gemm(&eng64, &currentKernels().d, aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
