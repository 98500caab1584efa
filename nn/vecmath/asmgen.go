// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build ignore

// asmgen writes kernel_amd64.s, the AVX-512 and AVX2+FMA kernels of package
// vecmath, and consts.go, the coefficients they share with the portable Go
// kernels of generic.go. Run it with `go generate` in nn/vecmath; the output
// is reproduced byte for byte.
//
// Every kernel has one of the Go signatures
//
//	func name(dst, x *float32, n int)          // dst[i] = f(x[i])
//	func name(dx, x, dy *float32, n int)       // dx[i] = dy[i]·f′(x[i])
//
// and processes n elements, a vector of 16 (AVX-512) or 8 (AVX2) lanes per
// iteration; the last n mod lanes elements are one more vector under a mask
// (AVX-512 opmask, AVX VMASKMOVPS), so every element goes through the same
// instructions wherever it sits in the slice. The approximations are written
// once, as sequences of vector operations (the body methods below), and
// emitted for both instruction sets; generic.go evaluates the same sequences
// with scalar float32 arithmetic.
//
// Constants live in one read-only table, each replicated over 32 bytes: AVX2
// instructions read them as 256-bit memory operands, AVX-512 ones as
// embedded broadcasts ({1to16}) of the first four bytes. Clamps are
// VMAXPS/VMINPS with the bound in a register loaded before the loop and the
// data as the second source, the operand whose NaN the instructions return,
// so NaN inputs propagate.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"math"
	"os"
	"strconv"
	"strings"
)

// constant is one entry of the table vconst<> and of consts.go.
type constant struct {
	name  string
	doc   string
	f     float32
	i     int32
	isInt bool
}

var consts []constant

func fc(name, doc string, v float64) string {
	consts = append(consts, constant{name: name, doc: doc, f: float32(v)})
	return name
}

func ic(name, doc string, v int32) string {
	consts = append(consts, constant{name: name, doc: doc, i: v, isInt: true})
	return name
}

// Coefficients. The sources are cited in consts.go through the doc strings.
var (
	// Eigen's generic_fast_tanh_float: tanh(x) ≈ x·P(x²)/Q(x²).
	tanhA = []float64{4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05,
		5.12229709037114e-08, -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16}
	tanhB = []float64{4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06}
	// Φ(−a) for a ≥ 0 as exp(−a²/2)·G(t)/(1 + √2a), G(t) = (1 + 2z)·erfcx(z)/2
	// with z = a/√2, t = (z − K)/(z + K) = (a − 4)/(a + 4) for K = 2√2: the
	// expansion of Shepherd & Laframboise (Math. Comp. 36, 1981), here a
	// degree-10 fit for float32 (relative error 2.4e−9 over z ∈ [0, 10.5]
	// before rounding the coefficients, 3.1e−8 after). K√2 = 4 makes
	// 1/(a + 4) exact at a = 0, so Φ(0) = G(−1) = 1/2 exactly. The
	// coefficients of (1 + 2z)·erfcx(z) were computed with numpy 1.24 and
	// scipy 1.10 by weighted least squares iterated toward minimax relative
	// error (P = numpy.polynomial.polynomial):
	//
	//	K, deg, zmax = 2*math.sqrt(2), 10, 10.5; tmax = (zmax-K)/(zmax+K)
	//	tn = np.cos(np.pi*(np.arange(4000)+0.5)/4000); t = -1 + (tn+1)/2*(tmax+1)
	//	z = K*(1+t)/(1-t); g = (1+2*z)*scipy.special.erfcx(z)
	//	w = 1/g; coef = P.polyfit(t, g, deg, w=w)
	//	for _ in range(30):
	//	    r = np.abs(P.polyval(t, coef)/g - 1); w = w*(r/r.max()+1e-3)**0.5
	//	    coef = P.polyfit(t, g, deg, w=w)
	erfcxG = []float64{1.2569557586616653, -0.13235660342546465, -0.06344232343285304,
		0.1402969629374956, -0.11663689451376495, 0.057780886320180545, -0.01457289006817,
		-0.0013992102651223723, 0.0021028563764707857, -0.00012271880288133977, -0.00020719266110749856}
	// Cephes expf: e^r ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2.
	expP = []float64{5.0000001201e-1, 1.6666665459e-1, 4.1665795894e-2, 8.3334519073e-3,
		1.3981999507e-3, 1.9875691500e-4}
)

