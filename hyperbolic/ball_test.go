package hyperbolic

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// Property tests of the Poincaré ball on seeded random points, for
// several curvatures.

var testCurvatures = []float64{1, 0.3, 2.5}

const nProp, dProp = 64, 5

func TestBallExpLogInverse(t *testing.T) {
	for _, c := range testCurvatures {
		b := Ball{C: c}
		rng := newRand(1)
		// Tangent vectors at 0 with √c‖v‖ ≤ 5 stay inside the projection
		// radius (tanh 5 = 1 − 9e-5).
		v := ballPoints(rng, nProp, dProp, c, 5)
		requireClose(t, fmt.Sprintf("log0(exp0(v)) c=%v", c), b.Logmap0(nil, b.Expmap0(nil, v, dProp), dProp), v, 1e-10, 1e-9)
		y := ballPoints(rng, nProp, dProp, c, 1-1e-5)
		requireClose(t, fmt.Sprintf("exp0(log0(y)) c=%v", c), b.Expmap0(nil, b.Logmap0(nil, y, dProp), dProp), y, 1e-12, 1e-9)

		x := ballPoints(rng, nProp, dProp, c, 0.9)
		y = ballPoints(rng, nProp, dProp, c, 1-1e-5)
		requireClose(t, fmt.Sprintf("exp_x(log_x(y)) c=%v", c), b.Expmap(nil, x, b.Logmap(nil, x, y, dProp), dProp), y, 1e-9, 1e-7)
		// Tangent vectors whose Riemannian norm λ_x‖u‖ is at most 6.
		u := gauss(rng, nProp*dProp, 1)
		lam := b.Lambda(nil, x, dProp)
		for r := range nProp {
			row := u[r*dProp : (r+1)*dProp]
			scaleTo(row, row, rng.Float64()*6/math.Sqrt(c)/float64(lam[r])/math.Sqrt(sqnorm(row)))
		}
		requireClose(t, fmt.Sprintf("log_x(exp_x(u)) c=%v", c), b.Logmap(nil, x, b.Expmap(nil, x, u, dProp), dProp), u, 1e-9, 1e-6)
	}
}

// paperDist is Graph-JEPA's formula, an independent reference for Dist.
func paperDist(c float64, x, y []float64) float64 {
	x2, y2, _, diff2 := subDots(x, y)
	return math.Acosh(1+2*c*diff2/((1-c*x2)*(1-c*y2))) / math.Sqrt(c)
}

func TestBallDistIsMetricNormOfLog(t *testing.T) {
	// Up to the projection radius: ‖log_x(y)‖_x = d(x, y), and both equal
	// the closed form acosh(…) while the artanh clamp does not bind
	// (true distance below 2·artanh(1−1e-7)/√c ≈ 16.8/√c). A tighter
	// artanh clamp (1 − 1e-5) would fail this for rim points
	// (SauersML/gam#3972).
	for _, c := range testCurvatures {
		b := Ball{C: c}
		rng := newRand(2)
		x := ballPoints(rng, nProp, dProp, c, 1-1e-5)
		y := ballPoints(rng, nProp, dProp, c, 1-1e-5)
		// Some rows exactly on the projection radius, some at the origin.
		copy(x[:dProp], b.Projx(nil, scaledRow(7, dProp, 10), dProp))
		clear(y[dProp : 2*dProp])
		dist := b.Dist(nil, x, y, dProp)
		lognorm := b.Norm(nil, x, b.Logmap(nil, x, y, dProp), dProp)
		requireClose(t, fmt.Sprintf("λ_x‖log_x y‖ = d c=%v", c), lognorm, dist, 1e-9, 1e-9)
		checked := 0
		for r := range nProp {
			want := paperDist(c, x[r*dProp:(r+1)*dProp], y[r*dProp:(r+1)*dProp])
			if want*math.Sqrt(c) > 16 {
				continue
			}
			checked++
			require.InDeltaf(t, want, dist[r], 1e-9+1e-8*want, "c=%v row %d", c, r)
		}
		require.Greater(t, checked, nProp/2)
	}
}

