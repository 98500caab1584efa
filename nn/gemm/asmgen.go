// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build ignore

// asmgen writes kernel_amd64.s, the AVX2+FMA and AVX-512 micro-kernels and
// packing routines of package gemm. Run it with `go generate` in nn/gemm.
//
// Every kernel has the Go signature
//
//	func name(k int, a, b, c *T, ldc int, alpha, beta T)
//
// and computes, for a packed MR-row strip a (k×MR, p-major) and a packed
// NR-column panel b (k×NR, p-major),
//
//	C[i][j] = alpha·Σ_p a[p·MR+i]·b[p·NR+j] + beta·C[i][j]   (i < MR, j < NR)
//
// where C[i][j] is c[i·ldc+j]. The ...B variants take a last argument
// ldb int and read b unpacked, row p at b[p·ldb]. When beta is ±0, C is not
// read, so NaN or Inf in C are overwritten as reference BLAS does. The rows
// of the tile are register-blocked: MR·(NR/lanes) vector accumulators, NR/lanes vector loads
// of b and MR broadcasts of a per step p (VBROADCASTSS/SD into a register;
// AVX-512 alternates two so that 14×2 accumulators fit in 32 registers).
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
)

type kernelSpec struct {
	name   string
	avx512 bool
	f64    bool
	mr, nr int
	unroll int
	// regBcast broadcasts a (AVX-512) into a register, alternating two,
	// instead of using an embedded {1toN} memory operand in every FMA.
	regBcast bool
	// bStrided reads b unpacked, rows ldb elements apart (an extra last
	// argument ldb int), for products whose B panel would be used once.
	bStrided bool
}

var specs = []kernelSpec{
	// Register broadcasts measured 10–40 % faster than embedded-broadcast
	// FMAs on Zen 5 (AMD EPYC, family 26); 12×32, 8×48 and 6×64 tiles ran
	// within noise of 14×32.
	{name: "sgemmKernelAVX512", avx512: true, mr: 14, nr: 32, unroll: 4, regBcast: true},
	{name: "dgemmKernelAVX512", avx512: true, f64: true, mr: 14, nr: 16, unroll: 4, regBcast: true},
	{name: "sgemmKernelAVX2", mr: 6, nr: 16, unroll: 4},
	{name: "dgemmKernelAVX2", f64: true, mr: 6, nr: 8, unroll: 4},
	{name: "sgemmKernelAVX512B", avx512: true, mr: 14, nr: 32, unroll: 4, regBcast: true, bStrided: true},
	{name: "dgemmKernelAVX512B", avx512: true, f64: true, mr: 14, nr: 16, unroll: 4, regBcast: true, bStrided: true},
	{name: "sgemmKernelAVX2B", mr: 6, nr: 16, unroll: 4, bStrided: true},
	{name: "dgemmKernelAVX2B", f64: true, mr: 6, nr: 8, unroll: 4, bStrided: true},
}

type gen struct{ bytes.Buffer }

func (g *gen) p(format string, args ...any) { fmt.Fprintf(&g.Buffer, "\t"+format+"\n", args...) }
func (g *gen) label(l string)               { fmt.Fprintf(&g.Buffer, "%s:\n", l) }

func (s kernelSpec) size() int {
	if s.f64 {
		return 8
	}
	return 4
}
func (s kernelSpec) vecBytes() int {
	if s.avx512 {
		return 64
	}
	return 32
}
func (s kernelSpec) lanes() int { return s.vecBytes() / s.size() }
func (s kernelSpec) nv() int    { return s.nr / s.lanes() }
func (s kernelSpec) reg(i int) string {
	if s.avx512 {
		return fmt.Sprintf("Z%d", i)
	}
	return fmt.Sprintf("Y%d", i)
}
func (s kernelSpec) suf() string {
	if s.f64 {
		return "PD"
	}
	return "PS"
}
func (s kernelSpec) bcast() string {
	if s.f64 {
		return "VBROADCASTSD"
	}
	return "VBROADCASTSS"
}

// acc is the accumulator register of row i, vector v.
func (s kernelSpec) acc(i, v int) string { return s.reg(i*s.nv() + v) }

