package hyperbolic

import (
	"fmt"
	"math"
	"testing"
)

// The finite-difference checks of every VJP (gonum diff/fd, central,
// float64). Each case is one row (or one pair of rows), so that a row of
// huge values cannot hide the error of another in the tolerance. Points
// are kept away from the clamp thresholds themselves, where the derivative
// jumps; edge_test.go covers those.

const vjpTol = 1e-6

// scaledRow returns a random direction of width d scaled to norm r.
func scaledRow(seed uint64, d int, r float64) []float64 {
	v := gauss(newRand(seed), d, 1)
	scaleTo(v, v, r/math.Sqrt(sqnorm(v)))
	return v
}

func TestBallVJPs(t *testing.T) {
	const d = 4
	for _, c := range []float64{1, 0.5, 2.3} {
		b := Ball{C: c}
		sc := math.Sqrt(c)
		rng := newRand(uint64(c * 1000))
		split := func(in []float64) ([]float64, []float64) { return in[:d], in[d:] }

		// Projx: inside and beyond the radius.
		for i, rad := range []float64{0.5, 1.3, 2} {
			x := scaledRow(uint64(i), d, rad/sc)
			checkVJP(t, fmt.Sprintf("ProjxVJP c=%v |x|√c=%v", c, rad), rng, x,
				func(in []float64) []float64 { return b.Projx(nil, in, d) },
				func(in, g []float64) []float64 { return b.ProjxVJP(nil, in, g, d) }, vjpTol)
		}
		// Expmap0: small, moderate, and saturating (projected) tangent rows.
		for i, rad := range []float64{1e-3, 0.7, 3, 8} {
			u := scaledRow(uint64(10+i), d, rad/sc)
			checkVJP(t, fmt.Sprintf("Expmap0VJP c=%v |u|√c=%v", c, rad), rng, u,
				func(in []float64) []float64 { return b.Expmap0(nil, in, d) },
				func(in, g []float64) []float64 { return b.Expmap0VJP(nil, in, g, d) }, vjpTol)
		}
		for i, rad := range []float64{1e-3, 0.5, 0.99, 0.9995} {
			y := scaledRow(uint64(20+i), d, rad/sc)
			checkVJP(t, fmt.Sprintf("Logmap0VJP c=%v |y|√c=%v", c, rad), rng, y,
				func(in []float64) []float64 { return b.Logmap0(nil, in, d) },
				func(in, g []float64) []float64 { return b.Logmap0VJP(nil, in, g, d) }, 1e-5)
		}
		// MobiusAdd: inside, with x = 0, and a sum beyond the radius.
		for i, radii := range [][2]float64{{0.3, 0.6}, {0, 0.8}, {0.8, 0.1}, {0.7, 1 - 1e-6}} {
			x := scaledRow(uint64(30+i), d, radii[0]/sc)
			y := scaledRow(uint64(40+i), d, radii[1]/sc)
			checkVJP(t, fmt.Sprintf("MobiusAddVJP c=%v radii=%v", c, radii), rng, concat(x, y),
				func(in []float64) []float64 { a, q := split(in); return b.MobiusAdd(nil, a, q, d) },
				func(in, g []float64) []float64 {
					a, q := split(in)
					gx, gy := b.MobiusAddVJP(nil, nil, a, q, g, d)
					return concat(gx, gy)
				}, vjpTol)
		}
		// MobiusMatvec, with respect to the matrix and the points together
		// (rows inside, projected, and x = 0).
		const dOut = 3
		for i, rad := range []float64{0.3, 0.9, 0} {
			w := gauss(newRand(uint64(70+i)), dOut*d, 1+float64(i))
			x := concat(scaledRow(uint64(80+i), d, rad/sc), scaledRow(uint64(90+i), d, 0.5/sc))
			checkVJP(t, fmt.Sprintf("MobiusMatvecVJP c=%v |x|√c=%v", c, rad), rng, concat(w, x),
				func(in []float64) []float64 { return b.MobiusMatvec(nil, in[:dOut*d], in[dOut*d:], dOut, d) },
				func(in, g []float64) []float64 {
					gw, gx := b.MobiusMatvecVJP(nil, nil, in[:dOut*d], in[dOut*d:], g, dOut, d)
					return concat(gw, gx)
				}, vjpTol)
		}
		// Mx = 0 with x ≠ 0 (x in the null space of M).
		w := gauss(newRand(99), dOut*d, 1)
		for o := range dOut {
			w[o*d] = 0
		}
		xNull := []float64{0.4 / sc, 0, 0, 0}
		checkVJP(t, fmt.Sprintf("MobiusMatvecVJP null space c=%v", c), rng, concat(w, xNull),
			func(in []float64) []float64 { return b.MobiusMatvec(nil, in[:dOut*d], in[dOut*d:], dOut, d) },
			func(in, g []float64) []float64 {
				gw, gx := b.MobiusMatvecVJP(nil, nil, in[:dOut*d], in[dOut*d:], g, dOut, d)
				return concat(gw, gx)
			}, vjpTol)
		// Dist, both forms: generic, nearby and one-at-origin pairs.
		for i, radii := range [][2]float64{{0.3, 0.6}, {0.9, 0.95}, {0, 0.7}, {0.5, -1}} {
			x := scaledRow(uint64(50+i), d, radii[0]/sc)
			y := scaledRow(uint64(60+i), d, radii[1]/sc)
			if radii[1] < 0 { // y = x + small offset
				copy(y, x)
				y[1] += 1e-3
			}
			for _, bb := range []Ball{b, {C: c, Unclamped: true}} {
				checkVJP(t, fmt.Sprintf("DistVJP c=%v unclamped=%v radii=%v", c, bb.Unclamped, radii), rng, concat(x, y),
					func(in []float64) []float64 { a, q := split(in); return bb.Dist(nil, a, q, d) },
					func(in, g []float64) []float64 {
						a, q := split(in)
						gx, gy := bb.DistVJP(nil, nil, a, q, g, d)
						return concat(gx, gy)
					}, vjpTol)
			}
		}
	}
}

