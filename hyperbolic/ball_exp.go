package hyperbolic

import "math"

// Expmap0 returns the exponential map at the origin of each tangent row
// of u (n×d), projected onto the ball (geoopt expmap0, project=True;
// Ganea et al. 2018, eq. 13 at x = 0):
//
//	exp_0(u) = tanh(√c‖u‖)/√c · u/‖u‖,
//
// with ‖u‖ clamped at MinNorm and the tanh argument at ±TanhClamp. dst is
// n×d.
func (b PoincareBall[T]) Expmap0(dst, u []T, d int) []T {
	n := numRows("Expmap0", "u", len(u), d)
	dst = useDst("Expmap0", dst, n*d)
	_, sc := b.curv()
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		ur, dr := u[r*d:r*d+d], dst[r*d:r*d+d]
		nrm := math.Sqrt(sqnorm(ur))
		nc := math.Max(nrm, MinNorm)
		f := TanhClamped(sc*nc) / (sc * nc)
		if f*nrm > maxn {
			f = maxn / nrm
		}
		scaleTo(dr, ur, f)
	}
	return dst
}

// Expmap0VJP returns the vector-Jacobian product (∂exp_0(u)/∂u)ᵀg of
// Expmap0 (projection included) for the rows of u and the upstream
// gradient g (both n×d). With α(n) = tanh(√c n)/(√c n) it is
// α g + α'(n)⟨û,g⟩û inside the radius, (M/‖u‖)(g − ⟨û,g⟩û) for projected
// rows, and α g for ‖u‖ < MinNorm (the clamped norm carries no gradient).
// dst is n×d.
func (b PoincareBall[T]) Expmap0VJP(dst, u, g []T, d int) []T {
	n := numRows("Expmap0VJP", "u", len(u), d)
	sameLen("Expmap0VJP", "g", len(g), n*d)
	dst = useDst("Expmap0VJP", dst, n*d)
	_, sc := b.curv()
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		ur, gr, dr := u[r*d:r*d+d], g[r*d:r*d+d], dst[r*d:r*d+d]
		u2, _, ug := dot2(ur, gr)
		nrm := math.Sqrt(u2)
		var s, p float64 // dst = s g + p u
		switch {
		case nrm < MinNorm:
			s = TanhClamped(sc*MinNorm) / (sc * MinNorm)
		default:
			t := TanhClamped(sc * nrm)
			alpha := t / (sc * nrm)
			if alpha*nrm > maxn {
				s = maxn / nrm
				p = -s * ug / u2
				break
			}
			tp := sc * TanhClampedDeriv(sc*nrm)
			s = alpha
			p = (tp*nrm - t) / (sc * nrm) * ug / u2 // α'(n)·n·⟨u,g⟩/‖u‖²
		}
		combine2(dr, gr, ur, s, p)
	}
	return dst
}

// combine2 writes s·a + p·b into dst (dst may alias a or b).
func combine2[T Float](dst, a, b []T, s, p float64) {
	b = b[:len(a)]
	dst = dst[:len(a)]
	for i := range a {
		dst[i] = T(s*float64(a[i]) + p*float64(b[i]))
	}
}

// Logmap0 returns the logarithmic map at the origin of each row of y
// (n×d), a tangent vector at 0 (geoopt logmap0):
//
//	log_0(y) = artanh(√c‖y‖)/√c · y/‖y‖,
//
// with ‖y‖ clamped at MinNorm and the artanh argument at ±ArtanhClamp.
// It does not project. dst is n×d.
func (b PoincareBall[T]) Logmap0(dst, y []T, d int) []T {
	n := numRows("Logmap0", "y", len(y), d)
	dst = useDst("Logmap0", dst, n*d)
	_, sc := b.curv()
	for r := 0; r < n; r++ {
		yr, dr := y[r*d:r*d+d], dst[r*d:r*d+d]
		nc := math.Max(math.Sqrt(sqnorm(yr)), MinNorm)
		scaleTo(dr, yr, ArtanhClamped(sc*nc)/(sc*nc))
	}
	return dst
}

