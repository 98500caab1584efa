// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !purego

package vecmath

import "golang.org/x/sys/cpu"

// Kernels in relu_amd64.s. Each processes the first n &^ 7 elements.

//go:noescape
func reluAVX2(dst, x *float32, n int)

//go:noescape
func reluGradAVX2(dx, x, dy *float32, n int)

//go:noescape
func addReLUAVX2(dst, x *float32, n int)

//go:noescape
func reluAddAVX2(dst, x, r *float32, n int)

//go:noescape
func addReLUSumAVX2(dst, a, b *float32, n int)

//go:noescape
func addReLUSumGradAVX2(dg, acc, a, b, dy *float32, n int)

var reluAVX2Kernels = reluKernels{
	relu: func(dst, x []float32) {
		n := len(x) &^ 7
		if n > 0 {
			_ = dst[len(x)-1]
			reluAVX2(&dst[0], &x[0], n)
		}
		reluGen(dst[n:len(x)], x[n:])
	},
	reluGrad: func(dx, x, dy []float32) {
		n := len(x) &^ 7
		if n > 0 {
			_, _ = dx[len(x)-1], dy[len(x)-1]
			reluGradAVX2(&dx[0], &x[0], &dy[0], n)
		}
		reluGradGen(dx[n:len(x)], x[n:], dy[n:len(x)])
	},
	addReLU: func(dst, x []float32) {
		n := len(x) &^ 7
		if n > 0 {
			_ = dst[len(x)-1]
			addReLUAVX2(&dst[0], &x[0], n)
		}
		addReLUGen(dst[n:len(x)], x[n:])
	},
	reluAdd: func(dst, x, r []float32) {
		n := len(x) &^ 7
		if n > 0 {
			_, _ = dst[len(x)-1], r[len(x)-1]
			reluAddAVX2(&dst[0], &x[0], &r[0], n)
		}
		reluAddGen(dst[n:len(x)], x[n:], r[n:len(x)])
	},
	addReLUSum: func(dst, a, b []float32) {
		n := len(a) &^ 7
		if n > 0 {
			_, _ = dst[len(a)-1], b[len(a)-1]
			addReLUSumAVX2(&dst[0], &a[0], &b[0], n)
		}
		addReLUSumGen(dst[n:len(a)], a[n:], b[n:len(a)])
	},
	addReLUSumGrad: func(dg, acc, a, b, dy []float32) {
		n := len(a) &^ 7
		if n > 0 {
			_, _, _, _ = dg[len(a)-1], acc[len(a)-1], b[len(a)-1], dy[len(a)-1]
			addReLUSumGradAVX2(&dg[0], &acc[0], &a[0], &b[0], &dy[0], n)
		}
		addReLUSumGradGen(dg[n:len(a)], acc[n:len(a)], a[n:], b[n:len(a)], dy[n:len(a)])
	},
}

// reluAVX2OrGeneric returns the AVX2 ReLU kernels where the CPU has AVX2
// (every AVX-512 CPU does), else the portable ones.
func reluAVX2OrGeneric() reluKernels {
	if cpu.X86.HasAVX2 {
		return reluAVX2Kernels
	}
	return reluGeneric
}