const (
	sqrt2OverPi = 0.79788456080286535588 // √(2/π)
	geluKappa   = 0.044715
)

// Table entries, in order. The names are Go identifiers in consts.go.
var (
	cOne  = fc("one", "", 1)
	cHalf = fc("half", "", 0.5)

	cExpLo    = fc("expLo", "exp clamp: e^x rounds to 0 below (e^−104 < 2^−150)", -104)
	cExpHi    = fc("expHi", "exp clamp: e^x overflows to +Inf above (e^88.8 > MaxFloat32)", 88.8)
	cExpLog2e = fc("expLog2e", "log2(e), for n = round(x·log2 e)", math.Log2E)
	cExpC1    = fc("expC1", "ln 2 = expC1 + expC2 (Cephes' split: n·expC1 is exact for |n| < 2^15)", 0.693359375)
	cExpC2    = fc("expC2", "ln 2 − expC1", -2.12194440e-4)
	cExpP     = polyConsts("expP", "Cephes expf polynomial: e^r ≈ 1 + r + r²·Σ expP_k r^k", expP, 1, 1, 0)
	cExpBias  = ic("expBias", "float32 exponent bias", 127)

	// tanh: Eigen's coefficients as they are; below tanhTiny the result is
	// x itself, as in Eigen (the rational's x·a1/b0 is 1.3e−7 off and
	// underflows for subnormal x).
	cTanhP    = polyConsts("tanhP", "tanh(x) ≈ x·Σ tanhP_k x^2k / Σ tanhQ_k x^2k (Eigen's [13/6] rational, generic_fast_tanh_float)", tanhA, 1, 1, 0)
	cTanhQ    = polyConsts("tanhQ", "denominator of the tanh rational", tanhB, 1, 1, -1)
	cTanhTiny = fc("tanhTiny", "tanh(x) = x for |x| < tanhTiny (Eigen's cut-off; x³/3 is below an ulp of x)", 0.0004)
	cAbsMask  = ic("absMask", "clears the sign bit", 0x7fffffff)
	cTanhMax  = fc("tanhMax", "tanh clamp: the rational gives exactly 1 at 9, where float32 tanh rounds to 1 (it exceeds 1 by 2 ulps near 8: the result is clamped to ±1 too)", 9)
	cTanhMin  = fc("tanhMin", "−tanhMax", -9)
	cMinusOne = fc("minusOne", "", -1)

	// Φ, for GELU in its erf form; see erfcxG.
	cPhiG       = powerConsts("phiG", "Φ(−a) ≈ exp(−a²/2)·Σ phiG_k t^k/(1 + √2a), t = (a − phiK)/(a + phiK) (erfcxG in asmgen.go, halved)", erfcxG, 0.5)
	cPhiK       = fc("phiK", "K√2 = 4 for K = 2√2 in t = (z − K)/(z + K), z = a/√2", 4)
	cSqrt2      = fc("sqrt2", "", math.Sqrt2)
	cPhiMax     = fc("phiMax", "a = |x| clamp: Φ(−18) = 0 in float32; (a + phiK)(1 + √2a) stays finite and exp(−a²/2) needs no clamp (its 2ⁿ scale has n ≥ −234)", 18)
	cInvSqrt2Pi = fc("invSqrt2Pi", "1/√(2π): φ(x) = exp(−x²/2)/√(2π)", 1/math.Sqrt(2*math.Pi))
	cMinusHalf  = fc("minusHalf", "", -0.5)
	cZero       = fc("zero", "", 0)

	// GELU, tanh form: x·σ(2u) with u = √(2/π)(x + κx³).
	cGTV0 = fc("gtV0", "−2√(2/π): v = −2u = x·(gtV0 + gtV1·x²)", -2*sqrt2OverPi)
	cGTV1 = fc("gtV1", "−2√(2/π)κ", -2*sqrt2OverPi*geluKappa)
	cGTW0 = fc("gtW0", "2√(2/π): 2u′ = gtW0 + gtW1·x²", 2*sqrt2OverPi)
	cGTW1 = fc("gtW1", "6√(2/π)κ", 6*sqrt2OverPi*geluKappa)
	cGTX2 = fc("gtX2Max", "x² clamp of the GELU-tanh derivative (keeps 2u′ finite)", 1e30)
)

