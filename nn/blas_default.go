// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !openblas

package nn

// Aliased because package nn has its own gemm helper.
import puregemm "github.com/nongrid/jepa/nn/gemm"

func init() { useBLAS(puregemm.Implementation{}) }

func blasName() string { return "gemm/" + puregemm.Selection() }