// Logmap0VJP returns the vector-Jacobian product (∂log_0(y)/∂y)ᵀg of
// Logmap0 for the rows of y and the upstream gradient g (both n×d): with
// β(n) = artanh(√c n)/(√c n) it is β g + β'(n)⟨ŷ,g⟩ŷ, and β g where the
// norm clamp binds (‖y‖ < MinNorm); β' is 0 where the artanh clamp binds.
// dst is n×d.
func (b PoincareBall[T]) Logmap0VJP(dst, y, g []T, d int) []T {
	n := numRows("Logmap0VJP", "y", len(y), d)
	sameLen("Logmap0VJP", "g", len(g), n*d)
	dst = useDst("Logmap0VJP", dst, n*d)
	_, sc := b.curv()
	for r := 0; r < n; r++ {
		yr, gr, dr := y[r*d:r*d+d], g[r*d:r*d+d], dst[r*d:r*d+d]
		y2, _, yg := dot2(yr, gr)
		nrm := math.Sqrt(y2)
		var s, p float64
		if nrm < MinNorm {
			s = ArtanhClamped(sc*MinNorm) / (sc * MinNorm)
		} else {
			a := ArtanhClamped(sc * nrm)
			ap := sc * ArtanhClampedDeriv(sc*nrm)
			s = a / (sc * nrm)
			p = (ap*nrm - a) / (sc * nrm) * yg / y2
		}
		combine2(dr, gr, yr, s, p)
	}
	return dst
}

// Expmap returns the exponential map at each row of x of the tangent row
// of u (both n×d), projected onto the ball (geoopt expmap; Ganea et al.
// 2018, eq. 13):
//
//	exp_x(u) = x ⊕ (tanh(√c λ_x‖u‖/2)/√c · u/‖u‖),
//
// with the MinNorm, TanhClamp and denominator guards. dst is n×d.
func (b PoincareBall[T]) Expmap(dst, x, u []T, d int) []T {
	n := numRows("Expmap", "x", len(x), d)
	sameLen("Expmap", "u", len(u), n*d)
	dst = useDst("Expmap", dst, n*d)
	c, sc := b.curv()
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr, ur, dr := x[r*d:r*d+d], u[r*d:r*d+d], dst[r*d:r*d+d]
		x2, u2, xu := dot2(xr, ur)
		nc := math.Max(math.Sqrt(u2), MinNorm)
		sigma := TanhClamped(sc*lambda(c, x2)*nc/2) / (sc * nc) // w = σu
		ca, cb, den, _ := addCoef(c, x2, sigma*sigma*u2, sigma*xu)
		ca, cb = ca/den, cb*sigma/den
		writeProjected(dr, xr, ur, ca, cb, maxn)
	}
	return dst
}

// subCoef returns the scalars of m = (−x) ⊕ y = (B(y − x) − c‖x−y‖² x)/D,
// the Möbius difference used by Logmap and Dist. Writing A = B + c‖x−y‖²
// (which equals 1 − 2c⟨x,y⟩ + c‖y‖²) keeps m accurate when y is close to
// x, where the textbook form −A x + B y cancels.
func subCoef(c, x2, y2, xy, diff2 float64) (a, b, den, dOn float64) {
	b = 1 - c*x2
	a = b + c*diff2
	den, dOn = clampDen(1 - 2*c*xy + c*c*x2*y2)
	return a, b, den, dOn
}

// subDots returns ‖x‖², ‖y‖², ⟨x,y⟩ and ‖x−y‖² in one pass.
func subDots[T Float](x, y []T) (x2, y2, xy, diff2 float64) {
	y = y[:len(x)]
	for i := range x {
		xv, yv := float64(x[i]), float64(y[i])
		x2 += xv * xv
		y2 += yv * yv
		xy += xv * yv
		dv := yv - xv
		diff2 += dv * dv
	}
	return
}

// Logmap returns the logarithmic map at each row of x of the matching row
// of y (both n×d), a tangent vector at x (geoopt logmap; Ganea et al.
// 2018, eq. 14):
//
//	log_x(y) = (2/λ_x) artanh(√c‖m‖)/√c · m/‖m‖,  m = (−x) ⊕ y,
//
// with the MinNorm and ArtanhClamp guards. It does not project. dst is n×d.
func (b PoincareBall[T]) Logmap(dst, x, y []T, d int) []T {
	n := numRows("Logmap", "x", len(x), d)
	sameLen("Logmap", "y", len(y), n*d)
	dst = useDst("Logmap", dst, n*d)
	c, sc := b.curv()
	for r := 0; r < n; r++ {
		xr, yr, dr := x[r*d:r*d+d], y[r*d:r*d+d], dst[r*d:r*d+d]
		x2, y2, xy, diff2 := subDots(xr, yr)
		_, cb, den, _ := subCoef(c, x2, y2, xy, diff2)
		cd := c * diff2
		var m2 float64
		for i := range xr {
			xv := float64(xr[i])
			m := (cb*(float64(yr[i])-xv) - cd*xv) / den
			m2 += m * m
		}
		mc := math.Max(math.Sqrt(m2), MinNorm)
		f := 2 / lambda(c, x2) * ArtanhClamped(sc*mc) / (sc * mc) / den
		for i := range dr {
			xv := float64(xr[i])
			dr[i] = T(f * (cb*(float64(yr[i])-xv) - cd*xv))
		}
	}
	return dst
}