// polyConsts registers coefficients c_k·s^(2k+1+shift)·scale: shift 0 for an
// odd numerator x·P(x²) evaluated at s·x, −1 for an even denominator.
func polyConsts(name, doc string, c []float64, s, scale float64, shift int) []string {
	names := make([]string, len(c))
	for k, v := range c {
		d := ""
		if k == 0 {
			d = doc
		}
		names[k] = fc(fmt.Sprintf("%s%d", name, k), d, v*math.Pow(s, float64(2*k+1+shift))*scale)
	}
	return names
}

// powerConsts registers coefficients c_k·scale of a power series in t.
func powerConsts(name, doc string, c []float64, scale float64) []string {
	names := make([]string, len(c))
	for k, v := range c {
		d := ""
		if k == 0 {
			d = doc
		}
		names[k] = fc(fmt.Sprintf("%s%d", name, k), d, v*scale)
	}
	return names
}

func constIndex(name string) int {
	for i, c := range consts {
		if c.name == name {
			return i
		}
	}
	log.Fatalf("unknown constant %s", name)
	return 0
}

// kgen emits one kernel for one instruction set.
type kgen struct {
	buf    *bytes.Buffer
	avx512 bool
	name   string
	// lowest is the lowest constant register of the kernel being emitted;
	// off is added to the numbers of the registers below it (the second
	// stream of an unrolled AVX-512 loop uses Z16 up).
	lowest, off int
}

const (
	maskReg = 15 // AVX2 tail mask (Y15)
)

func (k *kgen) p(format string, args ...any) {
	fmt.Fprintf(k.buf, "\t"+format+"\n", args...)
}

func (k *kgen) r(i int) string {
	if i < 0 || i > 15 {
		log.Fatalf("%s: register %d out of range", k.name, i)
	}
	if i < k.lowest {
		i += k.off
	}
	if k.avx512 {
		return fmt.Sprintf("Z%d", i)
	}
	return fmt.Sprintf("Y%d", i)
}

// unroll is the number of vectors per main-loop iteration: two on
// AVX-512, whose 32 registers hold two interleaved copies of a body (5–15 %
// faster than one on Zen 5), one on AVX2.
func (k *kgen) unroll() int {
	if k.avx512 {
		return 2
	}
	return 1
}

func (k *kgen) lanes() int {
	if k.avx512 {
		return 16
	}
	return 8
}

// m is the memory operand of constant c.
func (k *kgen) m(c string) string { return fmt.Sprintf("vconst<>+%d(SB)", 32*constIndex(c)) }

// opc emits OP c, a, d with c a table constant: d = a OP c (embedded
// broadcast on AVX-512).
func (k *kgen) opc(op, c string, a, d int) {
	if k.avx512 {
		op += ".BCST"
	}
	k.p("%s %s, %s, %s", op, k.m(c), k.r(a), k.r(d))
}

// op emits OP b, a, d: d = a OP b in Intel's operand order (d, a, b).
func (k *kgen) op(op string, b, a, d int) { k.p("%s %s, %s, %s", op, k.r(b), k.r(a), k.r(d)) }

func (k *kgen) bcast(c string, d int) { k.p("VBROADCASTSS %s, %s", k.m(c), k.r(d)) }

// max and min: d = max(bound, x) and min(bound, x), bound a register; a NaN
// x is returned as is (the second source).
func (k *kgen) max(bound, x, d int) { k.op("VMAXPS", x, bound, d) }
func (k *kgen) min(bound, x, d int) { k.op("VMINPS", x, bound, d) }

// horner evaluates d = Σ c_k t^k (t a register) from the highest
// coefficient down.
func (k *kgen) horner(c []string, t, d int) {
	k.bcast(c[len(c)-1], d)
	for i := len(c) - 2; i >= 0; i-- {
		k.opc("VFMADD213PS", c[i], t, d) // d = t·d + c_i
	}
}

