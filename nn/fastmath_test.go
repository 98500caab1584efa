package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// maxErr32 scans [lo, hi] in n steps and returns the largest absolute error
// of f against the float64 reference g, relative to max(1, |g|).
func maxErr32(f func(float32) float32, g func(float64) float64, lo, hi float64, n int) (float64, float64) {
	var worst, at float64
	for i := 0; i <= n; i++ {
		x := float32(lo + (hi-lo)*float64(i)/float64(n))
		want := g(float64(x))
		e := math.Abs(float64(f(x))-want) / math.Max(1, math.Abs(want))
		if e > worst {
			worst, at = e, float64(x)
		}
	}
	return worst, at
}

func TestFastMathAccuracy(t *testing.T) {
	// float32 has a relative precision of 6e-8; the bounds below are a few
	// ulps.
	e, at := maxErr32(tanh32, math.Tanh, -12, 12, 400000)
	require.Less(t, e, 5e-7, "tanh32 at %g", at)
	e, at = maxErr32(erf32, math.Erf, -6, 6, 400000)
	require.Less(t, e, 5e-7, "erf32 at %g", at)
	relExp := func(x float32) float32 { return exp32(x) / float32(math.Exp(float64(x))) }
	e, at = maxErr32(relExp, func(float64) float64 { return 1 }, -87, 88, 400000)
	require.Less(t, e, 3e-7, "exp32 relative error at %g", at)
	require.Equal(t, float32(0), exp32(-100))
	require.True(t, math.IsInf(float64(exp32(100)), 1))
	require.Equal(t, float32(1), tanh32(20))
	require.Equal(t, float32(-1), erf32(-20))
}

func BenchmarkTanh32(b *testing.B) {
	x := make([]float32, 4096)
	y := make([]float32, len(x))
	for i := range x {
		x[i] = float32(i-2048) / 512
	}
	b.Run("fast", func(b *testing.B) {
		for range b.N {
			for i, v := range x {
				y[i] = tanh32(v)
			}
		}
	})
	b.Run("math", func(b *testing.B) {
		for range b.N {
			for i, v := range x {
				y[i] = float32(math.Tanh(float64(v)))
			}
		}
	})
}
