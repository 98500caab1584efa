package hyperbolic

// gyrCoef returns the coefficients (a, b) of gyr[u,v]w = w + a·u + b·v on
// the ball of curvature −c, from the dot products of u, v and w (Ungar
// 2009; geoopt _gyration with κ = −c):
//
//	a' = −c²⟨u,w⟩‖v‖² + c⟨v,w⟩ + 2c²⟨u,v⟩⟨v,w⟩
//	b' = −c²⟨v,w⟩‖u‖² − c⟨u,w⟩
//	D  = max(1 + 2c⟨u,v⟩ + c²‖u‖²‖v‖², MinNorm)
//	a = 2a'/D,  b = 2b'/D.
func gyrCoef(c, u2, v2, uv, uw, vw float64) (a, b float64) {
	c2 := c * c
	ap := -c2*uw*v2 + c*vw + 2*c2*uv*vw
	bp := -c2*vw*u2 - c*uw
	den, _ := clampDen(1 + 2*c*uv + c2*u2*v2)
	return 2 * ap / den, 2 * bp / den
}

// Gyration returns gyr[u,v]w for the rows of u, v and w (all n×d): the
// gyroautomorphism with u ⊕ (v ⊕ w) = (u ⊕ v) ⊕ gyr[u,v]w (Ungar 2009;
// geoopt gyration), computed by the closed form
// w + 2(a'u + b'v)/D of gyrCoef. dst is n×d.
func (b PoincareBall[T]) Gyration(dst, u, v, w []T, d int) []T {
	n := numRows("Gyration", "u", len(u), d)
	sameLen("Gyration", "v", len(v), n*d)
	sameLen("Gyration", "w", len(w), n*d)
	dst = useDst("Gyration", dst, n*d)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		ur, vr, wr, dr := u[r*d:r*d+d], v[r*d:r*d+d], w[r*d:r*d+d], dst[r*d:r*d+d]
		var u2, v2, uv, uw, vw float64
		for i := range ur {
			a, bb, cc := float64(ur[i]), float64(vr[i]), float64(wr[i])
			u2 += a * a
			v2 += bb * bb
			uv += a * bb
			uw += a * cc
			vw += bb * cc
		}
		ca, cb := gyrCoef(c, u2, v2, uv, uw, vw)
		for i := range dr {
			dr[i] = T(float64(wr[i]) + ca*float64(ur[i]) + cb*float64(vr[i]))
		}
	}
	return dst
}

// Transp returns the parallel transport of the tangent rows v at x to y
// (all n×d) along the geodesic (geoopt transp / parallel_transport):
//
//	P_{x→y}(v) = gyr[y, −x]v · λ_x/λ_y.
//
// dst is n×d.
func (b PoincareBall[T]) Transp(dst, x, y, v []T, d int) []T {
	n := numRows("Transp", "x", len(x), d)
	sameLen("Transp", "y", len(y), n*d)
	sameLen("Transp", "v", len(v), n*d)
	dst = useDst("Transp", dst, n*d)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		xr, yr, vr, dr := x[r*d:r*d+d], y[r*d:r*d+d], v[r*d:r*d+d], dst[r*d:r*d+d]
		var x2, y2, xy, xv, yv float64
		for i := range xr {
			a, bb, cc := float64(xr[i]), float64(yr[i]), float64(vr[i])
			x2 += a * a
			y2 += bb * bb
			xy += a * bb
			xv += a * cc
			yv += bb * cc
		}
		// gyr[u, w']v with u = y, w' = −x.
		ca, cb := gyrCoef(c, y2, x2, -xy, yv, -xv)
		s := lambda(c, x2) / lambda(c, y2)
		for i := range dr {
			dr[i] = T(s * (float64(vr[i]) + ca*float64(yr[i]) - cb*float64(xr[i])))
		}
	}
	return dst
}
