package hyperbolic

import "math"

// addCoef returns the scalars of the Möbius addition x ⊕ y = (A x + B y)/D
// on the ball of curvature −c, from ‖x‖², ‖y‖² and ⟨x,y⟩:
//
//	A = 1 + 2c⟨x,y⟩ + c‖y‖²,  B = 1 − c‖x‖²,  D = max(1 + 2c⟨x,y⟩ + c²‖x‖²‖y‖², MinNorm).
//
// dOn is 1 when the MinNorm clamp of D is inactive (D carries a gradient)
// and 0 otherwise.
func addCoef(c, x2, y2, xy float64) (a, b, den, dOn float64) {
	a = 1 + 2*c*xy + c*y2
	b = 1 - c*x2
	den, dOn = clampDen(1 + 2*c*xy + c*c*x2*y2)
	return a, b, den, dOn
}

// clampDen clamps a denominator at MinNorm and reports whether the clamp
// was inactive as 1 (else 0).
func clampDen(v float64) (float64, float64) {
	if v >= MinNorm {
		return v, 1
	}
	return MinNorm, 0
}

// addVJPCoef returns the vector-Jacobian product of the raw Möbius
// addition z = x ⊕ y (no projection) for an upstream gradient g, in the
// basis (g, x, y):
//
//	∂⟨g,z⟩/∂x = ga·g + xa·x + ya·y,   ∂⟨g,z⟩/∂y = gb·g + xb·x + yb·y,
//
// given the dot products gx = ⟨g,x⟩, gy = ⟨g,y⟩ and ‖x‖², ‖y‖². The
// derivation differentiates z = N/D with N = A x + B y (see addCoef):
//
//	∂/∂x = [A g + 2c⟨g,x⟩ y − 2c⟨g,y⟩ x − ⟨g,z⟩(2c y + 2c²‖y‖² x)]/D
//	∂/∂y = [B g + 2c⟨g,x⟩(x + y) − ⟨g,z⟩(2c x + 2c²‖x‖² y)]/D
//
// with the ⟨g,z⟩ terms dropped when D is clamped.
func addVJPCoef(c, x2, y2, a, b, den, dOn, gx, gy float64) (ga, xa, ya, gb, xb, yb float64) {
	gz := dOn * (a*gx + b*gy) / den
	ga = a / den
	xa = (-2*c*gy - 2*c*c*y2*gz) / den
	ya = (2*c*gx - 2*c*gz) / den
	gb = b / den
	xb = (2*c*gx - 2*c*gz) / den
	yb = (2*c*gx - 2*c*c*x2*gz) / den
	return
}

// MobiusAdd returns the Möbius addition x ⊕ y of the rows of x and y
// (both n×d), projected onto the ball (geoopt mobius_add, project=True):
//
//	x ⊕ y = ((1 + 2c⟨x,y⟩ + c‖y‖²) x + (1 − c‖x‖²) y) / (1 + 2c⟨x,y⟩ + c²‖x‖²‖y‖²).
//
// The denominator is clamped at MinNorm. dst is n×d.
func (b PoincareBall[T]) MobiusAdd(dst, x, y []T, d int) []T {
	n := numRows("MobiusAdd", "x", len(x), d)
	sameLen("MobiusAdd", "y", len(y), n*d)
	dst = useDst("MobiusAdd", dst, n*d)
	c, _ := b.curv()
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr, yr, dr := x[r*d:r*d+d], y[r*d:r*d+d], dst[r*d:r*d+d]
		x2, y2, xy := dot2(xr, yr)
		ca, cb, den, _ := addCoef(c, x2, y2, xy)
		writeProjected(dr, xr, yr, ca/den, cb/den, maxn)
	}
	return dst
}

// projectRow rescales a row whose squared norm z2 exceeds maxn² onto the
// radius maxn, in place.
func projectRow[T Float](dr []T, z2, maxn float64) {
	if nz := math.Sqrt(z2); nz > maxn {
		scaleTo(dr, dr, maxn/nz)
	}
}

// writeProjected writes z = a·x + b·y, rescaled onto the radius maxn if
// ‖z‖ exceeds it. z is accumulated in float64 before anything is stored,
// so a float32 dst never holds an unprojected (possibly overflowing) value.
func writeProjected[T Float](dst, x, y []T, a, b, maxn float64) {
	y = y[:len(x)]
	var z2 float64
	for i := range x {
		z := a*float64(x[i]) + b*float64(y[i])
		z2 += z * z
	}
	if nz := math.Sqrt(z2); nz > maxn {
		s := maxn / nz
		a, b = a*s, b*s
	}
	dst = dst[:len(x)]
	for i := range x {
		dst[i] = T(a*float64(x[i]) + b*float64(y[i]))
	}
}

// projVJP returns the coefficients (s, p) of the projection's VJP on a
// point z with ‖z‖² = z2 and ⟨z,g⟩ = zg: the result is s·g + p·z, with
// s = 1, p = 0 when the projection is inactive and s = M/‖z‖,
// p = −s⟨z,g⟩/‖z‖² when it rescales z onto radius M.
func projVJP(z2, zg, maxn float64) (s, p float64) {
	nz := math.Sqrt(z2)
	if !(nz > maxn) {
		return 1, 0
	}
	s = maxn / nz
	return s, -s * zg / z2
}

