// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMicroKernel measures one core's micro-kernel alone on packed data
// that stays in cache (an MC×KC block of A against one KC×NR sliver of B),
// the ceiling for the whole GEMM.
func BenchmarkMicroKernel(b *testing.B) {
	for _, name := range Kernels() {
		ks := kernelByName(name)
		b.Run(name+"/float32", func(b *testing.B) { benchMicro(b, &ks.s) })
		b.Run(name+"/float64", func(b *testing.B) { benchMicro(b, &ks.d) })
	}
}

func benchMicro[T float](b *testing.B, k *blockKernel[T]) {
	rng := rand.New(rand.NewPCG(1, 1))
	kc, strips := k.kc, k.mc/k.mr
	a := fillRand(rng, make([]T, strips*k.mr*kc))
	bp := fillRand(rng, make([]T, kc*k.nr))
	c := make([]T, k.mc*k.nr)
	for b.Loop() {
		for s := range strips {
			k.fn(kc, &a[s*k.mr*kc], &bp[0], &c[s*k.mr*k.nr], k.nr, 1, 1)
		}
	}
	flops := 2 * float64(strips*k.mr*k.nr*kc) * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