// breg is the register holding vector v of the current b row.
func (s kernelSpec) breg(v int) string { return s.reg(s.mr*s.nv() + v) }

// areg is the broadcast register for row i (AVX2, or AVX-512 with
// regBcast, which alternates two).
func (s kernelSpec) areg(i int) string {
	if s.regBcast {
		return s.reg(s.mr*s.nv() + s.nv() + i%2)
	}
	return s.reg(s.mr*s.nv() + s.nv())
}

func (s kernelSpec) check() {
	if s.nr%s.lanes() != 0 {
		log.Fatalf("%s: NR %d not a multiple of %d lanes", s.name, s.nr, s.lanes())
	}
	regs := 16
	need := s.mr*s.nv() + s.nv() + 1
	if s.avx512 {
		regs = 32
		need--
		if s.regBcast {
			need += 2
		}
	}
	if need > regs {
		log.Fatalf("%s: needs %d vector registers, have %d", s.name, need, regs)
	}
}

// step emits the multiply-adds of one p with a displacement da and b row
// address brow ("(BX)", "(BX)(R11*2)", ...) plus displacement db.
func (g *gen) step(s kernelSpec, da int, brow string, db int) {
	for v := 0; v < s.nv(); v++ {
		g.p("VMOVUP%s %d%s, %s", s.suf()[1:], db+v*s.vecBytes(), brow, s.breg(v))
	}
	for i := 0; i < s.mr; i++ {
		off := da + i*s.size()
		if s.avx512 && !s.regBcast {
			for v := 0; v < s.nv(); v++ {
				g.p("VFMADD231%s.BCST %d(AX), %s, %s", s.suf(), off, s.breg(v), s.acc(i, v))
			}
			continue
		}
		g.p("%s %d(AX), %s", s.bcast(), off, s.areg(i))
		for v := 0; v < s.nv(); v++ {
			g.p("VFMADD231%s %s, %s, %s", s.suf(), s.breg(v), s.areg(i), s.acc(i, v))
		}
	}
}

