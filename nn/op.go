package nn

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// opSerial gives every custom op instance a unique id. The id is part of the
// op's hash, so gorgonia never merges two custom ops (several are stateful:
// dropout masks, BatchNorm statistics, cached backward results).
var opSerial atomic.Uint64

// fusedOp is the common implementation of the package's custom gorgonia ops.
// A concrete op supplies a kernel that writes its output from its inputs and,
// when differentiable, a function that builds the gradient nodes.
//
// Every input is a float tensor of the graph's dtype; integer indices are
// held by the op itself (see Indices). The output shape is fixed when the op
// is added to a graph.
type fusedOp struct {
	name     string
	params   string // printed and hashed
	id       uint64
	inDims   []int
	outShape tensor.Shape
	// forward writes every element of out from in (out may hold stale data).
	forward func(out *tensor.Dense, in []*tensor.Dense) error
	// backward returns one gradient node per input (nil where not
	// differentiable), given the op's inputs, its output and the gradient of
	// the loss with respect to the output.
	backward func(in G.Nodes, out, grad *G.Node) (G.Nodes, error)
	diffWRT  []bool
	// produce, if set, replaces forward: it returns a tensor the op owns
	// (gradGroup pieces hand out their shared buffers this way).
	produce func(in []*tensor.Dense) (*tensor.Dense, error)
	// out is the op's output buffer, reused by every run: TapeMachine.Reset
	// drops the machine's registers, so without it each run would allocate
	// every intermediate again. Reuse is safe because a value is only read
	// within the run that produced it (Program outputs are copied out by
	// gorgonia.Read).
	out    *tensor.Dense
	outBuf buffer // out's pooled backing
	// group is the gradGroup a piece op hands out buffers for.
	group *gradGroup
}

// apply adds the op to the graph of its children.
func (op *fusedOp) apply(children ...*G.Node) (*G.Node, error) {
	op.id = opSerial.Add(1)
	if len(op.inDims) == 0 {
		op.inDims = make([]int, len(children))
		for i, c := range children {
			op.inDims[i] = c.Dims()
		}
	}
	if op.diffWRT == nil {
		op.diffWRT = make([]bool, len(children))
	}
	return G.ApplyOp(op, children...)
}

func (op *fusedOp) Arity() int { return len(op.inDims) }

func tensorType(dims int, a hm.Type) hm.Type {
	if dims == 0 {
		return a
	}
	return G.TensorType{Dims: dims, Of: a}
}

func (op *fusedOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	ts := make([]hm.Type, 0, len(op.inDims)+1)
	for _, d := range op.inDims {
		ts = append(ts, tensorType(d, a))
	}
	ts = append(ts, tensorType(op.outShape.Dims(), a))
	return hm.NewFnType(ts...)
}

func (op *fusedOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return op.outShape.Clone(), nil }

func (op *fusedOp) Do(vals ...G.Value) (G.Value, error) {
	in, err := op.denseInputs(vals)
	if err != nil {
		return nil, err
	}
	if op.produce != nil {
		out, err := op.produce(in)
		if err != nil {
			return nil, fmt.Errorf("nn: %s: %w", op.name, err)
		}
		return asValue(out), nil
	}
	dt := in[0].Dtype()
	if op.out == nil || op.out.Dtype() != dt {
		op.outBuf = getBuffer(dt, op.outShape...)
		op.out = op.outBuf.t
	}
	// The machine may have reshaped a returned buffer in place (views);
	// restore the op's shape.
	if !op.out.Shape().Eq(op.outShape) {
		if err := op.out.Reshape(op.outShape...); err != nil {
			op.outBuf = getBuffer(dt, op.outShape...)
			op.out = op.outBuf.t
		}
	}
	if err := op.forward(op.out, in); err != nil {
		return nil, fmt.Errorf("nn: %s: %w", op.name, err)
	}
	return asValue(op.out), nil
}

// asValue returns t, or a gorgonia scalar value when t has no dimensions:
// gorgonia's scalar arithmetic rejects 0-dim tensors.
func asValue(t *tensor.Dense) G.Value {
	if t.Shape().Dims() != 0 {
		return t
	}
	switch t.Dtype() {
	case tensor.Float32:
		return G.NewF32(t.Float32s()[0])
	case tensor.Float64:
		return G.NewF64(t.Float64s()[0])
	}
	return t
}

// UsePreallocDo ignores the machine's buffer and writes into the op's own
// (see fusedOp.out).
func (op *fusedOp) UsePreallocDo(_ G.Value, vals ...G.Value) (G.Value, error) {
	return op.Do(vals...)
}

func (op *fusedOp) denseInputs(vals []G.Value) ([]*tensor.Dense, error) {
	in := make([]*tensor.Dense, len(vals))
	for i, v := range vals {
		switch t := v.(type) {
		case *tensor.Dense:
			in[i] = t
		case *G.F32:
			in[i] = tensor.New(tensor.WithShape(), tensor.WithBacking([]float32{float32(*t)}))
		case *G.F64:
			in[i] = tensor.New(tensor.WithShape(), tensor.WithBacking([]float64{float64(*t)}))
		default:
			return nil, fmt.Errorf("nn: %s: input %d has unsupported value type %T", op.name, i, v)
		}
	}
	return in, nil
}

