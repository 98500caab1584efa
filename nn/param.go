package nn

import (
	"fmt"
	"sort"

	"gorgonia.org/tensor"
)

// Param is one named tensor of a model: a trainable weight, or a buffer such
// as a BatchNorm running mean that is saved with the model but never
// optimised.
//
// Value and Grad share the same shape and dtype (float32 or float64) and are
// stored contiguously in PyTorch layout: a Linear weight is [out, in]. The
// slices returned by Float32s/Float64s alias the tensors, so optimizers, EMA
// and clipping update parameters in place and every graph bound to the
// parameter sees the new values on its next run.
type Param struct {
	// Name is the PyTorch-style dotted name, e.g. "encoder.blocks.0.attn.qkv.weight".
	Name string
	// Value holds the data.
	Value *tensor.Dense
	// Grad accumulates gradients (Program.Run adds to it); nil for buffers.
	Grad *tensor.Dense
	// NoDecay excludes the parameter from weight decay in optimizers that
	// honour it (biases and norm weights, when a config asks for it).
	NoDecay bool
	// Buffer marks state that is not trained (running statistics).
	Buffer bool
}

// NewParam returns a trainable parameter of dtype dt (Float32 or Float64)
// filled with zeros, with a zeroed gradient of the same shape.
func NewParam(name string, dt tensor.Dtype, shape ...int) *Param {
	return &Param{Name: name, Value: newDense(dt, shape...), Grad: newDense(dt, shape...)}
}

// NewBuffer returns a non-trainable parameter (no gradient) filled with zeros.
func NewBuffer(name string, dt tensor.Dtype, shape ...int) *Param {
	return &Param{Name: name, Value: newDense(dt, shape...), Buffer: true}
}

// NewInt64Buffer returns a non-trainable int64 parameter filled with zeros,
// such as BatchNorm's 0-dim num_batches_tracked.
func NewInt64Buffer(name string, shape ...int) *Param {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return &Param{Name: name, Buffer: true,
		Value: tensor.New(tensor.WithShape(shape...), tensor.WithBacking(make([]int64, n)))}
}

// Shape returns the parameter's shape (PyTorch layout).
func (p *Param) Shape() []int { return []int(p.Value.Shape()) }

// Dtype returns the element type of Value.
func (p *Param) Dtype() tensor.Dtype { return p.Value.Dtype() }

// Len returns the number of elements.
func (p *Param) Len() int { return p.Value.Shape().TotalSize() }

// Float32s returns the data of a float32 parameter (0-dim included); it
// panics for another dtype (a programmer error).
func (p *Param) Float32s() []float32 {
	mustDtype(p, tensor.Float32)
	return p.Value.Float32s()
}

// Float64s returns the data of a float64 parameter; it panics for another
// dtype.
func (p *Param) Float64s() []float64 {
	mustDtype(p, tensor.Float64)
	return p.Value.Float64s()
}

// Int64s returns the data of an int64 buffer (num_batches_tracked); it
// panics for another dtype.
func (p *Param) Int64s() []int64 {
	mustDtype(p, tensor.Int64)
	return p.Value.Int64s()
}

// GradFloat32s returns the gradient of a float32 parameter (nil for a buffer).
func (p *Param) GradFloat32s() []float32 {
	if p.Grad == nil {
		return nil
	}
	mustDtype(p, tensor.Float32)
	return p.Grad.Float32s()
}

// GradFloat64s returns the gradient of a float64 parameter (nil for a buffer).
func (p *Param) GradFloat64s() []float64 {
	if p.Grad == nil {
		return nil
	}
	mustDtype(p, tensor.Float64)
	return p.Grad.Float64s()
}

func mustDtype(p *Param, dt tensor.Dtype) {
	if p.Value.Dtype() != dt {
		panic(fmt.Sprintf("nn: parameter %s is %v, not %v", p.Name, p.Value.Dtype(), dt))
	}
}

// ZeroGrad sets the gradient to zero.
func (p *Param) ZeroGrad() {
	if p.Grad != nil {
		p.Grad.Zero()
	}
}

