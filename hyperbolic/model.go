package hyperbolic

// Model is what the three models of this package share, so that a loss
// (for example jepa's hyperbolic-distance loss) can be written once: a
// batched distance with its vector-Jacobian product, a projection onto the
// model, and a membership check, all on row-major n×d slices.
// PoincareBall, Hyperboloid and UnitHyperbola (with d = 2) implement it.
type Model[T Float] interface {
	// Dist writes the n distances between the matching rows of x and y.
	Dist(dst, x, y []T, d int) []T
	// DistVJP writes g·∂dist/∂x and g·∂dist/∂y for per-row gradients g.
	DistVJP(dx, dy, x, y, g []T, d int) ([]T, []T)
	// Projx maps each row of x onto the model.
	Projx(dst, x []T, d int) []T
	// Check reports the first row of x that is not a point of the model.
	Check(x []T, d int) error
}

var (
	_ Model[float64] = Ball{}
	_ Model[float32] = Ball32{}
	_ Model[float64] = Lorentz{}
	_ Model[float32] = Lorentz32{}
	_ Model[float64] = Hyperbola{}
	_ Model[float32] = Hyperbola32{}
)