// exp sets d = e^x. x is kept unless it is d or t[0]; t holds four scratch
// registers; lo and hi are registers holding expLo and expHi, or −1 when x
// is known to be above expLo (below expHi) or NaN. Without the low clamp x
// must be at least −252·ln 2 on AVX2, whose 2ⁿ scale is two steps of normal
// numbers.
func (k *kgen) exp(x, d int, t [4]int, lo, hi int) {
	r, n, p, r2 := t[0], t[1], t[2], t[3]
	src := x
	if lo >= 0 {
		k.max(lo, src, r)
		src = r
	}
	if hi >= 0 {
		k.min(hi, src, r)
		src = r
	}
	if src != r { // without clamps, t[0] = x clobbers x instead
		k.p("VMOVAPS %s, %s", k.r(src), k.r(r))
	}
	// n = round(x·log2 e), r = x − n·ln 2 (two steps), |r| ≤ ln2/2.
	k.opc("VMULPS", cExpLog2e, r, n)
	if k.avx512 {
		k.p("VRNDSCALEPS $0, %s, %s", k.r(n), k.r(n))
	} else {
		k.p("VROUNDPS $0, %s, %s", k.r(n), k.r(n))
	}
	k.opc("VFNMADD231PS", cExpC1, n, r) // r = r − n·C1
	k.opc("VFNMADD231PS", cExpC2, n, r) // r = r − n·C2
	// p = 1 + r + r²·P(r).
	k.horner(cExpP, r, p)
	k.op("VMULPS", r, r, r2)
	k.op("VFMADD213PS", r, r2, p) // p = r²·p + r
	k.opc("VADDPS", cOne, p, p)
	// d = p·2^n, n ∈ [−150, 128]: VSCALEFPS on AVX-512; on AVX2 two
	// exact steps 2^⌊n/2⌋·2^(n−⌊n/2⌋), each a normal number, so that
	// subnormal results are rounded once, as VSCALEFPS does.
	if k.avx512 {
		k.op("VSCALEFPS", n, p, d)
		return
	}
	k.p("VCVTPS2DQ %s, %s", k.r(n), k.r(n))
	k.p("VPSRAD $1, %s, %s", k.r(n), k.r(r2))
	k.op("VPSUBD", r2, n, n)
	k.opc("VPADDD", cExpBias, r2, r2)
	k.opc("VPADDD", cExpBias, n, n)
	k.p("VPSLLD $23, %s, %s", k.r(r2), k.r(r2))
	k.p("VPSLLD $23, %s, %s", k.r(n), k.r(n))
	k.op("VMULPS", r2, p, p)
	k.op("VMULPS", n, p, d)
}

// rational sets d = t·P(t²)/Q(t²) with scratch register s for t² and q for
// Q.
//
// Divisions are VDIVPS: on Zen 5 it measured faster than VRCP14PS with a
// Newton step (GELUTanh 0.20 against 0.24 ns per element), since the divider
// works beside the FMA pipes, which are the bottleneck; it is also
// correctly rounded and gives 1/∞ = 0, which the Newton step turns into NaN.
func (k *kgen) rational(pc, qc []string, t, d, s, q int) {
	k.op("VMULPS", t, t, s)
	k.horner(pc, s, d)
	k.op("VMULPS", t, d, d)
	k.horner(qc, s, q)
	k.op("VDIVPS", q, d, d)
}

// A kernel body reads its inputs from registers 0 (x) and 1 (dy) and
// returns the register holding the result. consts are loaded into the
// registers numbered from 14 down before the loop (their indices are passed
// to the body in that order).
type kernel struct {
	name   string
	grad   bool
	consts []string
	body   func(k *kgen, c []int) int
}

