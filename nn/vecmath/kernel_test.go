// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// genericSlack scales a function's accuracy bound into the bound on the
// distance between an assembly kernel and the portable kernel: both evaluate
// the same operation sequence, the assembly with fused multiply-adds (one
// rounding instead of two per Horner step), so each is within the accuracy
// bound of the truth but their roundings differ. Measured (same units as the
// accuracy bounds): Exp 1 ulp, Tanh 3.5ε, GELUTanh 1.85, GELUTanhGrad 1.99,
// GELU 1, GELUGrad 1.95. A wrong coefficient or clamp shows up as a far
// larger distance.
const genericSlack = 1.5

// sameBits reports whether a and b are the same float32 or both NaN.
func sameBits(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// TestKernelsAgree compares every assembly kernel set with the portable one
// on the accuracy grid and on random bit patterns (NaNs and infinities
// included), and the assembly sets with each other: AVX-512 and AVX2 run
// the same operations on wider or narrower vectors (VSCALEFPS and the
// two-step AVX2 scaling both round once), so they must agree bit for bit.
func TestKernelsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := append(grid(1<<18), randomBits(rng, 1<<16)...)
	dy := ones(len(xs))
	generic := available[len(available)-1]
	want := make([]float32, len(xs))
	got := make([]float32, len(xs))
	first := make([]float32, len(xs))
	for _, f := range testFuncs {
		f.run(generic, want, xs, dy)
		for i, k := range available[:len(available)-1] {
			f.run(k, got, xs, dy)
			worst, at := 0.0, float32(0)
			for j, x := range xs {
				g, w := got[j], want[j]
				if g != g || w != w || math.IsInf(float64(w), 0) {
					require.True(t, sameBits(g, w), "%s/%s(%g) = %g, generic %g", f.name, k.name, x, g, w)
					continue
				}
				d := f.err(g, float64(w), float64(x))
				if d > worst {
					worst, at = d, x
				}
			}
			t.Logf("%s/%s: %.3g %s from generic at x = %g", f.name, k.name, worst, f.unit, at)
			require.LessOrEqual(t, worst, genericSlack*f.bound, "%s/%s at x = %g", f.name, k.name, at)
			if i == 0 {
				copy(first, got)
				continue
			}
			for j, x := range xs {
				require.True(t, sameBits(got[j], first[j]), "%s: %s(%g) = %g, %s %g",
					f.name, k.name, x, got[j], available[0].name, first[j])
			}
		}
	}
}

// TestTails runs every kernel on every length 0..70 at start offsets 0..17
// (unaligned, and covering every remainder of the vector length) and checks
// that each element equals the element computed in a long call (the masked
// tail runs the same instructions as the main loop) and that nothing
// outside the slice is written.
func TestTails(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const maxLen, maxOff = 70, 17
	x := randomBits(rng, maxLen+maxOff)
	dy := make([]float32, len(x))
	for i := range dy {
		dy[i] = float32(rng.NormFloat64())
	}
	full := make([]float32, len(x))
	buf := make([]float32, len(x)+2)
	const guard = float32(-12345.5)
	for _, f := range testFuncs {
		for _, k := range available {
			f.run(k, full, x, dy)
			for off := 0; off <= maxOff; off++ {
				for n := 0; n+off <= len(x) && n <= maxLen; n++ {
					for i := range buf {
						buf[i] = guard
					}
					dst := buf[1+off : 1+off+n]
					f.run(k, dst, x[off:off+n], dy[off:off+n])
					for i := range buf {
						j := i - 1
						if j < off || j >= off+n {
							require.Equal(t, guard, buf[i], "%s/%s n=%d off=%d: wrote outside at %d", f.name, k.name, n, off, j)
							continue
						}
						require.True(t, sameBits(full[j], buf[i]), "%s/%s n=%d off=%d i=%d: %g, want %g", f.name, k.name, n, off, j-off, buf[i], full[j])
					}
				}
			}
		}
	}
}

// TestInPlace checks that dst may be the input slice (x, or dy for the
// gradients).
func TestInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := randomBits(rng, 67)
	dy := randomBits(rng, 67)
	want := make([]float32, len(x))
	for _, f := range testFuncs {
		for _, k := range available {
			f.run(k, want, x, dy)
			in := append([]float32(nil), x...)
			f.run(k, in, in, dy)
			for i := range in {
				require.True(t, sameBits(want[i], in[i]), "%s/%s dst=x at %d", f.name, k.name, i)
			}
			if f.grad {
				in = append([]float32(nil), dy...)
				f.run(k, in, x, in)
				for i := range in {
					require.True(t, sameBits(want[i], in[i]), "%s/%s dx=dy at %d", f.name, k.name, i)
				}
			}
		}
	}
}

func TestLengthMismatchPanics(t *testing.T) {
	a, b := make([]float32, 3), make([]float32, 4)
	require.PanicsWithValue(t, "vecmath: Exp: slice lengths differ", func() { Exp(a, b) })
	require.Panics(t, func() { Tanh(b, a) })
	require.Panics(t, func() { GELUTanh(a, b) })
	require.Panics(t, func() { GELU(a, b) })
	require.Panics(t, func() { GELUTanhGrad(a, a, b) })
	require.Panics(t, func() { GELUTanhGrad(b, a, a) })
	require.Panics(t, func() { GELUGrad(a, b, b) })
	require.NotPanics(t, func() {
		Exp(nil, nil)
		GELUGrad(nil, nil, nil)
	})
}

func TestKernelSelection(t *testing.T) {
	names := Kernels()
	require.Equal(t, "generic", names[len(names)-1])
	require.Equal(t, names[0], Kernel())
	require.Error(t, SetKernel("sse9"))
	defer SetKernel(Kernel())
	for _, name := range names {
		require.NoError(t, SetKernel(name))
		require.Equal(t, name, Kernel())
		y := make([]float32, 1)
		GELU(y, []float32{1})
		require.InDelta(t, 0.8413447460685429, y[0], 2e-7, name) // Φ(1)
	}
}
