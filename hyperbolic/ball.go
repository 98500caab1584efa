package hyperbolic

import (
	"fmt"
	"math"
)

// PoincareBall is the Poincaré ball of curvature −c, the open ball of
// radius 1/√c in R^d (geoopt's PoincareBall(c), the κ-stereographic model
// with κ = −c; Ganea et al. 2018). Its methods act on batches: a point or
// tangent set is a row-major n×d slice, one row per point, and d is passed
// explicitly. Per-row scalars (distances, λ_x) come back as n-slices.
//
// Every method that returns a slice writes into dst when dst is non-nil
// (it must then have the result's length) and allocates otherwise; it
// allocates nothing else. When the result has the shape of an input, dst
// may be that input (each row is read before it is written); a dst of
// another shape (distances, FromBall, MobiusMatvec, …) must not overlap
// the inputs. VJP methods overwrite their dst arguments (they do not
// accumulate), and two gradient dsts must be distinct slices.
//
// Like geoopt's manifold methods (project=True by default), the methods
// that produce points (Expmap0, Expmap, MobiusAdd, MobiusScalarMul,
// MobiusMatvec) project their result onto the ball of radius
// (1 − eps)/√c; the ones that produce tangent vectors or scalars do not.
//
// The zero value is geoopt's default: c = 1, eps by element type, clamped
// formulas. Ball and Ball32 are the float64 and float32 instantiations.
type PoincareBall[T Float] struct {
	// C is the curvature magnitude c > 0 (curvature −c). Zero means 1.
	C float64
	// Eps is the projection boundary eps; points are kept within
	// (1 − Eps)/√c. Zero means geoopt's default for the element type:
	// ProjEps32 (4e-3) for float32, ProjEps64 (1e-5) for float64.
	Eps float64
	// Unclamped selects Graph-JEPA's own distance for Dist and DistVJP
	// (core/model_utils/hyperbolic_dist.py, used with jepa.dist=2):
	// acosh(1 + 2c‖x−y‖²/((1−c‖x‖²)(1−c‖y‖²)))/√c with no clamp and no
	// projection, so a reproduction can match it bit for bit in value,
	// NaN included for points outside the ball. The other methods ignore it
	// (Graph-JEPA has no other Poincaré formula).
	Unclamped bool
}

// Ball is the float64 Poincaré ball, Ball32 the float32 one.
type (
	Ball   = PoincareBall[float64]
	Ball32 = PoincareBall[float32]
)

// curv returns c, √c. It panics on a negative or non-finite C.
func (b PoincareBall[T]) curv() (c, sc float64) {
	c = b.C
	if c == 0 {
		c = 1
	}
	if !(c > 0) || math.IsInf(c, 1) {
		panic(fmt.Sprintf("hyperbolic: PoincareBall.C=%v must be a positive finite curvature magnitude", b.C))
	}
	return c, math.Sqrt(c)
}

// ProjEps returns the projection boundary eps in use: Eps, or the geoopt
// default for T (ProjEps32 or ProjEps64).
func (b PoincareBall[T]) ProjEps() float64 {
	if b.Eps != 0 {
		if !(b.Eps > 0 && b.Eps < 1) {
			panic(fmt.Sprintf("hyperbolic: PoincareBall.Eps=%v must be in (0, 1)", b.Eps))
		}
		return b.Eps
	}
	if is32[T]() {
		return ProjEps32
	}
	return ProjEps64
}

// MaxNorm returns (1 − ProjEps())/√c, the radius onto which points are
// projected.
func (b PoincareBall[T]) MaxNorm() float64 {
	_, sc := b.curv()
	return (1 - b.ProjEps()) / sc
}

// Lorentz returns the hyperboloid isometric to b: k = 1/c. Its FromBall
// and ToBall methods map between the two.
func (b PoincareBall[T]) Lorentz() Hyperboloid[T] {
	c, _ := b.curv()
	return Hyperboloid[T]{K: 1 / c}
}

// Projx projects each row of x (n×d) onto the closed ball of radius
// MaxNorm: rows with ‖x‖ > MaxNorm are rescaled to MaxNorm, others copied
// (geoopt project). dst is n×d.
func (b PoincareBall[T]) Projx(dst, x []T, d int) []T {
	n := numRows("Projx", "x", len(x), d)
	dst = useDst("Projx", dst, n*d)
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr, dr := x[r*d:r*d+d], dst[r*d:r*d+d]
		nrm := math.Sqrt(sqnorm(xr))
		s := 1.0
		if nrm > maxn {
			s = maxn / nrm
		}
		scaleTo(dr, xr, s)
	}
	return dst
}