var kernels = []kernel{
	{name: "exp", consts: []string{cExpLo, cExpHi}, body: func(k *kgen, c []int) int {
		k.exp(0, 0, [4]int{1, 2, 3, 4}, c[0], c[1])
		return 0
	}},
	{name: "tanh", consts: []string{cTanhMin, cTanhMax, cMinusOne, cOne}, body: func(k *kgen, c []int) int {
		// t = clamp(x, ±9) (NaN kept), y = clamp(t·P/Q, ±1), or x where
		// |x| < tanhTiny.
		k.max(c[0], 0, 1)
		k.min(c[1], 1, 1)
		k.rational(cTanhP, cTanhQ, 1, 2, 3, 4)
		k.max(c[2], 2, 2)
		k.min(c[3], 2, 2)
		k.opc("VANDPS", cAbsMask, 0, 5)
		if k.avx512 {
			kr := fmt.Sprintf("K%d", 2+k.off/16)                          // one opmask per stream
			k.p("VCMPPS.BCST $1, %s, %s, %s", k.m(cTanhTiny), k.r(5), kr) // |x| < tiny (false for NaN)
			k.p("VMOVAPS %s, %s, %s", k.r(0), kr, k.r(2))
		} else {
			k.p("VCMPPS $1, %s, %s, %s", k.m(cTanhTiny), k.r(5), k.r(5))
			k.p("VBLENDVPS %s, %s, %s, %s", k.r(5), k.r(0), k.r(2), k.r(2))
		}
		return 2
	}},
	{name: "geluTanh", consts: []string{cExpLo, cExpHi}, body: func(k *kgen, c []int) int {
		// y = x/(1 + e^v), v = −2√(2/π)(x + κx³).
		k.op("VMULPS", 0, 0, 1)
		k.bcast(cGTV1, 2)
		k.opc("VFMADD213PS", cGTV0, 1, 2) // gtV1·x² + gtV0
		k.op("VMULPS", 0, 2, 2)           // v
		k.exp(2, 3, [4]int{4, 5, 6, 7}, c[0], c[1])
		k.opc("VADDPS", cOne, 3, 3)
		k.op("VDIVPS", 3, 0, 3)
		return 3
	}},
	{name: "geluTanhGrad", grad: true, consts: []string{cExpLo, cExpHi, cGTX2}, body: func(k *kgen, c []int) int {
		// s = σ(2u) = 1/(1+e), e = e^v; 1 − s = e·s;
		// gelu′ = s + x·2u′·s(1 − s).
		k.op("VMULPS", 0, 0, 2)
		k.min(c[2], 2, 2) // x² (≤ 1e30)
		k.bcast(cGTV1, 3)
		k.opc("VFMADD213PS", cGTV0, 2, 3)
		k.op("VMULPS", 0, 3, 3) // v
		k.exp(3, 4, [4]int{5, 6, 7, 8}, c[0], c[1])
		k.opc("VADDPS", cOne, 4, 5)
		k.bcast(cOne, 6)
		k.op("VDIVPS", 5, 6, 6) // s
		// c = min(e·s, 1): e·s is NaN where e = +Inf and s = 0 (x ≲ −9.1);
		// VMINPS returns its second source, 1, then.
		k.op("VMULPS", 6, 4, 7)
		k.opc("VMINPS", cOne, 7, 7)
		k.op("VMULPS", 6, 7, 7) // s(1 − s)
		k.bcast(cGTW1, 3)
		k.opc("VFMADD213PS", cGTW0, 2, 3) // 2u′
		k.op("VMULPS", 7, 3, 3)
		k.op("VFMADD213PS", 6, 0, 3) // x·(2u′·s(1−s)) + s
		k.op("VMULPS", 1, 3, 3)
		return 3
	}},
	{name: "gelu", consts: []string{cPhiMax}, body: func(k *kgen, c []int) int {
		// y = x·Φ(x), Φ = Q for x < 0 and 1 − Q otherwise, Q = Φ(−|x|).
		// (x − x·Q would save a rounding but gives ∞ − ∞ at x = +Inf.)
		k.phiTail(c[0]) // Q in 9
		k.bcast(cOne, 7)
		k.op("VSUBPS", 9, 7, 7)
		k.selectNegative(9, 7, 4) // Φ
		k.op("VMULPS", 0, 7, 7)
		return 7
	}},
	{name: "geluGrad", grad: true, consts: []string{cPhiMax}, body: func(k *kgen, c []int) int {
		// gelu′ = Φ(x) + x·φ(x), Φ = Q for x < 0, 1 − Q otherwise,
		// φ = exp(−x²/2)/√(2π).
		k.phiTail(c[0]) // Q in 9, exp(−a²/2) in 6
		k.bcast(cOne, 7)
		k.op("VSUBPS", 9, 7, 7)
		k.selectNegative(9, 7, 4) // Φ
		k.op("VMULPS", 0, 6, 6)
		k.opc("VFMADD231PS", cInvSqrt2Pi, 6, 7) // x·exp(−x²/2)/√(2π) + Φ
		k.op("VMULPS", 1, 7, 7)
		return 7
	}},
}

