package hyperbolic

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// Finite-difference checks (gonum diff/fd, central, float64) of the VJPs
// of the maps at a general point, Möbius scalar multiplication, gyration,
// parallel transport, λ_x, the Minkowski inner product and the tangent
// projection, in the style of vjp_test.go: one row (or one tuple of
// rows) per case, away from the clamp thresholds themselves.

// split3 cuts a concatenation of three rows of width d.
func split3(in []float64, d int) ([]float64, []float64, []float64) {
	return in[:d], in[d : 2*d], in[2*d:]
}

func TestBallPointVJPs(t *testing.T) {
	const d = 4
	for _, c := range []float64{1, 0.5, 2.3} {
		b := Ball{C: c}
		sc := math.Sqrt(c)
		rng := newRand(uint64(c*1000) + 3)
		split := func(in []float64) ([]float64, []float64) { return in[:d], in[d:] }

		// Expmap: moderate, x at the origin, u tiny (σ ≈ λ/2), a result
		// beyond the projection radius, u saturating the tanh clamp, and
		// x near the rim (λ_x large).
		for i, radii := range [][2]float64{{0.3, 0.5}, {0, 0.8}, {0.6, 1e-4}, {0.9, 2}, {0.4, 40}, {0.999, 0.01}} {
			x := scaledRow(uint64(100+i), d, radii[0]/sc)
			u := scaledRow(uint64(110+i), d, radii[1]/sc)
			checkVJP(t, fmt.Sprintf("ExpmapVJP c=%v radii=%v", c, radii), rng, concat(x, u),
				func(in []float64) []float64 { a, q := split(in); return b.Expmap(nil, a, q, d) },
				func(in, g []float64) []float64 {
					a, q := split(in)
					gx, gu := b.ExpmapVJP(nil, nil, a, q, g, d)
					return concat(gx, gu)
				}, vjpTol)
		}
		// Logmap: generic, x = 0, nearby points, far points near the rim.
		for i, radii := range [][2]float64{{0.3, 0.6}, {0, 0.7}, {0.5, -1}, {0.95, 0.97}, {0.7, 0}} {
			x := scaledRow(uint64(120+i), d, radii[0]/sc)
			y := scaledRow(uint64(130+i), d, radii[1]/sc)
			if radii[1] < 0 {
				copy(y, x)
				y[2] += 1e-3
			}
			checkVJP(t, fmt.Sprintf("LogmapVJP c=%v radii=%v", c, radii), rng, concat(x, y),
				func(in []float64) []float64 { a, q := split(in); return b.Logmap(nil, a, q, d) },
				func(in, g []float64) []float64 {
					a, q := split(in)
					gx, gy := b.LogmapVJP(nil, nil, a, q, g, d)
					return concat(gx, gy)
				}, 1e-5)
		}
		// MobiusScalarMul, with respect to x and r: inside, projected
		// (large r), negative r, and near the origin.
		for i, tc := range []struct{ r, rad float64 }{{-1.7, 0.4}, {0.3, 0.9}, {6, 0.8}, {2.5, 1e-3}, {-0.4, 0.99}} {
			x := scaledRow(uint64(140+i), d, tc.rad/sc)
			checkVJP(t, fmt.Sprintf("MobiusScalarMulVJP c=%v r=%v |x|√c=%v", c, tc.r, tc.rad), rng, concat(x, []float64{tc.r}),
				func(in []float64) []float64 { return b.MobiusScalarMul(nil, in[d], in[:d], d) },
				func(in, g []float64) []float64 {
					gx, gr := b.MobiusScalarMulVJP(nil, in[d], in[:d], g, d)
					return concat(gx, []float64{gr})
				}, vjpTol)
		}
		// Gyration and Transp with respect to all three rows; the last
		// argument (w, v) is any vector.
		for i, radii := range [][3]float64{{0.3, 0.6, 1}, {0, 0.7, 0.5}, {0.8, 0.9, 3}, {0.5, 0, 2}} {
			p := scaledRow(uint64(150+i), d, radii[0]/sc)
			q := scaledRow(uint64(160+i), d, radii[1]/sc)
			w := scaledRow(uint64(170+i), d, radii[2])
			checkVJP(t, fmt.Sprintf("GyrationVJP c=%v radii=%v", c, radii), rng, concat(p, q, w),
				func(in []float64) []float64 { a, bb, cc := split3(in, d); return b.Gyration(nil, a, bb, cc, d) },
				func(in, g []float64) []float64 {
					a, bb, cc := split3(in, d)
					ga, gb, gc := b.GyrationVJP(nil, nil, nil, a, bb, cc, g, d)
					return concat(ga, gb, gc)
				}, vjpTol)
			checkVJP(t, fmt.Sprintf("TranspVJP c=%v radii=%v", c, radii), rng, concat(p, q, w),
				func(in []float64) []float64 { a, bb, cc := split3(in, d); return b.Transp(nil, a, bb, cc, d) },
				func(in, g []float64) []float64 {
					a, bb, cc := split3(in, d)
					ga, gb, gc := b.TranspVJP(nil, nil, nil, a, bb, cc, g, d)
					return concat(ga, gb, gc)
				}, vjpTol)
		}
		// λ_x: origin, moderate, near the rim (relative tolerance: the
		// gradient is large there), beyond the boundary (clamped: 0).
		for i, rad := range []float64{0, 0.5, 0.99, 1.5} {
			x := scaledRow(uint64(180+i), d, rad/sc)
			checkVJP(t, fmt.Sprintf("LambdaVJP c=%v |x|√c=%v", c, rad), rng, x,
				func(in []float64) []float64 { return b.Lambda(nil, in, d) },
				func(in, g []float64) []float64 { return b.LambdaVJP(nil, in, g, d) }, vjpTol)
		}
	}
}

