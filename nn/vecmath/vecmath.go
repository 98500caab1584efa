// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

// Every function below takes slices of equal length and panics otherwise.
// dst (dx) may be the same slice as an input (in place), but must not
// overlap it partially. The functions do not allocate and do not start
// goroutines: callers split long slices themselves (package nn uses
// nn.ParallelFor). Accuracy bounds are measured against float64 references
// over dense grids in accuracy_test.go; ε is 2⁻²³, the float32 spacing at 1.

// Exp sets dst[i] = eˣ for x = x[i] within 1.5 ulps (0.99 measured),
// subnormal results included. The result is 0 where eˣ rounds to 0 (below
// about −103.97) and +Inf where it overflows (above about 88.72); NaN stays
// NaN. It suits softmax rows.
func Exp(dst, x []float32) {
	check("Exp", len(dst), len(x))
	kernels().exp(dst, x)
}

// Tanh sets dst[i] = tanh(x[i]) with a relative error below 3ε (2.3ε
// measured), |dst[i]| ≤ 1, tanh(±Inf) = ±1, and x itself for |x| < 0.0004
// (so ±0 and subnormals are kept). The approximation is Eigen's rational
// generic_fast_tanh_float.
func Tanh(dst, x []float32) {
	check("Tanh", len(dst), len(x))
	kernels().tanh(dst, x)
}

// GELUTanh sets dst[i] to the tanh approximation of the Gaussian error
// linear unit (Hendrycks & Gimpel 2016) at x = x[i],
//
//	0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) = x/(1 + exp(−2√(2/π)(x + 0.044715x³))),
//
// torch.nn.GELU(approximate="tanh"), evaluated in the second form, within
// 1.5ε·max(1, |y|) (1.07 measured). GELUTanh(+Inf) = +Inf and
// GELUTanh(−Inf) = NaN, as in PyTorch (∞·0).
func GELUTanh(dst, x []float32) {
	check("GELUTanh", len(dst), len(x))
	kernels().geluTanh(dst, x)
}

// GELUTanhGrad sets dx[i] = dy[i]·g′(x[i]) for g the function of
// [GELUTanh]: g′(x) = s + 2x·u′(x)·s(1 − s) with s = σ(2u), within
// 2ε·max(1, |g′|) (1.6 measured) before the product with dy. Finite x give
// finite results; ±Inf give NaN, as in PyTorch.
func GELUTanhGrad(dx, x, dy []float32) {
	check("GELUTanhGrad", len(dx), len(x))
	check("GELUTanhGrad", len(dy), len(x))
	kernels().geluTanhGrad(dx, x, dy)
}

// GELU sets dst[i] = x·Φ(x) for x = x[i], Φ the standard normal CDF: the
// exact (erf) Gaussian error linear unit 0.5·x·(1 + erf(x/√2)),
// torch.nn.GELU(). Φ(−|x|) is computed as exp(−x²/2) times an expansion of
// the scaled complementary error function, so the result is accurate in
// relative terms on both sides: within 1.5ε·max(1, |x|) (0.82 measured) and
// within 6 ulps (5.04 measured) wherever |GELU(x)| ≥ 1e−36, the negative
// tail included. GELU(+Inf) = +Inf and GELU(−Inf) = NaN, as in PyTorch.
func GELU(dst, x []float32) {
	check("GELU", len(dst), len(x))
	kernels().gelu(dst, x)
}

// GELUGrad sets dx[i] = dy[i]·(Φ(x) + x·φ(x)) for x = x[i], the derivative
// of [GELU] (φ the standard normal density, from the same exponential as
// Φ), within 2ε·max(1, |g′|) (1.26 measured) before the product with dy.
// ±Inf give NaN, as in PyTorch.
func GELUGrad(dx, x, dy []float32) {
	check("GELUGrad", len(dx), len(x))
	check("GELUGrad", len(dy), len(x))
	kernels().geluGrad(dx, x, dy)
}

func check(fn string, n, want int) {
	if n != want {
		panic("vecmath: " + fn + ": slice lengths differ")
	}
}
