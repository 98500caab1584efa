// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAccuracy checks every function of every kernel set this CPU runs
// against its float64 reference (ref_test.go) on the grid of grid(): a dense
// grid over [−20, 20] and every binade of float32, both signs, subnormals,
// ±0, ±Inf and ±MaxFloat32. The bounds (testFuncs) are a little above the
// worst errors measured, which are (avx512 and avx2 alike / generic):
//
//   - Exp, 0.99 / 0.97 ulp: Cephes' polynomial is accurate to about 2⁻²⁴
//     relative on |r| ≤ ln2/2, the final 1 + r + r²P adds half an ulp, and
//     the scale by 2ⁿ is exact (subnormal results: one rounding). Bound 1.5.
//   - Tanh, 2.26ε / 2.86ε relative: Eigen documents its rational to a few
//     ulps; the error peaks near |x| ≈ 7.3, where tanh is just below 1 and
//     ε relative is two ulps. Bound 3ε.
//   - GELUTanh, 1.07ε·max(1,|y|): x/(1 + e^v) adds one exp (≤ 1 ulp) and
//     one correctly rounded division; v's own rounding (≈1.5 ulp) moves
//     e^v by |v|·1.5 ulp, which matters only where x·σ is tiny. Bound 1.5.
//   - GELUTanhGrad, 1.49ε / 1.59ε·max(1,|y|): s and 1 − s = e·s are both
//     relatively accurate (no 1 − t² cancellation), x·2u′·s(1 − s) ≤ 1.2.
//     Bound 2.
//   - GELU, 0.82ε / 0.83ε·max(1,|x|): x·Φ(x), with
//     Φ(−|x|) = exp(−x²/2)·G(t)/(1 + √2|x|) (G a degree-10 polynomial,
//     0.53 ulp with float32 coefficients) and
//     Φ = 1 − Φ(−|x|) for x ≥ 0; a few roundings of relative size. Bound
//     1.5; TestGELURelative checks the negative tail in ulps.
//   - GELUGrad, 1.26ε / 1.25ε·max(1,|y|): Φ as above plus x·φ(x), φ from
//     the same exp. Bound 2.
//
// The former scalar path of package nn (0.5·x·(1 + tanh32(u)) and
// 0.5·x·(1 + erf32(x/√2)), kept in nn/fastmath_test.go) measures, on the
// same kind of grid, 6.3ε·max(1,|y|) for GELU-tanh (x ≈ −4.2) and
// 9.3ε·max(1,|y|) for GELU (x ≈ −5.6, an error larger than the value).
func TestAccuracy(t *testing.T) {
	xs := grid(1 << 20)
	dy := ones(len(xs))
	out := make([]float32, len(xs))
	for _, f := range testFuncs {
		want := make([]float64, len(xs))
		for i, x := range xs {
			want[i] = f.ref(float64(x))
		}
		for _, k := range available {
			t.Run(f.name+"/"+k.name, func(t *testing.T) {
				f.run(k, out, xs, dy)
				worst, at := 0.0, float32(0)
				for i, x := range xs {
					if e := checkValue(t, f, x, out[i], want[i]); e > worst {
						worst, at = e, x
					}
				}
				t.Logf("worst %.3g %s at x = %g", worst, f.unit, at)
				require.LessOrEqual(t, worst, f.bound, "%s(%g): error %g %s", f.name, at, worst, f.unit)
			})
		}
	}
}

// checkValue checks got = f(x) against the reference value want: NaN where
// the reference is NaN, ±Inf where it overflows float32, and otherwise
// returns the error in f's unit (NaN counts as +Inf).
func checkValue(t *testing.T, f testFunc, x, got float32, want float64) float64 {
	t.Helper()
	switch {
	case math.IsNaN(want):
		require.True(t, math.IsNaN(float64(got)), "%s(%g) = %g, want NaN", f.name, x, got)
	case math.Abs(want) > math.MaxFloat32:
		require.Equal(t, math.Inf(int(math.Copysign(1, want))), float64(got), "%s(%g) overflows", f.name, x)
	default:
		if e := f.err(got, want, float64(x)); !math.IsNaN(e) {
			return e
		}
		return math.Inf(1)
	}
	return 0
}

