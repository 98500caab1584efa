package hyperbolic

import "math"

// FromBall maps each row of x (n×m), a point of the Poincaré ball of
// curvature −1/k (radius √k), to the hyperboloid l, writing n×(m+1) rows
// into dst. With c = 1/k and R = √k the map is the isometry
//
//	y₀ = R (1 + c‖x‖²)/(1 − c‖x‖²),   y_{1:} = 2x/(1 − c‖x‖²),
//
// computed with 1 − c‖x‖² = (1 − √c‖x‖)(1 + √c‖x‖) clamped at MinNorm.
// dst must not overlap x (the rows change width).
// ToBall is its exact inverse, and distances are preserved.
//
// geoopt's poincare_to_lorentz differs: it maps the unit ball (not the
// ball of radius √k) and adds eps = 1e-6 to the denominator, so its points
// are off the sheet by about 1e-6 and are not isometric for k ≠ 1. For
// k = 1 the two agree up to that eps.
func (l Hyperboloid[T]) FromBall(dst, x []T, m int) []T {
	n := numRows("FromBall", "x", len(x), m)
	d := m + 1
	dst = useDst("FromBall", dst, n*d)
	k, rk := l.kr()
	c, sc := 1/k, 1/rk
	for r := 0; r < n; r++ {
		xr, dr := x[r*m:r*m+m], dst[r*d:r*d+d]
		rn := math.Sqrt(sqnorm(xr))
		q, _ := clampDen((1 - sc*rn) * (1 + sc*rn))
		f := 2 / q
		for i := 0; i < m; i++ {
			dr[i+1] = T(f * float64(xr[i]))
		}
		dr[0] = T(rk * (1 + c*rn*rn) / q)
	}
	return dst
}

// FromBallVJP returns the vector-Jacobian product of FromBall for the
// ball rows x (n×m) and the upstream gradient g (n×(m+1)) in dst (n×m):
// with q = 1 − c‖x‖²,
//
//	(2/q) g_{1:} + 4c (√k g₀ + ⟨g_{1:},x⟩)/q² · x
//
// (the second term drops where the MinNorm clamp of q binds).
func (l Hyperboloid[T]) FromBallVJP(dst, x, g []T, m int) []T {
	n := numRows("FromBallVJP", "x", len(x), m)
	d := m + 1
	sameLen("FromBallVJP", "g", len(g), n*d)
	dst = useDst("FromBallVJP", dst, n*m)
	k, rk := l.kr()
	c, sc := 1/k, 1/rk
	for r := 0; r < n; r++ {
		xr, gr, dr := x[r*m:r*m+m], g[r*d:r*d+d], dst[r*m:r*m+m]
		x2, _, xg := dot2(xr, gr[1:])
		rn := math.Sqrt(x2)
		q, qOn := clampDen((1 - sc*rn) * (1 + sc*rn))
		p := qOn * 4 * c * (rk*float64(gr[0]) + xg) / (q * q)
		combine2(dr, gr[1:], xr, 2/q, p)
	}
	return dst
}

// ToBall maps each row of y (n×d), a point of the hyperboloid l, to the
// isometric Poincaré ball of curvature −1/k (see Ball), writing n×(d−1)
// rows into dst:
//
//	x = y_{1:}/(1 + y₀/√k)   (= √k y_{1:}/(√k + y₀)),
//
// with the denominator clamped at MinNorm; dst must not overlap y. It
// does not project: a point
// far out on the sheet maps to the ball's rim to working precision.
func (l Hyperboloid[T]) ToBall(dst, y []T, d int) []T {
	checkAmbient("ToBall", d)
	n := numRows("ToBall", "y", len(y), d)
	m := d - 1
	dst = useDst("ToBall", dst, n*m)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		yr, dr := y[r*d:r*d+d], dst[r*m:r*m+m]
		p, _ := clampDen(1 + float64(yr[0])/rk)
		for i := 0; i < m; i++ {
			dr[i] = T(float64(yr[i+1]) / p)
		}
	}
	return dst
}

// ToBallVJP returns the vector-Jacobian product of ToBall for the rows of
// y (n×d) and the upstream gradient g (n×(d−1)) in dst (n×d): with
// p = 1 + y₀/√k, column 0 is −⟨g,y_{1:}⟩/(√k p²) (0 where the clamp of p
// binds) and the others g/p.
func (l Hyperboloid[T]) ToBallVJP(dst, y, g []T, d int) []T {
	checkAmbient("ToBallVJP", d)
	n := numRows("ToBallVJP", "y", len(y), d)
	m := d - 1
	sameLen("ToBallVJP", "g", len(g), n*m)
	dst = useDst("ToBallVJP", dst, n*d)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		yr, gr, dr := y[r*d:r*d+d], g[r*m:r*m+m], dst[r*d:r*d+d]
		p, pOn := clampDen(1 + float64(yr[0])/rk)
		gy := dot(gr, yr[1:])
		for i := 0; i < m; i++ {
			dr[i+1] = T(float64(gr[i]) / p)
		}
		dr[0] = T(-pOn * gy / (rk * p * p))
	}
	return dst
}
