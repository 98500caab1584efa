package nn

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAdamVectorMatchesGo: the assembly Adam kernels (where the CPU runs
// them) update parameters and moments to the same bits as the Go code, for
// plain Adam, Adam with an L2 term and AdamW, at lengths around the vector
// width, over several steps.
func TestAdamVectorMatchesGo(t *testing.T) {
	if !adamAsm {
		t.Skip("no assembly Adam kernel on this CPU")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, variant := range []string{"adam", "l2", "adamw"} {
		for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 64, 1001} {
			p := make([]float32, n)
			for i := range p {
				p[i] = float32(rng.NormFloat64())
			}
			m, v := make([]float32, n), make([]float32, n)
			pa, ma, va := slices.Clone(p), slices.Clone(m), slices.Clone(v)
			for step := 1; step <= 4; step++ {
				g := make([]float32, n)
				for i := range g {
					g[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-6)))
				}
				c := adamCoef{beta1: 0.9, beta2: 0.999, omb1: 0.1, omb2: 0.001,
					negStepSize: -1e-3 / (1 - math.Pow(0.9, float64(step))), bc2Sqrt: math.Sqrt(1 - math.Pow(0.999, float64(step))),
					eps: 1e-8, decay: 1}
				switch variant {
				case "l2":
					c.l2 = 0.05
				case "adamw":
					c.decay = 1 - 1e-3*0.05
				}
				adamAsm = false
				adamKernel32(p, g, m, v, &c)
				adamAsm = true
				adamKernel32(pa, g, ma, va, &c)
				for i := range p {
					require.Equalf(t, math.Float32bits(p[i]), math.Float32bits(pa[i]), "%s n=%d step %d p[%d]: %g vs %g", variant, n, step, i, p[i], pa[i])
					require.Equalf(t, math.Float32bits(m[i]), math.Float32bits(ma[i]), "%s n=%d step %d m[%d]", variant, n, step, i)
					require.Equalf(t, math.Float32bits(v[i]), math.Float32bits(va[i]), "%s n=%d step %d v[%d]", variant, n, step, i)
				}
			}
		}
	}
}

// TestFMA32RoundsOnce compares fma32 with a·b + c computed exactly and
// rounded once (math/big), on random operands and on operands built so that
// rounding the float64 sum and then the float32 result would go wrong.
func TestFMA32RoundsOnce(t *testing.T) {
	exact := func(a, b, c float32) float32 {
		x := new(big.Float).SetPrec(200).SetFloat64(float64(a))
		x.Mul(x, new(big.Float).SetPrec(200).SetFloat64(float64(b)))
		x.Add(x, new(big.Float).SetPrec(200).SetFloat64(float64(c)))
		f, _ := x.Float32()
		return f
	}
	rng := rand.New(rand.NewPCG(11, 12))
	check := func(a, b, c float32) {
		require.Equalf(t, math.Float32bits(exact(a, b, c)), math.Float32bits(fma32(a, b, c)), "fma32(%g, %g, %g)", a, b, c)
	}
	for range 200000 {
		a := float32(rng.NormFloat64())
		b := float32(rng.NormFloat64() * math.Pow(2, float64(rng.IntN(40)-20)))
		c := float32(rng.NormFloat64() * math.Pow(2, float64(rng.IntN(40)-20)))
		check(a, b, c)
	}
	// (1 + 2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴ is a float32 midpoint; adding 2⁻⁷⁰ puts
	// the exact sum just above it (round up), but the float64 sum drops the
	// 2⁻⁷⁰ and float32 then rounds the tie to even (down): the double
	// rounding the round-to-odd step prevents.
	a := float32(1 + math.Pow(2, -12))
	require.NotEqual(t, exact(a, a, 0x1p-70), float32(float64(a)*float64(a)+0x1p-70), "the case must defeat naive double rounding")
	check(a, a, 0x1p-70)
	check(a, a, -0x1p-70)
	check(-a, a, -0x1p-70)
	check(float32(math.Inf(1)), 1, 1)
	check(0, 1, float32(math.Copysign(0, -1)))
}