func TestLorentzPointVJPs(t *testing.T) {
	const d = 4
	for _, k := range []float64{1, 0.5, 2.3} {
		l := Lorentz{K: k}
		rk := math.Sqrt(k)
		rng := newRand(uint64(k*1000) + 17)
		split := func(in []float64) ([]float64, []float64) { return in[:d], in[d:] }
		point := func(seed uint64, r float64) []float64 { return l.Projx(nil, scaledRow(seed, d, r), d) }

		// Inner and Proju on arbitrary ambient vectors.
		for i := range 3 {
			u, v := gaussRows(uint64(200+i), d), gaussRows(uint64(210+i), d)
			checkVJP(t, fmt.Sprintf("InnerVJP k=%v", k), rng, concat(u, v),
				func(in []float64) []float64 { a, q := split(in); return l.Inner(nil, a, q, d) },
				func(in, g []float64) []float64 {
					a, q := split(in)
					gu, gv := l.InnerVJP(nil, nil, a, q, g, d)
					return concat(gu, gv)
				}, vjpTol)
			x := point(uint64(220+i), float64(i))
			checkVJP(t, fmt.Sprintf("ProjuVJP k=%v", k), rng, concat(x, u),
				func(in []float64) []float64 { a, q := split(in); return l.Proju(nil, a, q, d) },
				func(in, g []float64) []float64 {
					a, q := split(in)
					gx, gu := l.ProjuVJP(nil, nil, a, q, g, d)
					return concat(gx, gu)
				}, vjpTol)
		}
		// Expmap at a point of tangent vectors of Riemannian norm: below
		// the clamp, small (series), moderate, beyond MaxCoshArg.
		for i, rad := range []float64{1e-5, 5e-3, 1.3, 60} {
			x := point(uint64(230+i), 0.8)
			u := l.Proju(nil, x, gaussRows(uint64(240+i), d), d)
			nu := math.Sqrt(float64(l.Inner(nil, u, u, d)[0]))
			scaleTo(u, u, rad*rk/nu)
			checkVJP(t, fmt.Sprintf("ExpmapVJP k=%v ‖u‖/√k=%v", k, rad), rng, concat(x, u),
				func(in []float64) []float64 { a, q := split(in); return l.Expmap(nil, a, q, d) },
				func(in, g []float64) []float64 {
					a, q := split(in)
					gx, gu := l.ExpmapVJP(nil, nil, a, q, g, d)
					return concat(gx, gu)
				}, vjpTol)
		}
		// Logmap: generic pairs at several distances (the arcosh is stiff
		// near d = 0: a smaller step there).
		for i, sep := range []float64{0.05, 0.7, 2.5} {
			x, y := point(uint64(250+i), 0.6), point(uint64(260+i), 0.6+sep)
			checkVJPStep(t, fmt.Sprintf("LogmapVJP k=%v sep=%v", k, sep), rng, concat(x, y),
				func(in []float64) []float64 { a, q := split(in); return l.Logmap(nil, a, q, d) },
				func(in, g []float64) []float64 {
					a, q := split(in)
					gx, gy := l.LogmapVJP(nil, nil, a, q, g, d)
					return concat(gx, gy)
				}, 1e-5, 1e-7)
		}
	}
}

