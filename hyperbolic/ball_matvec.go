package hyperbolic

import "math"

// MobiusMatvec returns the Möbius matrix-vector product M ⊗ x for each
// row of x (n×d) and the matrix w (dOut×d, row-major, PyTorch's
// nn.Linear weight layout [out, in]), projected onto the ball (geoopt
// mobius_matvec; Ganea et al. 2018, eq. 27):
//
//	M ⊗ x = tanh(‖Mx‖/‖x‖ · artanh(√c‖x‖))/√c · Mx/‖Mx‖,
//
// with ‖x‖ and ‖Mx‖ clamped at MinNorm and 0 where Mx = 0. dst is n×dOut
// and must not overlap x.
func (b PoincareBall[T]) MobiusMatvec(dst, w, x []T, dOut, d int) []T {
	n := numRows("MobiusMatvec", "x", len(x), d)
	sameLen("MobiusMatvec", "w", len(w), dOut*d)
	dst = useDst("MobiusMatvec", dst, n*dOut)
	_, sc := b.curv()
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr, dr := x[r*d:r*d+d], dst[r*dOut:r*dOut+dOut]
		var mx2 float64
		allZero := true
		for o := range dr {
			v := dot(w[o*d:o*d+d], xr)
			if v != 0 {
				allZero = false
			}
			mx2 += v * v
			dr[o] = T(v)
		}
		if allZero {
			clear(dr)
			continue
		}
		xn := math.Max(math.Sqrt(sqnorm(xr)), MinNorm)
		mxn := math.Max(math.Sqrt(mx2), MinNorm)
		f := TanhClamped(mxn/xn*ArtanhClamped(sc*xn)) / sc / mxn
		scaleTo(dr, dr, f)
		projectRow(dr, sqnorm(dr), maxn)
	}
	return dst
}

// MobiusMatvecVJP returns the vector-Jacobian products of MobiusMatvec
// (projection included) for the matrix w (dOut×d), the rows of x (n×d)
// and the upstream gradient g (n×dOut): dw = Σ_rows (∂(M⊗x)/∂M)ᵀg, summed
// over the batch as for a shared weight, and dx = (∂(M⊗x)/∂x)ᵀg per row.
// Both are overwritten. Rows with Mx = 0 (x = 0, say) get the limit
// derivative β(‖x‖)·M with β = artanh(√c‖x‖)/(√c‖x‖), the Jacobian of the
// map there (geoopt's torch.where would pass 0); the MinNorm, TanhClamp
// and ArtanhClamp clamps pass no gradient where they bind.
//
// With a = Mx, τ = ‖a‖/‖x‖·artanh(√c‖x‖) and y = tanh(τ)/√c · a/‖a‖, the
// gradient with respect to a is φg' + κa (φ = tanh(τ)/(√c‖a‖), g' the
// gradient after the projection's VJP), and x also receives the term of
// ‖x‖ inside τ.
func (b PoincareBall[T]) MobiusMatvecVJP(dw, dx, w, x, g []T, dOut, d int) ([]T, []T) {
	n := numRows("MobiusMatvecVJP", "x", len(x), d)
	sameLen("MobiusMatvecVJP", "w", len(w), dOut*d)
	sameLen("MobiusMatvecVJP", "g", len(g), n*dOut)
	dw = useDst("MobiusMatvecVJP", dw, dOut*d)
	dx = useDst("MobiusMatvecVJP", dx, n*d)
	_, sc := b.curv()
	maxn := b.MaxNorm()
	clear(dw)
	for r := 0; r < n; r++ {
		xr, gr, dxr := x[r*d:r*d+d], g[r*dOut:r*dOut+dOut], dx[r*d:r*d+d]
		var a2, ag float64
		allZero := true
		for o := range dOut {
			a := dot(w[o*d:o*d+d], xr)
			if a != 0 {
				allZero = false
			}
			a2 += a * a
			ag += a * float64(gr[o])
		}
		clear(dxr)
		x2 := sqnorm(xr)
		if allZero {
			// Near Mx = 0 the map is β(‖x‖)·Mx with β = artanh(√c‖x‖)/(√c‖x‖),
			// so ∂L/∂a = β g (the limit; geoopt's torch.where gives 0).
			xn := math.Max(math.Sqrt(x2), MinNorm)
			beta := ArtanhClamped(sc*xn) / (sc * xn)
			for o := range dOut {
				ga := beta * float64(gr[o])
				wo, dwo := w[o*d:o*d+d], dw[o*d:o*d+d]
				for i := range xr {
					dwo[i] += T(ga * float64(xr[i]))
					dxr[i] += T(ga * float64(wo[i]))
				}
			}
			continue
		}
		xRaw, aRaw := math.Sqrt(x2), math.Sqrt(a2)
		xn, an := math.Max(xRaw, MinNorm), math.Max(aRaw, MinNorm)
		s := sc * xn
		at := ArtanhClamped(s)
		tau := an / xn * at
		th := TanhClamped(tau)
		thd := TanhClampedDeriv(tau)
		phi := th / (sc * an) // y = φ a
		// Projection VJP: g' = sp g + pp y = sp g + pp φ a.
		y2 := phi * phi * a2
		sp, pp := projVJP(y2, phi*ag, maxn)
		g1a := sp*ag + pp*phi*a2 // ⟨g', a⟩
		// ∂L/∂a = φ g' + κ a, with κ from ‖a‖ (inside τ and 1/‖a‖).
		var kappa float64
		if aRaw >= MinNorm {
			dphi := (thd*at/xn*an - th) / (sc * an * an) // ∂φ/∂‖a‖
			kappa = g1a * dphi / an
		}
		cg := phi * sp           // coefficient of g in ∂L/∂a
		ca := phi*pp*phi + kappa // coefficient of a
		// ‖x‖ inside τ: ∂τ/∂‖x‖ = ‖a‖(√c·artanh'(s)·‖x‖ − artanh(s))/‖x‖².
		var cx float64
		if xRaw >= MinNorm {
			dtau := an * (sc*ArtanhClampedDeriv(s)*xn - at) / (xn * xn)
			cx = g1a / (sc * an) * thd * dtau / xn
		}
		for o := range dOut {
			wo := w[o*d : o*d+d]
			ga := cg*float64(gr[o]) + ca*dot(wo, xr) // ∂L/∂a_o
			dwo := dw[o*d : o*d+d]
			for i := range xr {
				dwo[i] += T(ga * float64(xr[i]))
				dxr[i] += T(ga * float64(wo[i]))
			}
		}
		for i := range xr {
			dxr[i] += T(cx * float64(xr[i]))
		}
	}
	return dw, dx
}
