// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build openblas

package nn

// #cgo LDFLAGS: -lopenblas
import "C"

import "gonum.org/v1/netlib/blas/netlib"

// netlib is gonum's cgo binding of the CBLAS interface, pinned at the version
// gorgonia v0.9.18 requires (gonum.org/v1/netlib v0.0.0-20220323200511-
// 14de99971b2d; see spec/engine.md). It does not link a library itself.
func init() { useBLAS(netlib.Implementation{}) }

func blasName() string { return "openblas" }
