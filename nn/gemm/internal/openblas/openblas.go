// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build openblas && cgo

// Package openblas links gonum's netlib cgo BLAS against the system OpenBLAS
// (Debian: apt-get install libopenblas-dev), so that the benchmarks of package
// gemm can compare with it in the same run: go test -tags openblas -bench .
package openblas

// #cgo LDFLAGS: -lopenblas
import "C"

import "gonum.org/v1/netlib/blas/netlib"

// Implementation is netlib's cgo BLAS, here backed by OpenBLAS.
type Implementation = netlib.Implementation
