// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !purego

package vecmath

import "golang.org/x/sys/cpu"

// Kernels in moments_amd64.s. Each processes the first n &^ 7 elements.

//go:noescape
func addF64AVX2(acc *float64, x *float32, n int)

//go:noescape
func addSqDevAVX2(acc *float64, x *float32, mean *float64, n int)

//go:noescape
func addGradMomentsAVX2(sdy, sdyx *float64, dy, x *float32, mean *float64, n int)

//go:noescape
func scaleShiftAVX2(y, x, scale, shift *float32, n int)

//go:noescape
func affine2AVX2(z, u, v, a, b, k *float32, n int)

var momentsAVX2 = momentKernels{
	addF64: func(acc []float64, x []float32) {
		n := len(x) &^ 7
		if n > 0 {
			_ = acc[len(x)-1]
			addF64AVX2(&acc[0], &x[0], n)
		}
		addF64Gen(acc[n:len(x)], x[n:])
	},
	addSqDev: func(acc []float64, x []float32, mean []float64) {
		n := len(x) &^ 7
		if n > 0 {
			_, _ = acc[len(x)-1], mean[len(x)-1]
			addSqDevAVX2(&acc[0], &x[0], &mean[0], n)
		}
		addSqDevGen(acc[n:len(x)], x[n:], mean[n:len(x)])
	},
	addGradMoments: func(sdy, sdyx []float64, dy, x []float32, mean []float64) {
		n := len(x) &^ 7
		if n > 0 {
			_, _, _, _ = sdy[len(x)-1], sdyx[len(x)-1], dy[len(x)-1], mean[len(x)-1]
			addGradMomentsAVX2(&sdy[0], &sdyx[0], &dy[0], &x[0], &mean[0], n)
		}
		addGradMomentsGen(sdy[n:len(x)], sdyx[n:len(x)], dy[n:len(x)], x[n:], mean[n:len(x)])
	},
	scaleShift: func(y, x, scale, shift []float32) {
		n := len(x) &^ 7
		if n > 0 {
			_, _, _ = y[len(x)-1], scale[len(x)-1], shift[len(x)-1]
			scaleShiftAVX2(&y[0], &x[0], &scale[0], &shift[0], n)
		}
		scaleShiftGen(y[n:len(x)], x[n:], scale[n:len(x)], shift[n:len(x)])
	},
	affine2: func(z, u, v, a, b, k []float32) {
		n := len(u) &^ 7
		if n > 0 {
			_, _, _, _, _ = z[len(u)-1], v[len(u)-1], a[len(u)-1], b[len(u)-1], k[len(u)-1]
			affine2AVX2(&z[0], &u[0], &v[0], &a[0], &b[0], &k[0], n)
		}
		affine2Gen(z[n:len(u)], u[n:], v[n:len(u)], a[n:len(u)], b[n:len(u)], k[n:len(u)])
	},
}

// momentsAVX2OrGeneric returns the AVX2 batch-statistics kernels where the
// CPU has AVX2, else the portable ones.
func momentsAVX2OrGeneric() momentKernels {
	if cpu.X86.HasAVX2 {
		return momentsAVX2
	}
	return momentsGeneric
}
