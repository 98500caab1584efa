// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !purego

#include "textflag.h"

// Per-channel batch-statistics kernels, AVX2, written by hand (asmgen.go
// writes kernel_amd64.s, not this file). Each processes the first n &^ 7
// elements, 8 per iteration; the Go wrappers in moments_amd64.go finish the
// rest with the generic code. No fused multiply-adds: every product and sum
// is rounded as generic.go's code rounds it, so the results are the same
// bits. Operand order is Go's: the destination is last.

// func addF64AVX2(acc *float64, x *float32, n int)
// acc[i] += float64(x[i])
TEXT ·addF64AVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX

af8:
	CMPQ      CX, $8
	JL        afDone
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VADDPD    (DI), Y0, Y0
	VADDPD    32(DI), Y1, Y1
	VMOVUPD   Y0, (DI)
	VMOVUPD   Y1, 32(DI)
	ADDQ      $32, SI
	ADDQ      $64, DI
	SUBQ      $8, CX
	JMP       af8

afDone:
	VZEROUPPER
	RET

// func addSqDevAVX2(acc *float64, x *float32, mean *float64, n int)
// d = float64(x[i]) − mean[i]; acc[i] += d·d
TEXT ·addSqDevAVX2(SB), NOSPLIT, $0-32
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ mean+16(FP), DX
	MOVQ n+24(FP), CX

sd8:
	CMPQ      CX, $8
	JL        sdDone
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VSUBPD    (DX), Y0, Y0
	VSUBPD    32(DX), Y1, Y1
	VMULPD    Y0, Y0, Y0
	VMULPD    Y1, Y1, Y1
	VADDPD    (DI), Y0, Y0
	VADDPD    32(DI), Y1, Y1
	VMOVUPD   Y0, (DI)
	VMOVUPD   Y1, 32(DI)
	ADDQ      $32, SI
	ADDQ      $64, DX
	ADDQ      $64, DI
	SUBQ      $8, CX
	JMP       sd8

sdDone:
	VZEROUPPER
	RET

// func addGradMomentsAVX2(sdy, sdyx *float64, dy, x *float32, mean *float64, n int)
// g = float64(dy[i]); sdy[i] += g; sdyx[i] += g·(float64(x[i]) − mean[i])
TEXT ·addGradMomentsAVX2(SB), NOSPLIT, $0-48
	MOVQ sdy+0(FP), DI
	MOVQ sdyx+8(FP), R8
	MOVQ dy+16(FP), SI
	MOVQ x+24(FP), DX
	MOVQ mean+32(FP), R9
	MOVQ n+40(FP), CX

gm8:
	CMPQ      CX, $8
	JL        gmDone
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VCVTPS2PD (DX), Y2
	VCVTPS2PD 16(DX), Y3
	VSUBPD    (R9), Y2, Y2
	VSUBPD    32(R9), Y3, Y3
	VMULPD    Y0, Y2, Y2
	VMULPD    Y1, Y3, Y3
	VADDPD    (DI), Y0, Y0
	VADDPD    32(DI), Y1, Y1
	VADDPD    (R8), Y2, Y2
	VADDPD    32(R8), Y3, Y3
	VMOVUPD   Y0, (DI)
	VMOVUPD   Y1, 32(DI)
	VMOVUPD   Y2, (R8)
	VMOVUPD   Y3, 32(R8)
	ADDQ      $32, SI
	ADDQ      $32, DX
	ADDQ      $64, R9
	ADDQ      $64, DI
	ADDQ      $64, R8
	SUBQ      $8, CX
	JMP       gm8

gmDone:
	VZEROUPPER
	RET

// func scaleShiftAVX2(y, x, scale, shift *float32, n int)
// y[i] = x[i]·scale[i] + shift[i]
TEXT ·scaleShiftAVX2(SB), NOSPLIT, $0-40
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ scale+16(FP), DX
	MOVQ shift+24(FP), R8
	MOVQ n+32(FP), CX

ss16:
	CMPQ    CX, $16
	JL      ss8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMULPS  (DX), Y0, Y0
	VMULPS  32(DX), Y1, Y1
	VADDPS  (R8), Y0, Y0
	VADDPS  32(R8), Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, R8
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     ss16

ss8:
	CMPQ    CX, $8
	JL      ssDone
	VMOVUPS (SI), Y0
	VMULPS  (DX), Y0, Y0
	VADDPS  (R8), Y0, Y0
	VMOVUPS Y0, (DI)

ssDone:
	VZEROUPPER
	RET

// func affine2AVX2(z, u, v, a, b, k *float32, n int)
// z[i] = a[i]·u[i] + b[i]·v[i] + k[i]
TEXT ·affine2AVX2(SB), NOSPLIT, $0-56
	MOVQ z+0(FP), DI
	MOVQ u+8(FP), SI
	MOVQ v+16(FP), DX
	MOVQ a+24(FP), R8
	MOVQ b+32(FP), R9
	MOVQ k+40(FP), R10
	MOVQ n+48(FP), CX

ab8:
	CMPQ    CX, $8
	JL      abDone
	VMOVUPS (SI), Y0
	VMOVUPS (DX), Y1
	VMULPS  (R8), Y0, Y0
	VMULPS  (R9), Y1, Y1
	VADDPS  Y1, Y0, Y0
	VADDPS  (R10), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, R9
	ADDQ    $32, R10
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     ab8

abDone:
	VZEROUPPER
	RET
