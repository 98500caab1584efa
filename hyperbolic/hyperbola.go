package hyperbolic

import (
	"fmt"
	"math"
)

// UnitHyperbola is the right branch of the unit hyperbola
// {(x, y) : x² − y² = 1, x > 0}, the 1-dimensional hyperboloid with k = 1,
// on which Graph-JEPA places its targets (Skenderi et al., arXiv
// 2309.16014, §3; core/model.py): a target patch's encoder output is
// averaged over its d channels to a scalar z, and the target is
// (cosh z, sinh z). Points are rows of a row-major n×2 slice; scalars
// are n-slices. The conventions on dst are those of PoincareBall.
//
// The coordinate z is the signed arc length from (1, 0), so the distance
// along the hyperbola is |z₁ − z₂|, which equals the Lorentz distance in
// 1+1 dimensions. The zero value clamps z at ±MaxCoshArg in FromScalar and
// FromMean, so points stay finite; Unclamped reproduces Graph-JEPA's
// unguarded cosh/sinh (which overflow to Inf beyond |z| ≈ 710 in float64,
// 89 in float32). Hyperbola and Hyperbola32 are the float64 and float32
// instantiations.
type UnitHyperbola[T Float] struct {
	// Unclamped disables the ±MaxCoshArg clamp of z (paper-faithful).
	Unclamped bool
}

// Hyperbola is the float64 unit hyperbola, Hyperbola32 the float32 one.
type (
	Hyperbola   = UnitHyperbola[float64]
	Hyperbola32 = UnitHyperbola[float32]
)

// Lorentz returns the hyperboloid the hyperbola is (k = 1, d = 2).
func (h UnitHyperbola[T]) Lorentz() Hyperboloid[T] { return Hyperboloid[T]{K: 1} }

// clampZ applies the clamp of z unless Unclamped, and reports whether the
// derivative passes.
func (h UnitHyperbola[T]) clampZ(z float64) (float64, bool) {
	if h.Unclamped {
		return z, true
	}
	return clampCosh(z, MaxCoshArg)
}

// checkTwo panics unless d == 2.
func checkTwo(op string, d int) {
	if d != 2 {
		panic(fmt.Sprintf("hyperbolic: UnitHyperbola.%s: points have 2 coordinates, got d=%d", op, d))
	}
}

// FromScalar returns the points (cosh z, sinh z) for the scalars z
// (length n) as an n×2 dst.
func (h UnitHyperbola[T]) FromScalar(dst, z []T) []T {
	n := len(z)
	dst = useDst("FromScalar", dst, 2*n)
	for r, zv := range z {
		t, _ := h.clampZ(float64(zv))
		dst[2*r], dst[2*r+1] = T(math.Cosh(t)), T(math.Sinh(t))
	}
	return dst
}

// FromScalarVJP returns the vector-Jacobian product of FromScalar for the
// scalars z (length n) and the upstream gradient g (n×2):
// g₀ sinh z + g₁ cosh z, and 0 where the clamp binds. dst has length n.
func (h UnitHyperbola[T]) FromScalarVJP(dst, z, g []T) []T {
	n := len(z)
	sameLen("FromScalarVJP", "g", len(g), 2*n)
	dst = useDst("FromScalarVJP", dst, n)
	for r, zv := range z {
		t, on := h.clampZ(float64(zv))
		if !on {
			dst[r] = 0
			continue
		}
		dst[r] = T(float64(g[2*r])*math.Sinh(t) + float64(g[2*r+1])*math.Cosh(t))
	}
	return dst
}

// mean returns the mean of a row in float64.
func mean[T Float](xr []T) float64 {
	var s float64
	for _, v := range xr {
		s += float64(v)
	}
	return s / float64(len(xr))
}

// FromMean returns Graph-JEPA's target coordinates for each row of x
// (n×d, one target patch's d channels per row): z = mean(row), point
// (cosh z, sinh z) (core/model.py). dst is n×2.
func (h UnitHyperbola[T]) FromMean(dst, x []T, d int) []T {
	n := numRows("FromMean", "x", len(x), d)
	dst = useDst("FromMean", dst, 2*n)
	for r := 0; r < n; r++ {
		t, _ := h.clampZ(mean(x[r*d : r*d+d]))
		dst[2*r], dst[2*r+1] = T(math.Cosh(t)), T(math.Sinh(t))
	}
	return dst
}