// phiTail sets register 9 to Q = Φ(−a) and register 6 to exp(−a²/2) for
// a = min(|x|, phiMax), x in register 0 (NaN kept), from register cMax
// holding phiMax. It uses registers 2 to 10 and leaves 0 and 1 alone:
//
//	a² = hi + lo exactly (FMA), e = exp(−hi/2)·(1 − lo/2),
//	u = a + phiK, w = 1 + √2a, r = 1/(u·w),
//	t = 2·a·(w·r) − 1, Q = G(t)·(u·r)·e,
//
// t computed from a/u is exactly −1 at a = 0, where G(−1) = 1/2.
func (k *kgen) phiTail(cMax int) {
	k.opc("VANDPS", cAbsMask, 0, 2)
	k.min(cMax, 2, 2)                       // a
	k.opc("VMULPS", cMinusHalf, 2, 3)       // m = −a/2
	k.op("VMULPS", 3, 2, 5)                 // h = a·m = −hi/2
	k.op("VFMSUB213PS", 5, 2, 3)            // a·m − h = −lo/2
	k.exp(5, 6, [4]int{5, 7, 8, 9}, -1, -1) // exp(h); h ≥ −phiMax²/2
	k.op("VFMADD231PS", 3, 6, 6)            // e·(−lo/2) + e
	k.opc("VADDPS", cPhiK, 2, 3)            // u
	k.bcast(cSqrt2, 4)
	k.opc("VFMADD213PS", cOne, 2, 4) // w = √2a + 1
	k.op("VMULPS", 4, 3, 5)
	k.bcast(cOne, 7)
	k.op("VDIVPS", 5, 7, 7) // r
	k.op("VMULPS", 7, 4, 8) // w·r = 1/u
	k.op("VMULPS", 2, 8, 8) // σ = a/u, exactly 0 at a = 0
	k.op("VADDPS", 8, 8, 8)
	k.opc("VSUBPS", cOne, 8, 8) // t = 2σ − 1 = (a − phiK)/(a + phiK)
	k.horner(cPhiG, 8, 9)
	k.op("VMULPS", 7, 3, 10) // u·r = 1/w
	k.op("VMULPS", 10, 9, 9)
	k.op("VMULPS", 6, 9, 9) // Q
}

// selectNegative sets register d to n where x (register 0) < 0 and leaves
// d where not (x ≥ 0 or NaN), with scratch register s (AVX2).
func (k *kgen) selectNegative(n, d, s int) {
	if k.avx512 {
		kr := fmt.Sprintf("K%d", 2+k.off/16) // one opmask per stream
		k.p("VCMPPS.BCST $1, %s, %s, %s", k.m(cZero), k.r(0), kr)
		k.p("VMOVAPS %s, %s, %s", k.r(n), kr, k.r(d))
		return
	}
	k.p("VCMPPS $1, %s, %s, %s", k.m(cZero), k.r(0), k.r(s))
	k.p("VBLENDVPS %s, %s, %s, %s", k.r(s), k.r(n), k.r(d), k.r(d))
}