// MobiusAddVJP returns the vector-Jacobian products of MobiusAdd (the
// projected Möbius addition) at (x, y) for the upstream gradient g (all
// n×d): dx = (∂(x⊕y)/∂x)ᵀg and dy = (∂(x⊕y)/∂y)ᵀg. dx and dy are n×d,
// overwritten (not accumulated), and must not be the same slice.
func (b PoincareBall[T]) MobiusAddVJP(dx, dy, x, y, g []T, d int) ([]T, []T) {
	n := numRows("MobiusAddVJP", "x", len(x), d)
	sameLen("MobiusAddVJP", "y", len(y), n*d)
	sameLen("MobiusAddVJP", "g", len(g), n*d)
	dx = useDst("MobiusAddVJP", dx, n*d)
	dy = useDst("MobiusAddVJP", dy, n*d)
	c, _ := b.curv()
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr, yr, gr := x[r*d:r*d+d], y[r*d:r*d+d], g[r*d:r*d+d]
		var x2, y2, xy, gx, gy float64
		for i := range xr {
			xv, yv, gv := float64(xr[i]), float64(yr[i]), float64(gr[i])
			x2 += xv * xv
			y2 += yv * yv
			xy += xv * yv
			gx += gv * xv
			gy += gv * yv
		}
		ca, cb, den, dOn := addCoef(c, x2, y2, xy)
		// The projection: g' = s g + p z, z = (A x + B y)/D.
		za, zb := ca/den, cb/den
		z2 := za*za*x2 + 2*za*zb*xy + zb*zb*y2
		s, p := projVJP(z2, za*gx+zb*gy, maxn)
		px, py := p*za, p*zb // g' = s g + px x + py y
		g1x := s*gx + px*x2 + py*xy
		g1y := s*gy + px*xy + py*y2
		ga, xa, ya, gb, xb, yb := addVJPCoef(c, x2, y2, ca, cb, den, dOn, g1x, g1y)
		// Expand g' in the basis (g, x, y).
		agx, axx, ayx := ga*s, ga*px+xa, ga*py+ya
		agy, axy, ayy := gb*s, gb*px+xb, gb*py+yb
		dxr, dyr := dx[r*d:r*d+d], dy[r*d:r*d+d]
		for i := range xr {
			xv, yv, gv := float64(xr[i]), float64(yr[i]), float64(gr[i])
			dxr[i] = T(agx*gv + axx*xv + ayx*yv)
			dyr[i] = T(agy*gv + axy*xv + ayy*yv)
		}
	}
	return dx, dy
}

// MobiusScalarMul returns the Möbius scalar multiplication r ⊗ x of each
// row of x (n×d), projected onto the ball (geoopt mobius_scalar_mul):
//
//	r ⊗ x = tanh(r·artanh(√c‖x‖))/√c · x/‖x‖,
//
// with the tanh, artanh and MinNorm guards. dst is n×d.
func (b PoincareBall[T]) MobiusScalarMul(dst []T, r float64, x []T, d int) []T {
	n := numRows("MobiusScalarMul", "x", len(x), d)
	dst = useDst("MobiusScalarMul", dst, n*d)
	_, sc := b.curv()
	maxn := b.MaxNorm()
	for row := 0; row < n; row++ {
		xr, dr := x[row*d:row*d+d], dst[row*d:row*d+d]
		nrm := math.Max(math.Sqrt(sqnorm(xr)), MinNorm)
		f := TanhClamped(r*ArtanhClamped(sc*nrm)) / sc / nrm
		scaleTo(dr, xr, f)
		projectRow(dr, sqnorm(dr), maxn)
	}
	return dst
}

// MobiusScalarMulVJP returns the vector-Jacobian products of
// MobiusScalarMul (projection included) for the scalar r, the rows of x
// and the upstream gradient g (both n×d): dx = (∂(r⊗x)/∂x)ᵀg per row, n×d
// and overwritten, and dr = Σ_rows ⟨g, ∂(r⊗x)/∂r⟩, the gradient of the
// shared scalar.
//
// With r ⊗ x = f(‖x‖)·x, f(n) = tanh(r·artanh(√c n))/(√c n), dx is
// f g' + ⟨g',x⟩ f'(‖x‖) x/‖x‖ for the gradient g' after the projection's
// VJP. Clamps that bind pass no gradient: at x = 0 (‖x‖ clamped at
// MinNorm) dx = r·g, the Jacobian there.
func (b PoincareBall[T]) MobiusScalarMulVJP(dx []T, r float64, x, g []T, d int) ([]T, float64) {
	n := numRows("MobiusScalarMulVJP", "x", len(x), d)
	sameLen("MobiusScalarMulVJP", "g", len(g), n*d)
	dx = useDst("MobiusScalarMulVJP", dx, n*d)
	_, sc := b.curv()
	maxn := b.MaxNorm()
	var dr float64
	for row := 0; row < n; row++ {
		xr, gr, dxr := x[row*d:row*d+d], g[row*d:row*d+d], dx[row*d:row*d+d]
		x2, _, xg := dot2(xr, gr)
		nrm := math.Sqrt(x2)
		nc := math.Max(nrm, MinNorm)
		at := ArtanhClamped(sc * nc)
		tau := r * at
		th, thd := TanhClamped(tau), TanhClampedDeriv(tau)
		f := th / (sc * nc)
		// Projection of z = f x: g' = s g + p z.
		s, p := projVJP(f*f*x2, f*xg, maxn)
		g1x := s*xg + p*f*x2 // ⟨g', x⟩
		dr += g1x * thd * at / (sc * nc)
		var px float64
		if nrm >= MinNorm {
			df := thd*r*ArtanhClampedDeriv(sc*nc)/nc - f/nc
			px = g1x * df / nrm
		}
		combine2(dxr, gr, xr, f*s, f*p*f+px)
	}
	return dx, dr
}
