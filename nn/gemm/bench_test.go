// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// benchShape is one product C (m×n) = op(A)·op(B) with inner dimension k.
type benchShape struct {
	name    string
	tA, tB  blas.Transpose
	m, n, k int
}

// benchShapes are the products the two JEPAs spend their time in, each with
// the transposed forms of its backward pass: for a forward Y = X·W with X
// (M×K) and W (K×N), the weight gradient is Xᵀ·dY (K×N, inner dimension M,
// "TN") and the input gradient is dY·Wᵀ (M×K, inner dimension N, "NT").
var benchShapes = func() []benchShape {
	var s []benchShape
	add := func(name string, m, k, n int, backward bool) {
		s = append(s, benchShape{name: fmt.Sprintf("%s/NN_%dx%dx%d", name, m, n, k), tA: blas.NoTrans, tB: blas.NoTrans, m: m, n: n, k: k})
		if backward {
			s = append(s,
				benchShape{name: fmt.Sprintf("%s/TN_%dx%dx%d", name, k, n, m), tA: blas.Trans, tB: blas.NoTrans, m: k, n: n, k: m},
				benchShape{name: fmt.Sprintf("%s/NT_%dx%dx%d", name, m, k, n), tA: blas.NoTrans, tB: blas.Trans, m: m, n: k, k: n})
		}
	}
	add("Square1024", 1024, 1024, 1024, false)
	add("GINE512", 7500, 512, 512, true)
	add("PointNet3x128", 65536, 3, 128, true)
	add("PointNet128x256", 65536, 128, 256, true)
	add("PointNet512x512", 65536, 512, 512, true)
	add("PointNet512x384", 65536, 512, 384, true)
	add("MLP384x1536", 4096, 384, 1536, true)
	add("Tiny8", 8, 8, 8, false)
	add("Attn16x32", 16, 32, 16, true)
	add("Small64", 64, 64, 64, false)
	add("Small96", 96, 96, 96, false)
	add("Small128", 128, 128, 128, false)
	add("Small192", 192, 192, 192, false)
	add("Tfm512x128x128", 512, 128, 128, true)
	add("Tfm512x128x512", 512, 128, 512, true)
	return s
}()

type benchImpl struct {
	name string
	s    gemmFunc[float32]
	d    gemmFunc[float64]
}

// benchImpls are compared in the same run; bench_openblas_test.go adds
// OpenBLAS under -tags openblas. Set GEMM_BENCH_IMPLS to a comma-separated
// subset (for example "gemm,openblas") to skip the others.
var benchImpls = []benchImpl{
	{name: "gemm", s: Implementation{}.Sgemm, d: Implementation{}.Dgemm},
	{name: "gonum", s: gonum.Implementation{}.Sgemm, d: gonum.Implementation{}.Dgemm},
}

// GEMM_BLOCKS="kc,mc,nc" overrides the cache blocking of the default
// float32 kernel, for tuning: go test -bench Sgemm with several settings.
func init() {
	v := os.Getenv("GEMM_BLOCKS")
	if v == "" {
		return
	}
	var kc, mc, nc int
	if _, err := fmt.Sscanf(v, "%d,%d,%d", &kc, &mc, &nc); err != nil {
		panic("gemm: bad GEMM_BLOCKS: " + err.Error())
	}
	k := &available[0].s
	k.kc, k.mc, k.nc = kc, mc/k.mr*k.mr, nc/k.nr*k.nr
}

func benchSelected(name string) bool {
	sel := os.Getenv("GEMM_BENCH_IMPLS")
	if sel == "" {
		return true
	}
	for _, s := range strings.Split(sel, ",") {
		if s == name {
			return true
		}
	}
	return false
}

// BenchmarkSgemm reports GFLOP/s (2·m·n·k per product) for every shape and
// implementation; the "gemm-<kernel>" variants force the other kernels.
func BenchmarkSgemm(b *testing.B) {
	benchGemm(b, func(i benchImpl) gemmFunc[float32] { return i.s })
}

// BenchmarkDgemm is BenchmarkSgemm for float64.
func BenchmarkDgemm(b *testing.B) {
	benchGemm(b, func(i benchImpl) gemmFunc[float64] { return i.d })
}

func benchGemm[T float](b *testing.B, pick func(benchImpl) gemmFunc[T]) {
	impls := benchImpls
	def := Kernel()
	for _, k := range Kernels() {
		if k != def {
			impls = append(impls, benchImpl{name: "gemm-" + k})
		}
	}
	defer SetKernel(def)
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			ra, ca := s.m, s.k
			if s.tA == blas.Trans {
				ra, ca = ca, ra
			}
			rb, cb := s.k, s.n
			if s.tB == blas.Trans {
				rb, cb = cb, rb
			}
			rng := rand.New(rand.NewPCG(1, 1))
			a := fillRand(rng, make([]T, ra*ca))
			bb := fillRand(rng, make([]T, rb*cb))
			c := fillRand(rng, make([]T, s.m*s.n)) // touch the pages before timing
			for _, impl := range impls {
				if !benchSelected(impl.name) {
					continue
				}
				f := pick(impl)
				kernel := def
				if name, ok := strings.CutPrefix(impl.name, "gemm-"); ok {
					f, kernel = pick(benchImpls[0]), name
				}
				b.Run(impl.name, func(b *testing.B) {
					if err := SetKernel(kernel); err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					for b.Loop() {
						f(s.tA, s.tB, s.m, s.n, s.k, 1, a, ca, bb, cb, 0, c, s.n)
					}
					b.ReportMetric(2*float64(s.m)*float64(s.n)*float64(s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		})
	}
}
