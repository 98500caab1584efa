// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import "math"

// float64 references, written to be accurate in float64 where the float32
// results are (no cancellation in the tails).

const sqrt2OverPi = 0.79788456080286535588

// sigmoid2u returns s = σ(2u) and 1 − s for u = √(2/π)(x + 0.044715x³),
// both without cancellation.
func sigmoid2u(x float64) (s, oneMinusS float64) {
	u2 := 2 * sqrt2OverPi * (x + 0.044715*x*x*x)
	if u2 >= 0 {
		e := math.Exp(-u2)
		return 1 / (1 + e), e / (1 + e)
	}
	e := math.Exp(u2)
	return e / (1 + e), 1 / (1 + e)
}

func refGELUTanh(x float64) float64 {
	if math.IsInf(x, -1) {
		return math.NaN()
	}
	s, _ := sigmoid2u(x)
	return x * s
}

func refGELUTanhDeriv(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	s, t := sigmoid2u(x)
	if s == 0 || t == 0 {
		return s // 0 or 1: the second term underflows
	}
	return s + x*2*sqrt2OverPi*(1+3*0.044715*x*x)*s*t
}

func refGELU(x float64) float64 {
	if math.IsInf(x, -1) {
		return math.NaN()
	}
	return 0.5 * x * math.Erfc(-x/math.Sqrt2)
}

func refGELUDeriv(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	return 0.5*math.Erfc(-x/math.Sqrt2) + x*math.Exp(-0.5*x*x)/math.Sqrt(2*math.Pi)
}