func TestBallDistMetricAxioms(t *testing.T) {
	for _, c := range testCurvatures {
		b := Ball{C: c}
		rng := newRand(3)
		x := ballPoints(rng, nProp, dProp, c, 0.95)
		y := ballPoints(rng, nProp, dProp, c, 0.95)
		z := ballPoints(rng, nProp, dProp, c, 0.95)
		dxy, dyx := b.Dist(nil, x, y, dProp), b.Dist(nil, y, x, dProp)
		dyz, dxz := b.Dist(nil, y, z, dProp), b.Dist(nil, x, z, dProp)
		requireClose(t, "symmetry", dxy, dyx, 1e-12, 1e-12)
		for r := range nProp {
			require.LessOrEqualf(t, dxz[r], dxy[r]+dyz[r]+1e-12, "triangle c=%v row %d", c, r)
			require.Greater(t, dxy[r], 0.0)
		}
		requireClose(t, "d(x,x)=0", b.Dist(nil, x, x, dProp), make([]float64, nProp), 1e-12, 0)
		// Invariance under Möbius left translation a ⊕ ·, an isometry.
		a := ballPoints(rng, nProp, dProp, c, 0.6)
		xs, ys := ballPoints(rng, nProp, dProp, c, 0.6), ballPoints(rng, nProp, dProp, c, 0.6)
		requireClose(t, fmt.Sprintf("d(a⊕x, a⊕y) = d(x,y) c=%v", c),
			b.Dist(nil, b.MobiusAdd(nil, a, xs, dProp), b.MobiusAdd(nil, a, ys, dProp), dProp),
			b.Dist(nil, xs, ys, dProp), 1e-10, 1e-9)
	}
}

func TestBallGyrovectorIdentities(t *testing.T) {
	for _, c := range testCurvatures {
		b := Ball{C: c}
		rng := newRand(4)
		u := ballPoints(rng, nProp, dProp, c, 0.7)
		v := ballPoints(rng, nProp, dProp, c, 0.7)
		w := ballPoints(rng, nProp, dProp, c, 0.7)
		neg := func(a []float64) []float64 { o := make([]float64, len(a)); scaleTo(o, a, -1); return o }
		// Left cancellation: (−u) ⊕ (u ⊕ v) = v.
		requireClose(t, "left cancellation", b.MobiusAdd(nil, neg(u), b.MobiusAdd(nil, u, v, dProp), dProp), v, 1e-12, 1e-10)
		// Gyroassociativity: u ⊕ (v ⊕ w) = (u ⊕ v) ⊕ gyr[u,v]w.
		lhs := b.MobiusAdd(nil, u, b.MobiusAdd(nil, v, w, dProp), dProp)
		rhs := b.MobiusAdd(nil, b.MobiusAdd(nil, u, v, dProp), b.Gyration(nil, u, v, w, dProp), dProp)
		requireClose(t, "gyroassociativity", lhs, rhs, 1e-12, 1e-10)
		// Scalar multiplication: 2 ⊗ u = u ⊕ u, r ⊗ u = exp0(r log0 u).
		requireClose(t, "2⊗u = u⊕u", b.MobiusScalarMul(nil, 2, u, dProp), b.MobiusAdd(nil, u, u, dProp), 1e-12, 1e-10)
		lu := b.Logmap0(nil, u, dProp)
		scaleTo(lu, lu, -0.7)
		requireClose(t, "r⊗u = exp0(r log0 u)", b.MobiusScalarMul(nil, -0.7, u, dProp), b.Expmap0(nil, lu, dProp), 1e-12, 1e-10)
		// Parallel transport keeps the Riemannian norm, and maps log_x y to
		// −log_y x.
		tv := gauss(rng, nProp*dProp, 1)
		pt := b.Transp(nil, u, v, tv, dProp)
		requireClose(t, "‖P(v)‖_y = ‖v‖_x", b.Norm(nil, v, pt, dProp), b.Norm(nil, u, tv, dProp), 1e-12, 1e-10)
		requireClose(t, "P(log_x y) = −log_y x", b.Transp(nil, u, v, b.Logmap(nil, u, v, dProp), dProp),
			neg(b.Logmap(nil, v, u, dProp)), 1e-10, 1e-8)
		// λ at the origin is 2; egrad2rgrad divides by λ².
		lam := b.Lambda(nil, make([]float64, dProp), dProp)
		require.Equal(t, []float64{2}, lam)
		require.Equal(t, []float64{0.25, -0.5}, b.EgradToRgrad(nil, []float64{0, 0}, []float64{1, -2}, 2))
	}
}

func TestBallMobiusMatvec(t *testing.T) {
	const dOut = 3
	for _, c := range testCurvatures {
		b := Ball{C: c}
		rng := newRand(5)
		x := ballPoints(rng, nProp, dProp, c, 0.8)
		w := gauss(rng, dOut*dProp, 0.5)
		got := b.MobiusMatvec(nil, w, x, dOut, dProp)
		// M ⊗ x = exp0(M log0(x)).
		lx := b.Logmap0(nil, x, dProp)
		mlx := make([]float64, nProp*dOut)
		for r := range nProp {
			for o := range dOut {
				mlx[r*dOut+o] = dot(w[o*dProp:(o+1)*dProp], lx[r*dProp:(r+1)*dProp])
			}
		}
		requireClose(t, fmt.Sprintf("M⊗x = exp0(M log0 x) c=%v", c), got, b.Expmap0(nil, mlx, dOut), 1e-12, 1e-9)
		// Mx = 0 gives the origin.
		require.Equal(t, make([]float64, dOut), b.MobiusMatvec(nil, make([]float64, dOut*dProp), x[:dProp], dOut, dProp))
	}
}

