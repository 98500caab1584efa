// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"github.com/nongrid/jepa/nn/internal/kernelset"
)

// kernelSet is a named set of kernels for one instruction set. Each takes
// an output slice at least as long as x (dy as long as x) and writes
// len(x) elements.
type kernelSet struct {
	name                      string
	exp, tanh, geluTanh, gelu func(dst, x []float32)
	geluTanhGrad, geluGrad    func(dx, x, dy []float32)
	relu                      reluKernels
	moments                   momentKernels
}

// available lists the kernel sets this CPU can run, fastest first; it
// always ends with the portable set.
var available []*kernelSet

var registry *kernelset.Registry[kernelSet]

func init() {
	available = append(archKernels(), genericKernels())
	registry = kernelset.New("vecmath", available, func(k *kernelSet) string { return k.name })
}

func kernels() *kernelSet { return registry.Current() }

// Kernel returns the name of the kernel set in use: "avx512", "avx2" or
// "generic".
func Kernel() string { return registry.Name() }

// Kernels returns the names of the kernel sets this CPU can run, fastest
// (the default) first; "generic", the portable Go code, is always last.
func Kernels() []string { return registry.Names() }

// SetKernel selects the kernel set by name (one of [Kernels]) for all later
// calls, and returns an error if this CPU cannot run it. It is meant for
// tests and benchmarks; do not call it while a kernel is running.
func SetKernel(name string) error { return registry.Set(name) }
