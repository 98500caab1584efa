// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCalibrate checks that the timed probe returns one of the candidates
// with a rate for each, and that its product is right.
func TestCalibrate(t *testing.T) {
	names := asmKernelNames()
	if len(names) == 0 {
		t.Skip("no assembly kernel on this CPU")
	}
	name, rates, detail := calibrate(names)
	require.Contains(t, names, name)
	for _, n := range names {
		require.Contains(t, detail, n+" ")
		require.Greater(t, rates[n], 0.0, n)
		require.LessOrEqual(t, rates[n], rates[name]*(1+calibrationMargin)+1e-9, "%s is faster than the pick %s", n, name)
	}
	require.Contains(t, detail, "GFLOP/s")

	const n = 37
	rng := rand.New(rand.NewPCG(3, 4))
	a := fillRand(rng, make([]float32, n*n))
	b := fillRand(rng, make([]float32, n*n))
	for _, kn := range names {
		c := make([]float32, n*n)
		serialGemm(&eng32, &kernelByName(kn).s, n, n, n, a, b, c)
		for i := range n {
			for j := range n {
				var s float64
				for p := range n {
					s += float64(a[i*n+p]) * float64(b[p*n+j])
				}
				require.InDelta(t, s, float64(c[i*n+j]), 1e-4*(1+math.Abs(s)), "%s C[%d][%d]", kn, i, j)
			}
		}
	}
}

// TestSelection checks the report of the kernel in use and that SetKernel
// overrides it and restores its reason.
func TestSelection(t *testing.T) {
	def := Kernel()
	sel := Selection()
	require.True(t, strings.HasPrefix(sel, def+" ("), sel)
	t.Cleanup(func() { require.NoError(t, SetKernel(def)) })
	require.NoError(t, SetKernel("generic"))
	if def != "generic" {
		require.True(t, strings.HasPrefix(Selection(), "generic (set by SetKernel; products from 2^"), Selection())
	}
	require.NoError(t, SetKernel(def))
	require.Equal(t, sel, Selection())
}

// TestCacheKey checks that the calibration cache is keyed by CPU and
// candidates.
func TestCacheKey(t *testing.T) {
	k := cacheKey([]string{"avx512", "avx2"})
	require.True(t, strings.HasPrefix(k, fmt.Sprintf("v%d|", calibrationFormat)), k)
	require.True(t, strings.HasSuffix(k, "|avx512,avx2"), k)
	require.NotEqual(t, k, cacheKey([]string{"avx2"}))
}

// TestKernelsRoundAlike checks that the calibration cannot change results:
// every assembly kernel accumulates each element of C over k in the same
// order with fused multiply-adds (the same KC), so serial products agree to
// the bit whichever kernel is chosen.
func TestKernelsRoundAlike(t *testing.T) {
	names := asmKernelNames()
	if len(names) < 2 {
		t.Skip("fewer than two assembly kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][3]int{{37, 41, 300}, {200, 96, 512}, {15, 33, 7}} {
		m, n, k := sh[0], sh[1], sh[2]
		a := fillRand(rng, make([]float32, m*k))
		b := fillRand(rng, make([]float32, k*n))
		ref := make([]float32, m*n)
		serialGemm(&eng32, &kernelByName(names[0]).s, m, n, k, a, b, ref)
		for _, kn := range names[1:] {
			c := make([]float32, m*n)
			serialGemm(&eng32, &kernelByName(kn).s, m, n, k, a, b, c)
			require.Equal(t, ref, c, "%v: %s vs %s", sh, kn, names[0])
		}
	}
}

// TestParallelThreshold checks the size from which products are split: the
// work of parallelMinSeconds on one core, rounded to a power of two, never
// below the fallback; and that Selection reports it.
func TestParallelThreshold(t *testing.T) {
	for _, c := range []struct {
		gflops float64
		want   int64
	}{
		{0, fallbackParallelMinMACs},
		{math.NaN(), fallbackParallelMinMACs},
		{5, fallbackParallelMinMACs}, // 0.5 M multiply-adds in 200 µs
		{35, 1 << 22},                // Zen 1 AVX2: 3.5 M
		{60, 1 << 23},                // 6 M: log2 = 22.5 rounds up
		{175, 1 << 24},               // Zen 5 AVX-512: 17.5 M
		{400, 1 << 25},               // 40 M
	} {
		require.Equal(t, c.want, parallelThreshold(c.gflops), "%v GFLOP/s", c.gflops)
	}
	require.Contains(t, Selection(), fmt.Sprintf("products from 2^%d multiply-adds split over workers", bits.Len64(uint64(parallelMinMACs.Load()))-1))
}

// withParallelFrom lowers the split threshold for a test that must exercise
// the worker pool on small products, restoring it afterwards.
func withParallelFrom(t *testing.T, macs int64) {
	ensureSelected()
	old := parallelMinMACs.Swap(macs)
	t.Cleanup(func() { parallelMinMACs.Store(old) })
}
