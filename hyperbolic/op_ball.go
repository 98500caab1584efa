package hyperbolic

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Differentiable graph ops on the Poincaré ball. Each method adds one op
// to the graph of its inputs: the forward pass is the batched kernel of
// the same name, the backward pass its VJP. Points and tangent vectors
// are the rows of [n, d] nodes; per-row scalars are [n] nodes.
//
// The element type of the graph (float32 or float64) selects the kernels,
// not the receiver's type parameter: Ball{}.Expmap0Node and
// Ball32{}.Expmap0Node build the same op, and a zero Eps means the geoopt
// projection eps of the graph's dtype (ProjEps32 for float32 graphs,
// ProjEps64 for float64). The curvature C (and Eps, Unclamped) are
// constants of the op, fixed when it is added: not learnable.

// ballAs returns b with element type U.
func ballAs[U, T Float](b PoincareBall[T]) PoincareBall[U] {
	return PoincareBall[U]{C: b.C, Eps: b.Eps, Unclamped: b.Unclamped}
}

// newOp checks b's settings and returns an op "PoincareBall.<name>" with
// output shape out, for the method <name>Node.
func (b PoincareBall[T]) newOp(name string, out tensor.Shape) (nodeOp, error) {
	op := "PoincareBall." + name + "Node"
	if err := checkMagnitude(op, "C", b.C); err != nil {
		return nodeOp{}, err
	}
	if b.Eps != 0 && !(b.Eps > 0 && b.Eps < 1) {
		return nodeOp{}, fmt.Errorf("hyperbolic: %s: Eps=%v must be in (0, 1) (0 means geoopt's default)", op, b.Eps)
	}
	return nodeOp{name: "PoincareBall." + name, out: out,
		params: fmt.Sprintf("c=%g,eps=%g,unclamped=%t", b.C, b.Eps, b.Unclamped)}, nil
}

// ballPointOp adds a one-input ball op given its float32 and float64
// adapters; out maps (n, d) to the output shape.
func ballPointOp[T Float](b PoincareBall[T], name, arg string, x *G.Node, out func(n, d int) tensor.Shape,
	m32 pointMap[float32], m64 pointMap[float64]) (*G.Node, error) {
	n, d, err := matrixOf("PoincareBall."+name+"Node", arg, x)
	if err != nil {
		return nil, err
	}
	op, err := b.newOp(name, out(n, d))
	if err != nil {
		return nil, err
	}
	op.k32, op.k64 = m32.kernel(d), m64.kernel(d)
	return op.apply(x)
}

// ballPairOp adds a two-input ball op on [n, d] rows.
func ballPairOp[T Float](b PoincareBall[T], name, xArg string, x *G.Node, yArg string, y *G.Node, out func(n, d int) tensor.Shape,
	m32 pairMap[float32], m64 pairMap[float64]) (*G.Node, error) {
	opName := "PoincareBall." + name + "Node"
	n, d, err := matrixOf(opName, xArg, x)
	if err != nil {
		return nil, err
	}
	if err := sameAs(opName, xArg, x, yArg, y); err != nil {
		return nil, err
	}
	op, err := b.newOp(name, out(n, d))
	if err != nil {
		return nil, err
	}
	op.k32, op.k64 = m32.kernel(d), m64.kernel(d)
	return op.apply(x, y)
}

// ballTripleOp adds a three-input ball op on [n, d] rows.
func ballTripleOp[T Float](b PoincareBall[T], name string, args [3]string, x, y, z *G.Node,
	m32 tripleMap[float32], m64 tripleMap[float64]) (*G.Node, error) {
	opName := "PoincareBall." + name + "Node"
	n, d, err := matrixOf(opName, args[0], x)
	if err != nil {
		return nil, err
	}
	if err := sameAs(opName, args[0], x, args[1], y); err != nil {
		return nil, err
	}
	if err := sameAs(opName, args[0], x, args[2], z); err != nil {
		return nil, err
	}
	op, err := b.newOp(name, tensor.Shape{n, d})
	if err != nil {
		return nil, err
	}
	op.k32, op.k64 = m32.kernel(d), m64.kernel(d)
	return op.apply(x, y, z)
}