func TestPointVJPsAtDegeneratePoints(t *testing.T) {
	// Exact values where a clamp binds, as autograd through geoopt's
	// clamps gives them.
	g := []float64{0.3, -1.2, 0.7}
	zero := make([]float64, 3)
	x := []float64{0.2, 0.1, -0.3}
	b := Ball{}
	// Expmap at u = 0: the Jacobian in u is (λ_x/2)·∂(x⊕w)/∂w at w = 0,
	// which at x = 0 is I.
	_, du := b.ExpmapVJP(nil, nil, zero, zero, g, 3)
	requireClose(t, "ExpmapVJP du at x=u=0", du, g, 1e-15, 0)
	// Logmap at y = x = 0 is the identity: dy = g, dx = −g.
	dx, dy := b.LogmapVJP(nil, nil, zero, zero, g, 3)
	requireClose(t, "LogmapVJP dy at 0", dy, g, 1e-15, 0)
	requireClose(t, "LogmapVJP dx at 0", dx, []float64{-0.3, 1.2, -0.7}, 1e-15, 0)
	// Logmap at y = x: log_x is (2/λ_x)((−x)⊕y) to first order; its
	// y-Jacobian at y = x is (2/λ_x)·(1/(1 − c‖x‖²)) I = I.
	_, dy = b.LogmapVJP(nil, nil, x, x, g, 3)
	requireClose(t, "LogmapVJP dy at y=x", dy, g, 1e-12, 1e-12)
	// r ⊗ 0: Jacobian r·I, and no gradient for r.
	dxs, dr := b.MobiusScalarMulVJP(nil, -2.5, zero, g, 3)
	requireClose(t, "MobiusScalarMulVJP at 0", dxs, []float64{-0.75, 3, -1.75}, 1e-15, 0)
	require.Zero(t, dr)
	// λ beyond the boundary is clamped: no gradient.
	require.Equal(t, zero, b.LambdaVJP(nil, []float64{2, 0, 0}, []float64{1}, 3))
	// Lorentz Expmap with u = 0: dx = cosh(1e-4/√k)·g, du = φ·g ≈ g
	// (the norm is clamped at sqrt(LorentzMinNormSq) = 1e-4: φ only).
	l := Lorentz{K: 2}
	o := l.Origin(nil, 1, 3)
	gdx, gdu := l.ExpmapVJP(nil, nil, o, zero, g, 3)
	requireClose(t, "Lorentz ExpmapVJP dx at u=0", gdx, g, 0, 3e-9)
	requireClose(t, "Lorentz ExpmapVJP du at u=0", gdu, g, 0, 1e-9)
	// Logmap at y = x: v = 0 (clamped norm), the arcosh clamp binds.
	lx, ly := l.LogmapVJP(nil, nil, o, o, g, 3)
	requireFinite(t, "Lorentz LogmapVJP dx at y=x", lx)
	requireFinite(t, "Lorentz LogmapVJP dy at y=x", ly)
}
