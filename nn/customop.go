package nn

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// CustomOp describes a differentiable op for ApplyCustomOp, the way the
// package's own fused ops are written. Other packages (gnn, hyperbolic,
// jepa) and users add ops with it instead of implementing gorgonia's Op
// interface by hand.
type CustomOp struct {
	// Name and Params identify the op in errors and graph dumps.
	Name, Params string
	// OutShape is the output shape, fixed when the op is added.
	OutShape tensor.Shape
	// Forward writes every element of out (float32 or float64, the dtype of
	// the first input) from the inputs. out is reused across runs and may
	// hold stale values.
	Forward func(out *tensor.Dense, in []*tensor.Dense) error
	// Backward returns one gradient node per input (nil where DiffWRT is
	// false) given the op's input nodes, its output node and the gradient of
	// the loss with respect to the output. Nil means not differentiable.
	Backward func(in G.Nodes, out, grad *G.Node) (G.Nodes, error)
	// DiffWRT marks the inputs that get gradients; nil means none.
	DiffWRT []bool
}

// ApplyCustomOp adds the op to the graph of its inputs and returns its
// output node. Every input must be a float tensor (or scalar) of the
// graph's dtype; integer data is captured by the op's closures (see
// Indices). Each call creates a distinct op: gorgonia never merges two of
// them, so stateful ops (random masks, saved activations) are safe.
func ApplyCustomOp(op CustomOp, inputs ...*G.Node) (*G.Node, error) {
	f := &fusedOp{name: op.Name, params: op.Params, outShape: op.OutShape.Clone(),
		forward: op.Forward, backward: op.Backward, diffWRT: op.DiffWRT}
	return f.apply(inputs...)
}

// GradGroup computes several gradients of one op in a single pass and
// returns them as separate nodes, for ops whose backward naturally yields
// dX, dW, … together (gorgonia ops have one output each).
type GradGroup struct{ gg *gradGroup }

// NewGradGroup returns a group producing one gradient per shape; compute
// fills outs (one preallocated tensor per shape, stale values possible) from
// the values of the nodes later passed to Pieces.
func NewGradGroup(name string, shapes []tensor.Shape, compute func(outs, in []*tensor.Dense) error) *GradGroup {
	return &GradGroup{gg: newGradGroup(name, shapes, compute)}
}

// Pieces adds one node per gradient, all reading the given inputs (typically
// the op's inputs followed by the output gradient).
func (g *GradGroup) Pieces(in ...*G.Node) (G.Nodes, error) { return g.gg.pieces(in...) }

// Elementwise adds y = f(x) elementwise with gradient dy·df(x), f and df
// evaluated in float64. Use it for scalar functions gorgonia lacks.
func Elementwise(x *G.Node, name string, f, df func(float64) float64) (*G.Node, error) {
	return applyUnary(x, unaryFn{name: name, f: f, df: df}, "")
}
