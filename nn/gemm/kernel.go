// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"github.com/nongrid/jepa/nn/internal/kernelset"
)

// float is the element type of a GEMM.
type float interface{ ~float32 | ~float64 }

// microKernel computes one MR×NR tile of C:
//
//	C[i][j] = alpha·Σ_p a[p·MR+i]·b[p·NR+j] + beta·C[i][j],  C[i][j] = c[i·ldc+j],
//
// for a packed strip a (k×MR) and a packed panel b (k×NR), k ≥ 1. When beta
// is ±0, C is written without being read.
type microKernel[T float] func(k int, a, b, c *T, ldc int, alpha, beta T)

// stridedKernel is a microKernel that reads b unpacked: row p of the k×NR
// panel starts at b[p·ldb]. The driver uses it when a panel of B would be
// used by a single strip of A, so packing it would only copy it.
type stridedKernel[T float] func(k int, a, b, c *T, ldc int, alpha, beta T, ldb int)

// blockKernel is a micro-kernel with its register-block shape (MR×NR) and the
// cache-block sizes the driver uses with it: KC (depth of a packed panel),
// MC (rows of a packed A block, a multiple of MR) and NC (columns of a packed
// B panel, a multiple of NR).
type blockKernel[T float] struct {
	fn         microKernel[T]
	fnB        stridedKernel[T] // nil: always pack B
	mr, nr     int
	kc, mc, nc int
	packRoutines[T]
}

// kernelSet is a named pair of float32 and float64 kernels for one ISA.
type kernelSet struct {
	name string
	s    blockKernel[float32]
	d    blockKernel[float64]
}

// available lists the kernel sets this CPU can run, widest instruction set
// first; it is filled by the init functions of the architecture files and
// always ends with the portable set. Which one is used is decided by
// measurement (see calibrate.go).
var available []*kernelSet

// genericKernelName names the portable kernel set, always the last of
// available.
const genericKernelName = "generic"

var registry *kernelset.Registry[kernelSet]

func init() {
	available = append(archKernels(), genericKernels())
	registry = kernelset.New("gemm", available, func(k *kernelSet) string { return k.name })
}

func currentKernels() *kernelSet {
	ensureSelected()
	return registry.Current()
}

// Kernel returns the name of the kernel set in use: "avx512", "avx2" or
// "generic". The first call selects it by measurement (see [Selection]).
func Kernel() string {
	ensureSelected()
	return registry.Name()
}

// Kernels returns the names of the kernel sets this CPU can run, widest
// instruction set first; "generic", the portable Go code, is always last.
// The one in use is the fastest by measurement, see [Selection].
func Kernels() []string { return registry.Names() }

// SetKernel selects the kernel set by name (one of [Kernels]) for all later
// calls, and returns an error if this CPU cannot run it. It is meant for
// tests and benchmarks (users set NN_GEMM_KERNEL instead); do not call it
// while a kernel is running.
func SetKernel(name string) error {
	ensureSelected()
	if chosen == "" {
		chosen, chosenWhy = registry.Name(), selection
	}
	if err := registry.Set(name); err != nil {
		return err
	}
	selection = "set by SetKernel"
	if name == chosen {
		selection = chosenWhy
	}
	return nil
}

// chosen and chosenWhy remember the selection made at first use while
// SetKernel overrides it.
var chosen, chosenWhy string