func (op *fusedOp) ReturnsPtr() bool     { return false }
func (op *fusedOp) CallsExtern() bool    { return false }
func (op *fusedOp) OverwritesInput() int { return -1 }
func (op *fusedOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "nn.%s{%s}#%d", op.name, op.params, op.id)
}
func (op *fusedOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op *fusedOp) String() string {
	if op.params == "" {
		return op.name
	}
	return op.name + "{" + op.params + "}"
}

func (op *fusedOp) DiffWRT(int) []bool { return op.diffWRT }

func (op *fusedOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if op.backward == nil {
		return nil, fmt.Errorf("nn: %s is not differentiable", op.name)
	}
	return op.backward(in, out, grad)
}

var (
	_ G.SDOp            = (*fusedOp)(nil)
	_ G.UsePreallocDoer = (*fusedOp)(nil)
)

// gradGroup computes several gradients of one op in a single pass and hands
// them out one node at a time. Gorgonia ops have one output, so a backward
// pass that naturally yields dX, dW and db at once is split into one
// "piece" op per gradient; the first piece to run in a given run computes
// all of them, the others copy theirs out of the shared buffers.
type gradGroup struct {
	name string
	// compute fills outs (one tensor per piece, preallocated with the
	// pieces' shapes) from the values of the group's inputs.
	compute func(outs []*tensor.Dense, in []*tensor.Dense) error
	shapes  []tensor.Shape
	bufs    []*tensor.Dense
	raw     []buffer // bufs' pooled backings
	done    []bool   // which pieces have been handed out since the last compute
}

// newGradGroup returns a group producing len(shapes) gradients.
func newGradGroup(name string, shapes []tensor.Shape, compute func(outs, in []*tensor.Dense) error) *gradGroup {
	return &gradGroup{name: name, compute: compute, shapes: shapes, done: make([]bool, len(shapes))}
}

// pieces adds one node per gradient to the graph. All pieces read the same
// inputs (in), so they run after all of them are available.
func (gg *gradGroup) pieces(in ...*G.Node) (G.Nodes, error) {
	nodes := make(G.Nodes, len(gg.shapes))
	for i := range gg.shapes {
		i := i
		op := &fusedOp{
			name:     gg.name,
			params:   fmt.Sprintf("piece=%d", i),
			outShape: gg.shapes[i],
			produce: func(vals []*tensor.Dense) (*tensor.Dense, error) {
				return gg.take(i, vals)
			},
			group: gg,
		}
		n, err := op.apply(in...)
		if err != nil {
			return nil, err
		}
		nodes[i] = n
	}
	return nodes, nil
}

// take returns gradient i, computing the whole group first if this is the
// first piece requested since the last computation (or if piece i has
// already been handed out, which means a new run has started). The returned
// tensor is the group's own buffer, valid until the next run.
func (gg *gradGroup) take(i int, in []*tensor.Dense) (*tensor.Dense, error) {
	if gg.bufs == nil || gg.done[i] || !gg.anyPending() {
		if gg.bufs == nil || gg.bufs[0].Dtype() != in[0].Dtype() {
			gg.bufs = make([]*tensor.Dense, len(gg.shapes))
			gg.raw = make([]buffer, len(gg.shapes))
			for j, s := range gg.shapes {
				gg.raw[j] = getBuffer(in[0].Dtype(), s...)
				gg.bufs[j] = gg.raw[j].t
			}
		}
		for j, b := range gg.bufs {
			if !b.Shape().Eq(gg.shapes[j]) {
				if err := b.Reshape(gg.shapes[j]...); err != nil {
					gg.raw[j] = getBuffer(in[0].Dtype(), gg.shapes[j]...)
					gg.bufs[j] = gg.raw[j].t
				}
			}
		}
		if err := gg.compute(gg.bufs, in); err != nil {
			return nil, err
		}
		for j := range gg.done {
			gg.done[j] = false
		}
	}
	gg.done[i] = true
	return gg.bufs[i], nil
}

// anyPending reports whether some piece has not been handed out since the
// last computation.
func (gg *gradGroup) anyPending() bool {
	for _, d := range gg.done {
		if !d {
			return true
		}
	}
	return false
}

// float is the set of element types the kernels support.
type float interface{ ~float32 | ~float64 }

// data returns the backing slice of t as []T (0-dim tensors included). The
// caller has checked the dtype.
func data[T float](t *tensor.Dense) []T {
	if t.Shape().TotalSize() == 0 && t.Shape().Dims() > 0 {
		return nil // an empty tensor has no backing element to point at
	}
	var z T
	if _, ok := any(z).(float32); ok {
		return any(t.Float32s()).([]T)
	}
	return any(t.Float64s()).([]T)
}

// floatData returns t's backing slice as []float32 or []float64, including for
// an empty tensor (whose Data method panics in gorgonia/tensor), so kernels
// can switch on the element type and loop over zero elements.
func floatData(t *tensor.Dense) any {
	if t.Shape().TotalSize() == 0 && t.Shape().Dims() > 0 {
		switch t.Dtype() {
		case tensor.Float32:
			return []float32{}
		case tensor.Float64:
			return []float64{}
		}
	}
	return t.Data()
}
