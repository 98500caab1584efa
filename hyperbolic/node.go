package hyperbolic

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// This file holds the machinery shared by the differentiable graph ops
// (the *Node methods of op_ball.go, op_lorentz.go and op_hyperbola.go):
// shape checks, and one nn.CustomOp per op whose forward calls a kernel of
// this package and whose backward calls the matching VJP, as a single op
// for one input or an nn.GradGroup for several.

// kernel is the forward map and the VJP of a graph op for one element
// type, on the flat row-major values of its inputs. vjp writes one
// gradient per input into grads (each with its input's length),
// overwriting it, for the upstream gradient g (the output's length).
type kernel[T Float] struct {
	fwd func(out []T, in [][]T)
	vjp func(grads [][]T, in [][]T, g []T)
}

// nodeOp is a graph op with its float32 and float64 kernels.
type nodeOp struct {
	name   string // "PoincareBall.Expmap0"
	params string // the model's settings, hashed and printed
	out    tensor.Shape
	k32    kernel[float32]
	k64    kernel[float64]
}

// apply adds the op to the graph of its inputs. Every input gets a
// gradient.
func (op nodeOp) apply(in ...*G.Node) (*G.Node, error) {
	shapes := make([]tensor.Shape, len(in))
	diff := make([]bool, len(in))
	for i, n := range in {
		shapes[i] = n.Shape().Clone()
		diff[i] = true
	}
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     op.name,
		Params:   op.params,
		OutShape: op.out.Clone(),
		DiffWRT:  diff,
		Forward: func(out *tensor.Dense, vals []*tensor.Dense) error {
			switch o := out.Data().(type) {
			case []float32:
				op.k32.fwd(o, flat[float32](vals))
			case []float64:
				op.k64.fwd(o, flat[float64](vals))
			default:
				return fmt.Errorf("hyperbolic: %s: unsupported output type %T", op.name, o)
			}
			return nil
		},
		Backward: func(nodes G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			args := append(append(G.Nodes{}, nodes...), grad)
			if len(nodes) == 1 {
				g, err := nn.ApplyCustomOp(nn.CustomOp{
					Name: op.name + "VJP", Params: op.params, OutShape: shapes[0].Clone(),
					Forward: func(out *tensor.Dense, vals []*tensor.Dense) error {
						return op.backward([]*tensor.Dense{out}, vals)
					},
				}, args...)
				if err != nil {
					return nil, err
				}
				return G.Nodes{g}, nil
			}
			gg := nn.NewGradGroup(op.name+"VJP", shapes, op.backward)
			return gg.Pieces(args...)
		},
	}, in...)
}

// backward runs the VJP: vals are the op's inputs followed by the
// upstream gradient, outs one gradient per input.
func (op nodeOp) backward(outs, vals []*tensor.Dense) error {
	in, g := vals[:len(vals)-1], vals[len(vals)-1]
	switch gd := g.Data().(type) {
	case []float32:
		op.k32.vjp(flat[float32](outs), flat[float32](in), gd)
	case []float64:
		op.k64.vjp(flat[float64](outs), flat[float64](in), gd)
	default:
		return fmt.Errorf("hyperbolic: %sVJP: unsupported gradient type %T", op.name, gd)
	}
	return nil
}

// flat returns the backing slices of tensors of element type T.
func flat[T Float](ts []*tensor.Dense) [][]T {
	s := make([][]T, len(ts))
	for i, t := range ts {
		s[i] = t.Data().([]T)[:t.Shape().TotalSize()]
	}
	return s
}

// The kernel adapters turn the batched methods of the models into
// kernels, by their signature.

// pointMap is a one-input map on n×d rows (Projx, Expmap0, Lambda, …).
type pointMap[T Float] struct {
	f   func(dst, x []T, d int) []T
	vjp func(dst, x, g []T, d int) []T
}

func (m pointMap[T]) kernel(d int) kernel[T] {
	return kernel[T]{
		fwd: func(out []T, in [][]T) { m.f(out, in[0], d) },
		vjp: func(gr, in [][]T, g []T) { m.vjp(gr[0], in[0], g, d) },
	}
}