func (g *gen) kernel(s kernelSpec) {
	s.check()
	sz := s.size()
	argBytes := 5*8 + 2*sz
	typ := "float32"
	if s.f64 {
		typ = "float64"
	}
	extra := ""
	if s.bStrided {
		argBytes += 8
		extra = ", ldb int"
	}
	fmt.Fprintf(&g.Buffer, "// func %s(k int, a, b, c *%s, ldc int, alpha, beta %s%s)\n", s.name, typ, typ, extra)
	fmt.Fprintf(&g.Buffer, "// MR=%d NR=%d, %s.\n", s.mr, s.nr, map[bool]string{true: "AVX-512F", false: "AVX2+FMA"}[s.avx512])
	fmt.Fprintf(&g.Buffer, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", s.name, argBytes)
	g.p("MOVQ k+0(FP), CX")
	g.p("MOVQ a+8(FP), AX")
	g.p("MOVQ b+16(FP), BX")
	g.p("MOVQ c+24(FP), DI")
	g.p("MOVQ ldc+32(FP), SI")
	g.p("SHLQ $%d, SI", map[int]int{4: 2, 8: 3}[sz])
	if s.bStrided {
		// R11 = ldb, R12 = 3·ldb, R13 = 4·ldb, in bytes.
		g.p("MOVQ ldb+%d(FP), R11", 5*8+2*sz)
		g.p("SHLQ $%d, R11", map[int]int{4: 2, 8: 3}[sz])
		g.p("LEAQ (R11)(R11*2), R12")
		g.p("LEAQ (R11*4), R13")
	}

	// Zero the accumulators and prefetch the C tile.
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nv(); v++ {
			r := s.acc(i, v)
			if s.avx512 {
				g.p("VPXORD %s, %s, %s", r, r, r)
			} else {
				g.p("VXORPS %s, %s, %s", r, r, r)
			}
		}
	}
	g.p("MOVQ DI, R8")
	for i := 0; i < s.mr; i++ {
		g.p("PREFETCHT0 (R8)")
		if s.nr*sz > 64 {
			g.p("PREFETCHT0 %d(R8)", s.nr*sz-1)
		}
		if i < s.mr-1 {
			g.p("ADDQ SI, R8")
		}
	}

	aStep, bStep := s.mr*sz, s.nr*sz
	g.p("MOVQ CX, DX")
	g.p("SHRQ $%d, DX", map[int]int{1: 0, 2: 1, 4: 2, 8: 3}[s.unroll])
	g.p("JZ %s_tail", s.name)
	g.label(s.name + "_loop")
	for u := 0; u < s.unroll; u++ {
		if s.bStrided {
			if s.unroll != 4 {
				log.Fatalf("%s: strided b needs unroll 4", s.name)
			}
			g.step(s, u*aStep, []string{"(BX)", "(BX)(R11*1)", "(BX)(R11*2)", "(BX)(R12*1)"}[u], 0)
			continue
		}
		g.step(s, u*aStep, "(BX)", u*bStep)
	}
	g.p("ADDQ $%d, AX", s.unroll*aStep)
	if s.bStrided {
		g.p("ADDQ R13, BX")
	} else {
		g.p("ADDQ $%d, BX", s.unroll*bStep)
	}
	g.p("DECQ DX")
	g.p("JNZ %s_loop", s.name)
	g.label(s.name + "_tail")
	g.p("ANDQ $%d, CX", s.unroll-1)
	g.p("JZ %s_store", s.name)
	g.label(s.name + "_tailloop")
	g.step(s, 0, "(BX)", 0)
	g.p("ADDQ $%d, AX", aStep)
	if s.bStrided {
		g.p("ADDQ R11, BX")
	} else {
		g.p("ADDQ $%d, BX", bStep)
	}
	g.p("DECQ CX")
	g.p("JNZ %s_tailloop", s.name)

	// Store: C = alpha·acc (+ beta·C unless beta is ±0).
	g.label(s.name + "_store")
	alpha, beta := s.breg(0), s.breg(1)
	if s.nv() < 2 {
		log.Fatalf("%s: store needs two free registers", s.name)
	}
	g.p("%s alpha+40(FP), %s", s.bcast(), alpha)
	if s.f64 {
		g.p("MOVQ beta+48(FP), R9")
		g.p("SHLQ $1, R9")
		g.p("JZ %s_beta0", s.name)
		g.p("%s beta+48(FP), %s", s.bcast(), beta)
	} else {
		g.p("MOVL beta+44(FP), R9")
		g.p("ANDL $0x7fffffff, R9")
		g.p("JZ %s_beta0", s.name)
		g.p("%s beta+44(FP), %s", s.bcast(), beta)
	}
	mov := "VMOVUP" + s.suf()[1:]
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nv(); v++ {
			r := s.acc(i, v)
			g.p("VMUL%s %s, %s, %s", s.suf(), alpha, r, r)
			g.p("VFMADD231%s %d(DI), %s, %s", s.suf(), v*s.vecBytes(), beta, r)
			g.p("%s %s, %d(DI)", mov, r, v*s.vecBytes())
		}
		if i < s.mr-1 {
			g.p("ADDQ SI, DI")
		}
	}
	g.p("VZEROUPPER")
	g.p("RET")
	g.label(s.name + "_beta0")
	for i := 0; i < s.mr; i++ {
		for v := 0; v < s.nv(); v++ {
			r := s.acc(i, v)
			g.p("VMUL%s %s, %s, %s", s.suf(), alpha, r, r)
			g.p("%s %s, %d(DI)", mov, r, v*s.vecBytes())
		}
		if i < s.mr-1 {
			g.p("ADDQ SI, DI")
		}
	}
	g.p("VZEROUPPER")
	g.p("RET")
	g.WriteString("\n")
}

