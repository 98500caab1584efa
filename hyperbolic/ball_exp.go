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
