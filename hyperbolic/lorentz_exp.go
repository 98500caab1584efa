package hyperbolic

import "math"

// lorentzNorm returns geoopt's tangent norm sqrt(max(q, LorentzMinNormSq))
// of a vector with ⟨u,u⟩_L = q, and whether the clamp was inactive.
func lorentzNorm(q float64) (float64, bool) {
	if q > LorentzMinNormSq {
		return math.Sqrt(q), true
	}
	return math.Sqrt(LorentzMinNormSq), false
}

// maxArg returns the cosh/sinh argument clamp for T: MaxCoshArg, or
// MaxCoshArg32 for float32.
func (l Hyperboloid[T]) maxArg() float64 {
	if is32[T]() {
		return MaxCoshArg32
	}
	return MaxCoshArg
}

// coshMinusSinhc returns cosh t − sinh(t)/t, by its series for small t
// (where the difference cancels).
func coshMinusSinhc(t float64) float64 {
	if math.Abs(t) < 1e-2 {
		t2 := t * t
		return t2 * (1.0/3 + t2*(1.0/30+t2/840))
	}
	return math.Cosh(t) - math.Sinh(t)/t
}

// Expmap0 returns the exponential map at the origin o = (√k, 0, …, 0) of
// each tangent row of u (n×d). Column 0 of u is ignored: the tangent space
// at o is u₀ = 0, and for such inputs the result is geoopt's expmap0,
//
//	exp_o(u) = (√k cosh(‖u‖/√k), √k sinh(‖u‖/√k) u_{1:}/‖u‖),
//
// with ‖u‖ = sqrt(max(‖u_{1:}‖², LorentzMinNormSq)) and the cosh/sinh
// argument clamped at MaxCoshArg (MaxCoshArg32 for float32). dst is n×d.
func (l Hyperboloid[T]) Expmap0(dst, u []T, d int) []T {
	checkAmbient("Expmap0", d)
	n := numRows("Expmap0", "u", len(u), d)
	dst = useDst("Expmap0", dst, n*d)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		ur, dr := u[r*d:r*d+d], dst[r*d:r*d+d]
		nrm, _ := lorentzNorm(sqnorm(ur[1:]))
		t, _ := clampCosh(nrm/rk, l.maxArg())
		scaleTo(dr[1:], ur[1:], rk*math.Sinh(t)/nrm)
		dr[0] = T(rk * math.Cosh(t))
	}
	return dst
}

// Expmap0VJP returns the vector-Jacobian product of Expmap0 for the
// tangent rows u and the upstream gradient g (both n×d). Column 0 of the
// result is 0 (u₀ is ignored). With t = ‖u‖/√k and φ = √k sinh(t)/‖u‖ the
// space columns are
//
//	φ g_{1:} + (g₀ sinh t + ⟨g_{1:},u_{1:}⟩ φ'(‖u‖)) u_{1:}/‖u‖,
//
// where the last term drops while the norm clamp binds and the sinh t
// term while the MaxCoshArg clamp binds. dst is n×d.
func (l Hyperboloid[T]) Expmap0VJP(dst, u, g []T, d int) []T {
	checkAmbient("Expmap0VJP", d)
	n := numRows("Expmap0VJP", "u", len(u), d)
	sameLen("Expmap0VJP", "g", len(g), n*d)
	dst = useDst("Expmap0VJP", dst, n*d)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		ur, gr, dr := u[r*d:r*d+d], g[r*d:r*d+d], dst[r*d:r*d+d]
		u2, _, ug := dot2(ur[1:], gr[1:])
		nrm, normOn := lorentzNorm(u2)
		t, coshOn := clampCosh(nrm/rk, l.maxArg())
		phi := rk * math.Sinh(t) / nrm
		var p float64
		if normOn {
			var dphi float64 // φ'(‖u‖)
			if coshOn {
				dphi = coshMinusSinhc(t) / (t * rk)
			} else {
				dphi = -phi / nrm
			}
			dt := ug * dphi
			if coshOn {
				dt += float64(gr[0]) * math.Sinh(t)
			}
			p = dt / nrm
		}
		combine2(dr[1:], gr[1:], ur[1:], phi, p)
		dr[0] = 0
	}
	return dst
}

// Logmap0 returns the logarithmic map at the origin of each row of y
// (n×d), a tangent vector at o with column 0 equal to 0 (geoopt logmap0):
//
//	log_o(y) = √k arcosh(y₀/√k) · (0, y_{1:})/sqrt(max(‖y_{1:}‖², LorentzMinNormSq)).
//
// arcosh is ArcoshClamped. dst is n×d.
func (l Hyperboloid[T]) Logmap0(dst, y []T, d int) []T {
	checkAmbient("Logmap0", d)
	n := numRows("Logmap0", "y", len(y), d)
	dst = useDst("Logmap0", dst, n*d)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		yr, dr := y[r*d:r*d+d], dst[r*d:r*d+d]
		nrm, _ := lorentzNorm(sqnorm(yr[1:]))
		dist := rk * ArcoshClamped(float64(yr[0])/rk)
		scaleTo(dr[1:], yr[1:], dist/nrm)
		dr[0] = 0
	}
	return dst
}