// packCopy emits
//
//	func name(n int, src *T, lds int, dst *T, ldd int, masks uint64, strips, dstStrip int)
//
// which copies n rows of `strips` strips of width ldd (at most two vectors)
// from src (row stride lds; strip s starts at column s·ldd) into dst, strip s
// at dst+s·dstStrip with row stride ldd, row by row so that the source is
// read sequentially: vector v of a strip row is loaded under mask bits
// 16v..16v+15 of masks (masked-out lanes read as zero and are never touched)
// and stored under bits 32+16v..47+16v, so a row of w ≤ 2 vectors is
// zero-padded to the panel width. AVX-512F.
func (g *gen) packCopy(name string, f64 bool) {
	sz, mov, typ := 4, "VMOVUPS", "float32"
	if f64 {
		sz, mov, typ = 8, "VMOVUPD", "float64"
	}
	fmt.Fprintf(&g.Buffer, "// func %s(n int, src *%s, lds int, dst *%s, ldd int, masks uint64, strips int, dstStrip int)\n", name, typ, typ)
	fmt.Fprintf(&g.Buffer, "TEXT ·%s(SB), NOSPLIT, $0-64\n", name)
	g.p("MOVQ n+0(FP), CX")
	g.p("MOVQ src+8(FP), SI")
	g.p("MOVQ lds+16(FP), R8")
	g.p("MOVQ dst+24(FP), DI")
	g.p("MOVQ ldd+32(FP), R9")
	g.p("MOVQ masks+40(FP), AX")
	g.p("MOVQ strips+48(FP), R13")
	g.p("MOVQ dstStrip+56(FP), R14")
	shift := map[int]int{4: 2, 8: 3}[sz]
	g.p("SHLQ $%d, R8", shift)
	g.p("SHLQ $%d, R9", shift)
	g.p("SHLQ $%d, R14", shift)
	for i := 1; i <= 4; i++ {
		g.p("KMOVW AX, K%d", i)
		g.p("SHRQ $16, AX")
	}
	g.p("TESTQ CX, CX")
	g.p("JZ %s_done", name)
	g.p("TESTQ R13, R13")
	g.p("JZ %s_done", name)
	g.label(name + "_row")
	g.p("MOVQ SI, R10")
	g.p("MOVQ DI, R11")
	g.p("MOVQ R13, R12")
	g.label(name + "_strip")
	g.p("%s.Z (R10), K1, Z0", mov)
	g.p("%s.Z 64(R10), K2, Z1", mov)
	g.p("%s Z0, K3, (R11)", mov)
	g.p("%s Z1, K4, 64(R11)", mov)
	g.p("ADDQ R9, R10")
	g.p("ADDQ R14, R11")
	g.p("DECQ R12")
	g.p("JNZ %s_strip", name)
	g.p("ADDQ R8, SI")
	g.p("ADDQ R9, DI")
	g.p("DECQ CX")
	g.p("JNZ %s_row", name)
	g.label(name + "_done")
	g.p("VZEROUPPER")
	g.p("RET")
	g.WriteString("\n")
}

