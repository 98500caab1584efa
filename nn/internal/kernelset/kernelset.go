// Package kernelset selects among named kernel sets (one per instruction
// set: "avx512", "avx2", "generic"), the run-time dispatch that nn/gemm and
// nn/vecmath share.
package kernelset

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// Registry holds the kernel sets a CPU can run, fastest first, and the one
// in use (the fastest unless Set chose another).
type Registry[K any] struct {
	pkg   string
	sets  []*K
	names []string
	cur   atomic.Int32
}

// New returns a registry over sets (fastest first, non-empty) named by name;
// pkg prefixes error messages.
func New[K any](pkg string, sets []*K, name func(*K) string) *Registry[K] {
	if len(sets) == 0 {
		panic(pkg + ": no kernel set")
	}
	r := &Registry[K]{pkg: pkg, sets: sets, names: make([]string, len(sets))}
	for i, k := range sets {
		r.names[i] = name(k)
	}
	return r
}

// Current returns the kernel set in use.
func (r *Registry[K]) Current() *K { return r.sets[r.cur.Load()] }

// Name returns the name of the kernel set in use.
func (r *Registry[K]) Name() string { return r.names[r.cur.Load()] }

// Names returns the names of all sets, fastest (the default) first.
func (r *Registry[K]) Names() []string { return append([]string(nil), r.names...) }

// Set selects a kernel set by name for all later calls, or returns an error
// naming the available ones. Not safe while a kernel is running.
func (r *Registry[K]) Set(name string) error {
	for i, n := range r.names {
		if n == name {
			r.cur.Store(int32(i))
			return nil
		}
	}
	return fmt.Errorf("%s: kernel %q not available on this CPU (have %s)", r.pkg, name, strings.Join(r.names, ", "))
}