// ExpmapVJP returns the vector-Jacobian products of Expmap (projection
// included) at the points x and tangent rows u for the upstream gradient g
// (all n×d): dx = (∂exp_x(u)/∂x)ᵀg and du = (∂exp_x(u)/∂u)ᵀg, each n×d,
// overwritten; dx and du must not be the same slice.
//
// With w = σu, σ = tanh(√c λ_x‖u‖/2)/(√c‖u‖), exp_x(u) = proj(x ⊕ w): the
// gradient passes back through the projection and the Möbius addition
// (as MobiusAddVJP), then through σ, which depends on ‖u‖ and, via λ_x,
// on ‖x‖. Where the MinNorm clamp of ‖u‖, the TanhClamp or the clamp of
// the λ_x denominator binds, that path contributes 0, as autograd through
// geoopt's clamps; at u = 0 the map is x ⊕ (λ_x/2)u to first order and
// the VJP is its Jacobian.
func (b PoincareBall[T]) ExpmapVJP(dx, du, x, u, g []T, d int) ([]T, []T) {
	n := numRows("ExpmapVJP", "x", len(x), d)
	sameLen("ExpmapVJP", "u", len(u), n*d)
	sameLen("ExpmapVJP", "g", len(g), n*d)
	dx = useDst("ExpmapVJP", dx, n*d)
	du = useDst("ExpmapVJP", du, n*d)
	c, sc := b.curv()
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr, ur, gr := x[r*d:r*d+d], u[r*d:r*d+d], g[r*d:r*d+d]
		var x2, u2, xu, gx, gu float64
		for i := range xr {
			xv, uv, gv := float64(xr[i]), float64(ur[i]), float64(gr[i])
			x2 += xv * xv
			u2 += uv * uv
			xu += xv * uv
			gx += gv * xv
			gu += gv * uv
		}
		nrm := math.Sqrt(u2)
		nc := math.Max(nrm, MinNorm)
		lamDen, lamOn := clampDen(1 - c*x2)
		lam := 2 / lamDen
		arg := sc * lam * nc / 2
		th, thd := TanhClamped(arg), TanhClampedDeriv(arg)
		sigma := th / (sc * nc)
		// w = σu and its dot products.
		w2, xw, gw := sigma*sigma*u2, sigma*xu, sigma*gu
		ca, cb, den, dOn := addCoef(c, x2, w2, xw)
		// Projection: g' = s g + p z = s g + px x + pw w.
		za, zb := ca/den, cb/den
		z2 := za*za*x2 + 2*za*zb*xw + zb*zb*w2
		s, p := projVJP(z2, za*gx+zb*gw, maxn)
		px, pw := p*za, p*zb
		g1x := s*gx + px*x2 + pw*xw
		g1w := s*gw + px*xw + pw*w2
		ga, xa, ya, gb, xb, yb := addVJPCoef(c, x2, w2, ca, cb, den, dOn, g1x, g1w)
		// ∂/∂x and ∂/∂w of the addition in the basis (g, x, w).
		agx, axx, awx := ga*s, ga*px+xa, ga*pw+ya
		agw, axw, aww := gb*s, gb*px+xb, gb*pw+yb
		// ⟨∂L/∂w, u⟩: the gradient with respect to σ.
		dsig := agw*gu + axw*xu + aww*sigma*u2
		// σ through ‖u‖ (unless clamped) and through λ_x (dλ/dx = cλ²x).
		var pu, pxl float64
		if nrm >= MinNorm {
			pu = (thd*lam/(2*nc) - sigma/nc) * dsig / nrm
		}
		if lamOn == 1 {
			pxl = thd / 2 * dsig * c * lam * lam
		}
		// du = σ ∂L/∂w + pu u; dx = ∂L/∂x + pxl x, with w = σu.
		dgu, dxu, duu := sigma*agw, sigma*axw, sigma*aww*sigma+pu
		dgx, dxx, dux := agx, axx+pxl, awx*sigma
		dxr, dur := dx[r*d:r*d+d], du[r*d:r*d+d]
		for i := range xr {
			xv, uv, gv := float64(xr[i]), float64(ur[i]), float64(gr[i])
			dxr[i] = T(dgx*gv + dxx*xv + dux*uv)
			dur[i] = T(dgu*gv + dxu*xv + duu*uv)
		}
	}
	return dx, du
}

