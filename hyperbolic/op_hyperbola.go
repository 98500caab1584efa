package hyperbolic

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Differentiable graph ops on the unit hyperbola, on the same terms as the
// ball's (op_ball.go): points are the rows of [n, 2] nodes and the
// coordinates z are [n] nodes; the graph's dtype selects the kernels.

// hyperbolaAs returns h with element type U.
func hyperbolaAs[U, T Float](h UnitHyperbola[T]) UnitHyperbola[U] {
	return UnitHyperbola[U]{Unclamped: h.Unclamped}
}

// newOp returns an op "UnitHyperbola.<name>".
func (h UnitHyperbola[T]) newOp(name string, out tensor.Shape) nodeOp {
	return nodeOp{name: "UnitHyperbola." + name, out: out, params: fmt.Sprintf("unclamped=%t", h.Unclamped)}
}

// pointsOf checks that p is a matrix [n, 2] of hyperbola points.
func pointsOf(op, arg string, p *G.Node) (int, error) {
	n, d, err := matrixOf(op, arg, p)
	if err == nil && d != 2 {
		err = fmt.Errorf("hyperbolic: %s: %s has shape %v, want [n, 2] (points (x, y) of the hyperbola)", op, arg, p.Shape())
	}
	return n, err
}

// HyperbolaFromMean is Graph-JEPA's target op with the default (clamped)
// unit hyperbola, Hyperbola{}.FromMeanNode(x), in a float32 or float64
// graph: x is the target encoder's output [n, d] (one target patch per
// row, d channels) → [n, 2], row r = (cosh z_r, sinh z_r) with z_r the
// mean of row r (Graph-JEPA core/model.py; see FromMean).
func HyperbolaFromMean(x *G.Node) (*G.Node, error) {
	return Hyperbola{}.FromMeanNode(x)
}

// FromMeanNode is Graph-JEPA's target map: z = mean of each row of
// x [n, d], point (cosh z, sinh z) (FromMean) → [n, 2]. Graph-JEPA
// computes its targets under torch.no_grad; the op is differentiable all
// the same, so a caller that wants a detached target feeds it a constant
// or an input node.
func (h UnitHyperbola[T]) FromMeanNode(x *G.Node) (*G.Node, error) {
	const name = "FromMean"
	n, d, err := matrixOf("UnitHyperbola."+name+"Node", "x", x)
	if err != nil {
		return nil, err
	}
	op := h.newOp(name, tensor.Shape{n, 2})
	h32, h64 := hyperbolaAs[float32](h), hyperbolaAs[float64](h)
	op.k32 = pointMap[float32]{h32.FromMean, h32.FromMeanVJP}.kernel(d)
	op.k64 = pointMap[float64]{h64.FromMean, h64.FromMeanVJP}.kernel(d)
	return op.apply(x)
}

// FromScalarNode maps the coordinates z [n] to the points
// (cosh z, sinh z) (FromScalar) → [n, 2].
func (h UnitHyperbola[T]) FromScalarNode(z *G.Node) (*G.Node, error) {
	const opName = "UnitHyperbola.FromScalarNode"
	if z == nil {
		return nil, fmt.Errorf("hyperbolic: %s: z is nil", opName)
	}
	if err := floatNode(opName, "z", z); err != nil {
		return nil, err
	}
	s := z.Shape()
	if s.Dims() != 1 || s[0] < 1 {
		return nil, fmt.Errorf("hyperbolic: %s: z has shape %v, want a non-empty vector [n]", opName, s)
	}
	op := h.newOp("FromScalar", tensor.Shape{s[0], 2})
	op.k32 = fromScalarKernel(hyperbolaAs[float32](h))
	op.k64 = fromScalarKernel(hyperbolaAs[float64](h))
	return op.apply(z)
}

func fromScalarKernel[T Float](h UnitHyperbola[T]) kernel[T] {
	return kernel[T]{
		fwd: func(out []T, in [][]T) { h.FromScalar(out, in[0]) },
		vjp: func(gr, in [][]T, g []T) { h.FromScalarVJP(gr[0], in[0], g) },
	}
}

// ToScalarNode is the coordinate z = asinh(y) of the points p [n, 2]
// (ToScalar) → [n].
func (h UnitHyperbola[T]) ToScalarNode(p *G.Node) (*G.Node, error) {
	n, err := pointsOf("UnitHyperbola.ToScalarNode", "p", p)
	if err != nil {
		return nil, err
	}
	op := h.newOp("ToScalar", tensor.Shape{n})
	op.k32 = toScalarKernel(hyperbolaAs[float32](h))
	op.k64 = toScalarKernel(hyperbolaAs[float64](h))
	return op.apply(p)
}

func toScalarKernel[T Float](h UnitHyperbola[T]) kernel[T] {
	return kernel[T]{
		fwd: func(out []T, in [][]T) { h.ToScalar(out, in[0]) },
		vjp: func(gr, in [][]T, g []T) { h.ToScalarVJP(gr[0], in[0], g) },
	}
}

// ProjxNode projects the points p [n, 2] onto the branch (Projx) → [n, 2].
func (h UnitHyperbola[T]) ProjxNode(p *G.Node) (*G.Node, error) {
	n, err := pointsOf("UnitHyperbola.ProjxNode", "p", p)
	if err != nil {
		return nil, err
	}
	op := h.newOp("Projx", tensor.Shape{n, 2})
	l32, l64 := Hyperboloid[float32]{K: 1}, Hyperboloid[float64]{K: 1}
	op.k32 = pointMap[float32]{l32.Projx, l32.ProjxVJP}.kernel(2)
	op.k64 = pointMap[float64]{l64.Projx, l64.ProjxVJP}.kernel(2)
	return op.apply(p)
}

// DistNode is the distance along the branch between the points p and q,
// both [n, 2] (Dist) → [n]. Its mean is a loss between predicted and
// target points (Graph-JEPA itself uses smooth L1 on the coordinates, and
// the Poincaré distance in its jepa.dist=2 ablation: PoincareBall.DistNode
// with Unclamped).
func (h UnitHyperbola[T]) DistNode(p, q *G.Node) (*G.Node, error) {
	const opName = "UnitHyperbola.DistNode"
	n, err := pointsOf(opName, "p", p)
	if err != nil {
		return nil, err
	}
	if err := sameAs(opName, "p", p, "q", q); err != nil {
		return nil, err
	}
	op := h.newOp("Dist", tensor.Shape{n})
	h32, h64 := hyperbolaAs[float32](h), hyperbolaAs[float64](h)
	op.k32 = pairMap[float32]{h32.Dist, h32.DistVJP}.kernel(2)
	op.k64 = pairMap[float64]{h64.Dist, h64.DistVJP}.kernel(2)
	return op.apply(p, q)
}
