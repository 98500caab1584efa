package hyperbolic

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Differentiable graph ops on the hyperboloid, on the same terms as the
// ball's (op_ball.go): points and tangent vectors are the rows of [n, d]
// nodes with d = 1 + m ambient coordinates, time first (d ≥ 2); the
// graph's dtype selects the kernels (so the cosh/sinh clamp is
// MaxCoshArg32 in float32 graphs, MaxCoshArg in float64 ones); K is a
// constant of the op, not learnable.

// lorentzAs returns l with element type U.
func lorentzAs[U, T Float](l Hyperboloid[T]) Hyperboloid[U] { return Hyperboloid[U]{K: l.K} }

// newOp checks l's settings and returns an op "Hyperboloid.<name>".
func (l Hyperboloid[T]) newOp(name string, out tensor.Shape) (nodeOp, error) {
	if err := checkMagnitude("Hyperboloid."+name+"Node", "K", l.K); err != nil {
		return nodeOp{}, err
	}
	return nodeOp{name: "Hyperboloid." + name, out: out, params: fmt.Sprintf("k=%g", l.K)}, nil
}

// ambientOf checks that x is a matrix [n, d] of hyperboloid rows (d ≥ 2).
func ambientOf(op, arg string, x *G.Node) (n, d int, err error) {
	n, d, err = matrixOf(op, arg, x)
	if err == nil && d < 2 {
		err = fmt.Errorf("hyperbolic: %s: %s has shape %v, want [n, d] with d ≥ 2 (a time and at least one space coordinate)", op, arg, x.Shape())
	}
	return n, d, err
}

// lorentzPointOp adds a one-input hyperboloid op on [n, d] rows.
func lorentzPointOp[T Float](l Hyperboloid[T], name, arg string, x *G.Node, out func(n, d int) tensor.Shape,
	m32 pointMap[float32], m64 pointMap[float64]) (*G.Node, error) {
	n, d, err := ambientOf("Hyperboloid."+name+"Node", arg, x)
	if err != nil {
		return nil, err
	}
	op, err := l.newOp(name, out(n, d))
	if err != nil {
		return nil, err
	}
	op.k32, op.k64 = m32.kernel(d), m64.kernel(d)
	return op.apply(x)
}

// lorentzPairOp adds a two-input hyperboloid op on [n, d] rows.
func lorentzPairOp[T Float](l Hyperboloid[T], name, xArg string, x *G.Node, yArg string, y *G.Node, out func(n, d int) tensor.Shape,
	m32 pairMap[float32], m64 pairMap[float64]) (*G.Node, error) {
	opName := "Hyperboloid." + name + "Node"
	n, d, err := ambientOf(opName, xArg, x)
	if err != nil {
		return nil, err
	}
	if err := sameAs(opName, xArg, x, yArg, y); err != nil {
		return nil, err
	}
	op, err := l.newOp(name, out(n, d))
	if err != nil {
		return nil, err
	}
	op.k32, op.k64 = m32.kernel(d), m64.kernel(d)
	return op.apply(x, y)
}

// InnerNode is the Minkowski inner product ⟨u,v⟩_L of the rows of u and
// v, both [n, d] (Inner) → [n].
func (l Hyperboloid[T]) InnerNode(u, v *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPairOp(l, "Inner", "u", u, "v", v, scalarsShape,
		pairMap[float32]{l32.Inner, l32.InnerVJP}, pairMap[float64]{l64.Inner, l64.InnerVJP})
}

// ProjxNode projects the rows of x [n, d] onto the hyperboloid by
// re-solving the time coordinate (Projx) → [n, d].
func (l Hyperboloid[T]) ProjxNode(x *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPointOp(l, "Projx", "x", x, rowsShape,
		pointMap[float32]{l32.Projx, l32.ProjxVJP}, pointMap[float64]{l64.Projx, l64.ProjxVJP})
}

// ProjuNode projects the rows of u onto the tangent spaces at the rows of
// x, both [n, d] (Proju) → [n, d].
func (l Hyperboloid[T]) ProjuNode(x, u *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPairOp(l, "Proju", "x", x, "u", u, rowsShape,
		pairMap[float32]{l32.Proju, l32.ProjuVJP}, pairMap[float64]{l64.Proju, l64.ProjuVJP})
}

// Expmap0Node is the exponential map at the origin of the tangent rows
// u [n, d] (column 0 ignored; Expmap0) → [n, d].
func (l Hyperboloid[T]) Expmap0Node(u *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPointOp(l, "Expmap0", "u", u, rowsShape,
		pointMap[float32]{l32.Expmap0, l32.Expmap0VJP}, pointMap[float64]{l64.Expmap0, l64.Expmap0VJP})
}

// Logmap0Node is the logarithmic map at the origin of the rows of
// y [n, d] (Logmap0) → [n, d].
func (l Hyperboloid[T]) Logmap0Node(y *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPointOp(l, "Logmap0", "y", y, rowsShape,
		pointMap[float32]{l32.Logmap0, l32.Logmap0VJP}, pointMap[float64]{l64.Logmap0, l64.Logmap0VJP})
}

// ExpmapNode is the exponential map at the rows of x of the tangent rows
// of u, both [n, d] (Expmap) → [n, d].
func (l Hyperboloid[T]) ExpmapNode(x, u *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPairOp(l, "Expmap", "x", x, "u", u, rowsShape,
		pairMap[float32]{l32.Expmap, l32.ExpmapVJP}, pairMap[float64]{l64.Expmap, l64.ExpmapVJP})
}

// LogmapNode is the logarithmic map at the rows of x of the rows of y,
// both [n, d] (Logmap) → [n, d].
func (l Hyperboloid[T]) LogmapNode(x, y *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPairOp(l, "Logmap", "x", x, "y", y, rowsShape,
		pairMap[float32]{l32.Logmap, l32.LogmapVJP}, pairMap[float64]{l64.Logmap, l64.LogmapVJP})
}

// DistNode is the geodesic distance between the rows of x and y, both
// [n, d] (Dist) → [n].
func (l Hyperboloid[T]) DistNode(x, y *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPairOp(l, "Dist", "x", x, "y", y, scalarsShape,
		pairMap[float32]{l32.Dist, l32.DistVJP}, pairMap[float64]{l64.Dist, l64.DistVJP})
}

// FromBallNode maps the rows of x [n, m], points of the isometric
// Poincaré ball (Ball), onto the hyperboloid (FromBall) → [n, m+1].
func (l Hyperboloid[T]) FromBallNode(x *G.Node) (*G.Node, error) {
	const name = "FromBall"
	n, m, err := matrixOf("Hyperboloid."+name+"Node", "x", x)
	if err != nil {
		return nil, err
	}
	op, err := l.newOp(name, tensor.Shape{n, m + 1})
	if err != nil {
		return nil, err
	}
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	op.k32 = pointMap[float32]{l32.FromBall, l32.FromBallVJP}.kernel(m)
	op.k64 = pointMap[float64]{l64.FromBall, l64.FromBallVJP}.kernel(m)
	return op.apply(x)
}

// ToBallNode maps the rows of y [n, d] to the isometric Poincaré ball
// (ToBall) → [n, d−1].
func (l Hyperboloid[T]) ToBallNode(y *G.Node) (*G.Node, error) {
	l32, l64 := lorentzAs[float32](l), lorentzAs[float64](l)
	return lorentzPointOp(l, "ToBall", "y", y, func(n, d int) tensor.Shape { return tensor.Shape{n, d - 1} },
		pointMap[float32]{l32.ToBall, l32.ToBallVJP}, pointMap[float64]{l64.ToBall, l64.ToBallVJP})
}
