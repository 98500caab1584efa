package hyperbolic

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

var testKs = []float64{1, 0.4, 3}

// lorentzPoints returns n×(m+1) points of l at distances up to rmax from
// the origin, as exp_o of random tangent vectors.
func lorentzPoints(l Lorentz, seed uint64, n, m int, rmax float64) []float64 {
	rng := newRand(seed)
	u := make([]float64, n*(m+1))
	for r := range n {
		row := scaledRow(rng.Uint64(), m, rng.Float64()*rmax)
		copy(u[r*(m+1)+1:], row)
	}
	return l.Expmap0(nil, u, m+1)
}

func TestLorentzPointsAndMaps(t *testing.T) {
	const m = 4
	d := m + 1
	for _, k := range testKs {
		l := Lorentz{K: k}
		// Points within 3√k of the origin: the round trips below amplify
		// a point's off-sheet rounding (about 1e-16·x₀²) by up to
		// cosh²(d/√k), which an mpmath evaluation of the same formulas on
		// the same float64 inputs confirms; farther out the Lorentz model
		// keeps fewer digits (geoopt/geoopt#121).
		x := lorentzPoints(l, 1, nProp, m, 3*math.Sqrt(k))
		y := lorentzPoints(l, 2, nProp, m, 3*math.Sqrt(k))
		require.NoError(t, l.Check(x, d))
		inner := l.Inner(nil, x, x, d)
		for r := range nProp {
			require.InDeltaf(t, -k, inner[r], 1e-9*float64(x[r*d])*float64(x[r*d]), "⟨x,x⟩_L row %d", r)
		}
		// exp_o ∘ log_o and log_o ∘ exp_o.
		requireClose(t, fmt.Sprintf("exp0(log0(y)) k=%v", k), l.Expmap0(nil, l.Logmap0(nil, y, d), d), y, 1e-9, 1e-9)
		u := l.Logmap0(nil, y, d)
		requireClose(t, fmt.Sprintf("log0(exp0(u)) k=%v", k), l.Logmap0(nil, l.Expmap0(nil, u, d), d), u, 1e-9, 1e-9)
		// exp_x ∘ log_x, and d(x,y) = ‖log_x y‖_L.
		v := l.Logmap(nil, x, y, d)
		requireClose(t, fmt.Sprintf("exp_x(log_x(y)) k=%v", k), l.Expmap(nil, x, v, d), y, 1e-9, 1e-9)
		norms := l.Inner(nil, v, v, d)
		dist := l.Dist(nil, x, y, d)
		for r := range nProp {
			require.InDeltaf(t, dist[r], math.Sqrt(float64(norms[r])), 1e-8*(1+dist[r]), "‖log‖ = d row %d", r)
		}
		// Tangent projection: ⟨x, proju(x,w)⟩_L = 0.
		pu := l.Proju(nil, x, gaussRows(3, nProp*d), d)
		requireClose(t, "⟨x,proju⟩", l.Inner(nil, x, pu, d), make([]float64, nProp), 1e-8, 0)
		// Metric axioms.
		z := lorentzPoints(l, 4, nProp, m, 3*math.Sqrt(k))
		requireClose(t, "symmetry", l.Dist(nil, y, x, d), dist, 1e-12, 1e-12)
		dyz, dxz := l.Dist(nil, y, z, d), l.Dist(nil, x, z, d)
		for r := range nProp {
			require.LessOrEqual(t, dxz[r], dist[r]+dyz[r]+1e-9)
		}
		// geoopt's clamp: d(x, x) = √k·sqrt(1e-15)-ish, not 0.
		require.InDelta(t, math.Sqrt(k)*math.Sqrt(ArcoshMinSq), float64(l.Dist(nil, x[:d], x[:d], d)[0]), 1e-9)
		// Projx re-solves x₀ only.
		p := l.Projx(nil, []float64{-7, 1, 2, 0, 0}, d)
		require.Equal(t, []float64{math.Sqrt(k + 5), 1, 2, 0, 0}, p)
		// EgradToRgrad gives a tangent vector.
		rg := l.EgradToRgrad(nil, x, gaussRows(5, nProp*d), d)
		requireClose(t, "⟨x,rgrad⟩", l.Inner(nil, x, rg, d), make([]float64, nProp), 1e-8, 0)
		// Origin.
		require.Equal(t, []float64{math.Sqrt(k), 0, 0, math.Sqrt(k), 0, 0}, l.Origin(nil, 2, 3))
	}
}

