package hyperbolic

import (
	"fmt"
	"math"
)

// Hyperboloid is the Lorentz (hyperboloid) model of hyperbolic space of
// curvature −1/k: the upper sheet {x ∈ R^{1+m} : ⟨x,x⟩_L = −k, x₀ > 0} with
// the Minkowski inner product ⟨u,v⟩_L = −u₀v₀ + Σᵢ uᵢvᵢ (geoopt's
// Lorentz(k); Nickel & Kiela 2018). Points and tangent vectors are rows of
// a row-major n×d slice with d = 1+m ambient coordinates, time coordinate
// first. The conventions on dst, batching and aliasing are those of
// PoincareBall.
//
// The zero value has k = 1. Lorentz and Lorentz32 are the float64 and
// float32 instantiations; all arithmetic, arcosh included, is float64.
type Hyperboloid[T Float] struct {
	// K is the positive magnitude k of ⟨x,x⟩_L = −k (curvature −1/k).
	// Zero means 1.
	K float64
}

// Lorentz is the float64 hyperboloid, Lorentz32 the float32 one.
type (
	Lorentz   = Hyperboloid[float64]
	Lorentz32 = Hyperboloid[float32]
)

// kr returns k and √k. It panics on a negative or non-finite K.
func (l Hyperboloid[T]) kr() (k, rk float64) {
	k = l.K
	if k == 0 {
		k = 1
	}
	if !(k > 0) || math.IsInf(k, 1) {
		panic(fmt.Sprintf("hyperbolic: Hyperboloid.K=%v must be positive and finite", l.K))
	}
	return k, math.Sqrt(k)
}

// Ball returns the Poincaré ball isometric to l (c = 1/k), the target of
// ToBall and the source of FromBall.
func (l Hyperboloid[T]) Ball() PoincareBall[T] {
	k, _ := l.kr()
	return PoincareBall[T]{C: 1 / k}
}

// checkAmbient panics unless d ≥ 2 (a time and at least one space
// coordinate).
func checkAmbient(op string, d int) {
	if d < 2 {
		panic(fmt.Sprintf("hyperbolic: %s: ambient dimension d=%d must be at least 2", op, d))
	}
}

// minkowski returns ⟨u,v⟩_L of two rows.
func minkowski[T Float](u, v []T) float64 {
	return dot(u[1:], v[1:]) - float64(u[0])*float64(v[0])
}

// Inner returns the Minkowski inner products ⟨u,v⟩_L = −u₀v₀ + Σᵢ uᵢvᵢ of
// the matching rows of u and v (both n×d) in dst (length n).
func (l Hyperboloid[T]) Inner(dst, u, v []T, d int) []T {
	checkAmbient("Inner", d)
	n := numRows("Inner", "u", len(u), d)
	sameLen("Inner", "v", len(v), n*d)
	dst = useDst("Inner", dst, n)
	for r := 0; r < n; r++ {
		dst[r] = T(minkowski(u[r*d:r*d+d], v[r*d:r*d+d]))
	}
	return dst
}

// InnerVJP returns the vector-Jacobian products of Inner for the rows of
// u and v (both n×d) and the upstream gradient g (length n):
// du = g·(−v₀, v_{1:}) and dv = g·(−u₀, u_{1:}), each n×d, overwritten;
// du and dv must not be the same slice.
func (l Hyperboloid[T]) InnerVJP(du, dv, u, v, g []T, d int) ([]T, []T) {
	checkAmbient("InnerVJP", d)
	n := numRows("InnerVJP", "u", len(u), d)
	sameLen("InnerVJP", "v", len(v), n*d)
	sameLen("InnerVJP", "g", len(g), n)
	du = useDst("InnerVJP", du, n*d)
	dv = useDst("InnerVJP", dv, n*d)
	for r := 0; r < n; r++ {
		ur, vr, dur, dvr := u[r*d:r*d+d], v[r*d:r*d+d], du[r*d:r*d+d], dv[r*d:r*d+d]
		gr := float64(g[r])
		for i := 1; i < d; i++ {
			dur[i] = T(gr * float64(vr[i]))
			dvr[i] = T(gr * float64(ur[i]))
		}
		dur[0] = T(-gr * float64(vr[0]))
		dvr[0] = T(-gr * float64(ur[0]))
	}
	return du, dv
}

// Origin writes the origin (√k, 0, …, 0) into every row of dst (n×d)
// and returns it; nil dst allocates n rows.
func (l Hyperboloid[T]) Origin(dst []T, n, d int) []T {
	checkAmbient("Origin", d)
	dst = useDst("Origin", dst, n*d)
	_, rk := l.kr()
	clear(dst)
	for r := 0; r < n; r++ {
		dst[r*d] = T(rk)
	}
	return dst
}

// Projx projects each row of x (n×d) onto the hyperboloid by re-solving
// the time coordinate: x₀ = sqrt(k + ‖x_{1:}‖²), space coordinates kept
// (geoopt project). dst is n×d.
func (l Hyperboloid[T]) Projx(dst, x []T, d int) []T {
	checkAmbient("Projx", d)
	n := numRows("Projx", "x", len(x), d)
	dst = useDst("Projx", dst, n*d)
	k, _ := l.kr()
	for r := 0; r < n; r++ {
		xr, dr := x[r*d:r*d+d], dst[r*d:r*d+d]
		copy(dr[1:], xr[1:])
		dr[0] = T(math.Sqrt(k + sqnorm(xr[1:])))
	}
	return dst
}