// packTrans emits
//
//	func name(groups int, src *T, lds int, dst *T, ldd int)
//
// which transposes `rows` rows of src (row stride lds) into the first `rows`
// lanes of groups·L rows of dst (row stride ldd): dst[p·ldd+r] = src[r·lds+p]
// for r < rows, p < groups·L, where L is the lane count (16 float32 or 8
// float64). Each group is an in-register L×L transpose (unpack, unpack,
// two 128-bit-lane shuffles). AVX-512F.
func (g *gen) packTrans(name string, f64 bool, rows int) {
	sz, typ, lanes := 4, "float32", 16
	if f64 {
		sz, typ, lanes = 8, "float64", 8
	}
	mov := map[bool]string{false: "VMOVUPS", true: "VMOVUPD"}[f64]
	z := func(i int) string { return fmt.Sprintf("Z%d", i) }
	fmt.Fprintf(&g.Buffer, "// func %s(groups int, src *%s, lds int, dst *%s, ldd int)\n", name, typ, typ)
	fmt.Fprintf(&g.Buffer, "// %d rows.\n", rows)
	fmt.Fprintf(&g.Buffer, "TEXT ·%s(SB), NOSPLIT, $0-40\n", name)
	g.p("MOVQ groups+0(FP), CX")
	g.p("MOVQ src+8(FP), SI")
	g.p("MOVQ lds+16(FP), R8")
	g.p("MOVQ dst+24(FP), DI")
	g.p("MOVQ ldd+32(FP), R9")
	shift := map[int]int{4: 2, 8: 3}[sz]
	g.p("SHLQ $%d, R8", shift)
	g.p("SHLQ $%d, R9", shift)
	g.p("MOVQ $%d, AX", (1<<rows)-1)
	g.p("KMOVW AX, K1")
	g.p("TESTQ CX, CX")
	g.p("JZ %s_done", name)
	g.label(name + "_loop")
	// Load the rows (the missing ones are zero).
	g.p("MOVQ SI, R10")
	for r := 0; r < lanes; r++ {
		if r < rows {
			g.p("%s (R10), %s", mov, z(r))
			if r < rows-1 {
				g.p("ADDQ R8, R10")
			}
		} else {
			g.p("VPXORD %s, %s, %s", z(r), z(r), z(r))
		}
	}
	if !f64 {
		// Stage 1: interleave floats of row pairs: t[2i], t[2i+1] in Z16+.
		for i := 0; i < 8; i++ {
			g.p("VUNPCKLPS %s, %s, %s", z(2*i+1), z(2*i), z(16+2*i))
			g.p("VUNPCKHPS %s, %s, %s", z(2*i+1), z(2*i), z(16+2*i+1))
		}
		// Stage 2: interleave pairs of floats: u[4g+c] = column 4l+c of
		// rows 4g..4g+3 in 128-bit lane l, back in Z0..Z15.
		for q := 0; q < 4; q++ {
			t := func(i int) string { return z(16 + 4*q + i) }
			g.p("VUNPCKLPD %s, %s, %s", t(2), t(0), z(4*q+0))
			g.p("VUNPCKHPD %s, %s, %s", t(2), t(0), z(4*q+1))
			g.p("VUNPCKLPD %s, %s, %s", t(3), t(1), z(4*q+2))
			g.p("VUNPCKHPD %s, %s, %s", t(3), t(1), z(4*q+3))
		}
		// Stages 3 and 4: 4×4 transpose of 128-bit lanes per column offset c.
		for c := 0; c < 4; c++ {
			u := func(q int) string { return z(4*q + c) }
			v := func(i int) string { return z(16 + 4*c + i) }
			g.p("VSHUFF32X4 $0x88, %s, %s, %s", u(1), u(0), v(0))
			g.p("VSHUFF32X4 $0xdd, %s, %s, %s", u(1), u(0), v(1))
			g.p("VSHUFF32X4 $0x88, %s, %s, %s", u(3), u(2), v(2))
			g.p("VSHUFF32X4 $0xdd, %s, %s, %s", u(3), u(2), v(3))
			g.p("VSHUFF32X4 $0x88, %s, %s, %s", v(2), v(0), z(4*0+c))
			g.p("VSHUFF32X4 $0xdd, %s, %s, %s", v(2), v(0), z(4*2+c))
			g.p("VSHUFF32X4 $0x88, %s, %s, %s", v(3), v(1), z(4*1+c))
			g.p("VSHUFF32X4 $0xdd, %s, %s, %s", v(3), v(1), z(4*3+c))
		}
	} else {
		// Stage 1: t[2q+c] (Z8+) = column 2l+c of rows 2q, 2q+1 in lane l.
		for i := 0; i < 4; i++ {
			g.p("VUNPCKLPD %s, %s, %s", z(2*i+1), z(2*i), z(8+2*i))
			g.p("VUNPCKHPD %s, %s, %s", z(2*i+1), z(2*i), z(8+2*i+1))
		}
		for c := 0; c < 2; c++ {
			u := func(q int) string { return z(8 + 2*q + c) }
			v := func(i int) string { return z(16 + 4*c + i) }
			g.p("VSHUFF64X2 $0x88, %s, %s, %s", u(1), u(0), v(0))
			g.p("VSHUFF64X2 $0xdd, %s, %s, %s", u(1), u(0), v(1))
			g.p("VSHUFF64X2 $0x88, %s, %s, %s", u(3), u(2), v(2))
			g.p("VSHUFF64X2 $0xdd, %s, %s, %s", u(3), u(2), v(3))
			g.p("VSHUFF64X2 $0x88, %s, %s, %s", v(2), v(0), z(2*0+c))
			g.p("VSHUFF64X2 $0xdd, %s, %s, %s", v(2), v(0), z(2*2+c))
			g.p("VSHUFF64X2 $0x88, %s, %s, %s", v(3), v(1), z(2*1+c))
			g.p("VSHUFF64X2 $0xdd, %s, %s, %s", v(3), v(1), z(2*3+c))
		}
	}
	// Store the columns: row p of dst gets column p.
	for p := 0; p < lanes; p++ {
		if rows == lanes {
			g.p("%s %s, (DI)", mov, z(p))
		} else {
			g.p("%s %s, K1, (DI)", mov, z(p))
		}
		g.p("ADDQ R9, DI")
	}
	g.p("ADDQ $64, SI")
	g.p("DECQ CX")
	g.p("JNZ %s_loop", name)
	g.label(name + "_done")
	g.p("VZEROUPPER")
	g.p("RET")
	g.WriteString("\n")
}

