// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import "math"

// The portable kernels evaluate, element by element in float32, the same
// operation sequences as the assembly kernels (see the kernel bodies in
// asmgen.go), with a separate multiply and add where the assembly fuses them;
// results agree with the assembly to within a few ulps (kernel_test.go).
// Go's built-in min and max return NaN when an argument is NaN, as the
// clamps of the assembly do.

func genericKernels() *kernelSet {
	return &kernelSet{
		name:         "generic",
		exp:          expGeneric,
		tanh:         tanhGeneric,
		geluTanh:     geluTanhGeneric,
		geluTanhGrad: geluTanhGradGeneric,
		gelu:         geluGeneric,
		geluGrad:     geluGradGeneric,
		relu:         reluGeneric,
		moments:      momentsGeneric,
	}
}

func expGeneric(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = exp32(v)
	}
}

func tanhGeneric(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = tanh32(v)
	}
}

func geluTanhGeneric(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = geluTanh32(v)
	}
}

func geluTanhGradGeneric(dx, x, dy []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		dx[i] = geluTanhDeriv32(v) * dy[i]
	}
}

func geluGeneric(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = gelu32(v)
	}
}

func geluGradGeneric(dx, x, dy []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		dx[i] = geluDeriv32(v) * dy[i]
	}
}

const roundMagic = 0x1.8p23

// exp32 is e^x: n = round(x·log2 e), r = x − n·ln 2 in two steps (Cephes'
// split of ln 2), e^r = 1 + r + r²·P(r) (Cephes expf), and the result
// p·2^n scaled in two exact steps so that subnormal results round once.
// x is clamped to [expLo, expHi] first, which gives 0 and +Inf at the ends.
func exp32(x float32) float32 {
	r := min(max(x, expLo), expHi)
	// Adding and subtracting 1.5·2²³ rounds to an integer, to nearest even
	// as VRNDSCALEPS/VROUNDPS do (|x·log2 e| < 2²²); the conversion keeps
	// the product from being fused into the addition.
	n := (float32(r*expLog2e) + roundMagic) - roundMagic
	r -= n * expC1
	r -= n * expC2
	p := expP5
	p = p*r + expP4
	p = p*r + expP3
	p = p*r + expP2
	p = p*r + expP1
	p = p*r + expP0
	p = p*(r*r) + r
	p += one
	// n is NaN only when p is; the conversion's result does not matter then.
	ni := int32(n)
	n1 := ni >> 1
	n2 := ni - n1
	return p * math.Float32frombits(uint32(n1+expBias)<<23) * math.Float32frombits(uint32(n2+expBias)<<23)
}

// tanh32 is tanh: x itself for |x| < tanhTiny, else Eigen's [13/6]
// rational on x clamped to ±tanhMax, the result clamped to ±1 (the rational
// exceeds 1 by 2 ulps near 8).
func tanh32(x float32) float32 {
	if x > -tanhTiny && x < tanhTiny {
		return x
	}
	t := min(max(x, tanhMin), tanhMax)
	s := t * t
	p := tanhP6
	p = p*s + tanhP5
	p = p*s + tanhP4
	p = p*s + tanhP3
	p = p*s + tanhP2
	p = p*s + tanhP1
	p = p*s + tanhP0
	p *= t
	q := tanhQ3
	q = q*s + tanhQ2
	q = q*s + tanhQ1
	q = q*s + tanhQ0
	return min(max(p/q, minusOne), one)
}

// phiTail32 returns Q = Φ(−a) and e = exp(−a²/2) for a = min(|x|, phiMax):
// a² = hi + lo exactly, e = exp(−hi/2)·(1 − lo/2), and Q = e·G(t)/(1 + √2a)
// with t = (a − phiK)/(a + phiK), the expansion of erfcx in asmgen.go.
func phiTail32(x float32) (q, e float32) {
	a := min(math.Float32frombits(math.Float32bits(x)&uint32(absMask)), phiMax)
	m := a * minusHalf
	h := a * m                                       // −hi/2
	l := float32(float64(a)*float64(m) - float64(h)) // −lo/2, exact
	e = exp32(h)
	e = e*l + e
	u := a + phiK
	w := a*sqrt2 + one
	r := one / (u * w)
	sigma := a * (w * r) // a/u
	t := (sigma + sigma) - one
	p := phiG10
	p = p*t + phiG9
	p = p*t + phiG8
	p = p*t + phiG7
	p = p*t + phiG6
	p = p*t + phiG5
	p = p*t + phiG4
	p = p*t + phiG3
	p = p*t + phiG2
	p = p*t + phiG1
	p = p*t + phiG0
	return p * (u * r) * e, e
}

// geluTanh32 is x·σ(2u) = x/(1 + e^(−2u)), u = √(2/π)(x + κx³), which is
// 0.5·x·(1 + tanh u).
func geluTanh32(x float32) float32 {
	v := x * (gtV1*(x*x) + gtV0)
	return x / (exp32(v) + one)
}

// geluTanhDeriv32 is s + x·2u′·s(1 − s) with s = σ(2u) and 1 − s = e·s,
// e = e^(−2u); see the geluTanhGrad body in asmgen.go for the guards.
func geluTanhDeriv32(x float32) float32 {
	x2 := min(x*x, gtX2Max)
	v := x * (gtV1*x2 + gtV0)
	e := exp32(v)
	s := one / (e + one)
	c := e * s
	if !(c < one) { // NaN (e = +Inf, s = 0) or rounding above 1
		c = one
	}
	c *= s
	w := gtW1*x2 + gtW0
	return x*(w*c) + s
}

// gelu32 is x·Φ(x), Φ = Q for x < 0 and 1 − Q otherwise, Q = Φ(−|x|).
func gelu32(x float32) float32 {
	q, _ := phiTail32(x)
	phi := one - q
	if x < 0 {
		phi = q
	}
	return x * phi
}

// geluDeriv32 is Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π).
func geluDeriv32(x float32) float32 {
	q, e := phiTail32(x)
	phi := one - q
	if x < 0 {
		phi = q
	}
	return x*e*invSqrt2Pi + phi
}
