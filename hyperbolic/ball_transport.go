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

// gyrVJPCoef returns the coefficients (a, b) of gyr[u,v]w = w + a·u + b·v
// (gyrCoef) together with the partial derivatives of L = ⟨g, gyr[u,v]w⟩
// with respect to the dot products the coefficients depend on, given
// gu = ⟨g,u⟩ and gv = ⟨g,v⟩:
//
//	luw = ∂L/∂⟨u,w⟩, lvw = ∂L/∂⟨v,w⟩, luv = ∂L/∂⟨u,v⟩, lu2 = ∂L/∂‖u‖², lv2 = ∂L/∂‖v‖².
//
// The denominator terms drop where its MinNorm clamp binds.
func gyrVJPCoef(c, u2, v2, uv, uw, vw, gu, gv float64) (a, b, luw, lvw, luv, lu2, lv2 float64) {
	c2 := c * c
	ap := -c2*uw*v2 + c*vw + 2*c2*uv*vw
	bp := -c2*vw*u2 - c*uw
	den, on := clampDen(1 + 2*c*uv + c2*u2*v2)
	a, b = 2*ap/den, 2*bp/den
	// ∂a/∂· = 2∂a'/∂·/D − a ∂D/∂·/D, likewise for b.
	ab := (gu*a + gv*b) * on / den // ⟨(gu, gv), (a, b)⟩/D, times ∂D/∂·
	luw = 2 * (gu*(-c2*v2) + gv*(-c)) / den
	lvw = 2 * (gu*(c+2*c2*uv) + gv*(-c2*u2)) / den
	luv = 2*gu*2*c2*vw/den - ab*2*c
	lu2 = 2*gv*(-c2*vw)/den - ab*c2*v2
	lv2 = 2*gu*(-c2*uw)/den - ab*c2*u2
	return
}

// GyrationVJP returns the vector-Jacobian products of Gyration for the
// rows of u, v, w and the upstream gradient g (all n×d): du, dv and dw,
// each n×d, overwritten, and pairwise distinct slices. With
// gyr[u,v]w = w + a u + b v (gyrCoef),
//
//	dw = g + ∂L/∂⟨u,w⟩ u + ∂L/∂⟨v,w⟩ v,
//	du = a g + ∂L/∂⟨u,w⟩ w + ∂L/∂⟨u,v⟩ v + 2 ∂L/∂‖u‖² u,
//	dv = b g + ∂L/∂⟨v,w⟩ w + ∂L/∂⟨u,v⟩ u + 2 ∂L/∂‖v‖² v,
//
// with L = ⟨g, gyr[u,v]w⟩ (gyrVJPCoef).
func (b PoincareBall[T]) GyrationVJP(du, dv, dw, u, v, w, g []T, d int) ([]T, []T, []T) {
	n := numRows("GyrationVJP", "u", len(u), d)
	sameLen("GyrationVJP", "v", len(v), n*d)
	sameLen("GyrationVJP", "w", len(w), n*d)
	sameLen("GyrationVJP", "g", len(g), n*d)
	du = useDst("GyrationVJP", du, n*d)
	dv = useDst("GyrationVJP", dv, n*d)
	dw = useDst("GyrationVJP", dw, n*d)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		ur, vr, wr, gr := u[r*d:r*d+d], v[r*d:r*d+d], w[r*d:r*d+d], g[r*d:r*d+d]
		var u2, v2, uv, uw, vw, gu, gv float64
		for i := range ur {
			a, bb, cc, gg := float64(ur[i]), float64(vr[i]), float64(wr[i]), float64(gr[i])
			u2 += a * a
			v2 += bb * bb
			uv += a * bb
			uw += a * cc
			vw += bb * cc
			gu += gg * a
			gv += gg * bb
		}
		ca, cb, luw, lvw, luv, lu2, lv2 := gyrVJPCoef(c, u2, v2, uv, uw, vw, gu, gv)
		dur, dvr, dwr := du[r*d:r*d+d], dv[r*d:r*d+d], dw[r*d:r*d+d]
		for i := range ur {
			a, bb, cc, gg := float64(ur[i]), float64(vr[i]), float64(wr[i]), float64(gr[i])
			dwr[i] = T(gg + luw*a + lvw*bb)
			dur[i] = T(ca*gg + luw*cc + luv*bb + 2*lu2*a)
			dvr[i] = T(cb*gg + lvw*cc + luv*a + 2*lv2*bb)
		}
	}
	return du, dv, dw
}

