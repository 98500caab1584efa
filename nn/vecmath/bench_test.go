// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkKernels measures every function with every kernel set this CPU
// runs ("generic" is the portable scalar Go path) on 1M elements, normally
// distributed as activations are, and reports ns per element:
//
//	go test -run '^$' -bench Kernels ./nn/vecmath
func BenchmarkKernels(b *testing.B) {
	benchKernels(b, 1<<20)
}

// BenchmarkKernelsL1 is BenchmarkKernels on 4096 elements, which stay in
// the L1 cache: the arithmetic alone, without memory traffic.
func BenchmarkKernelsL1(b *testing.B) {
	benchKernels(b, 4096)
}

func benchKernels(b *testing.B, n int) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n)
	dy := make([]float32, n)
	dst := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 2)
		dy[i] = float32(rng.NormFloat64())
	}
	funcs := []struct {
		name string
		run  func()
	}{
		{"Exp", func() { Exp(dst, x) }},
		{"Tanh", func() { Tanh(dst, x) }},
		{"GELUTanh", func() { GELUTanh(dst, x) }},
		{"GELUTanhGrad", func() { GELUTanhGrad(dst, x, dy) }},
		{"GELU", func() { GELU(dst, x) }},
		{"GELUGrad", func() { GELUGrad(dst, x, dy) }},
	}
	def := Kernel()
	defer SetKernel(def)
	for _, f := range funcs {
		for _, k := range Kernels() {
			b.Run(f.name+"/"+k, func(b *testing.B) {
				if err := SetKernel(k); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(4 * n))
				for b.Loop() {
					f.run()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
		}
	}
}