// packCopyAVX2 emits
//
//	func name(n int, src *T, lds int, dst *T, ldd int, counts uint64, strips, dstStrip int)
//
// which copies n rows of `strips` strips of width ldd from src (row stride
// lds; strip s starts at column s·ldd) into dst, strip s at dst+s·dstStrip
// with row stride ldd, row by row: a strip row is loaded as two vectors,
// vector v holding (counts>>(8v))&0xff elements (VMASKMOVP[SD]: masked-out
// lanes read as zero and are never touched), and (counts>>16)&0xff full
// vectors are stored. When ldd is not a multiple of the vector length a
// stored row runs past ldd elements into the next row, so callers then pass
// one strip (whose next row is written next) and leave slack after the
// buffer. AVX.
func (g *gen) packCopyAVX2(name string, f64 bool) {
	sz, typ, mov, mask := 4, "float32", "VMOVUPS", "VMASKMOVPS"
	if f64 {
		sz, typ, mov, mask = 8, "float64", "VMOVUPD", "VMASKMOVPD"
	}
	fmt.Fprintf(&g.Buffer, "// func %s(n int, src *%s, lds int, dst *%s, ldd int, counts uint64, strips int, dstStrip int)\n", name, typ, typ)
	fmt.Fprintf(&g.Buffer, "TEXT ·%s(SB), NOSPLIT, $0-64\n", name)
	g.p("MOVQ n+0(FP), CX")
	g.p("MOVQ src+8(FP), SI")
	g.p("MOVQ lds+16(FP), R8")
	g.p("MOVQ dst+24(FP), DI")
	g.p("MOVQ ldd+32(FP), R9")
	g.p("MOVQ counts+40(FP), AX")
	g.p("MOVQ strips+48(FP), R13")
	g.p("MOVQ dstStrip+56(FP), R14")
	shift := map[int]int{4: 2, 8: 3}[sz]
	g.p("SHLQ $%d, R8", shift)
	g.p("SHLQ $%d, R9", shift)
	g.p("SHLQ $%d, R14", shift)
	// Mask of c elements: 32 bytes of masktab<> from offset 32 - c·size.
	for v := 0; v < 2; v++ {
		g.p("MOVQ AX, BX")
		if v > 0 {
			g.p("SHRQ $%d, BX", 8*v)
		}
		g.p("ANDQ $0xff, BX")
		g.p("SHLQ $%d, BX", shift)
		g.p("NEGQ BX")
		g.p("LEAQ masktab<>+32(SB), DX")
		g.p("VMOVDQU (DX)(BX*1), Y%d", 14+v)
	}
	g.p("SHRQ $16, AX")
	g.p("ANDQ $0xff, AX")
	g.p("TESTQ CX, CX")
	g.p("JZ %s_done", name)
	g.p("TESTQ R13, R13")
	g.p("JZ %s_done", name)
	g.label(name + "_row")
	g.p("MOVQ SI, R10")
	g.p("MOVQ DI, R11")
	g.p("MOVQ R13, R12")
	g.p("CMPQ AX, $1")
	g.p("JEQ %s_one", name)
	g.label(name + "_two")
	g.p("%s (R10), Y14, Y0", mask)
	g.p("%s 32(R10), Y15, Y1", mask)
	g.p("%s Y0, (R11)", mov)
	g.p("%s Y1, 32(R11)", mov)
	g.p("ADDQ R9, R10")
	g.p("ADDQ R14, R11")
	g.p("DECQ R12")
	g.p("JNZ %s_two", name)
	g.p("JMP %s_next", name)
	g.label(name + "_one")
	g.p("%s (R10), Y14, Y0", mask)
	g.p("%s Y0, (R11)", mov)
	g.p("ADDQ R9, R10")
	g.p("ADDQ R14, R11")
	g.p("DECQ R12")
	g.p("JNZ %s_one", name)
	g.label(name + "_next")
	g.p("ADDQ R8, SI")
	g.p("ADDQ R9, DI")
	g.p("DECQ CX")
	g.p("JNZ %s_row", name)
	g.label(name + "_done")
	g.p("VZEROUPPER")
	g.p("RET")
	g.WriteString("\n")
}