// ProjxVJP returns the vector-Jacobian product of Projx at x for the
// upstream gradient g (both n×d): column 0 is 0 (x₀ is discarded) and the
// space columns are g_{1:} + g₀·x_{1:}/sqrt(k + ‖x_{1:}‖²). dst is n×d.
func (l Hyperboloid[T]) ProjxVJP(dst, x, g []T, d int) []T {
	checkAmbient("ProjxVJP", d)
	n := numRows("ProjxVJP", "x", len(x), d)
	sameLen("ProjxVJP", "g", len(g), n*d)
	dst = useDst("ProjxVJP", dst, n*d)
	k, _ := l.kr()
	for r := 0; r < n; r++ {
		xr, gr, dr := x[r*d:r*d+d], g[r*d:r*d+d], dst[r*d:r*d+d]
		f := float64(gr[0]) / math.Sqrt(k+sqnorm(xr[1:]))
		for i := 1; i < d; i++ {
			dr[i] = T(float64(gr[i]) + f*float64(xr[i]))
		}
		dr[0] = 0
	}
	return dst
}

// Proju projects each row of u onto the tangent space at the matching row
// of x (both n×d): u + ⟨x,u⟩_L x/k (geoopt project_u). dst is n×d.
func (l Hyperboloid[T]) Proju(dst, x, u []T, d int) []T {
	checkAmbient("Proju", d)
	n := numRows("Proju", "x", len(x), d)
	sameLen("Proju", "u", len(u), n*d)
	dst = useDst("Proju", dst, n*d)
	k, _ := l.kr()
	for r := 0; r < n; r++ {
		xr, ur, dr := x[r*d:r*d+d], u[r*d:r*d+d], dst[r*d:r*d+d]
		combine2(dr, ur, xr, 1, minkowski(xr, ur)/k)
	}
	return dst
}

// ProjuVJP returns the vector-Jacobian products of Proju for the points
// x, the vectors u and the upstream gradient g (all n×d): with
// Mv = (−v₀, v_{1:}),
//
//	dx = (⟨x,u⟩_L/k) g + (⟨g,x⟩/k) Mu,   du = g + (⟨g,x⟩/k) Mx,
//
// each n×d, overwritten; dx and du must not be the same slice.
func (l Hyperboloid[T]) ProjuVJP(dx, du, x, u, g []T, d int) ([]T, []T) {
	checkAmbient("ProjuVJP", d)
	n := numRows("ProjuVJP", "x", len(x), d)
	sameLen("ProjuVJP", "u", len(u), n*d)
	sameLen("ProjuVJP", "g", len(g), n*d)
	dx = useDst("ProjuVJP", dx, n*d)
	du = useDst("ProjuVJP", du, n*d)
	k, _ := l.kr()
	for r := 0; r < n; r++ {
		xr, ur, gr := x[r*d:r*d+d], u[r*d:r*d+d], g[r*d:r*d+d]
		dxr, dur := dx[r*d:r*d+d], du[r*d:r*d+d]
		f := minkowski(xr, ur) / k
		h := dot(gr, xr) / k
		for i := range xr {
			xv, uv, gv := float64(xr[i]), float64(ur[i]), float64(gr[i])
			if i == 0 {
				xv, uv = -xv, -uv
			}
			dxr[i] = T(f*gv + h*uv)
			dur[i] = T(gv + h*xv)
		}
	}
	return dx, du
}

// EgradToRgrad converts Euclidean gradients g at points x (both n×d) to
// Riemannian gradients (geoopt egrad2rgrad): the time component of g is
// negated (the inverse Minkowski metric) and the result projected onto the
// tangent space at x. dst is n×d.
func (l Hyperboloid[T]) EgradToRgrad(dst, x, g []T, d int) []T {
	checkAmbient("EgradToRgrad", d)
	n := numRows("EgradToRgrad", "x", len(x), d)
	sameLen("EgradToRgrad", "g", len(g), n*d)
	dst = useDst("EgradToRgrad", dst, n*d)
	k, _ := l.kr()
	for r := 0; r < n; r++ {
		xr, gr, dr := x[r*d:r*d+d], g[r*d:r*d+d], dst[r*d:r*d+d]
		g0 := -float64(gr[0])
		// ⟨x, h⟩_L with h = (−g₀, g_{1:}).
		f := (dot(xr[1:], gr[1:]) - float64(xr[0])*g0) / k
		dr[0] = T(g0 + f*float64(xr[0]))
		for i := 1; i < d; i++ {
			dr[i] = T(float64(gr[i]) + f*float64(xr[i]))
		}
	}
	return dst
}

// Check returns an error naming the first row of x (n×d) that is not on
// the upper sheet: a non-finite coordinate, x₀ ≤ 0, or x₀ farther from
// sqrt(k + ‖x_{1:}‖²) than atol + rtol·x₀ with atol = rtol = 1e-5 (geoopt's
// tolerances; comparing x₀ rather than ⟨x,x⟩_L keeps the test meaningful
// for far points, where ⟨x,x⟩_L cancels).
func (l Hyperboloid[T]) Check(x []T, d int) error {
	checkAmbient("Check", d)
	n := numRows("Check", "x", len(x), d)
	k, _ := l.kr()
	for r := 0; r < n; r++ {
		xr := x[r*d : r*d+d]
		for i, v := range xr {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("hyperbolic: hyperboloid: row %d, column %d: non-finite coordinate %v", r, i, f)
			}
		}
		x0 := float64(xr[0])
		want := math.Sqrt(k + sqnorm(xr[1:]))
		if !(x0 > 0) || math.Abs(x0-want) > 1e-5+1e-5*want {
			return fmt.Errorf("hyperbolic: hyperboloid: row %d: time coordinate %v, want %v for ⟨x,x⟩_L = −%v", r, x0, want, k)
		}
	}
	return nil
}
