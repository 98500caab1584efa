// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !purego

#include "textflag.h"

// ReLU-family kernels, AVX2, written by hand (asmgen.go writes
// kernel_amd64.s, not this file). They are bound by memory bandwidth, so
// 256-bit vectors suffice on AVX-512 machines too. Each processes the
// first n &^ 7 elements, 16 per iteration while it can and then 8; the Go
// wrappers in relu_amd64.go finish the last n mod 8 with the generic code.
//
// The positivity mask is the one generic.go's pos32 computes, on the
// integer bits b of each float: sign(−b & ^b) is set exactly when b > 0
// as a signed integer, i.e. x > 0 or x a positive NaN. So every kernel is
// bit-for-bit the generic one, NaN and −0 included:
//
//	VPSUBD  Yb, Yzero, Ym   // m = −b
//	VPANDN  Ym, Yb, Ym      // m = ^b & m
//	VPSRAD  $31, Ym, Ym     // all ones where the sign of m is set
//
// Go assembler operand order is the reverse of Intel's: the destination is
// last.

#define MASK(b, m) \
	VPSUBD  b, Y15, m \
	VPANDN  m, b, m   \
	VPSRAD  $31, m, m

// func reluAVX2(dst, x *float32, n int)
// dst[i] = max(x[i], 0)
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VPXOR Y15, Y15, Y15

relu16:
	CMPQ CX, $16
	JL   relu8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	MASK(Y0, Y2)
	MASK(Y1, Y3)
	VPAND   Y2, Y0, Y0
	VPAND   Y3, Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     relu16

relu8:
	CMPQ CX, $8
	JL   reluDone
	VMOVUPS (SI), Y0
	MASK(Y0, Y2)
	VPAND   Y2, Y0, Y0
	VMOVUPS Y0, (DI)

reluDone:
	VZEROUPPER
	RET

// func reluGradAVX2(dx, x, dy *float32, n int)
// dx[i] = dy[i] where x[i] > 0, else 0
TEXT ·reluGradAVX2(SB), NOSPLIT, $0-32
	MOVQ dx+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ n+24(FP), CX
	VPXOR Y15, Y15, Y15

grad16:
	CMPQ CX, $16
	JL   grad8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	MASK(Y0, Y2)
	MASK(Y1, Y3)
	VPAND   (DX), Y2, Y2
	VPAND   32(DX), Y3, Y3
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     grad16

grad8:
	CMPQ CX, $8
	JL   gradDone
	VMOVUPS (SI), Y0
	MASK(Y0, Y2)
	VPAND   (DX), Y2, Y2
	VMOVUPS Y2, (DI)

gradDone:
	VZEROUPPER
	RET

// func addReLUAVX2(dst, x *float32, n int)
// dst[i] += max(x[i], 0)
TEXT ·addReLUAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VPXOR Y15, Y15, Y15

add16:
	CMPQ CX, $16
	JL   add8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	MASK(Y0, Y2)
	MASK(Y1, Y3)
	VPAND   Y2, Y0, Y0
	VPAND   Y3, Y1, Y1
	VADDPS  (DI), Y0, Y0
	VADDPS  32(DI), Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     add16

add8:
	CMPQ CX, $8
	JL   addDone
	VMOVUPS (SI), Y0
	MASK(Y0, Y2)
	VPAND   Y2, Y0, Y0
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)

addDone:
	VZEROUPPER
	RET

// func reluAddAVX2(dst, x, r *float32, n int)
// dst[i] = max(x[i], 0) + r[i]
TEXT ·reluAddAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ r+16(FP), DX
	MOVQ n+24(FP), CX
	VPXOR Y15, Y15, Y15

res16:
	CMPQ CX, $16
	JL   res8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	MASK(Y0, Y2)
	MASK(Y1, Y3)
	VPAND   Y2, Y0, Y0
	VPAND   Y3, Y1, Y1
	VADDPS  (DX), Y0, Y0
	VADDPS  32(DX), Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     res16

res8:
	CMPQ CX, $8
	JL   resDone
	VMOVUPS (SI), Y0
	MASK(Y0, Y2)
	VPAND   Y2, Y0, Y0
	VADDPS  (DX), Y0, Y0
	VMOVUPS Y0, (DI)

resDone:
	VZEROUPPER
	RET

// func addReLUSumAVX2(dst, a, b *float32, n int)
// dst[i] += max(a[i] + b[i], 0)
TEXT ·addReLUSumAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	VPXOR Y15, Y15, Y15

sum16:
	CMPQ CX, $16
	JL   sum8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VADDPS  (DX), Y0, Y0
	VADDPS  32(DX), Y1, Y1
	MASK(Y0, Y2)
	MASK(Y1, Y3)
	VPAND   Y2, Y0, Y0
	VPAND   Y3, Y1, Y1
	VADDPS  (DI), Y0, Y0
	VADDPS  32(DI), Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     sum16

sum8:
	CMPQ CX, $8
	JL   sumDone
	VMOVUPS (SI), Y0
	VADDPS  (DX), Y0, Y0
	MASK(Y0, Y2)
	VPAND   Y2, Y0, Y0
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)

sumDone:
	VZEROUPPER
	RET

// func addReLUSumGradAVX2(dg, acc, a, b, dy *float32, n int)
// g = dy[i] where a[i] + b[i] > 0, else 0; dg[i] = g; acc[i] += g
TEXT ·addReLUSumGradAVX2(SB), NOSPLIT, $0-48
	MOVQ dg+0(FP), DI
	MOVQ acc+8(FP), R8
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	MOVQ dy+32(FP), R9
	MOVQ n+40(FP), CX
	VPXOR Y15, Y15, Y15

sg16:
	CMPQ CX, $16
	JL   sg8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VADDPS  (DX), Y0, Y0
	VADDPS  32(DX), Y1, Y1
	MASK(Y0, Y2)
	MASK(Y1, Y3)
	VPAND   (R9), Y2, Y2
	VPAND   32(R9), Y3, Y3
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, 32(DI)
	VADDPS  (R8), Y2, Y2
	VADDPS  32(R8), Y3, Y3
	VMOVUPS Y2, (R8)
	VMOVUPS Y3, 32(R8)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, R9
	ADDQ    $64, DI
	ADDQ    $64, R8
	SUBQ    $16, CX
	JMP     sg16

sg8:
	CMPQ CX, $8
	JL   sgDone
	VMOVUPS (SI), Y0
	VADDPS  (DX), Y0, Y0
	MASK(Y0, Y2)
	VPAND   (R9), Y2, Y2
	VMOVUPS Y2, (DI)
	VADDPS  (R8), Y2, Y2
	VMOVUPS Y2, (R8)

sgDone:
	VZEROUPPER
	RET