// packTransAVX2 emits
//
//	func name(groups int, src *T, lds int, dst *T, ldd int)
//
// which transposes `rows` rows of src into dst: dst[p·ldd+r] = src[r·lds+p]
// for r < rows, p < groups·8 (float32: one 8×8 transpose per group, missing
// rows zero) or p < groups·4 (float64: 4×4 transposes of rows 0–3 and 4–7).
// Full vectors are stored in increasing p, so when rows is not a multiple of
// the vector length a row of dst runs into the next one (written next) or
// past the panel (callers leave slack). AVX.
func (g *gen) packTransAVX2(name string, f64 bool, rows int) {
	typ := map[bool]string{false: "float32", true: "float64"}[f64]
	y := func(i int) string { return fmt.Sprintf("Y%d", i) }
	fmt.Fprintf(&g.Buffer, "// func %s(groups int, src *%s, lds int, dst *%s, ldd int)\n", name, typ, typ)
	fmt.Fprintf(&g.Buffer, "// %d rows.\n", rows)
	fmt.Fprintf(&g.Buffer, "TEXT ·%s(SB), NOSPLIT, $0-40\n", name)
	g.p("MOVQ groups+0(FP), CX")
	g.p("MOVQ src+8(FP), SI")
	g.p("MOVQ lds+16(FP), R8")
	g.p("MOVQ dst+24(FP), DI")
	g.p("MOVQ ldd+32(FP), R9")
	shift := 2
	if f64 {
		shift = 3
	}
	g.p("SHLQ $%d, R8", shift)
	g.p("SHLQ $%d, R9", shift)
	g.p("TESTQ CX, CX")
	g.p("JZ %s_done", name)
	g.label(name + "_loop")
	g.p("MOVQ SI, R10")
	for r := 0; r < 8; r++ {
		if r < rows {
			g.p("VMOVUP%s (R10), %s", map[bool]string{false: "S", true: "D"}[f64], y(r))
			if r < rows-1 {
				g.p("ADDQ R8, R10")
			}
		} else {
			g.p("VXORPS %s, %s, %s", y(r), y(r), y(r))
		}
	}
	if !f64 {
		for i := 0; i < 4; i++ {
			g.p("VUNPCKLPS %s, %s, %s", y(2*i+1), y(2*i), y(8+2*i))
			g.p("VUNPCKHPS %s, %s, %s", y(2*i+1), y(2*i), y(8+2*i+1))
		}
		// tt[4h+0..3] in Y0..Y7 from t[4h+0..3].
		for h := 0; h < 2; h++ {
			t := func(i int) string { return y(8 + 4*h + i) }
			g.p("VSHUFPS $0x44, %s, %s, %s", t(2), t(0), y(4*h+0))
			g.p("VSHUFPS $0xee, %s, %s, %s", t(2), t(0), y(4*h+1))
			g.p("VSHUFPS $0x44, %s, %s, %s", t(3), t(1), y(4*h+2))
			g.p("VSHUFPS $0xee, %s, %s, %s", t(3), t(1), y(4*h+3))
		}
		for j := 0; j < 4; j++ {
			g.p("VPERM2F128 $0x20, %s, %s, %s", y(4+j), y(j), y(8+j))
			g.p("VPERM2F128 $0x31, %s, %s, %s", y(4+j), y(j), y(12+j))
		}
		for p := 0; p < 8; p++ {
			g.p("VMOVUPS %s, (DI)", y(8+p))
			g.p("ADDQ R9, DI")
		}
		g.p("ADDQ $32, SI")
	} else {
		// Two 4×4 transposes: rows 0–3 → columns in Y8..Y11, rows 4–7 →
		// Y12..Y15.
		for h := 0; h < 2; h++ {
			r := func(i int) string { return y(4*h + i) }
			t := func(i int) string { return y(8 + 4*h + i) }
			g.p("VUNPCKLPD %s, %s, %s", r(1), r(0), t(0))
			g.p("VUNPCKHPD %s, %s, %s", r(1), r(0), t(1))
			g.p("VUNPCKLPD %s, %s, %s", r(3), r(2), t(2))
			g.p("VUNPCKHPD %s, %s, %s", r(3), r(2), t(3))
			g.p("VPERM2F128 $0x20, %s, %s, %s", t(2), t(0), r(0))
			g.p("VPERM2F128 $0x20, %s, %s, %s", t(3), t(1), r(1))
			g.p("VPERM2F128 $0x31, %s, %s, %s", t(2), t(0), r(2))
			g.p("VPERM2F128 $0x31, %s, %s, %s", t(3), t(1), r(3))
		}
		for p := 0; p < 4; p++ {
			g.p("VMOVUPD %s, (DI)", y(p))
			if rows > 4 {
				g.p("VMOVUPD %s, 32(DI)", y(4+p))
			}
			g.p("ADDQ R9, DI")
		}
		g.p("ADDQ $32, SI")
	}
	g.p("DECQ CX")
	g.p("JNZ %s_loop", name)
	g.label(name + "_done")
	g.p("VZEROUPPER")
	g.p("RET")
	g.WriteString("\n")
}

