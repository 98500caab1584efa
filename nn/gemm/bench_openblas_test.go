// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build openblas && cgo

package gemm

import (
	"os"
	"strings"

	"github.com/nongrid/jepa/nn/gemm/internal/openblas"
)

// Under -tags openblas the benchmarks also run OpenBLAS (through gonum's
// netlib binding). OpenBLAS picks its kernels by CPU at load time; with
// OPENBLAS_CORETYPE set (for example SkylakeX, its AVX-512 kernels) the
// implementation is named "openblas-<coretype>".
func init() {
	name := "openblas"
	if ct := os.Getenv("OPENBLAS_CORETYPE"); ct != "" {
		name += "-" + strings.ToLower(ct)
	}
	benchImpls = append(benchImpls, benchImpl{name: name, s: openblas.Implementation{}.Sgemm, d: openblas.Implementation{}.Dgemm})
}