// LogmapVJP returns the vector-Jacobian products of Logmap at (x, y) for
// the upstream gradient g (all n×d): dx = (∂log_x(y)/∂x)ᵀg and
// dy = (∂log_x(y)/∂y)ᵀg, each n×d, overwritten; dx and dy must not be
// the same slice.
//
// log_x(y) = F·m with m = (−x) ⊕ y and F = (2/λ_x)·artanh(√c‖m‖)/(√c‖m‖):
// the gradient of m is F g + ⟨g,m⟩(∂F/∂‖m‖) m/‖m‖, passed back through the
// Möbius difference as in DistVJP, and x also gets the term of 2/λ_x.
// Clamps that bind (MinNorm on ‖m‖, ArtanhClamp, the λ_x and Möbius
// denominators) pass no gradient; at y = x the VJP is the Jacobian of
// log_x, F = 2/λ_x on m.
func (b PoincareBall[T]) LogmapVJP(dx, dy, x, y, g []T, d int) ([]T, []T) {
	n := numRows("LogmapVJP", "x", len(x), d)
	sameLen("LogmapVJP", "y", len(y), n*d)
	sameLen("LogmapVJP", "g", len(g), n*d)
	dx = useDst("LogmapVJP", dx, n*d)
	dy = useDst("LogmapVJP", dy, n*d)
	c, sc := b.curv()
	for r := 0; r < n; r++ {
		xr, yr, gr := x[r*d:r*d+d], y[r*d:r*d+d], g[r*d:r*d+d]
		dxr, dyr := dx[r*d:r*d+d], dy[r*d:r*d+d]
		var x2, y2, xy, diff2, gx, gy float64
		for i := range xr {
			xv, yv, gv := float64(xr[i]), float64(yr[i]), float64(gr[i])
			x2 += xv * xv
			y2 += yv * yv
			xy += xv * yv
			dv := yv - xv
			diff2 += dv * dv
			gx += gv * xv
			gy += gv * yv
		}
		ca, cb, den, dOn := subCoef(c, x2, y2, xy, diff2)
		cd := c * diff2
		// m = (−x) ⊕ y and its dot products with x, y and g.
		var m2, mx, my, gm float64
		for i := range xr {
			xv, yv := float64(xr[i]), float64(yr[i])
			m := (cb*(yv-xv) - cd*xv) / den
			m2 += m * m
			mx += m * xv
			my += m * yv
			gm += m * float64(gr[i])
		}
		nm := math.Sqrt(m2)
		mc := math.Max(nm, MinNorm)
		lamInv, lOn := clampDen(1 - c*x2) // 2/λ_x
		at := ArtanhClamped(sc * mc)
		beta := at / (sc * mc)
		f := lamInv * beta
		// Upstream gradient of m: G = f g + k m.
		var k float64
		if nm >= MinNorm {
			dbeta := (sc*ArtanhClampedDeriv(sc*mc)*mc - at) / (sc * mc * mc)
			k = gm * lamInv * dbeta / nm
		}
		gxG := f*gx + k*mx // ⟨G, x⟩
		gyG := f*gy + k*my // ⟨G, y⟩
		gz := dOn * (f*gm + k*m2)
		// The raw addition a ⊕ y at a = −x (see addVJPCoef, DistVJP):
		// ∂/∂x = −(A/D) G + p x − q y,  ∂/∂y = (B/D) G − q x + q2 y.
		p := (-2*c*gyG - 2*c*c*y2*gz) / den
		q := (2*c*(-gxG) - 2*c*gz) / den
		q2 := (2*c*(-gxG) - 2*c*c*x2*gz) / den
		// 2/λ_x = 1 − c‖x‖² contributes −2c⟨g,m⟩β x.
		px := p - lOn*2*c*gm*beta
		ag, bg := -ca/den*f, cb/den*f
		am, bm := -ca/den*k, cb/den*k
		for i := range xr {
			xv, yv, gv := float64(xr[i]), float64(yr[i]), float64(gr[i])
			m := (cb*(yv-xv) - cd*xv) / den
			dxr[i] = T(ag*gv + am*m + px*xv - q*yv)
			dyr[i] = T(bg*gv + bm*m - q*xv + q2*yv)
		}
	}
	return dx, dy
}