// Logmap0VJP returns the vector-Jacobian product of Logmap0 for the rows
// of y and the upstream gradient g (both n×d): with ψ = √k arcosh(y₀/√k)/‖y_{1:}‖,
//
//	∂/∂y₀ = ⟨g_{1:},y_{1:}⟩ arcosh'(y₀/√k)/‖y_{1:}‖,
//	∂/∂y_{1:} = ψ g_{1:} − ψ⟨g_{1:},y_{1:}⟩/‖y_{1:}‖² y_{1:}
//
// (the second term drops while the norm clamp binds). dst is n×d.
func (l Hyperboloid[T]) Logmap0VJP(dst, y, g []T, d int) []T {
	checkAmbient("Logmap0VJP", d)
	n := numRows("Logmap0VJP", "y", len(y), d)
	sameLen("Logmap0VJP", "g", len(g), n*d)
	dst = useDst("Logmap0VJP", dst, n*d)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		yr, gr, dr := y[r*d:r*d+d], g[r*d:r*d+d], dst[r*d:r*d+d]
		y2, _, yg := dot2(yr[1:], gr[1:])
		nrm, normOn := lorentzNorm(y2)
		a := float64(yr[0]) / rk
		psi := rk * ArcoshClamped(a) / nrm
		var p float64
		if normOn {
			p = -psi * yg / y2
		}
		d0 := yg * ArcoshClampedDeriv(a) / nrm
		combine2(dr[1:], gr[1:], yr[1:], psi, p)
		dr[0] = T(d0)
	}
	return dst
}

// Expmap returns the exponential map at each row of x of the tangent row
// of u (both n×d) (geoopt expmap):
//
//	exp_x(u) = cosh(‖u‖_L/√k) x + √k sinh(‖u‖_L/√k) u/‖u‖_L,
//
// with ‖u‖_L = sqrt(max(⟨u,u⟩_L, LorentzMinNormSq)) and the cosh/sinh
// argument clamped at MaxCoshArg (MaxCoshArg32 for float32). It does not
// project. dst is n×d.
func (l Hyperboloid[T]) Expmap(dst, x, u []T, d int) []T {
	checkAmbient("Expmap", d)
	n := numRows("Expmap", "x", len(x), d)
	sameLen("Expmap", "u", len(u), n*d)
	dst = useDst("Expmap", dst, n*d)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		xr, ur, dr := x[r*d:r*d+d], u[r*d:r*d+d], dst[r*d:r*d+d]
		nrm, _ := lorentzNorm(minkowski(ur, ur))
		t, _ := clampCosh(nrm/rk, l.maxArg())
		combine2(dr, xr, ur, math.Cosh(t), rk*math.Sinh(t)/nrm)
	}
	return dst
}

// Logmap returns the logarithmic map at each row of x of the matching row
// of y (both n×d), a tangent vector at x (geoopt logmap):
//
//	log_x(y) = d(x,y) · v/‖v‖_L,  v = y + ⟨x,y⟩_L x/k,
//
// with ‖v‖_L = sqrt(max(⟨v,v⟩_L, LorentzMinNormSq)) and d as Dist. dst is
// n×d.
func (l Hyperboloid[T]) Logmap(dst, x, y []T, d int) []T {
	checkAmbient("Logmap", d)
	n := numRows("Logmap", "x", len(x), d)
	sameLen("Logmap", "y", len(y), n*d)
	dst = useDst("Logmap", dst, n*d)
	k, rk := l.kr()
	for r := 0; r < n; r++ {
		xr, yr, dr := x[r*d:r*d+d], y[r*d:r*d+d], dst[r*d:r*d+d]
		xy := minkowski(xr, yr)
		f := xy / k
		var vv float64 // ⟨v,v⟩_L, v = y + f x, accumulated without storing v
		for i := range xr {
			v := float64(yr[i]) + f*float64(xr[i])
			if i == 0 {
				vv -= v * v
			} else {
				vv += v * v
			}
		}
		nrm, _ := lorentzNorm(vv)
		s := rk * ArcoshClamped(-xy/k) / nrm
		for i := range dr {
			dr[i] = T(s * (float64(yr[i]) + f*float64(xr[i])))
		}
	}
	return dst
}

