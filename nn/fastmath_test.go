package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The former float32 GELU path: per-element closures over the scalar
// rational approximations below (Eigen's generic_fast_tanh_float and
// generic_fast_erf_float, Cephes' expf), about 10 ns per element. GELU and
// GELUTanh now use package vecmath; this path stays here to compare the two
// in the same run (BenchmarkGELUPath, BenchmarkTransformerStepGELU) and to
// check that the numbers did not move beyond the approximation errors.
var scalarGELU32 = geluKernels32{
	erf: func(y, x []float32) {
		for i, v := range x {
			y[i] = 0.5 * v * (1 + erf32(v*(1/sqrt2)))
		}
	},
	erfGrad: func(dx, x, dy []float32) {
		for i, v := range x {
			dx[i] = dy[i] * (0.5*(1+erf32(v*(1/sqrt2))) + v*invSqrt2P*exp32(-0.5*v*v))
		}
	},
	tanh: func(y, x []float32) {
		for i, v := range x {
			y[i] = 0.5 * v * (1 + tanh32(sqrt2OvPi*(v+0.044715*v*v*v)))
		}
	},
	tanhGrad: func(dx, x, dy []float32) {
		for i, v := range x {
			t := tanh32(sqrt2OvPi * (v + 0.044715*v*v*v))
			dx[i] = dy[i] * (0.5*(1+t) + 0.5*v*(1-t*t)*sqrt2OvPi*(1+3*0.044715*v*v))
		}
	},
}

// useGELU32 installs k as the float32 GELU kernels until the test ends.
func useGELU32(tb testing.TB, k geluKernels32) {
	old := gelu32
	gelu32 = k
	tb.Cleanup(func() { gelu32 = old })
}

// tanh32 is Eigen's [13/6] rational tanh, clamped to ±7.90531110763549805.
func tanh32(x float32) float32 {
	const clamp = 7.90531110763549805
	if x > clamp {
		x = clamp
	} else if x < -clamp {
		x = -clamp
	}
	if x < 0.0004 && x > -0.0004 {
		return x
	}
	const (
		a1  = 4.89352455891786e-03
		a3  = 6.37261928875436e-04
		a5  = 1.48572235717979e-05
		a7  = 5.12229709037114e-08
		a9  = -8.60467152213735e-11
		a11 = 2.00018790482477e-13
		a13 = -2.76076847742355e-16
		b0  = 4.89352518554385e-03
		b2  = 2.26843463243900e-03
		b4  = 1.18534705686654e-04
		b6  = 1.19825839466702e-06
	)
	x2 := x * x
	p := float32(a13)
	p = p*x2 + a11
	p = p*x2 + a9
	p = p*x2 + a7
	p = p*x2 + a5
	p = p*x2 + a3
	p = p*x2 + a1
	p *= x
	q := float32(b6)
	q = q*x2 + b4
	q = q*x2 + b2
	q = q*x2 + b0
	return p / q
}

// erf32 is Eigen's [13/8] rational erf, clamped to ±4.
func erf32(x float32) float32 {
	if x > 4 {
		x = 4
	} else if x < -4 {
		x = -4
	}
	const (
		a1  = -1.60960333262415e-02
		a3  = -2.95459980854025e-03
		a5  = -7.34990630326855e-04
		a7  = -5.69250639462346e-05
		a9  = -2.10102402082508e-06
		a11 = 2.77068142495902e-08
		a13 = -2.72614225801306e-10
		b0  = -1.42647390514189e-02
		b2  = -7.37332916720468e-03
		b4  = -1.68282697438203e-03
		b6  = -2.13374055278905e-04
		b8  = -1.45660718464996e-05
	)
	x2 := x * x
	p := float32(a13)
	p = p*x2 + a11
	p = p*x2 + a9
	p = p*x2 + a7
	p = p*x2 + a5
	p = p*x2 + a3
	p = p*x2 + a1
	p *= x
	q := float32(b8)
	q = q*x2 + b6
	q = q*x2 + b4
	q = q*x2 + b2
	q = q*x2 + b0
	return p / q
}

// exp32 is Cephes' expf: 0 below −87.33654, +Inf above 88.72283.
func exp32(x float32) float32 {
	if x > 88.72283 {
		return float32(math.Inf(1))
	}
	if x < -87.33654 {
		return 0
	}
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	n := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - n*ln2hi - n*ln2lo
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// TestGELUPathsAgree compares the float32 GELU kernels in use with the
// former scalar path on a dense grid over [−12, 12]: both approximate the
// same functions to a few float32 ulps of max(1, |x|) (the scalar one to
// 12 ulps for GELU-tanh at x = −12, where 0.5·x·(1 + tanh) cancels), so
// they must agree to 2e−6·max(1, |x|).
func TestGELUPathsAgree(t *testing.T) {
	const n = 1 << 16
	x := make([]float32, n+1)
	dy := make([]float32, n+1)
	for i := range x {
		x[i] = float32(-12 + 24*float64(i)/n)
		dy[i] = 1
	}
	cur := gelu32
	a, b := make([]float32, len(x)), make([]float32, len(x))
	check := func(name string) {
		for i, v := range x {
			tol := 2e-6 * math.Max(1, math.Abs(float64(v)))
			require.InDelta(t, a[i], b[i], tol, "%s(%g)", name, v)
		}
	}
	cur.erf(a, x)
	scalarGELU32.erf(b, x)
	check("GELU")
	cur.tanh(a, x)
	scalarGELU32.tanh(b, x)
	check("GELUTanh")
	cur.erfGrad(a, x, dy)
	scalarGELU32.erfGrad(b, x, dy)
	check("GELUGrad")
	cur.tanhGrad(a, x, dy)
	scalarGELU32.tanhGrad(b, x, dy)
	check("GELUTanhGrad")
}

// BenchmarkGELUPath measures one GELU-tanh forward and backward over the
// transformer benchmark's MLP activation (32·16 tokens × 512), through the
// graph op with ParallelFor, for the kernels in use and the former scalar
// path, and reports ns per element:
//
//	go test -run '^$' -bench GELUPath ./nn
func BenchmarkGELUPath(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 32 * 16 * 512
	x := make([]float32, n)
	dy := make([]float32, n)
	y := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
		dy[i] = float32(rng.NormFloat64())
	}
	for _, path := range []struct {
		name string
		k    geluKernels32
	}{{"vecmath", gelu32}, {"scalar", scalarGELU32}} {
		b.Run(path.name, func(b *testing.B) {
			for b.Loop() {
				mapSlices32(y, x, path.k.tanh)
				mapGradSlices32(y, x, dy, path.k.tanhGrad)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/elem")
		})
	}
}

// BenchmarkTransformerStepGELU is BenchmarkTransformerStep (bench_test.go)
// with the float32 GELU kernels in use and with the former scalar path, on
// the same program, alternating so that both see the same machine load:
//
//	GOMAXPROCS=1 go test -run '^$' -bench TransformerStepGELU ./nn
func BenchmarkTransformerStepGELU(b *testing.B) {
	s := newTransformerStep(b, 4, 128, 4, 32, 16, 1)
	s.run(b)
	for _, path := range []struct {
		name string
		k    geluKernels32
	}{{"vecmath", gelu32}, {"scalar", scalarGELU32}} {
		b.Run(path.name, func(b *testing.B) {
			useGELU32(b, path.k)
			s.run(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				s.run(b)
			}
		})
	}
}