// FromMeanVJP returns the vector-Jacobian product of FromMean for the
// rows of x (n×d) and the upstream gradient g (n×2): every channel of a
// row gets (g₀ sinh z + g₁ cosh z)/d, 0 where the clamp binds. dst is n×d.
func (h UnitHyperbola[T]) FromMeanVJP(dst, x, g []T, d int) []T {
	n := numRows("FromMeanVJP", "x", len(x), d)
	sameLen("FromMeanVJP", "g", len(g), 2*n)
	dst = useDst("FromMeanVJP", dst, n*d)
	for r := 0; r < n; r++ {
		t, on := h.clampZ(mean(x[r*d : r*d+d]))
		var v float64
		if on {
			v = (float64(g[2*r])*math.Sinh(t) + float64(g[2*r+1])*math.Cosh(t)) / float64(d)
		}
		dr := dst[r*d : r*d+d]
		for i := range dr {
			dr[i] = T(v)
		}
	}
	return dst
}

// ToScalar returns the coordinate z = asinh(y) of each point (x, y) of p
// (n×2) in dst (length n). Only y is used, so the result is that of the
// point's projection (sqrt(1+y²), y) onto the branch (see Projx, and Check
// to reject points off the curve). asinh is math.Asinh, exact for all y.
func (h UnitHyperbola[T]) ToScalar(dst, p []T) []T {
	n := numRows("ToScalar", "p", len(p), 2)
	dst = useDst("ToScalar", dst, n)
	for r := 0; r < n; r++ {
		dst[r] = T(math.Asinh(float64(p[2*r+1])))
	}
	return dst
}

// ToScalarVJP returns the vector-Jacobian product of ToScalar for the
// points p (n×2) and the upstream gradient g (length n): (0, g/sqrt(1+y²))
// per row. dst is n×2.
func (h UnitHyperbola[T]) ToScalarVJP(dst, p, g []T) []T {
	n := numRows("ToScalarVJP", "p", len(p), 2)
	sameLen("ToScalarVJP", "g", len(g), n)
	dst = useDst("ToScalarVJP", dst, 2*n)
	for r := 0; r < n; r++ {
		y := float64(p[2*r+1])
		dst[2*r], dst[2*r+1] = 0, T(float64(g[r])/math.Sqrt(1+y*y))
	}
	return dst
}

// Projx projects each point of p (n×2, d must be 2) onto the branch by
// re-solving x: (sqrt(1 + y²), y). dst is n×2.
func (h UnitHyperbola[T]) Projx(dst, p []T, d int) []T {
	checkTwo("Projx", d)
	return h.Lorentz().Projx(dst, p, d)
}

// Check returns an error naming the first point of p (n×2, d must be 2)
// that is not on the branch: non-finite, x ≤ 0, or x farther from
// sqrt(1 + y²) than 1e-5 + 1e-5·x.
func (h UnitHyperbola[T]) Check(p []T, d int) error {
	checkTwo("Check", d)
	if err := h.Lorentz().Check(p, d); err != nil {
		return fmt.Errorf("hyperbolic: unit hyperbola x² − y² = 1: %w", err)
	}
	return nil
}

// Dist returns the distance along the branch, |asinh(y₁) − asinh(y₂)|,
// between the matching points of p and q (both n×2, d must be 2) in dst
// (length n). For points on the branch it equals the Lorentz distance with
// k = 1, without that formula's arcosh clamp near 0.
func (h UnitHyperbola[T]) Dist(dst, p, q []T, d int) []T {
	checkTwo("Dist", d)
	n := numRows("Dist", "p", len(p), 2)
	sameLen("Dist", "q", len(q), 2*n)
	dst = useDst("Dist", dst, n)
	for r := 0; r < n; r++ {
		dst[r] = T(math.Abs(math.Asinh(float64(p[2*r+1])) - math.Asinh(float64(q[2*r+1]))))
	}
	return dst
}

// DistVJP returns the vector-Jacobian products of Dist for the points p
// and q (both n×2, d must be 2) and the upstream gradient g (length n):
// with s = sign(z₁ − z₂) (0 where z₁ = z₂), dp = (0, g·s/sqrt(1+y₁²)) and
// dq = (0, −g·s/sqrt(1+y₂²)). dp and dq are n×2, overwritten.
func (h UnitHyperbola[T]) DistVJP(dp, dq, p, q, g []T, d int) ([]T, []T) {
	checkTwo("DistVJP", d)
	n := numRows("DistVJP", "p", len(p), 2)
	sameLen("DistVJP", "q", len(q), 2*n)
	sameLen("DistVJP", "g", len(g), n)
	dp = useDst("DistVJP", dp, 2*n)
	dq = useDst("DistVJP", dq, 2*n)
	for r := 0; r < n; r++ {
		y1, y2 := float64(p[2*r+1]), float64(q[2*r+1])
		var s float64
		switch z := math.Asinh(y1) - math.Asinh(y2); {
		case z > 0:
			s = 1
		case z < 0:
			s = -1
		}
		gs := float64(g[r]) * s
		dp[2*r], dp[2*r+1] = 0, T(gs/math.Sqrt(1+y1*y1))
		dq[2*r], dq[2*r+1] = 0, T(-gs/math.Sqrt(1+y2*y2))
	}
	return dp, dq
}
