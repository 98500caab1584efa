package nn

import "math"

// Fast float32 elementwise functions for the activation kernels. They are
// rational or polynomial approximations accurate to a few float32 ulps (see
// fastmath_test.go for the measured bounds), several times faster than
// converting to float64 and calling package math. Float64 graphs (gradient
// checks) use package math.

// tanh32 is tanh for float32: the [13/6] rational approximation Eigen uses
// (generic_fast_tanh_float), clamped to ±7.90531110763549805, beyond which
// tanh rounds to ±1 in float32.
func tanh32(x float32) float32 {
	const clamp = 7.90531110763549805
	if x > clamp {
		x = clamp
	} else if x < -clamp {
		x = -clamp
	}
	if x < 0.0004 && x > -0.0004 {
		return x
	}
	const (
		a1  = 4.89352455891786e-03
		a3  = 6.37261928875436e-04
		a5  = 1.48572235717979e-05
		a7  = 5.12229709037114e-08
		a9  = -8.60467152213735e-11
		a11 = 2.00018790482477e-13
		a13 = -2.76076847742355e-16
		b0  = 4.89352518554385e-03
		b2  = 2.26843463243900e-03
		b4  = 1.18534705686654e-04
		b6  = 1.19825839466702e-06
	)
	x2 := x * x
	p := float32(a13)
	p = p*x2 + a11
	p = p*x2 + a9
	p = p*x2 + a7
	p = p*x2 + a5
	p = p*x2 + a3
	p = p*x2 + a1
	p *= x
	q := float32(b6)
	q = q*x2 + b4
	q = q*x2 + b2
	q = q*x2 + b0
	return p / q
}

// erf32 is erf for float32: the [13/8] rational approximation Eigen uses
// (generic_fast_erf_float), clamped to ±4 where erf rounds to ±1.
func erf32(x float32) float32 {
	if x > 4 {
		x = 4
	} else if x < -4 {
		x = -4
	}
	const (
		a1  = -1.60960333262415e-02
		a3  = -2.95459980854025e-03
		a5  = -7.34990630326855e-04
		a7  = -5.69250639462346e-05
		a9  = -2.10102402082508e-06
		a11 = 2.77068142495902e-08
		a13 = -2.72614225801306e-10
		b0  = -1.42647390514189e-02
		b2  = -7.37332916720468e-03
		b4  = -1.68282697438203e-03
		b6  = -2.13374055278905e-04
		b8  = -1.45660718464996e-05
	)
	x2 := x * x
	p := float32(a13)
	p = p*x2 + a11
	p = p*x2 + a9
	p = p*x2 + a7
	p = p*x2 + a5
	p = p*x2 + a3
	p = p*x2 + a1
	p *= x
	q := float32(b8)
	q = q*x2 + b6
	q = q*x2 + b4
	q = q*x2 + b2
	q = q*x2 + b0
	return p / q
}

// exp32 is exp for float32: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6
// polynomial for e^r, and 2^n put into the exponent bits. Inputs below −87
// give 0 and above 88 give +Inf, as float32 exp.
func exp32(x float32) float32 {
	if x > 88.72283 {
		return float32(math.Inf(1))
	}
	if x < -87.33654 {
		return 0
	}
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	n := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - n*ln2hi - n*ln2lo
	// e^r on [−ln2/2, ln2/2] (Cephes expf coefficients).
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}
