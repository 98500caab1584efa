// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !purego

#include "textflag.h"

// Adam and AdamW updates of float32 parameters, AVX2 + FMA, 8 per
// iteration, in the operation order of adamKernel32 (adam.go) and of
// PyTorch's fused CPU kernels: every multiply-add named fma there is one
// VFMADD231PS (a single rounding), everything else is rounded on its own.
// Operand order is Go's: the destination is last.
//
// c points at 8 float32 coefficients: β1, β2, 1−β1, 1−β2, −step size,
// √(1−β2^t), ε, and the decay multiplier (adamAVX2) or the L2 weight
// (adamL2AVX2).

// func adamAVX2(p, grad, m, v *float32, c *[8]float32, n int)
//	p *= dec; m = fma(1−β1, g, m·β1); v = fma((1−β2)·g, g, v·β2)
//	p += (−step·m) / (√v/√(1−β2^t) + ε)
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ v+24(FP), R8
	MOVQ c+32(FP), R9
	MOVQ n+40(FP), CX
	VBROADCASTSS 0(R9), Y8  // β1
	VBROADCASTSS 4(R9), Y9  // β2
	VBROADCASTSS 8(R9), Y10 // 1−β1
	VBROADCASTSS 12(R9), Y11 // 1−β2
	VBROADCASTSS 16(R9), Y12 // −step
	VBROADCASTSS 20(R9), Y13 // √(1−β2^t)
	VBROADCASTSS 24(R9), Y14 // ε
	VBROADCASTSS 28(R9), Y15 // decay

ad8:
	CMPQ        CX, $8
	JL          adDone
	VMOVUPS     (SI), Y1          // g
	VMULPS      (DX), Y8, Y2      // m·β1
	VFMADD231PS Y1, Y10, Y2       // m = (1−β1)·g + m·β1
	VMULPS      Y1, Y11, Y3       // (1−β2)·g
	VMULPS      (R8), Y9, Y4      // v·β2
	VFMADD231PS Y1, Y3, Y4        // v = ((1−β2)·g)·g + v·β2
	VMOVUPS     Y2, (DX)
	VMOVUPS     Y4, (R8)
	VSQRTPS     Y4, Y4
	VDIVPS      Y13, Y4, Y4       // √v / √(1−β2^t)
	VADDPS      Y14, Y4, Y4       // + ε
	VMULPS      Y2, Y12, Y2       // −step·m
	VDIVPS      Y4, Y2, Y2
	VMULPS      (DI), Y15, Y0     // p·decay
	VADDPS      Y2, Y0, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, DX
	ADDQ        $32, R8
	SUBQ        $8, CX
	JMP         ad8

adDone:
	VZEROUPPER
	RET

// func adamL2AVX2(p, grad, m, v *float32, c *[8]float32, n int)
//	g' = fma(wd, p, g), then as adamAVX2 with g' and no decay
TEXT ·adamL2AVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ v+24(FP), R8
	MOVQ c+32(FP), R9
	MOVQ n+40(FP), CX
	VBROADCASTSS 0(R9), Y8
	VBROADCASTSS 4(R9), Y9
	VBROADCASTSS 8(R9), Y10
	VBROADCASTSS 12(R9), Y11
	VBROADCASTSS 16(R9), Y12
	VBROADCASTSS 20(R9), Y13
	VBROADCASTSS 24(R9), Y14
	VBROADCASTSS 28(R9), Y15 // wd

al8:
	CMPQ        CX, $8
	JL          alDone
	VMOVUPS     (DI), Y0          // p
	VMOVUPS     (SI), Y1          // g
	VFMADD231PS Y0, Y15, Y1       // g = wd·p + g
	VMULPS      (DX), Y8, Y2
	VFMADD231PS Y1, Y10, Y2
	VMULPS      Y1, Y11, Y3
	VMULPS      (R8), Y9, Y4
	VFMADD231PS Y1, Y3, Y4
	VMOVUPS     Y2, (DX)
	VMOVUPS     Y4, (R8)
	VSQRTPS     Y4, Y4
	VDIVPS      Y13, Y4, Y4
	VADDPS      Y14, Y4, Y4
	VMULPS      Y2, Y12, Y2
	VDIVPS      Y4, Y2, Y2
	VADDPS      Y2, Y0, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, DX
	ADDQ        $32, R8
	SUBQ        $8, CX
	JMP         al8

alDone:
	VZEROUPPER
	RET
