// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMomentKernelsAgree: every kernel set computes the batch-statistics
// family bit for bit as the portable code does, at every length around the
// vector width, on values of mixed magnitudes.
func TestMomentKernelsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	f32 := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3)))
		}
		return s
	}
	f64 := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = rng.NormFloat64() * 100
		}
		return s
	}
	generic := available[len(available)-1].moments
	for _, n := range append(seq(0, 40), 512, 1001) {
		x, dy, u, a, b, k := f32(n), f32(n), f32(n), f32(n), f32(n), f32(n)
		acc, acc2, mean := f64(n), f64(n), f64(n)
		run := func(m momentKernels) [][]float64 {
			r1, r2, r3a, r3b := slices.Clone(acc), slices.Clone(acc), slices.Clone(acc), slices.Clone(acc2)
			m.addF64(r1, x)
			m.addSqDev(r2, x, mean)
			m.addGradMoments(r3a, r3b, dy, x, mean)
			y, z := make([]float32, n), make([]float32, n)
			m.scaleShift(y, x, a, b)
			m.affine2(z, u, x, a, b, k)
			out := [][]float64{r1, r2, r3a, r3b, make([]float64, n), make([]float64, n)}
			for i := range n {
				out[4][i], out[5][i] = float64(y[i]), float64(z[i])
			}
			return out
		}
		want := run(generic)
		for _, ks := range available[:len(available)-1] {
			got := run(ks.moments)
			for o, names := range []string{"AddFloat64", "AddSquaredDeviations", "AddGradientMoments sdy", "AddGradientMoments sdyx", "ScaleShift", "Affine2"} {
				for i := range n {
					require.Equalf(t, math.Float64bits(want[o][i]), math.Float64bits(got[o][i]), "%s/%s n=%d [%d]: %g, generic %g", names, ks.name, n, i, got[o][i], want[o][i])
				}
			}
		}
	}
}

// TestMomentValues checks the definitions on small exact values with the
// kernel set in use.
func TestMomentValues(t *testing.T) {
	for _, name := range Kernels() {
		require.NoError(t, SetKernel(name))
		n := 11
		x, dy, one := make([]float32, n), make([]float32, n), make([]float32, n)
		mean, acc, acc2 := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			x[i], dy[i], one[i], mean[i] = float32(i), 2, 1, 1
		}
		AddFloat64(acc, x)
		require.Equal(t, 10.0, acc[10], name)
		clear(acc)
		AddSquaredDeviations(acc, x, mean)
		require.Equal(t, 81.0, acc[10], name)
		clear(acc)
		AddGradientMoments(acc, acc2, dy, x, mean)
		require.Equal(t, 2.0, acc[10], name)
		require.Equal(t, 18.0, acc2[10], name)
		y := make([]float32, n)
		ScaleShift(y, x, dy, one)
		require.Equal(t, float32(21), y[10], name)
		Affine2(y, x, x, dy, one, one)
		require.Equal(t, float32(31), y[10], name) // 2·10 + 1·10 + 1
		require.Panics(t, func() { ScaleShift(y[:3], x, dy, one) })
	}
	require.NoError(t, SetKernel(Kernels()[0]))
}
