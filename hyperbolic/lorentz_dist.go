package hyperbolic

// Dist returns the geodesic distance between the matching rows of x and y
// (both n×d) in dst (length n) (geoopt dist; Nickel & Kiela 2018, eq. 3):
//
//	d(x, y) = √k arcosh(−⟨x,y⟩_L/k),
//
// with arcosh = ArcoshClamped, computed in float64 whatever T is.
// Note that geoopt's clamp makes d(x, x) = √k·3.16e-8, not 0.
func (l Hyperboloid[T]) Dist(dst, x, y []T, d int) []T {
	checkAmbient("Dist", d)
	n := numRows("Dist", "x", len(x), d)
	sameLen("Dist", "y", len(y), n*d)
	dst = useDst("Dist", dst, n)
	k, rk := l.kr()
	for r := 0; r < n; r++ {
		dst[r] = T(rk * ArcoshClamped(-minkowski(x[r*d:r*d+d], y[r*d:r*d+d])/k))
	}
	return dst
}

// DistVJP returns the vector-Jacobian products of Dist at (x, y) (both
// n×d) for the upstream gradient g (length n): with
// a = arcosh'(−⟨x,y⟩_L/k) (ArcoshClampedDeriv),
//
//	dx = −g·√k·a/k · (−y₀, y_{1:}),   dy = −g·√k·a/k · (−x₀, x_{1:}).
//
// dx and dy are n×d, overwritten, and must not be the same slice.
func (l Hyperboloid[T]) DistVJP(dx, dy, x, y, g []T, d int) ([]T, []T) {
	checkAmbient("DistVJP", d)
	n := numRows("DistVJP", "x", len(x), d)
	sameLen("DistVJP", "y", len(y), n*d)
	sameLen("DistVJP", "g", len(g), n)
	dx = useDst("DistVJP", dx, n*d)
	dy = useDst("DistVJP", dy, n*d)
	k, rk := l.kr()
	for r := 0; r < n; r++ {
		xr, yr := x[r*d:r*d+d], y[r*d:r*d+d]
		dxr, dyr := dx[r*d:r*d+d], dy[r*d:r*d+d]
		f := -float64(g[r]) * rk * ArcoshClampedDeriv(-minkowski(xr, yr)/k) / k
		x0, y0 := float64(xr[0]), float64(yr[0])
		for i := 1; i < d; i++ {
			xv, yv := float64(xr[i]), float64(yr[i])
			dxr[i] = T(f * yv)
			dyr[i] = T(f * xv)
		}
		dxr[0] = T(-f * y0)
		dyr[0] = T(-f * x0)
	}
	return dx, dy
}