func gaussRows(seed uint64, n int) []float64 { return gauss(newRand(seed), n, 1) }

func TestBallLorentzIsometry(t *testing.T) {
	const m = 4
	d := m + 1
	for _, k := range testKs {
		l := Lorentz{K: k}
		b := l.Ball()
		require.InDelta(t, 1/k, b.C, 1e-15)
		require.Equal(t, k, b.Lorentz().K)
		rng := newRand(7)
		x := ballPoints(rng, nProp, m, b.C, 0.999)
		y := ballPoints(rng, nProp, m, b.C, 0.999)
		lx, ly := l.FromBall(nil, x, m), l.FromBall(nil, y, m)
		require.NoError(t, l.Check(lx, d))
		// Inverse both ways.
		requireClose(t, fmt.Sprintf("ToBall(FromBall(x)) k=%v", k), l.ToBall(nil, lx, d), x, 1e-12, 1e-9)
		ply := lorentzPoints(l, 8, nProp, m, 8)
		requireClose(t, fmt.Sprintf("FromBall(ToBall(y)) k=%v", k), l.FromBall(nil, l.ToBall(nil, ply, d), m), ply, 1e-9, 1e-9)
		// Distances are preserved (the Lorentz arcosh clamp adds at most
		// √k·3.2e-8 for coincident points; these are far apart).
		requireClose(t, fmt.Sprintf("d_L(F(x),F(y)) = d_B(x,y) k=%v", k), l.Dist(nil, lx, ly, d), b.Dist(nil, x, y, m), 1e-8, 1e-8)
		// The exponential maps at the origins correspond: the ball's
		// metric at 0 is 2× Euclidean, so exp_0^B(u) = ToBall(exp_o^L(2u)).
		u := ballPoints(rng, nProp, m, b.C, 3)
		u2 := make([]float64, nProp*d)
		for r := range nProp {
			for i := range m {
				u2[r*d+1+i] = 2 * u[r*m+i]
			}
		}
		requireClose(t, "exp0 correspondence", l.ToBall(nil, l.Expmap0(nil, u2, d), d), b.Expmap0(nil, u, m), 1e-12, 1e-9)
	}
}

func TestLorentzMatchesGeooptPoincareToLorentzForKOne(t *testing.T) {
	// geoopt's poincare_to_lorentz(x, k=1, eps=1e-6) = (1+‖x‖², 2x)/(1−‖x‖²+1e-6);
	// ours is exact, so they agree to about 1e-6 relative near the origin.
	x := []float64{0.3, -0.2}
	r2 := sqnorm(x)
	want := []float64{(1 + r2) / (1 - r2 + 1e-6), 2 * x[0] / (1 - r2 + 1e-6), 2 * x[1] / (1 - r2 + 1e-6)}
	requireClose(t, "poincare_to_lorentz", Lorentz{}.FromBall(nil, x, 2), want, 0, 3e-6)
}

func TestLorentzCheck(t *testing.T) {
	l := Lorentz{K: 2}
	require.ErrorContains(t, l.Check([]float64{math.Sqrt(2), 0, 1, 1}, 2), "row 1")
	require.ErrorContains(t, l.Check([]float64{-math.Sqrt(2), 0}, 2), "row 0")
	require.ErrorContains(t, l.Check([]float64{math.Inf(1), 0}, 2), "non-finite")
	// Far points pass although ⟨x,x⟩_L cancels to garbage there.
	far := l.Expmap0(nil, []float64{0, 40, 0}, 3)
	require.NoError(t, l.Check(far, 3))
	require.PanicsWithValue(t, "hyperbolic: Dist: ambient dimension d=1 must be at least 2", func() { l.Dist(nil, []float64{1}, []float64{1}, 1) })
}