// ProjxVJP returns the vector-Jacobian product of Projx at x with the
// upstream gradient g (both n×d): g for rows inside the radius, and
// (M/‖x‖)(g − ⟨x̂,g⟩x̂) for projected rows (M = MaxNorm). dst is n×d.
func (b PoincareBall[T]) ProjxVJP(dst, x, g []T, d int) []T {
	n := numRows("ProjxVJP", "x", len(x), d)
	sameLen("ProjxVJP", "g", len(g), n*d)
	dst = useDst("ProjxVJP", dst, n*d)
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr, gr, dr := x[r*d:r*d+d], g[r*d:r*d+d], dst[r*d:r*d+d]
		xx, _, xg := dot2(xr, gr)
		nrm := math.Sqrt(xx)
		if !(nrm > maxn) {
			copy(dr, gr)
			continue
		}
		s := maxn / nrm
		p := -s * xg / xx
		for i := range dr {
			dr[i] = T(s*float64(gr[i]) + p*float64(xr[i]))
		}
	}
	return dst
}

// Lambda returns the conformal factor λ_x = 2/max(1 − c‖x‖², MinNorm) of
// each row of x (n×d) in dst (length n).
func (b PoincareBall[T]) Lambda(dst, x []T, d int) []T {
	n := numRows("Lambda", "x", len(x), d)
	dst = useDst("Lambda", dst, n)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		dst[r] = T(lambda(c, sqnorm(x[r*d:r*d+d])))
	}
	return dst
}

// LambdaVJP returns the vector-Jacobian product of Lambda for the rows of
// x (n×d) and the upstream gradient g (length n, one value per row):
// g·cλ_x²·x, and 0 for rows where the MinNorm clamp of the denominator
// binds (on and beyond the boundary). dst is n×d.
func (b PoincareBall[T]) LambdaVJP(dst, x, g []T, d int) []T {
	n := numRows("LambdaVJP", "x", len(x), d)
	sameLen("LambdaVJP", "g", len(g), n)
	dst = useDst("LambdaVJP", dst, n*d)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		xr := x[r*d : r*d+d]
		den, on := clampDen(1 - c*sqnorm(xr))
		l := 2 / den
		scaleTo(dst[r*d:r*d+d], xr, on*float64(g[r])*c*l*l)
	}
	return dst
}

// lambda returns 2/max(1 − c x2, MinNorm).
func lambda(c, x2 float64) float64 {
	return 2 / math.Max(1-c*x2, MinNorm)
}

// Norm returns the Riemannian norm ‖u‖_x = λ_x‖u‖ of each tangent row u
// at the matching row of x (both n×d) in dst (length n).
func (b PoincareBall[T]) Norm(dst, x, u []T, d int) []T {
	n := numRows("Norm", "x", len(x), d)
	sameLen("Norm", "u", len(u), n*d)
	dst = useDst("Norm", dst, n)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		x2, u2, _ := dot2(x[r*d:r*d+d], u[r*d:r*d+d])
		dst[r] = T(lambda(c, x2) * math.Sqrt(u2))
	}
	return dst
}

// EgradToRgrad converts Euclidean gradients g at points x (both n×d) to
// Riemannian gradients g/λ_x² (geoopt egrad2rgrad). dst is n×d.
func (b PoincareBall[T]) EgradToRgrad(dst, x, g []T, d int) []T {
	n := numRows("EgradToRgrad", "x", len(x), d)
	sameLen("EgradToRgrad", "g", len(g), n*d)
	dst = useDst("EgradToRgrad", dst, n*d)
	c, _ := b.curv()
	for r := 0; r < n; r++ {
		l := lambda(c, sqnorm(x[r*d:r*d+d]))
		scaleTo(dst[r*d:r*d+d], g[r*d:r*d+d], 1/(l*l))
	}
	return dst
}

// Check returns an error naming the first row of x (n×d) that is not a
// point of the ball: a non-finite coordinate, or a norm beyond MaxNorm by
// more than geoopt's tolerance (atol = rtol = 1e-5, as
// _check_point_on_manifold).
func (b PoincareBall[T]) Check(x []T, d int) error {
	n := numRows("Check", "x", len(x), d)
	maxn := b.MaxNorm()
	for r := 0; r < n; r++ {
		xr := x[r*d : r*d+d]
		for i, v := range xr {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("hyperbolic: Poincaré ball: row %d, column %d: non-finite coordinate %v", r, i, f)
			}
		}
		if nrm := math.Sqrt(sqnorm(xr)); nrm-maxn > 1e-5+1e-5*maxn {
			return fmt.Errorf("hyperbolic: Poincaré ball: row %d: norm %v outside the ball of radius %v", r, nrm, maxn)
		}
	}
	return nil
}