// TestGELURelative checks GELU in ulps of the result wherever |GELU(x)| ≥
// 1e−36, which covers the negative tail down to x ≈ −12.9: Φ(−|x|) is a
// product of relatively accurate factors (exp(−hi/2) with the exact split
// x² = hi + lo, G(t), 1/(1 + √2|x|)), about five roundings; measured 5.04
// ulps. Below 1e−36 Φ(x) itself is subnormal and loses
// relative precision progressively (its absolute error stays below 1e−44).
// Eigen's erf rational, which the former scalar path used, is off by more
// than 100 % of the value at x ≈ −5.2.
func TestGELURelative(t *testing.T) {
	xs := grid(1 << 20)
	out := make([]float32, len(xs))
	for _, k := range available {
		k.gelu(out, xs)
		worst, at := 0.0, float32(0)
		for i, x := range xs {
			r := refGELU(float64(x))
			if math.IsNaN(r) || math.IsInf(r, 0) || math.Abs(r) < 1e-36 {
				continue
			}
			if e := ulps(out[i], r, 0); e > worst {
				worst, at = e, x
			}
		}
		t.Logf("%s: worst %.3g ulps at x = %g", k.name, worst, at)
		require.LessOrEqual(t, worst, 6.0, "%s: GELU(%g)", k.name, at)
	}
}

// TestSpecialValues pins NaN propagation, infinities, signed zeros,
// subnormals and huge finite arguments for every kernel set.
func TestSpecialValues(t *testing.T) {
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	payload := math.Float32frombits(0x7fc12345)
	negNaN := math.Float32frombits(0xffc00001)
	sub := float32(math.SmallestNonzeroFloat32) * 1000
	negZero := float32(math.Copysign(0, -1))
	isNaN := func(v float32) bool { return v != v }
	type pin struct {
		x    float32
		want float32 // NaN means NaN
	}
	pins := map[string][]pin{
		"Exp": {{inf, inf}, {-inf, 0}, {0, 1}, {negZero, 1}, {sub, 1}, {-1000, 0}, {1000, inf},
			{math.MaxFloat32, inf}, {-math.MaxFloat32, 0}, {89, inf}, {-104, 0}},
		"Tanh": {{inf, 1}, {-inf, -1}, {9, 1}, {-9, -1}, {1e30, 1}, {-math.MaxFloat32, -1}, {sub, sub}, {-sub, -sub},
			{math.SmallestNonzeroFloat32, math.SmallestNonzeroFloat32}, {1e-30, 1e-30}},
		"GELUTanh": {{inf, inf}, {-inf, nan}, {1e30, 1e30}, {-1e30, 0}, {math.MaxFloat32, math.MaxFloat32},
			{-math.MaxFloat32, 0}, {-20, 0}, {0, 0}, {sub, sub / 2}},
		"GELUTanhGrad": {{inf, nan}, {-inf, nan}, {1e30, 1}, {-1e30, 0}, {math.MaxFloat32, 1}, {-math.MaxFloat32, 0},
			{20, 1}, {-20, 0}, {0, 0.5}, {sub, 0.5}},
		"GELU": {{inf, inf}, {-inf, nan}, {1e30, 1e30}, {-1e30, 0}, {math.MaxFloat32, math.MaxFloat32},
			{-math.MaxFloat32, 0}, {-20, 0}, {0, 0}, {sub, sub / 2}},
		"GELUGrad": {{inf, nan}, {-inf, nan}, {1e30, 1}, {-1e30, 0}, {math.MaxFloat32, 1}, {-math.MaxFloat32, 0},
			{20, 1}, {-20, 0}, {0, 0.5}, {sub, 0.5}, {-sub, 0.5}, {negZero, 0.5}, {1e-30, 0.5}, {-1e-30, 0.5}},
	}
	for _, f := range testFuncs {
		ps := append(pins[f.name], pin{nan, nan}, pin{payload, nan}, pin{negNaN, nan})
		x := make([]float32, len(ps))
		for i, p := range ps {
			x[i] = p.x
		}
		out := make([]float32, len(x))
		for _, k := range available {
			f.run(k, out, x, ones(len(x)))
			for i, p := range ps {
				if isNaN(p.want) {
					require.True(t, isNaN(out[i]), "%s/%s(%g) = %g, want NaN", f.name, k.name, p.x, out[i])
					continue
				}
				require.Equal(t, p.want, out[i], "%s/%s(%g)", f.name, k.name, p.x)
			}
		}
	}
	// Tanh keeps the sign of zero; the GELUs return a zero for ±0.
	for _, k := range available {
		out := make([]float32, 2)
		k.tanh(out, []float32{0, negZero})
		require.False(t, math.Signbit(float64(out[0])), k.name)
		require.True(t, math.Signbit(float64(out[1])), k.name)
	}
}
