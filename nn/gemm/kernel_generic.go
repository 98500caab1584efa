// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import "unsafe"

// Shape and blocking of the portable kernel.
const (
	genericMR = 4
	genericNR = 4
)

func genericKernels() *kernelSet {
	return &kernelSet{
		name: genericKernelName,
		s:    blockKernel[float32]{fn: genericKernel[float32], mr: genericMR, nr: genericNR, kc: 256, mc: 128, nc: 1024},
		d:    blockKernel[float64]{fn: genericKernel[float64], mr: genericMR, nr: genericNR, kc: 256, mc: 64, nc: 1024},
	}
}

// genericKernel is the portable 4×4 micro-kernel: sixteen scalar accumulators
// that the compiler keeps in registers on architectures with 32 FP registers.
func genericKernel[T float](k int, ap, bp, cp *T, ldc int, alpha, beta T) {
	a := unsafe.Slice(ap, k*genericMR)
	b := unsafe.Slice(bp, k*genericNR)
	var c00, c01, c02, c03 T
	var c10, c11, c12, c13 T
	var c20, c21, c22, c23 T
	var c30, c31, c32, c33 T
	for len(a) >= genericMR && len(b) >= genericNR {
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		a = a[genericMR:]
		b = b[genericNR:]
	}
	c := unsafe.Slice(cp, 3*ldc+genericNR)
	store4(c[0:4:4], c00, c01, c02, c03, alpha, beta)
	store4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, beta)
	store4(c[2*ldc:2*ldc+4:2*ldc+4], c20, c21, c22, c23, alpha, beta)
	store4(c[3*ldc:3*ldc+4:3*ldc+4], c30, c31, c32, c33, alpha, beta)
}

func store4[T float](c []T, x0, x1, x2, x3, alpha, beta T) {
	if beta == 0 {
		c[0], c[1], c[2], c[3] = alpha*x0, alpha*x1, alpha*x2, alpha*x3
		return
	}
	c[0] = alpha*x0 + beta*c[0]
	c[1] = alpha*x1 + beta*c[1]
	c[2] = alpha*x2 + beta*c[2]
	c[3] = alpha*x3 + beta*c[3]
}