// ProjxNode projects the rows of x [n, d] onto the ball of radius
// MaxNorm (Projx) → [n, d].
func (b PoincareBall[T]) ProjxNode(x *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPointOp(b, "Projx", "x", x, rowsShape,
		pointMap[float32]{b32.Projx, b32.ProjxVJP}, pointMap[float64]{b64.Projx, b64.ProjxVJP})
}

// Expmap0Node is the exponential map at the origin of the tangent rows
// u [n, d], projected (Expmap0) → [n, d].
func (b PoincareBall[T]) Expmap0Node(u *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPointOp(b, "Expmap0", "u", u, rowsShape,
		pointMap[float32]{b32.Expmap0, b32.Expmap0VJP}, pointMap[float64]{b64.Expmap0, b64.Expmap0VJP})
}

// Logmap0Node is the logarithmic map at the origin of the rows of
// y [n, d] (Logmap0) → [n, d].
func (b PoincareBall[T]) Logmap0Node(y *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPointOp(b, "Logmap0", "y", y, rowsShape,
		pointMap[float32]{b32.Logmap0, b32.Logmap0VJP}, pointMap[float64]{b64.Logmap0, b64.Logmap0VJP})
}

// LambdaNode is the conformal factor λ_x of the rows of x [n, d]
// (Lambda) → [n].
func (b PoincareBall[T]) LambdaNode(x *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPointOp(b, "Lambda", "x", x, scalarsShape,
		pointMap[float32]{b32.Lambda, b32.LambdaVJP}, pointMap[float64]{b64.Lambda, b64.LambdaVJP})
}

// ExpmapNode is the exponential map at the rows of x of the tangent rows
// of u, both [n, d], projected (Expmap) → [n, d].
func (b PoincareBall[T]) ExpmapNode(x, u *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPairOp(b, "Expmap", "x", x, "u", u, rowsShape,
		pairMap[float32]{b32.Expmap, b32.ExpmapVJP}, pairMap[float64]{b64.Expmap, b64.ExpmapVJP})
}

// LogmapNode is the logarithmic map at the rows of x of the rows of y,
// both [n, d] (Logmap) → [n, d].
func (b PoincareBall[T]) LogmapNode(x, y *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPairOp(b, "Logmap", "x", x, "y", y, rowsShape,
		pairMap[float32]{b32.Logmap, b32.LogmapVJP}, pairMap[float64]{b64.Logmap, b64.LogmapVJP})
}

// MobiusAddNode is the Möbius addition x ⊕ y of the rows of x and y,
// both [n, d], projected (MobiusAdd) → [n, d].
func (b PoincareBall[T]) MobiusAddNode(x, y *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPairOp(b, "MobiusAdd", "x", x, "y", y, rowsShape,
		pairMap[float32]{b32.MobiusAdd, b32.MobiusAddVJP}, pairMap[float64]{b64.MobiusAdd, b64.MobiusAddVJP})
}

// DistNode is the geodesic distance between the rows of x and y, both
// [n, d] (Dist; Graph-JEPA's unguarded formula when Unclamped) → [n].
// Its mean is a hyperbolic-distance loss.
func (b PoincareBall[T]) DistNode(x, y *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballPairOp(b, "Dist", "x", x, "y", y, scalarsShape,
		pairMap[float32]{b32.Dist, b32.DistVJP}, pairMap[float64]{b64.Dist, b64.DistVJP})
}

// GyrationNode is gyr[u,v]w for the rows of u, v and w, all [n, d]
// (Gyration) → [n, d].
func (b PoincareBall[T]) GyrationNode(u, v, w *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballTripleOp(b, "Gyration", [3]string{"u", "v", "w"}, u, v, w,
		tripleMap[float32]{b32.Gyration, b32.GyrationVJP}, tripleMap[float64]{b64.Gyration, b64.GyrationVJP})
}

