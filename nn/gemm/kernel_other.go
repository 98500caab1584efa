// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !amd64 || purego

package gemm

// archKernels returns no assembly kernels: only the portable one runs.
func archKernels() []*kernelSet { return nil }
