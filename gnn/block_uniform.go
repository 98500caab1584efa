package gnn

import (
	"errors"
	"fmt"
	"slices"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
)

// RepeatedLayer is a row-wise layer that can run on distinct rows standing
// for repeated ones (MixerMLP): for any index list idx with counts[r] =
// |{i : idx[i] = r}|, Gather(ForwardRepeated(x, counts), idx) =
// Forward(Gather(x, idx)), values and gradients.
type RepeatedLayer interface {
	Layer
	ForwardRepeated(g *nn.Graph, x *G.Node, counts []int) (*G.Node, error)
}

// DegreeRows groups the nodes of a graph by in-degree: the distinct
// in-degrees in increasing order, the number of nodes with each, and the
// group of every node.
type DegreeRows struct {
	Degrees []int // [K] distinct in-degrees, increasing
	Counts  []int // [K] nodes per degree
	Row     []int // [N] the group of node v (Degrees[Row[v]] = in-degree of v)
}

// GroupByInDegree counts the in-degree of each of n nodes from the edge
// targets dst and groups the nodes by it. It returns an error if a target
// is outside [0, n).
func GroupByInDegree(dst []int, n int) (*DegreeRows, error) {
	deg := make([]int, n)
	for i, v := range dst {
		if v < 0 || v >= n {
			return nil, fmt.Errorf("gnn: edge %d targets node %d of %d", i, v, n)
		}
		deg[v]++
	}
	distinct := slices.Clone(deg)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	r := &DegreeRows{Degrees: distinct, Counts: make([]int, len(distinct)), Row: make([]int, n)}
	for v, d := range deg {
		k, _ := slices.BinarySearch(distinct, d)
		r.Row[v] = k
		r.Counts[k]++
	}
	return r, nil
}

// ForwardUniform adds the block for a graph in which every node has the
// feature row x0 [1, D] and every edge the attribute row e0 [1, De], as on
// featureless graph sets (IMDB, REDDIT: Graph-JEPA's nodes all start as
// the input encoder's bias). With a GINE conv, node v then receives
// (1+ε)·x0 + deg(v)·ReLU(x0 + e0), so its output depends on its in-degree
// alone: ForwardUniform returns the output for each group of rows, [K, D],
// and Gather(out, rows.Row) equals Forward on the N expanded nodes and
// their edges, in value and in every gradient (the inner network and the
// norm weight each group by its size: RepeatedLayer,
// nn.BatchNorm.ForwardRepeated), with K rows of work instead of N.
//
// It returns an error if the conv is not a GINE whose network is a
// RepeatedLayer, or in a training graph with dropout (its masks differ per
// node).
func (b *Block) ForwardUniform(g *nn.Graph, x0, e0 *G.Node, rows *DegreeRows) (*G.Node, error) {
	c, ok := b.Conv.(*GINE)
	if !ok {
		return nil, fmt.Errorf("gnn: block: ForwardUniform needs a GINE conv, got %T", b.Conv)
	}
	inner, ok := c.NN.(RepeatedLayer)
	if !ok {
		return nil, fmt.Errorf("gnn: GINE %s: ForwardUniform needs an inner network with ForwardRepeated, got %T", c.Eps.Name, c.NN)
	}
	if b.cfg.Dropout > 0 && g.Train() {
		return nil, fmt.Errorf("gnn: GINE %s: ForwardUniform cannot apply dropout (its masks differ per node)", c.Eps.Name)
	}
	if rows == nil || len(rows.Degrees) == 0 {
		return nil, errors.New("gnn: block: ForwardUniform needs at least one node")
	}
	xs, es := x0.Shape(), e0.Shape()
	if xs.Dims() != 2 || xs[0] != 1 || es.Dims() != 2 || es[0] != 1 {
		return nil, fmt.Errorf("gnn: GINE %s: ForwardUniform needs one node row and one edge row, got shapes %v and %v", c.Eps.Name, xs, es)
	}
	e := e0
	if c.Lin != nil {
		var err error
		if e, err = c.Lin.Forward(g, e0); err != nil {
			return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
		}
	}
	if !e.Shape().Eq(xs) {
		return nil, fmt.Errorf("gnn: GINE %s: edge row shape %v does not match node row shape %v", c.Eps.Name, e.Shape(), xs)
	}
	k, d := len(rows.Degrees), xs[1]
	msg, err := nn.ReLU(G.Must(G.Add(x0, e)))
	if err != nil {
		return nil, err
	}
	first := nn.IndicesOf(c.Eps.Name+".uniform_rows", make([]int, k))
	xk := G.Must(nn.Gather(x0, first))
	deg := g.Input(c.Eps.Name+".in_degree", k, d)
	dv := make([]float64, k*d)
	for r, n := range rows.Degrees {
		for j := range d {
			dv[r*d+j] = float64(n)
		}
	}
	if err := deg.Set(dv); err != nil {
		return nil, err
	}
	agg := G.Must(G.HadamardProd(G.Must(nn.Gather(msg, first)), deg.Node))
	onePlusEps := G.Must(G.Add(g.Const(1), G.Must(G.Sum(g.Param(c.Eps)))))
	h := G.Must(G.Add(G.Must(G.Mul(xk, onePlusEps)), agg))
	if h, err = inner.ForwardRepeated(g, h, rows.Counts); err != nil {
		return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
	}
	if b.Norm != nil {
		if h, err = b.Norm.ForwardRepeated(g, h, rows.Counts); err != nil {
			return nil, err
		}
	}
	res := xk
	if b.cfg.NoResidual {
		res = nil
	}
	y, err := reluResidual(h, res)
	if err != nil {
		return nil, fmt.Errorf("gnn: block: %w", err)
	}
	return y, nil
}
