// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build openblas && cgo

package gemm

import "github.com/nongrid/jepa/nn/gemm/internal/openblas"

func init() {
	benchImpls = append(benchImpls, benchImpl{name: "openblas", s: openblas.Implementation{}.Sgemm, d: openblas.Implementation{}.Dgemm})
}