// TranspVJP returns the vector-Jacobian products of Transp for the rows
// of x, y, v and the upstream gradient g (all n×d): dx, dy and dv, each
// n×d, overwritten, and pairwise distinct slices. Transp is
// s·gyr[y, −x]v with s = λ_x/λ_y, so the gradient passes through
// GyrationVJP (at u = y, v' = −x, w = v, upstream s g) and through s
// (∂s/∂x = cλ_x²/λ_y·x, ∂s/∂y = −cλ_x·y), whose terms drop where a λ
// denominator clamp binds.
func (b PoincareBall[T]) TranspVJP(dx, dy, dv, x, y, v, g []T, d int) ([]T, []T, []T) {
	n := numRows("TranspVJP", "x", len(x), d)
	sameLen("TranspVJP", "y", len(y), n*d)
	sameLen("TranspVJP", "v", len(v), n*d)
	sameLen("TranspVJP", "g", len(g), n*d)
	dx = useDst("TranspVJP", dx, n*d)
	dy = useDst("TranspVJP", dy, n*d)
	dv = useDst("TranspVJP", dv, n*d)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		xr, yr, vr, gr := x[r*d:r*d+d], y[r*d:r*d+d], v[r*d:r*d+d], g[r*d:r*d+d]
		var x2, y2, xy, xv, yv, gx, gy, gv float64
		for i := range xr {
			a, bb, cc, gg := float64(xr[i]), float64(yr[i]), float64(vr[i]), float64(gr[i])
			x2 += a * a
			y2 += bb * bb
			xy += a * bb
			xv += a * cc
			yv += bb * cc
			gx += gg * a
			gy += gg * bb
			gv += gg * cc
		}
		lxDen, lxOn := clampDen(1 - c*x2)
		lyDen, lyOn := clampDen(1 - c*y2)
		lx, ly := 2/lxDen, 2/lyDen
		s := lx / ly
		// Gyration at u = y, v' = −x, w = v with upstream s·g:
		// ⟨sg, y⟩ = s gy, ⟨sg, −x⟩ = −s gx.
		ca, cb, luw, lvw, luv, lu2, lv2 := gyrVJPCoef(c, y2, x2, -xy, yv, -xv, s*gy, -s*gx)
		// L through s: ⟨g, gyr⟩ = gv + ca gy − cb gx.
		ls := gv + ca*gy - cb*gx
		sx := lxOn * ls * c * lx * lx / ly // ∂L/∂s·∂s/∂x, a multiple of x
		sy := -lyOn * ls * c * lx          // ∂L/∂s·∂s/∂y, a multiple of y
		// dv = s g + luw y − lvw x
		// dy = ca s g + luw v − luv x + 2 lu2 y + sy y
		// dx = −(cb s g + lvw v + luv y − 2 lv2 x) + sx x
		dxr, dyr, dvr := dx[r*d:r*d+d], dy[r*d:r*d+d], dv[r*d:r*d+d]
		for i := range xr {
			a, bb, cc, gg := float64(xr[i]), float64(yr[i]), float64(vr[i]), float64(gr[i])
			dvr[i] = T(s*gg + luw*bb - lvw*a)
			dyr[i] = T(ca*s*gg + luw*cc - luv*a + (2*lu2+sy)*bb)
			dxr[i] = T(-cb*s*gg - lvw*cc - luv*bb + (2*lv2+sx)*a)
		}
	}
	return dx, dy, dv
}
