package hyperbolic

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHyperbolaIdentities(t *testing.T) {
	rng := newRand(9)
	h := Hyperbola{}
	z := gauss(rng, 200, 3)
	p := h.FromScalar(nil, z)
	require.NoError(t, h.Check(p, 2))
	for r := range z {
		x, y := p[2*r], p[2*r+1]
		// cosh² − sinh² = 1, to the rounding of cosh².
		require.InDeltaf(t, 1, x*x-y*y, 1e-15*x*x, "z=%v", z[r])
		require.Greater(t, x, 0.0)
	}
	requireClose(t, "ToScalar(FromScalar(z))", h.ToScalar(nil, p), z, 1e-14, 1e-14)

	// Distance along the branch = |z1 − z2| = Lorentz distance (k = 1,
	// 1+1 dimensions), for separations well above the arcosh clamp.
	z2 := gauss(rng, 200, 3)
	q := h.FromScalar(nil, z2)
	dist := h.Dist(nil, p, q, 2)
	ld := h.Lorentz().Dist(nil, p, q, 2)
	for r := range z {
		want := math.Abs(z[r] - z2[r])
		require.InDelta(t, want, dist[r], 1e-13*(1+want))
		if want > 1e-3 {
			require.InDeltaf(t, want, ld[r], 1e-9*(1+want), "Lorentz distance row %d", r)
		}
	}

	// FromMean = FromScalar(mean over channels).
	const d = 7
	x := gauss(rng, 10*d, 1)
	means := make([]float64, 10)
	for r := range means {
		means[r] = mean(x[r*d : (r+1)*d])
	}
	require.Equal(t, h.FromScalar(nil, means), h.FromMean(nil, x, d))

	// Projx re-solves x; ToScalar only reads y.
	off := []float64{5, 0.75}
	require.Equal(t, []float64{1.25, 0.75}, h.Projx(nil, off, 2))
	require.Equal(t, h.ToScalar(nil, h.Projx(nil, off, 2)), h.ToScalar(nil, off))
}

func TestHyperbolaClamp(t *testing.T) {
	z := []float64{60, -800}
	p := Hyperbola{}.FromScalar(nil, z)
	require.Equal(t, []float64{math.Cosh(50), math.Sinh(50), math.Cosh(50), -math.Sinh(50)}, p)
	requireFinite(t, "clamped", p)
	// Unclamped is paper-faithful: cosh(−800) overflows, as in PyTorch.
	pu := Hyperbola{Unclamped: true}.FromScalar(nil, z)
	require.Equal(t, math.Cosh(60), pu[0])
	require.True(t, math.IsInf(pu[2], 1))
	require.Equal(t, []float64{0, 0}, Hyperbola{}.FromScalarVJP(nil, z, []float64{1, 1, 1, 1}))
	// float32 storage: finite in the clamped form, Inf beyond ≈ 89 unclamped.
	p32 := Hyperbola32{}.FromScalar(nil, []float32{95})
	requireFinite(t, "float32 clamped", p32)
	require.True(t, math.IsInf(float64(Hyperbola32{Unclamped: true}.FromScalar(nil, []float32{95})[0]), 1))
}

func TestHyperbolaCheck(t *testing.T) {
	h := Hyperbola{}
	require.ErrorContains(t, h.Check([]float64{1, 0, 0.5, 0}, 2), "row 1")
	require.ErrorContains(t, h.Check([]float64{-math.Cosh(1), math.Sinh(1)}, 2), "row 0")
	require.ErrorContains(t, h.Check([]float64{math.NaN(), 0}, 2), "non-finite")
	require.PanicsWithValue(t, "hyperbolic: UnitHyperbola.Dist: points have 2 coordinates, got d=3", func() { h.Dist(nil, make([]float64, 3), make([]float64, 3), 3) })
}
