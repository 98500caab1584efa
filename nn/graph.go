package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// GraphConfig configures a Graph. The zero value builds a float32 graph in
// evaluation mode.
type GraphConfig struct {
	// Dtype is Float32 (the default when zero) or Float64.
	Dtype tensor.Dtype
	// Train selects training behaviour: batch statistics in BatchNorm (and
	// running-stat updates), active Dropout and DropPath.
	Train bool
	// Rand drives dropout masks and any other randomness drawn while the
	// graph runs. Nil means a generator seeded with 1.
	Rand *rand.Rand
}

// Graph is a gorgonia expression graph under construction, together with the
// parameters bound to it, its inputs and the values to read after each run.
// Layers add themselves to a Graph with their Forward methods; Compile turns
// it into a runnable Program.
type Graph struct {
	g      *G.ExprGraph
	dtype  tensor.Dtype
	train  bool
	rng    *rand.Rand
	params map[*Param]*G.Node
	bound  []*Param
	consts map[float64]*G.Node
	inputs []buffer // Input values, returned to the pool by Program.Close
}

// NewGraph returns an empty graph.
func NewGraph(cfg GraphConfig) *Graph {
	dt := cfg.Dtype
	if dt == (tensor.Dtype{}) {
		dt = tensor.Float32
	}
	checkFloat(dt)
	rng := cfg.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(1, 1))
	}
	return &Graph{g: G.NewGraph(), dtype: dt, train: cfg.Train, rng: rng,
		params: make(map[*Param]*G.Node), consts: make(map[float64]*G.Node)}
}

// ExprGraph returns the underlying gorgonia graph, for building with
// gorgonia's own ops.
func (g *Graph) ExprGraph() *G.ExprGraph { return g.g }

// Dtype returns the graph's element type.
func (g *Graph) Dtype() tensor.Dtype { return g.dtype }

// Train reports whether the graph is built in training mode.
func (g *Graph) Train() bool { return g.train }

// Rand returns the generator used while the graph runs.
func (g *Graph) Rand() *rand.Rand { return g.rng }

// Param returns the node bound to p in this graph, creating it on first use.
// The node aliases p.Value, so in-place updates of the parameter are seen by
// the next run. It panics if p's dtype differs from the graph's (a
// programmer error).
func (g *Graph) Param(p *Param) *G.Node {
	if n, ok := g.params[p]; ok {
		return n
	}
	if p.Dtype() != g.dtype {
		panic(fmt.Sprintf("nn: parameter %s is %v but the graph is %v", p.Name, p.Dtype(), g.dtype))
	}
	n := G.NewTensor(g.g, g.dtype, p.Value.Dims(), G.WithShape(p.Shape()...), G.WithName(p.Name), G.WithValue(p.Value))
	g.params[p] = n
	g.bound = append(g.bound, p)
	return n
}

// Bound returns the parameters bound to the graph, in binding order.
func (g *Graph) Bound() []*Param { return g.bound }

// Const returns a scalar constant of the graph's dtype. Constants are shared
// per value.
func (g *Graph) Const(v float64) *G.Node {
	if n, ok := g.consts[v]; ok {
		return n
	}
	var n *G.Node
	if g.dtype == tensor.Float32 {
		n = G.NewConstant(float32(v))
	} else {
		n = G.NewConstant(v)
	}
	g.consts[v] = n
	return n
}

// Input is a graph input whose value is set in place before each run.
type Input struct {
	Node  *G.Node
	Value *tensor.Dense
	name  string
}

// Input adds an input of the given shape, initially zero. Set its value
// before each run with Set; the shape is fixed. The input's memory belongs
// to the graph: Program.Close recycles it.
func (g *Graph) Input(name string, shape ...int) *Input {
	b := getBuffer(g.dtype, shape...)
	g.inputs = append(g.inputs, b)
	v := b.t
	v.Zero()
	n := G.NewTensor(g.g, g.dtype, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(v))
	if len(shape) == 0 {
		n = G.NewScalar(g.g, g.dtype, G.WithName(name), G.WithValue(v))
	}
	return &Input{Node: n, Value: v, name: name}
}

// Shape returns the input's fixed shape.
func (in *Input) Shape() []int { return []int(in.Value.Shape()) }

// Set copies data into the input. data must be []float32 or []float64 with
// exactly as many elements as the input's shape; values are converted to the
// graph's dtype. It returns an error naming the input otherwise.
func (in *Input) Set(data any) error {
	n := in.Value.Shape().TotalSize()
	switch src := data.(type) {
	case []float32:
		if len(src) != n {
			return fmt.Errorf("nn: input %q has shape %v (%d values) but got %d values", in.name, in.Shape(), n, len(src))
		}
		if n == 0 {
			return nil
		}
		switch dst := in.Value.Data().(type) {
		case []float32:
			copy(dst, src)
		case []float64:
			for i, v := range src {
				dst[i] = float64(v)
			}
		}
	case []float64:
		if len(src) != n {
			return fmt.Errorf("nn: input %q has shape %v (%d values) but got %d values", in.name, in.Shape(), n, len(src))
		}
		if n == 0 {
			return nil
		}
		switch dst := in.Value.Data().(type) {
		case []float32:
			for i, v := range src {
				dst[i] = float32(v)
			}
		case []float64:
			copy(dst, src)
		}
	default:
		return fmt.Errorf("nn: input %q: unsupported data type %T", in.name, data)
	}
	return nil
}

// Output is a value read out of a graph during each run (gorgonia.Read), safe
// from the register reuse that can overwrite intermediate node values
// (gorgonia/gorgonia#576).
type Output struct {
	v G.Value
}

// Read arranges for the value of n to be copied out during every run of the
// compiled program.
func (g *Graph) Read(n *G.Node) *Output {
	o := &Output{}
	G.Read(n, &o.v)
	return o
}

// Value returns the value read by the last run, or nil before the first run.
func (o *Output) Value() *tensor.Dense {
	if o.v == nil {
		return nil
	}
	switch v := o.v.(type) {
	case *tensor.Dense:
		return v
	case *G.F32:
		return tensor.New(tensor.WithShape(), tensor.WithBacking([]float32{float32(*v)}))
	case *G.F64:
		return tensor.New(tensor.WithShape(), tensor.WithBacking([]float64{float64(*v)}))
	}
	return nil
}

// Scalar returns a scalar (or the first element of a tensor) as float64. It
// returns NaN before the first run.
func (o *Output) Scalar() float64 {
	switch v := o.v.(type) {
	case *G.F32:
		return float64(*v)
	case *G.F64:
		return float64(*v)
	case *tensor.Dense:
		switch d := v.Data().(type) {
		case []float32:
			return float64(d[0])
		case []float64:
			return d[0]
		case float32:
			return float64(d)
		case float64:
			return d
		}
	}
	return nan()
}

// Float64s returns a copy of the value as float64s (nil before the first run).
func (o *Output) Float64s() []float64 {
	t := o.Value()
	if t == nil {
		return nil
	}
	switch d := t.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return append([]float64(nil), d...)
	case float32:
		return []float64{float64(d)}
	case float64:
		return []float64{d}
	}
	return nil
}

// catch converts a panic raised by gorgonia's Must helpers while a layer is
// being added to a graph into an error prefixed with what. Runtime errors
// (nil dereferences, index errors) are programmer errors and are re-raised.
func catch(err *error, what string) {
	r := recover()
	if r == nil {
		return
	}
	if _, isRuntime := r.(runtime.Error); isRuntime {
		panic(r)
	}
	if e, ok := r.(error); ok {
		*err = fmt.Errorf("%s: %w", what, e)
		return
	}
	panic(r)
}