func (k *kgen) kernel(kr kernel) {
	name := kr.name + map[bool]string{true: "AVX512", false: "AVX2"}[k.avx512]
	k.name = name
	lanes := k.lanes()
	args := "dst, x *float32, n int"
	frame := 24
	if kr.grad {
		args = "dx, x, dy *float32, n int"
		frame = 32
	}
	isa := map[bool]string{true: "AVX-512F", false: "AVX2+FMA"}[k.avx512]
	fmt.Fprintf(k.buf, "// func %s(%s)\n// %s, %d lanes.\n", name, args, isa, lanes)
	fmt.Fprintf(k.buf, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", name, frame)
	if kr.grad {
		k.p("MOVQ dx+0(FP), DI")
		k.p("MOVQ x+8(FP), SI")
		k.p("MOVQ dy+16(FP), DX")
		k.p("MOVQ n+24(FP), CX")
	} else {
		k.p("MOVQ dst+0(FP), DI")
		k.p("MOVQ x+8(FP), SI")
		k.p("MOVQ n+16(FP), CX")
	}
	c := make([]int, len(kr.consts))
	for i, name := range kr.consts {
		c[i] = 14 - i
		k.bcast(name, c[i])
	}
	k.lowest = 15 - len(c)
	shift := map[int]int{16: 4, 8: 3}[lanes]
	vb := 4 * lanes
	if k.unroll() > 1 {
		// Two vectors per iteration, their instructions interleaved, so
		// that the out-of-order core finds independent work within a
		// smaller window.
		k.p("MOVQ CX, BX")
		k.p("SHRQ $%d, BX", shift+1)
		k.p("JZ %s_one", name)
		fmt.Fprintf(k.buf, "%s_loop2:\n", name)
		var streams [2][]string
		var outs [2]int
		for s := range streams {
			k.off = 16 * s
			var body bytes.Buffer
			saved := k.buf
			k.buf = &body
			k.p("VMOVUPS %d(SI), %s", s*vb, k.r(0))
			if kr.grad {
				k.p("VMOVUPS %d(DX), %s", s*vb, k.r(1))
			}
			outs[s] = k.checked(kr, c)
			k.p("VMOVUPS %s, %d(DI)", k.r(outs[s]), s*vb)
			k.buf = saved
			streams[s] = strings.SplitAfter(strings.TrimSuffix(body.String(), "\n"), "\n")
		}
		k.off = 0
		for i := 0; i < max(len(streams[0]), len(streams[1])); i++ {
			for s := range streams {
				if i < len(streams[s]) {
					k.buf.WriteString(strings.TrimSuffix(streams[s][i], "\n") + "\n")
				}
			}
		}
		k.p("ADDQ $%d, SI", 2*vb)
		if kr.grad {
			k.p("ADDQ $%d, DX", 2*vb)
		}
		k.p("ADDQ $%d, DI", 2*vb)
		k.p("DECQ BX")
		k.p("JNZ %s_loop2", name)
		fmt.Fprintf(k.buf, "%s_one:\n", name)
		k.p("MOVQ CX, BX")
		k.p("SHRQ $%d, BX", shift)
		k.p("ANDQ $1, BX")
	} else {
		k.p("MOVQ CX, BX")
		k.p("SHRQ $%d, BX", shift)
	}
	k.p("JZ %s_tail", name)
	fmt.Fprintf(k.buf, "%s_loop:\n", name)
	k.p("VMOVUPS (SI), %s", k.r(0))
	if kr.grad {
		k.p("VMOVUPS (DX), %s", k.r(1))
	}
	out := k.checked(kr, c)
	k.p("VMOVUPS %s, (DI)", k.r(out))
	k.p("ADDQ $%d, SI", vb)
	if kr.grad {
		k.p("ADDQ $%d, DX", vb)
	}
	k.p("ADDQ $%d, DI", vb)
	k.p("DECQ BX")
	k.p("JNZ %s_loop", name)
	fmt.Fprintf(k.buf, "%s_tail:\n", name)
	k.p("ANDQ $%d, CX", lanes-1)
	k.p("JZ %s_done", name)
	// Masked tail: lanes ≥ n mod lanes read as zero and are not stored.
	if k.avx512 {
		k.p("MOVL $1, AX")
		k.p("SHLL CX, AX")
		k.p("DECL AX")
		k.p("KMOVW AX, K1")
		k.p("VMOVUPS.Z (SI), K1, Z0")
		if kr.grad {
			k.p("VMOVUPS.Z (DX), K1, Z1")
		}
	} else {
		// The mask of c lanes is the 32 bytes of masktab<> from 32 − 4c.
		k.p("SHLQ $2, CX")
		k.p("NEGQ CX")
		k.p("LEAQ masktab<>+32(SB), AX")
		k.p("VMOVDQU (AX)(CX*1), Y%d", maskReg)
		k.p("VMASKMOVPS (SI), Y%d, Y0", maskReg)
		if kr.grad {
			k.p("VMASKMOVPS (DX), Y%d, Y1", maskReg)
		}
	}
	out = k.checked(kr, c)
	if k.avx512 {
		k.p("VMOVUPS %s, K1, (DI)", k.r(out))
	} else {
		k.p("VMASKMOVPS %s, Y%d, (DI)", k.r(out), maskReg)
	}
	fmt.Fprintf(k.buf, "%s_done:\n", name)
	k.p("VZEROUPPER")
	k.p("RET")
	k.buf.WriteString("\n")
}

// checked emits the body and verifies that it leaves the constant registers
// (and dy, for gradients, until it is read) alone: every register the body
// names must be below the lowest constant register.
func (k *kgen) checked(kr kernel, c []int) int {
	var body bytes.Buffer
	saved := k.buf
	k.buf = &body
	out := kr.body(k, c)
	k.buf = saved
	lowest := k.lowest
	// Parse the register numbers written (last operand) by each line.
	for _, line := range bytes.Split(body.Bytes(), []byte("\n")) {
		f := bytes.Split(line, []byte(", "))
		last := string(bytes.TrimSpace(f[len(f)-1]))
		if len(last) > 1 && (last[0] == 'Y' || last[0] == 'Z') {
			n, err := strconv.Atoi(last[1:])
			if err == nil && n >= lowest && n < 16 {
				log.Fatalf("%s: body writes %s, a constant register", k.name, last)
			}
		}
	}
	k.buf.Write(body.Bytes())
	return out
}

func writeAsm() {
	var buf bytes.Buffer
	buf.WriteString("// Code generated by asmgen.go; DO NOT EDIT.\n\n//go:build !purego\n\n#include \"textflag.h\"\n\n")
	buf.WriteString("// vconst<> holds the constants of consts.go, each replicated over 32 bytes.\n")
	for i, c := range consts {
		bits := uint32(c.i)
		if !c.isInt {
			bits = math.Float32bits(c.f)
		}
		for j := 0; j < 4; j++ {
			fmt.Fprintf(&buf, "DATA vconst<>+%d(SB)/8, $0x%08x%08x\n", 32*i+8*j, bits, bits)
		}
	}
	fmt.Fprintf(&buf, "GLOBL vconst<>(SB), RODATA|NOPTR, $%d\n\n", 32*len(consts))
	buf.WriteString("// masktab<> is 8 all-ones 32-bit lanes then 8 zero lanes: the 32 bytes\n// from 32-4c are the VMASKMOVPS mask of c float32 lanes.\n")
	for i := 0; i < 8; i++ {
		v := "0xffffffffffffffff"
		if i >= 4 {
			v = "0"
		}
		fmt.Fprintf(&buf, "DATA masktab<>+%d(SB)/8, $%s\n", 8*i, v)
	}
	buf.WriteString("GLOBL masktab<>(SB), RODATA|NOPTR, $64\n\n")
	for _, avx512 := range []bool{true, false} {
		k := &kgen{buf: &buf, avx512: avx512}
		for _, kr := range kernels {
			k.kernel(kr)
		}
	}
	if err := os.WriteFile("kernel_amd64.s", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func writeConsts() {
	var buf bytes.Buffer
	buf.WriteString("// Code generated by asmgen.go; DO NOT EDIT.\n\npackage vecmath\n\n")
	buf.WriteString("// Coefficients shared by the assembly kernels (table vconst<> in\n// kernel_amd64.s) and the portable kernels, rounded to float32 from the\n// float64 values in asmgen.go.\nconst (\n")
	for _, c := range consts {
		if c.doc != "" {
			fmt.Fprintf(&buf, "\t// %s\n", c.doc)
		}
		if c.isInt {
			fmt.Fprintf(&buf, "\t%s int32 = %d\n", c.name, c.i)
			continue
		}
		fmt.Fprintf(&buf, "\t%s float32 = %s\n", c.name, strconv.FormatFloat(float64(c.f), 'g', -1, 32))
	}
	buf.WriteString(")\n")
	src, err := format.Source(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("consts.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	writeAsm()
	writeConsts()
}
