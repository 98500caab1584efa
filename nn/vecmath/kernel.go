// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// kernelSet is a named set of kernels for one instruction set. Each takes
// an output slice at least as long as x (dy as long as x) and writes
// len(x) elements.
type kernelSet struct {
	name                      string
	exp, tanh, geluTanh, gelu func(dst, x []float32)
	geluTanhGrad, geluGrad    func(dx, x, dy []float32)
}

// available lists the kernel sets this CPU can run, fastest first; it
// always ends with the portable set.
var available []*kernelSet

var current atomic.Pointer[kernelSet]

func init() {
	available = append(archKernels(), genericKernels())
	current.Store(available[0])
}

func kernels() *kernelSet { return current.Load() }

// Kernel returns the name of the kernel set in use: "avx512", "avx2" or
// "generic".
func Kernel() string { return kernels().name }

// Kernels returns the names of the kernel sets this CPU can run, fastest
// (the default) first. "generic", the portable Go kernels, is always last.
func Kernels() []string {
	names := make([]string, len(available))
	for i, k := range available {
		names[i] = k.name
	}
	return names
}

// SetKernel selects the kernel set by name (one of [Kernels]) for all later
// calls, and returns an error if this CPU cannot run it. It is meant for
// tests and benchmarks; do not call it while a kernel is running.
func SetKernel(name string) error {
	for _, k := range available {
		if k.name == name {
			current.Store(k)
			return nil
		}
	}
	return fmt.Errorf("vecmath: kernel %q not available on this CPU (have %s)", name, strings.Join(Kernels(), ", "))
}