// TranspNode is the parallel transport of the tangent rows v at the rows
// of x to the rows of y, all [n, d] (Transp) → [n, d].
func (b PoincareBall[T]) TranspNode(x, y, v *G.Node) (*G.Node, error) {
	b32, b64 := ballAs[float32](b), ballAs[float64](b)
	return ballTripleOp(b, "Transp", [3]string{"x", "y", "v"}, x, y, v,
		tripleMap[float32]{b32.Transp, b32.TranspVJP}, tripleMap[float64]{b64.Transp, b64.TranspVJP})
}

// MobiusScalarMulNode is the Möbius scalar multiplication r ⊗ x of the
// rows of x [n, d], projected (MobiusScalarMul) → [n, d]. r is a constant
// of the op, like the curvature (MobiusScalarMulVJP gives its gradient
// for code outside a graph); it must be finite.
func (b PoincareBall[T]) MobiusScalarMulNode(r float64, x *G.Node) (*G.Node, error) {
	const name = "MobiusScalarMul"
	n, d, err := matrixOf("PoincareBall."+name+"Node", "x", x)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return nil, fmt.Errorf("hyperbolic: PoincareBall.%sNode: r=%v must be finite", name, r)
	}
	op, err := b.newOp(name, tensor.Shape{n, d})
	if err != nil {
		return nil, err
	}
	op.params += fmt.Sprintf(",r=%g", r)
	op.k32 = scalarMulKernel(ballAs[float32](b), r, d)
	op.k64 = scalarMulKernel(ballAs[float64](b), r, d)
	return op.apply(x)
}

func scalarMulKernel[T Float](b PoincareBall[T], r float64, d int) kernel[T] {
	return kernel[T]{
		fwd: func(out []T, in [][]T) { b.MobiusScalarMul(out, r, in[0], d) },
		vjp: func(gr, in [][]T, g []T) { b.MobiusScalarMulVJP(gr[0], r, in[0], g, d) },
	}
}

// MobiusMatvecNode is the Möbius matrix-vector product M ⊗ x for the
// matrix w [dOut, d] (PyTorch's Linear weight layout) and the rows of
// x [n, d], projected (MobiusMatvec) → [n, dOut]. Both w and x get
// gradients, so w can be a trainable parameter (a hyperbolic linear layer,
// Ganea et al. 2018).
func (b PoincareBall[T]) MobiusMatvecNode(w, x *G.Node) (*G.Node, error) {
	const name = "MobiusMatvec"
	opName := "PoincareBall." + name + "Node"
	n, d, err := matrixOf(opName, "x", x)
	if err != nil {
		return nil, err
	}
	dOut, dw, err := matrixOf(opName, "w", w)
	if err != nil {
		return nil, err
	}
	if dw != d {
		return nil, fmt.Errorf("hyperbolic: %s: w has shape %v but x has shape %v; want w [dOut, %d]", opName, w.Shape(), x.Shape(), d)
	}
	if err := sameGraph(opName, "w", w, "x", x); err != nil {
		return nil, err
	}
	op, err := b.newOp(name, tensor.Shape{n, dOut})
	if err != nil {
		return nil, err
	}
	op.k32 = matvecKernel(ballAs[float32](b), dOut, d)
	op.k64 = matvecKernel(ballAs[float64](b), dOut, d)
	return op.apply(w, x)
}

func matvecKernel[T Float](b PoincareBall[T], dOut, d int) kernel[T] {
	return kernel[T]{
		fwd: func(out []T, in [][]T) { b.MobiusMatvec(out, in[0], in[1], dOut, d) },
		vjp: func(gr, in [][]T, g []T) { b.MobiusMatvecVJP(gr[0], gr[1], in[0], in[1], g, dOut, d) },
	}
}