// pairMap is a two-input map on n×d rows (MobiusAdd, Expmap, Dist, …).
type pairMap[T Float] struct {
	f   func(dst, x, y []T, d int) []T
	vjp func(dx, dy, x, y, g []T, d int) ([]T, []T)
}

func (m pairMap[T]) kernel(d int) kernel[T] {
	return kernel[T]{
		fwd: func(out []T, in [][]T) { m.f(out, in[0], in[1], d) },
		vjp: func(gr, in [][]T, g []T) { m.vjp(gr[0], gr[1], in[0], in[1], g, d) },
	}
}

// tripleMap is a three-input map on n×d rows (Gyration, Transp).
type tripleMap[T Float] struct {
	f   func(dst, x, y, z []T, d int) []T
	vjp func(dx, dy, dz, x, y, z, g []T, d int) ([]T, []T, []T)
}

func (m tripleMap[T]) kernel(d int) kernel[T] {
	return kernel[T]{
		fwd: func(out []T, in [][]T) { m.f(out, in[0], in[1], in[2], d) },
		vjp: func(gr, in [][]T, g []T) { m.vjp(gr[0], gr[1], gr[2], in[0], in[1], in[2], g, d) },
	}
}

// rowsShape and scalarsShape are the output shapes of maps to [n, d]
// rows and to per-row scalars [n].
func rowsShape(n, d int) tensor.Shape    { return tensor.Shape{n, d} }
func scalarsShape(n, _ int) tensor.Shape { return tensor.Shape{n} }

// matrixOf checks that x is a float32 or float64 matrix [n, d] with n, d ≥ 1
// and returns n and d. op names the calling method and arg the argument.
func matrixOf(op, arg string, x *G.Node) (n, d int, err error) {
	if x == nil {
		return 0, 0, fmt.Errorf("hyperbolic: %s: %s is nil", op, arg)
	}
	if err := floatNode(op, arg, x); err != nil {
		return 0, 0, err
	}
	s := x.Shape()
	if s.Dims() != 2 || s[0] < 1 || s[1] < 1 {
		return 0, 0, fmt.Errorf("hyperbolic: %s: %s has shape %v, want a non-empty matrix [n, d] (one point per row)", op, arg, s)
	}
	return s[0], s[1], nil
}

// floatNode checks that x is a float32 or float64 node.
func floatNode(op, arg string, x *G.Node) error {
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return fmt.Errorf("hyperbolic: %s: %s has dtype %v, want float32 or float64", op, arg, dt)
	}
	return nil
}

// sameAs checks that y (named arg) has the shape, dtype and graph of x
// (named xArg).
func sameAs(op, xArg string, x *G.Node, arg string, y *G.Node) error {
	if y == nil {
		return fmt.Errorf("hyperbolic: %s: %s is nil", op, arg)
	}
	if !y.Shape().Eq(x.Shape()) {
		return fmt.Errorf("hyperbolic: %s: %s has shape %v but %s has shape %v; they must be equal", op, xArg, x.Shape(), arg, y.Shape())
	}
	return sameGraph(op, xArg, x, arg, y)
}

// sameGraph checks that x and y share a dtype and a graph.
func sameGraph(op, xArg string, x *G.Node, arg string, y *G.Node) error {
	if x.Dtype() != y.Dtype() {
		return fmt.Errorf("hyperbolic: %s: %s is %v but %s is %v", op, xArg, x.Dtype(), arg, y.Dtype())
	}
	if x.Graph() != y.Graph() {
		return fmt.Errorf("hyperbolic: %s: %s and %s belong to different graphs", op, xArg, arg)
	}
	return nil
}

// checkMagnitude returns an error unless v (a curvature magnitude field)
// is 0 (the default) or positive and finite.
func checkMagnitude(op, field string, v float64) error {
	if v != 0 && !(v > 0 && !math.IsInf(v, 1)) {
		return fmt.Errorf("hyperbolic: %s: %s=%v must be positive and finite (0 means 1)", op, field, v)
	}
	return nil
}
