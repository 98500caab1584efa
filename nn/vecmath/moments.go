// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

// Batch-statistics kernels: one row of a batch normalisation's passes over
// a (rows × channels) activation, called once per row. The sums run in
// float64 for accuracy, as the float32 inputs are read; every kernel set
// computes the same bits (no fused multiply-adds: each product and sum is
// rounded on its own).

// AddFloat64 sets acc[i] += float64(x[i]) (per-channel sums for a mean).
func AddFloat64(acc []float64, x []float32) {
	check("AddFloat64", len(acc), len(x))
	kernels().moments.addF64(acc, x)
}

// AddSquaredDeviations sets acc[i] += d·d with d = float64(x[i]) − mean[i]
// (per-channel sums for a variance, the second of two passes).
func AddSquaredDeviations(acc []float64, x []float32, mean []float64) {
	check("AddSquaredDeviations", len(acc), len(x))
	check("AddSquaredDeviations", len(mean), len(x))
	kernels().moments.addSqDev(acc, x, mean)
}

// AddGradientMoments sets sdy[i] += g and sdyx[i] += g·(float64(x[i]) −
// mean[i]) with g = float64(dy[i]): the two per-channel sums of a batch
// normalisation's backward pass.
func AddGradientMoments(sdy, sdyx []float64, dy, x []float32, mean []float64) {
	check("AddGradientMoments", len(sdy), len(x))
	check("AddGradientMoments", len(sdyx), len(x))
	check("AddGradientMoments", len(dy), len(x))
	check("AddGradientMoments", len(mean), len(x))
	kernels().moments.addGradMoments(sdy, sdyx, dy, x, mean)
}

// ScaleShift sets y[i] = x[i]·scale[i] + shift[i] (a normalisation folded
// into one affine map per channel).
func ScaleShift(y, x, scale, shift []float32) {
	check("ScaleShift", len(y), len(x))
	check("ScaleShift", len(scale), len(x))
	check("ScaleShift", len(shift), len(x))
	kernels().moments.scaleShift(y, x, scale, shift)
}

// Affine2 sets z[i] = a[i]·u[i] + b[i]·v[i] + k[i], summed in that order
// (a batch normalisation's input gradient, a·dy + b·x + k per channel).
func Affine2(z, u, v, a, b, k []float32) {
	check("Affine2", len(z), len(u))
	check("Affine2", len(v), len(u))
	check("Affine2", len(a), len(u))
	check("Affine2", len(b), len(u))
	check("Affine2", len(k), len(u))
	kernels().moments.affine2(z, u, v, a, b, k)
}

// momentKernels is the batch-statistics family of one kernel set.
type momentKernels struct {
	addF64         func(acc []float64, x []float32)
	addSqDev       func(acc []float64, x []float32, mean []float64)
	addGradMoments func(sdy, sdyx []float64, dy, x []float32, mean []float64)
	scaleShift     func(y, x, scale, shift []float32)
	affine2        func(z, u, v, a, b, k []float32)
}

var momentsGeneric = momentKernels{
	addF64:         addF64Gen,
	addSqDev:       addSqDevGen,
	addGradMoments: addGradMomentsGen,
	scaleShift:     scaleShiftGen,
	affine2:        affine2Gen,
}

// The explicit conversions below keep the compiler from fusing a product
// and a sum into one rounding (Go may on FMA hardware), so that these are
// the assembly kernels' bits.

func addF64Gen(acc []float64, x []float32) {
	acc = acc[:len(x)]
	for i, v := range x {
		acc[i] += float64(v)
	}
}

func addSqDevGen(acc []float64, x []float32, mean []float64) {
	acc, mean = acc[:len(x)], mean[:len(x)]
	for i, v := range x {
		d := float64(v) - mean[i]
		acc[i] += float64(d * d)
	}
}

func addGradMomentsGen(sdy, sdyx []float64, dy, x []float32, mean []float64) {
	sdy, sdyx, dy, mean = sdy[:len(x)], sdyx[:len(x)], dy[:len(x)], mean[:len(x)]
	for i, v := range x {
		g := float64(dy[i])
		sdy[i] += g
		sdyx[i] += float64(g * (float64(v) - mean[i]))
	}
}

func scaleShiftGen(y, x, scale, shift []float32) {
	y, scale, shift = y[:len(x)], scale[:len(x)], shift[:len(x)]
	for i, v := range x {
		y[i] = float32(v*scale[i]) + shift[i]
	}
}

func affine2Gen(z, u, v, a, b, k []float32) {
	z, v, a, b, k = z[:len(u)], v[:len(u)], a[:len(u)], b[:len(u)], k[:len(u)]
	for i, w := range u {
		z[i] = float32(a[i]*w) + float32(b[i]*v[i]) + k[i]
	}
}
