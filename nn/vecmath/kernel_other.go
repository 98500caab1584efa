// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !amd64 || purego

package vecmath

// archKernels returns no assembly kernels: only the portable ones run.
func archKernels() []*kernelSet { return nil }
