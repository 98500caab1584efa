// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"math"
	"math/rand/v2"
)

// eps is the float32 spacing at 1, 2⁻²³.
const eps = 0x1p-23

// testFunc describes one function of the package for the tests: how to run
// it on a kernel set, its float64 reference and its accuracy measure.
type testFunc struct {
	name string
	// run evaluates the function with kernel set k (dy is ignored by the
	// functions that are not gradients).
	run func(k *kernelSet, dst, x, dy []float32)
	// ref is the float64 value at x (with dy = 1).
	ref func(x float64) float64
	// err returns the error of got against want at x in the function's unit
	// (see the bounds in accuracy_test.go).
	err func(got float32, want, x float64) float64
	// bound is the largest err accepted, unit is its description.
	bound float64
	unit  string
	grad  bool
}

// ulps is the error in units in the last place of want as a float32
// (2⁻¹⁴⁹ for subnormal values).
func ulps(got float32, want, _ float64) float64 {
	return math.Abs(float64(got)-want) / ulp32(want)
}

func ulp32(v float64) float64 {
	f := math.Abs(float64(float32(v)))
	if f < 0x1p-126 {
		return 0x1p-149
	}
	_, e := math.Frexp(f) // f = m·2^e, m ∈ [1/2, 1)
	return math.Ldexp(1, e-24)
}

// relEps is the relative error in units of ε.
func relEps(got float32, want, _ float64) float64 {
	d := math.Abs(float64(got) - want)
	if d == 0 {
		return 0
	}
	return d / math.Abs(want) / eps
}

// epsMaxY is the error in units of ε·max(1, |want|): relative for values
// above 1, absolute below, where these O(1) quantities are added to others.
func epsMaxY(got float32, want, _ float64) float64 {
	return math.Abs(float64(got)-want) / math.Max(1, math.Abs(want)) / eps
}

// epsMaxX is the error in units of ε·max(1, |x|): for x·Φ(x), the error of
// Φ (an O(1) quantity) scaled by |x|.
func epsMaxX(got float32, want, x float64) float64 {
	return math.Abs(float64(got)-want) / math.Max(1, math.Abs(x)) / eps
}

var testFuncs = []testFunc{
	{name: "Exp", run: func(k *kernelSet, d, x, _ []float32) { k.exp(d, x) }, ref: math.Exp,
		err: ulps, bound: 1.5, unit: "ulp"},
	{name: "Tanh", run: func(k *kernelSet, d, x, _ []float32) { k.tanh(d, x) }, ref: math.Tanh,
		err: relEps, bound: 3, unit: "ε relative"},
	{name: "GELUTanh", run: func(k *kernelSet, d, x, _ []float32) { k.geluTanh(d, x) }, ref: refGELUTanh,
		err: epsMaxY, bound: 1.5, unit: "ε·max(1,|y|)"},
	{name: "GELUTanhGrad", run: func(k *kernelSet, d, x, dy []float32) { k.geluTanhGrad(d, x, dy) }, ref: refGELUTanhDeriv,
		err: epsMaxY, bound: 2, unit: "ε·max(1,|y|)", grad: true},
	{name: "GELU", run: func(k *kernelSet, d, x, _ []float32) { k.gelu(d, x) }, ref: refGELU,
		err: epsMaxX, bound: 1.5, unit: "ε·max(1,|x|)"},
	{name: "GELUGrad", run: func(k *kernelSet, d, x, dy []float32) { k.geluGrad(d, x, dy) }, ref: refGELUDeriv,
		err: epsMaxY, bound: 2, unit: "ε·max(1,|y|)", grad: true},
}

// grid returns the test arguments: a dense uniform grid on [−20, 20] (n+1
// points, past every clamp), every binade from the smallest subnormal to the
// largest float32 with 64 mantissas each, both signs, and ±0, ±Inf,
// MaxFloat32 and the smallest subnormal.
func grid(n int) []float32 {
	xs := make([]float32, 0, n+1+2*277*64+8)
	for i := 0; i <= n; i++ {
		xs = append(xs, float32(-20+40*float64(i)/float64(n)))
	}
	for e := -149; e <= 127; e++ {
		for m := 0; m < 64; m++ {
			v := float32(math.Ldexp(1+float64(m)/64, e))
			xs = append(xs, v, -v)
		}
	}
	inf := float32(math.Inf(1))
	return append(xs, 0, float32(math.Copysign(0, -1)), inf, -inf,
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32)
}

// randomBits returns n float32 values with uniformly random bit patterns
// (every exponent equally likely, NaNs and infinities included) mixed with
// normally distributed values.
func randomBits(rng *rand.Rand, n int) []float32 {
	xs := make([]float32, n)
	for i := range xs {
		if i%2 == 0 {
			xs[i] = math.Float32frombits(rng.Uint32())
		} else {
			xs[i] = float32(rng.NormFloat64() * 4)
		}
	}
	return xs
}

func ones(n int) []float32 {
	dy := make([]float32, n)
	for i := range dy {
		dy[i] = 1
	}
	return dy
}
