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
