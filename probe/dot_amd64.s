//go:build !purego

#include "textflag.h"

// func dotLanes4(n int, x, w *float64, ldw int, lanes *[16]float64)
TEXT ·dotLanes4(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), DI
	MOVQ ldw+24(FP), DX
	SHLQ $3, DX
	LEAQ (DI)(DX*1), R8
	LEAQ (R8)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	MOVQ lanes+32(FP), R11
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ AX, AX
	SHRQ $2, CX
	JZ   done

loop:
	VMOVUPD (SI)(AX*8), Y0
	VMULPD  (DI)(AX*8), Y0, Y1
	VADDPD  Y1, Y4, Y4
	VMULPD  (R8)(AX*8), Y0, Y2
	VADDPD  Y2, Y5, Y5
	VMULPD  (R9)(AX*8), Y0, Y3
	VADDPD  Y3, Y6, Y6
	VMULPD  (R10)(AX*8), Y0, Y1
	VADDPD  Y1, Y7, Y7
	ADDQ    $4, AX
	DECQ    CX
	JNZ     loop

done:
	VMOVUPD Y4, (R11)
	VMOVUPD Y5, 32(R11)
	VMOVUPD Y6, 64(R11)
	VMOVUPD Y7, 96(R11)
	VZEROUPPER
	RET