// ExpmapVJP returns the vector-Jacobian products of Expmap at the points
// x and tangent rows u for the upstream gradient g (all n×d): with
// t = ‖u‖_L/√k, φ = √k sinh(t)/‖u‖_L and Mu = (−u₀, u_{1:}),
//
//	dx = cosh(t) g,
//	du = φ g + (⟨g,u⟩ φ'(‖u‖_L) + ⟨g,x⟩ sinh(t)/√k) Mu/‖u‖_L,
//
// where the last term drops while the LorentzMinNormSq clamp binds and
// the sinh t/√k term (and φ' becomes −φ/‖u‖_L) while the MaxCoshArg clamp
// binds. dx and du are n×d, overwritten, and must not be the same slice.
func (l Hyperboloid[T]) ExpmapVJP(dx, du, x, u, g []T, d int) ([]T, []T) {
	checkAmbient("ExpmapVJP", d)
	n := numRows("ExpmapVJP", "x", len(x), d)
	sameLen("ExpmapVJP", "u", len(u), n*d)
	sameLen("ExpmapVJP", "g", len(g), n*d)
	dx = useDst("ExpmapVJP", dx, n*d)
	du = useDst("ExpmapVJP", du, n*d)
	_, rk := l.kr()
	for r := 0; r < n; r++ {
		xr, ur, gr := x[r*d:r*d+d], u[r*d:r*d+d], g[r*d:r*d+d]
		nrm, normOn := lorentzNorm(minkowski(ur, ur))
		t, coshOn := clampCosh(nrm/rk, l.maxArg())
		ch, sh := math.Cosh(t), math.Sinh(t)
		phi := rk * sh / nrm
		var p float64 // coefficient of Mu
		if normOn {
			gu, gx := dot(gr, ur), dot(gr, xr)
			var dphi float64
			if coshOn {
				dphi = coshMinusSinhc(t) / nrm
				p = gx * sh / rk
			} else {
				dphi = -phi / nrm
			}
			p = (p + gu*dphi) / nrm
		}
		scaleTo(dx[r*d:r*d+d], gr, ch)
		dur := du[r*d : r*d+d]
		combine2(dur, gr, ur, phi, p)
		dur[0] = T(phi*float64(gr[0]) - p*float64(ur[0]))
	}
	return dx, du
}

// LogmapVJP returns the vector-Jacobian products of Logmap at (x, y) for
// the upstream gradient g (all n×d). With q = ⟨x,y⟩_L,
// v = y + (q/k) x, s = √k arcosh(−q/k)/‖v‖_L and Mv = (−v₀, v_{1:}),
// log_x(y) = s v, and
//
//	G = s g − (⟨g,v⟩ s/‖v‖_L²) Mv            (the gradient of v),
//	Q = −⟨g,v⟩ arcosh'(−q/k)/(√k‖v‖_L) + ⟨G,x⟩/k   (the gradient of q),
//	dx = (q/k) G + Q My,   dy = G + Q Mx,
//
// where the Mv term drops while the LorentzMinNormSq clamp binds and
// arcosh' is ArcoshClampedDeriv. dx and dy are n×d, overwritten, and must
// not be the same slice.
func (l Hyperboloid[T]) LogmapVJP(dx, dy, x, y, g []T, d int) ([]T, []T) {
	checkAmbient("LogmapVJP", d)
	n := numRows("LogmapVJP", "x", len(x), d)
	sameLen("LogmapVJP", "y", len(y), n*d)
	sameLen("LogmapVJP", "g", len(g), n*d)
	dx = useDst("LogmapVJP", dx, n*d)
	dy = useDst("LogmapVJP", dy, n*d)
	k, rk := l.kr()
	for r := 0; r < n; r++ {
		xr, yr, gr := x[r*d:r*d+d], y[r*d:r*d+d], g[r*d:r*d+d]
		q := minkowski(xr, yr)
		f := q / k
		// ⟨v,v⟩_L, ⟨g,v⟩, ⟨g,x⟩ and ⟨Mv,x⟩ = ⟨v,x⟩_L, v = y + f x.
		var vv, gv, gx, vx float64
		for i := range xr {
			xv := float64(xr[i])
			v := float64(yr[i]) + f*xv
			gg := float64(gr[i])
			gv += gg * v
			gx += gg * xv
			if i == 0 {
				vv -= v * v
				vx -= v * xv
			} else {
				vv += v * v
				vx += v * xv
			}
		}
		nrm, normOn := lorentzNorm(vv)
		a := -q / k
		s := rk * ArcoshClamped(a) / nrm
		var kap float64 // G = s g − kap Mv
		if normOn {
			kap = gv * s / (nrm * nrm)
		}
		gG := s*gx - kap*vx // ⟨G, x⟩
		qq := -gv*ArcoshClampedDeriv(a)/(rk*nrm) + gG/k
		dxr, dyr := dx[r*d:r*d+d], dy[r*d:r*d+d]
		for i := range xr {
			xv, yv := float64(xr[i]), float64(yr[i])
			v := yv + f*xv
			sg := 1.0
			if i == 0 {
				sg = -1
			}
			gvec := s*float64(gr[i]) - kap*sg*v
			dxr[i] = T(f*gvec + qq*sg*yv)
			dyr[i] = T(gvec + qq*sg*xv)
		}
	}
	return dx, dy
}