func main() {
	var g gen
	g.WriteString("// Code generated by asmgen.go; DO NOT EDIT.\n\n//go:build !purego\n\n#include \"textflag.h\"\n\n")
	for _, s := range specs {
		g.kernel(s)
	}
	g.packCopy("packCopyS", false)
	g.packCopy("packCopyD", true)
	g.packTrans("packTransS16", false, 16)
	g.packTrans("packTransS14", false, 14)
	g.packTrans("packTransD8", true, 8)
	g.packTrans("packTransD6", true, 6)
	g.WriteString("// masktab<> is 8 all-ones 32-bit lanes then 8 zero lanes: the 32 bytes\n// from 32-4c are the VMASKMOVPS mask of c float32 (or c/2 float64) lanes.\n")
	for i := 0; i < 4; i++ {
		g.WriteString(fmt.Sprintf("DATA masktab<>+%d(SB)/8, $0xffffffffffffffff\n", 8*i))
	}
	for i := 4; i < 8; i++ {
		g.WriteString(fmt.Sprintf("DATA masktab<>+%d(SB)/8, $0\n", 8*i))
	}
	g.WriteString("GLOBL masktab<>(SB), RODATA|NOPTR, $64\n\n")
	g.packCopyAVX2("packCopySAVX2", false)
	g.packCopyAVX2("packCopyDAVX2", true)
	g.packTransAVX2("packTransS8AVX2", false, 8)
	g.packTransAVX2("packTransS6AVX2", false, 6)
	g.packTransAVX2("packTransD8AVX2", true, 8)
	g.packTransAVX2("packTransD6AVX2", true, 6)
	if err := os.WriteFile("kernel_amd64.s", g.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	// Print the shapes so kernel_amd64.go can be checked against them.
	for _, s := range specs {
		fmt.Printf("%s: MR=%d NR=%d\n", s.name, s.mr, s.nr)
	}
}
