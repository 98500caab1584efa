package hyperbolic

import "math"

// Dist returns the geodesic distance between the matching rows of x and y
// (both n×d) in dst (length n). By default it is geoopt's
//
//	d(x, y) = 2 artanh(√c‖(−x) ⊕ y‖)/√c
//
// (Ganea et al. 2018, eq. 5) with the artanh clamp; with Unclamped it is
// Graph-JEPA's acosh(1 + 2c‖x−y‖²/((1−c‖x‖²)(1−c‖y‖²)))/√c, unguarded.
// Neither form projects its inputs.
//
// Graph-JEPA's hyperbolic_dist flattens its [B,T,D] inputs to [B,T·D]
// before taking norms, so to reproduce it pass the flattened rows with
// d = T·D, and Unclamped set.
func (b PoincareBall[T]) Dist(dst, x, y []T, d int) []T {
	n := numRows("Dist", "x", len(x), d)
	sameLen("Dist", "y", len(y), n*d)
	dst = useDst("Dist", dst, n)
	c, sc := b.curv()
	for r := 0; r < n; r++ {
		xr, yr := x[r*d:r*d+d], y[r*d:r*d+d]
		x2, y2, xy, diff2 := subDots(xr, yr)
		if b.Unclamped {
			dst[r] = T(math.Acosh(1+2*c*diff2/((1-c*x2)*(1-c*y2))) / sc)
			continue
		}
		_, cb, den, _ := subCoef(c, x2, y2, xy, diff2)
		cd := c * diff2
		var m2 float64
		for i := range xr {
			xv := float64(xr[i])
			m := (cb*(float64(yr[i])-xv) - cd*xv) / den
			m2 += m * m
		}
		dst[r] = T(2 * ArtanhClamped(sc*math.Sqrt(m2)) / sc)
	}
	return dst
}

// DistVJP returns the vector-Jacobian products of Dist at (x, y) (both
// n×d) for the upstream gradient g (length n, one value per distance):
// dx = g·∂d/∂x and dy = g·∂d/∂y, each n×d, overwritten. dx and dy must
// not be the same slice.
//
// Where x = y the distance has no gradient and both are 0 (the zero-safe
// subgradient; in the Unclamped form PyTorch's autograd would give NaN
// there). Where the artanh clamp binds the clamped form has gradient 0,
// as autograd through geoopt's clamp.
func (b PoincareBall[T]) DistVJP(dx, dy, x, y, g []T, d int) ([]T, []T) {
	n := numRows("DistVJP", "x", len(x), d)
	sameLen("DistVJP", "y", len(y), n*d)
	sameLen("DistVJP", "g", len(g), n)
	dx = useDst("DistVJP", dx, n*d)
	dy = useDst("DistVJP", dy, n*d)
	c, sc := b.curv()
	for r := 0; r < n; r++ {
		xr, yr := x[r*d:r*d+d], y[r*d:r*d+d]
		dxr, dyr := dx[r*d:r*d+d], dy[r*d:r*d+d]
		gr := float64(g[r])
		x2, y2, xy, diff2 := subDots(xr, yr)
		if b.Unclamped {
			paperDistVJPRow(dxr, dyr, xr, yr, gr, c, sc, x2, y2, diff2)
			continue
		}
		ca, cb, den, dOn := subCoef(c, x2, y2, xy, diff2)
		cd := c * diff2
		// m = (−x) ⊕ y, and its dot products with x and y.
		var m2, mx, my float64
		for i := range xr {
			xv, yv := float64(xr[i]), float64(yr[i])
			m := (cb*(yv-xv) - cd*xv) / den
			m2 += m * m
			mx += m * xv
			my += m * yv
		}
		nm := math.Sqrt(m2)
		dd := ArtanhClampedDeriv(sc * nm)
		if nm == 0 || dd == 0 {
			clear(dxr)
			clear(dyr)
			continue
		}
		// ∂d/∂m = 2 artanh'(√c‖m‖) m/‖m‖: the upstream gradient of the
		// raw addition (−x) ⊕ y is κ m.
		kappa := gr * 2 * dd / nm
		gxp := -kappa * mx // ⟨κm, −x⟩
		gyv := kappa * my  // ⟨κm, y⟩
		gz := dOn * kappa * m2
		p := (-2*c*gyv - 2*c*c*y2*gz) / den
		q := (2*c*gxp - 2*c*gz) / den
		q2 := (2*c*gxp - 2*c*c*x2*gz) / den
		// ∂/∂x = −(Aκ/D) m + p x − q y;  ∂/∂y = (Bκ/D) m − q x + q2 y.
		am, bm := -ca*kappa/den, cb*kappa/den
		for i := range xr {
			xv, yv := float64(xr[i]), float64(yr[i])
			m := (cb*(yv-xv) - cd*xv) / den
			dxr[i] = T(am*m + p*xv - q*yv)
			dyr[i] = T(bm*m - q*xv + q2*yv)
		}
	}
	return dx, dy
}

// paperDistVJPRow writes the gradient of g·acosh(1+δ)/√c with
// δ = 2c‖x−y‖²/((1−c‖x‖²)(1−c‖y‖²)):
//
//	∂/∂x = f[(x − y) + c‖x−y‖²/(1−c‖x‖²) x],  f = g·4c/(px·py) / (√c·sqrt(δ(2+δ))),
//
// and symmetrically for y; 0 where δ = 0.
func paperDistVJPRow[T Float](dxr, dyr, xr, yr []T, g, c, sc, x2, y2, diff2 float64) {
	px, py := 1-c*x2, 1-c*y2
	delta := 2 * c * diff2 / (px * py)
	if delta == 0 {
		clear(dxr)
		clear(dyr)
		return
	}
	f := g * 4 * c / (px * py) / (sc * math.Sqrt(delta*(2+delta)))
	ax, ay := c*diff2/px, c*diff2/py
	for i := range xr {
		xv, yv := float64(xr[i]), float64(yr[i])
		dxr[i] = T(f * (xv - yv + ax*xv))
		dyr[i] = T(f * (yv - xv + ay*yv))
	}
}