func TestLorentzVJPs(t *testing.T) {
	const d = 4
	for _, k := range []float64{1, 0.5, 2.3} {
		l := Lorentz{K: k}
		rk := math.Sqrt(k)
		rng := newRand(uint64(k*1000) + 7)
		split := func(in []float64) ([]float64, []float64) { return in[:d], in[d:] }
		point := func(seed uint64, r float64) []float64 { return l.Projx(nil, scaledRow(seed, d, r), d) }

		for i, rad := range []float64{0, 0.4, 3} {
			x := scaledRow(uint64(i), d, rad)
			x[0] = 5
			checkVJP(t, fmt.Sprintf("ProjxVJP k=%v", k), rng, x,
				func(in []float64) []float64 { return l.Projx(nil, in, d) },
				func(in, g []float64) []float64 { return l.ProjxVJP(nil, in, g, d) }, vjpTol)
		}
		// Expmap0: below the norm clamp, moderate, small-t series, and
		// beyond the MaxCoshArg clamp.
		for i, rad := range []float64{1e-5, 5e-3, 1.2, 4, 200} {
			u := scaledRow(uint64(10+i), d, rad*rk)
			u[0] = 0.3 // ignored
			checkVJP(t, fmt.Sprintf("Expmap0VJP k=%v |u|/√k=%v", k, rad), rng, u,
				func(in []float64) []float64 { return l.Expmap0(nil, in, d) },
				func(in, g []float64) []float64 { return l.Expmap0VJP(nil, in, g, d) }, vjpTol)
		}
		for i, rad := range []float64{0.01, 0.3, 2, 20} {
			y := point(uint64(20+i), rad*rk)
			// Near the origin arcosh is stiff: a smaller step.
			checkVJPStep(t, fmt.Sprintf("Logmap0VJP k=%v |y|=%v", k, rad), rng, y,
				func(in []float64) []float64 { return l.Logmap0(nil, in, d) },
				func(in, g []float64) []float64 { return l.Logmap0VJP(nil, in, g, d) }, 1e-5, 1e-8)
		}
		for i := range 3 {
			x, y := point(uint64(30+i), float64(i+1)), point(uint64(40+i), 0.5)
			checkVJP(t, fmt.Sprintf("DistVJP k=%v", k), rng, concat(x, y),
				func(in []float64) []float64 { a, b := split(in); return l.Dist(nil, a, b, d) },
				func(in, g []float64) []float64 {
					a, b := split(in)
					gx, gy := l.DistVJP(nil, nil, a, b, g, d)
					return concat(gx, gy)
				}, vjpTol)
		}
		for i, rad := range []float64{0, 0.5, 0.95} {
			xb := scaledRow(uint64(50+i), d-1, rad*rk)
			checkVJP(t, fmt.Sprintf("FromBallVJP k=%v |x|/√k=%v", k, rad), rng, xb,
				func(in []float64) []float64 { return l.FromBall(nil, in, d-1) },
				func(in, g []float64) []float64 { return l.FromBallVJP(nil, in, g, d-1) }, vjpTol)
		}
		for i, rad := range []float64{0, 0.5, 3} {
			y := point(uint64(60+i), rad)
			checkVJP(t, fmt.Sprintf("ToBallVJP k=%v", k), rng, y,
				func(in []float64) []float64 { return l.ToBall(nil, in, d) },
				func(in, g []float64) []float64 { return l.ToBallVJP(nil, in, g, d) }, vjpTol)
		}
	}
}