// CopyFrom copies the values of q into p. It panics if the shapes or dtypes
// differ (a programmer error).
func (p *Param) CopyFrom(q *Param) {
	if !p.Value.Shape().Eq(q.Value.Shape()) || p.Dtype() != q.Dtype() {
		panic(fmt.Sprintf("nn: CopyFrom %s %v %v from %s %v %v", p.Name, p.Shape(), p.Dtype(), q.Name, q.Shape(), q.Dtype()))
	}
	switch d := p.Value.Data().(type) {
	case []float32:
		copy(d, q.Value.Data().([]float32))
	case []float64:
		copy(d, q.Value.Data().([]float64))
	case []int64:
		copy(d, q.Value.Data().([]int64))
	default:
		if p.Dtype() != tensor.Int64 {
			panic(fmt.Sprintf("nn: CopyFrom: unsupported dtype %v", p.Dtype()))
		}
		copy(p.Value.Int64s(), q.Value.Int64s()) // a 0-dim int64 (num_batches_tracked)
	}
}

// Params is an ordered set of parameters with unique names, the Go
// counterpart of a PyTorch state dict. The zero value is empty and ready to
// use.
type Params struct {
	list   []*Param
	byName map[string]*Param
}

// Add appends parameters. It panics if a name is empty or already present
// (a programmer error: two layers built with the same prefix).
func (ps *Params) Add(params ...*Param) {
	if ps.byName == nil {
		ps.byName = make(map[string]*Param)
	}
	for _, p := range params {
		if p.Name == "" {
			panic("nn: parameter without a name")
		}
		if _, dup := ps.byName[p.Name]; dup {
			panic("nn: duplicate parameter name " + p.Name)
		}
		ps.byName[p.Name] = p
		ps.list = append(ps.list, p)
	}
}

// AddAll appends every parameter of each set in order.
func (ps *Params) AddAll(sets ...*Params) {
	for _, s := range sets {
		ps.Add(s.list...)
	}
}

// Get returns the parameter with the given name, or nil.
func (ps *Params) Get(name string) *Param { return ps.byName[name] }

// List returns the parameters in the order they were added. The slice is
// shared; do not modify it.
func (ps *Params) List() []*Param { return ps.list }

// Len returns the number of parameters (tensors, not elements).
func (ps *Params) Len() int { return len(ps.list) }

// Trainable returns the parameters that are not buffers.
func (ps *Params) Trainable() []*Param {
	var out []*Param
	for _, p := range ps.list {
		if !p.Buffer {
			out = append(out, p)
		}
	}
	return out
}

// NumElements returns the total number of trainable scalar parameters.
func (ps *Params) NumElements() int {
	n := 0
	for _, p := range ps.list {
		if !p.Buffer {
			n += p.Len()
		}
	}
	return n
}

// Names returns the parameter names, sorted.
func (ps *Params) Names() []string {
	names := make([]string, 0, len(ps.list))
	for _, p := range ps.list {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return names
}

// ZeroGrad zeroes every gradient.
func (ps *Params) ZeroGrad() {
	for _, p := range ps.list {
		p.ZeroGrad()
	}
}

// CopyFrom copies the values of every parameter of ps from the parameter of
// src with the same name. It returns an error naming the first parameter that is missing or differs
// in shape.
func (ps *Params) CopyFrom(src *Params) error {
	for _, p := range ps.list {
		q := src.Get(p.Name)
		if q == nil {
			return fmt.Errorf("nn: CopyFrom: source has no parameter %q", p.Name)
		}
		if !p.Value.Shape().Eq(q.Value.Shape()) || p.Dtype() != q.Dtype() {
			return fmt.Errorf("nn: CopyFrom: %q is %v %v in the destination but %v %v in the source", p.Name, p.Shape(), p.Dtype(), q.Shape(), q.Dtype())
		}
		p.CopyFrom(q)
	}
	return nil
}

// joinName joins a prefix and a name with a dot, omitting an empty prefix.
func joinName(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
