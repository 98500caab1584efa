// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"math"
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
	name, detail := calibrate(names)
	require.Contains(t, names, name)
	for _, n := range names {
		require.Contains(t, detail, n+" ")
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
		require.Equal(t, "generic (set by SetKernel)", Selection())
	}
	require.NoError(t, SetKernel(def))
	require.Equal(t, sel, Selection())
}

// TestCacheKey checks that the calibration cache is keyed by CPU and
// candidates.
func TestCacheKey(t *testing.T) {
	k := cacheKey([]string{"avx512", "avx2"})
	require.True(t, strings.HasPrefix(k, "v1|"), k)
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
