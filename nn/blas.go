// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package nn

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gorgonia.org/gorgonia"
)

// BLAS selection.
//
// The engine's matrix products (gorgonia's Mul, MatMul and BatchedMatMul
// through gorgonia/tensor, and this package's own kernels through gonum's
// blas32/blas64) run on one BLAS, chosen at build time and installed when the
// package is initialised:
//
//   - default (pure Go, no cgo): package nn/gemm, a packed, cache-blocked,
//     multi-threaded GEMM with AVX-512 / AVX2+FMA assembly micro-kernels on
//     amd64 and a portable Go kernel elsewhere; every other BLAS routine is
//     gonum's. See blas_default.go.
//   - -tags openblas (cgo): gonum's netlib binding linked against the system
//     OpenBLAS (Debian: apt-get install libopenblas-dev; the file carries
//     #cgo LDFLAGS: -lopenblas, so no environment variables are needed).
//     See blas_openblas.go.
//
// BLASName reports which one is in use.

// BLASName returns the name of the BLAS the engine uses: "gemm/<kernel>
// (<why>; <split size>)" for the pure-Go default, for example "gemm/avx2
// (calibrated: avx512 88.1 GFLOP/s, avx2 95.0 GFLOP/s on one core, SGEMM
// 256³; products from 2^23 multiply-adds split over workers)" (kernel
// "avx512", "avx2" or "generic", chosen by measurement at first use or forced
// by the environment variable NN_GEMM_KERNEL; see gemm.Selection), or
// "openblas" for the cgo build.
func BLASName() string { return blasName() }

// useBLAS installs b as the BLAS of gorgonia (gorgonia.Use also calls
// tensor.Use) and of gonum's blas32 and blas64.
func useBLAS(b gorgonia.BLAS) {
	gorgonia.Use(b)
	blas32.Use(b)
	blas64.Use(b)
}
