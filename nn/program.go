package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Program is a compiled Graph: a gorgonia TapeMachine that runs the forward
// pass and, when compiled with a loss, the backward pass into Param.Grad.
// A Program is not safe for concurrent use; build one graph per goroutine.
type Program struct {
	graph  *Graph
	vm     G.VM
	loss   *G.Node
	lossV  *Output
	params []*Param  // trainable parameters that receive gradients
	grads  []*G.Node // the nodes of their gradients, read after each run
	runs   int
}

// Compile turns g into a Program. If loss is not nil it must be a scalar;
// its gradients with respect to every trainable parameter bound to g that
// the loss depends on are computed by each Run and added to Param.Grad
// (gradients accumulate, as in PyTorch: zero them between steps).
func Compile(g *Graph, loss *G.Node) (*Program, error) {
	p := &Program{graph: g, loss: loss}
	if loss != nil {
		if !loss.IsScalar() {
			return nil, fmt.Errorf("nn: Compile: loss must be a scalar, got shape %v", loss.Shape())
		}
		p.lossV = g.Read(loss)
		reach := ancestors(g.g, loss)
		var nodes []*G.Node // the parameters' nodes in the graph
		for _, prm := range g.bound {
			n := g.params[prm]
			if prm.Buffer || prm.Grad == nil || !reach[n] {
				continue
			}
			p.params = append(p.params, prm)
			nodes = append(nodes, n)
		}
		if len(nodes) > 0 {
			grads, err := G.Grad(loss, nodes...)
			if err != nil {
				return nil, fmt.Errorf("nn: Compile: building gradients: %w", err)
			}
			p.grads = grads
		}
	}
	// No BindDualValues: Run reads the gradient nodes themselves. Binding
	// dual values made the machine clone and zero every parameter once per
	// compiled program and add each gradient into that clone, about a
	// tenth of a Graph-JEPA step, which compiles a program per batch.
	uniqueHashes(g.g) // no hash-only merging of distinct nodes (nodehash.go)
	p.vm = G.NewTapeMachine(g.g)
	return p, nil
}

// ancestors returns the set of nodes the given node depends on, itself
// included.
func ancestors(g *G.ExprGraph, n *G.Node) map[*G.Node]bool {
	seen := map[*G.Node]bool{}
	stack := []*G.Node{n}
	for len(stack) > 0 {
		m := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[m] {
			continue
		}
		seen[m] = true
		children := g.From(m.ID())
		for children.Next() {
			stack = append(stack, children.Node().(*G.Node))
		}
	}
	return seen
}

// Params returns the parameters that receive gradients, in binding order.
func (p *Program) Params() []*Param { return p.params }

// Graph returns the graph the program was compiled from.
func (p *Program) Graph() *Graph { return p.graph }

// Run executes the program once: the forward pass, and the backward pass if
// the program has a loss. Gradients are added to Param.Grad.
func (p *Program) Run() error {
	defer p.vm.Reset()
	if err := p.vm.RunAll(); err != nil {
		return fmt.Errorf("nn: run %d: %w", p.runs, err)
	}
	p.runs++
	for i, n := range p.grads {
		d, ok := n.Value().(*tensor.Dense)
		if !ok {
			return fmt.Errorf("nn: run %d: gradient of %s has type %T", p.runs, p.params[i].Name, n.Value())
		}
		switch g := p.params[i].Grad.Data().(type) {
		case []float32:
			src := d.Data().([]float32)
			for j, v := range src {
				g[j] += v
			}
		case []float64:
			src := d.Data().([]float64)
			for j, v := range src {
				g[j] += v
			}
		}
	}
	return nil
}

// Loss returns the loss computed by the last Run (NaN before the first run
// or for a program without a loss).
func (p *Program) Loss() float64 {
	if p.lossV == nil {
		return nan()
	}
	return p.lossV.Scalar()
}

// Close releases the machine and returns the buffers of the graph's custom
// ops to a pool that the next graphs draw from (rebuilding a graph per batch
// shape then costs no new memory). The program, and any node value of its
// graph, must not be used afterwards, nor its Inputs; values read through
// Outputs are copies and stay valid.
func (p *Program) Close() error {
	err := p.vm.Close()
	releaseBuffers(p.graph.g)
	for _, b := range p.graph.inputs {
		putBuffer(b)
	}
	p.graph.inputs = nil
	return err
}

// ValueBytes returns the bytes held by the values of the program's nodes
// (inputs, parameters, forward intermediates and gradients) as they stand:
// after a Run, the memory its graph keeps between runs, which a cache of
// compiled programs should budget for (before the first Run, only what is
// bound). Views and values shared between nodes count once per node, so it
// is an upper bound.
func (p *Program) ValueBytes() int64 {
	var total int64
	for _, n := range p.graph.g.AllNodes() {
		if v := n.Value(); v != nil {
			total += int64(v.MemSize())
		}
	}
	return total
}