func TestBallProjection(t *testing.T) {
	require.Equal(t, ProjEps64, Ball{}.ProjEps())
	require.Equal(t, ProjEps32, Ball32{}.ProjEps())
	require.Equal(t, 0.01, Ball{Eps: 0.01}.ProjEps())
	b := Ball{C: 4}
	require.InDelta(t, (1-1e-5)/2, b.MaxNorm(), 1e-15)
	x := []float64{3, 4, 0.1, 0.2}
	p := b.Projx(nil, x, 2)
	require.InDelta(t, b.MaxNorm(), math.Hypot(p[0], p[1]), 1e-15)
	require.InDelta(t, 0.6, p[0]/math.Hypot(p[0], p[1]), 1e-15)
	require.Equal(t, []float64{0.1, 0.2}, p[2:])
	// Float32 projects onto (1 − 4e-3)/√c.
	p32 := Ball32{}.Projx(nil, []float32{10, 0}, 2)
	require.InDelta(t, 1-4e-3, float64(p32[0]), 1e-7)
	// Every point-producing method projects.
	far := []float64{1e3, -2e3}
	for name, out := range map[string][]float64{
		"Expmap0":         b.Expmap0(nil, far, 2),
		"Expmap":          b.Expmap(nil, []float64{0.4, 0}, far, 2),
		"MobiusAdd":       b.MobiusAdd(nil, []float64{0.49, 0}, []float64{0.49, 0}, 2),
		"MobiusScalarMul": b.MobiusScalarMul(nil, 1e3, []float64{0.3, 0}, 2),
		"MobiusMatvec":    b.MobiusMatvec(nil, []float64{1e3, 0, 0, 1e3}, []float64{0.3, 0.1}, 2, 2),
	} {
		require.LessOrEqualf(t, math.Sqrt(sqnorm(out)), b.MaxNorm()*(1+1e-15), "%s", name)
	}
}

func TestBallCheck(t *testing.T) {
	b := Ball{C: 2}
	require.NoError(t, b.Check(b.Projx(nil, []float64{5, 5, 0.1, 0}, 2), 2))
	err := b.Check([]float64{0.1, 0, 0.9, 0.9}, 2)
	require.ErrorContains(t, err, "row 1")
	require.ErrorContains(t, b.Check([]float64{0.1, math.NaN()}, 2), "column 1")
}

func TestBallFloat32MatchesFloat64(t *testing.T) {
	rng := newRand(6)
	x := ballPoints(rng, nProp, dProp, 1, 0.9)
	y := ballPoints(rng, nProp, dProp, 1, 0.9)
	x32, y32 := toF32(x), toF32(y)
	// Same inputs (rounded to float32): the float32 results are the
	// float64 ones rounded, so they agree to float32 precision.
	d64 := Ball{}.Dist(nil, toF64(x32), toF64(y32), dProp)
	d32 := Ball32{}.Dist(nil, x32, y32, dProp)
	requireClose(t, "Dist float32", toF64(d32), d64, 1e-6, 1e-6)
	e64 := Ball{}.Expmap0(nil, toF64(x32), dProp)
	e32 := Ball32{}.Expmap0(nil, x32, dProp)
	requireClose(t, "Expmap0 float32", toF64(e32), e64, 1e-7, 1e-6)
}

func toF32(a []float64) []float32 {
	o := make([]float32, len(a))
	for i, v := range a {
		o[i] = float32(v)
	}
	return o
}

func toF64[T Float](a []T) []float64 {
	o := make([]float64, len(a))
	for i, v := range a {
		o[i] = float64(v)
	}
	return o
}

func TestBallShapePanics(t *testing.T) {
	b := Ball{}
	require.PanicsWithValue(t, "hyperbolic: Dist: len(x)=5 is not a multiple of d=2", func() { b.Dist(nil, make([]float64, 5), make([]float64, 5), 2) })
	require.PanicsWithValue(t, "hyperbolic: Expmap0: len(dst)=3, want 4", func() { b.Expmap0(make([]float64, 3), make([]float64, 4), 2) })
	require.PanicsWithValue(t, "hyperbolic: Projx: row width d=0 must be positive", func() { b.Projx(nil, nil, 0) })
	require.Panics(t, func() { Ball{C: -1}.Dist(nil, []float64{0}, []float64{0}, 1) })
	require.Panics(t, func() { Ball{Eps: 2}.MaxNorm() })
}