func TestHyperbolaVJPs(t *testing.T) {
	rng := newRand(11)
	for _, h := range []Hyperbola{{}, {Unclamped: true}} {
		for _, z := range []float64{-2.5, -0.3, 0, 0.7, 3, 60} {
			checkVJP(t, fmt.Sprintf("FromScalarVJP unclamped=%v z=%v", h.Unclamped, z), rng, []float64{z},
				func(in []float64) []float64 { return h.FromScalar(nil, in) },
				func(in, g []float64) []float64 { return h.FromScalarVJP(nil, in, g) }, vjpTol)
		}
		const d = 5
		for i := range 3 {
			x := gauss(newRand(uint64(i)), d, float64(i+1))
			checkVJP(t, fmt.Sprintf("FromMeanVJP unclamped=%v", h.Unclamped), rng, x,
				func(in []float64) []float64 { return h.FromMean(nil, in, d) },
				func(in, g []float64) []float64 { return h.FromMeanVJP(nil, in, g, d) }, vjpTol)
		}
		for _, p := range [][]float64{{1, 0}, {3, -2}, {0.2, 40}} {
			checkVJP(t, fmt.Sprintf("ToScalarVJP unclamped=%v p=%v", h.Unclamped, p), rng, p,
				func(in []float64) []float64 { return h.ToScalar(nil, in) },
				func(in, g []float64) []float64 { return h.ToScalarVJP(nil, in, g) }, vjpTol)
		}
		for _, zz := range [][2]float64{{0.5, -1}, {-0.4, 0.2}, {4, 2}} {
			pq := concat(h.FromScalar(nil, zz[:1]), h.FromScalar(nil, zz[1:]))
			checkVJP(t, fmt.Sprintf("DistVJP unclamped=%v z=%v", h.Unclamped, zz), rng, pq,
				func(in []float64) []float64 { return h.Dist(nil, in[:2], in[2:], 2) },
				func(in, g []float64) []float64 {
					a, b := h.DistVJP(nil, nil, in[:2], in[2:], g, 2)
					return concat(a, b)
				}, vjpTol)
		}
	}
}

func TestGuardDerivatives(t *testing.T) {
	rng := newRand(3)
	for _, tc := range []struct {
		name  string
		f, df func(float64) float64
		at    []float64
	}{
		{"TanhClamped", TanhClamped, TanhClampedDeriv, []float64{-16, -3, 0, 0.4, 14.9, 20}},
		{"ArtanhClamped", ArtanhClamped, ArtanhClampedDeriv, []float64{-0.99, -0.2, 0, 0.5, 0.999}},
		{"ArcoshClamped", ArcoshClamped, ArcoshClampedDeriv, []float64{0.5, 1.01, 2, 50, 1e3}},
	} {
		for _, x := range tc.at {
			checkVJP(t, fmt.Sprintf("%s at %v", tc.name, x), rng, []float64{x},
				func(in []float64) []float64 { return []float64{tc.f(in[0])} },
				func(in, g []float64) []float64 { return []float64{g[0] * tc.df(in[0])} }, vjpTol)
		}
	}
}
