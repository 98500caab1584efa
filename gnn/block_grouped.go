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

// NodeGroups groups the nodes of a graph by what a first message-passing
// layer sees of them when node and edge inputs come from small tables of
// distinct rows (one-hot atom and bond types, or the single row of a
// featureless set): a node's own input class and the multiset of (source
// class, edge class) over its in-edges. Nodes of one group receive the same
// GINE input, so a whole block gives them the same output
// (Block.ForwardGrouped).
type NodeGroups struct {
	Counts []int // [K] nodes per group
	Row    []int // [N] the group of every node
	RepX   []int // [K] input row (of the table x) of each group's representative
	// The in-edges of the representatives: edge j runs from input row
	// EdgeX[j] with attribute row EdgeE[j] into group EdgeGroup[j].
	EdgeX, EdgeE, EdgeGroup []int
}

// GroupNodes groups the n = len(xRow) nodes of a graph whose node v has
// input row xRow[v] of a table x whose rows have classes xClass (equal
// classes: equal rows), and whose edge j runs src[j] → dst[j] with
// attribute row eRow[j] of a table whose rows have classes eClass. It
// returns an error naming the first index out of range.
func GroupNodes(xRow, xClass, src, dst, eRow, eClass []int) (*NodeGroups, error) {
	n, m := len(xRow), len(src)
	if len(dst) != m || len(eRow) != m {
		return nil, fmt.Errorf("gnn: GroupNodes: %d sources, %d targets and %d edge rows", m, len(dst), len(eRow))
	}
	for v, r := range xRow {
		if r < 0 || r >= len(xClass) {
			return nil, fmt.Errorf("gnn: GroupNodes: node %d has input row %d of %d", v, r, len(xClass))
		}
	}
	for j := range m {
		switch {
		case src[j] < 0 || src[j] >= n || dst[j] < 0 || dst[j] >= n:
			return nil, fmt.Errorf("gnn: GroupNodes: edge %d (%d → %d) leaves the %d nodes", j, src[j], dst[j], n)
		case eRow[j] < 0 || eRow[j] >= len(eClass):
			return nil, fmt.Errorf("gnn: GroupNodes: edge %d has attribute row %d of %d", j, eRow[j], len(eClass))
		}
	}
	// In-edges by target (counting sort, stable in edge order).
	ptr := make([]int, n+1)
	for _, v := range dst {
		ptr[v+1]++
	}
	for v := range n {
		ptr[v+1] += ptr[v]
	}
	in := make([]int, m)
	next := slices.Clone(ptr[:n])
	for j, v := range dst {
		in[next[v]] = j
		next[v]++
	}
	// A node's key: its class, its in-degree, then its sorted (source
	// class, edge class) pairs, as little-endian int64s.
	nx := max(len(xClass), 1)
	var key []byte
	var pairs []int
	group := make(map[string]int)
	gs := &NodeGroups{Row: make([]int, n)}
	for v := range n {
		pairs = pairs[:0]
		for _, j := range in[ptr[v]:ptr[v+1]] {
			pairs = append(pairs, eClass[eRow[j]]*nx+xClass[xRow[src[j]]])
		}
		slices.Sort(pairs)
		key = appendInt(key[:0], xClass[xRow[v]])
		key = appendInt(key, len(pairs))
		for _, p := range pairs {
			key = appendInt(key, p)
		}
		k, ok := group[string(key)]
		if !ok {
			k = len(gs.Counts)
			group[string(key)] = k
			gs.Counts = append(gs.Counts, 0)
			gs.RepX = append(gs.RepX, xRow[v])
			for _, j := range in[ptr[v]:ptr[v+1]] {
				gs.EdgeX = append(gs.EdgeX, xRow[src[j]])
				gs.EdgeE = append(gs.EdgeE, eRow[j])
				gs.EdgeGroup = append(gs.EdgeGroup, k)
			}
		}
		gs.Row[v] = k
		gs.Counts[k]++
	}
	return gs, nil
}

func appendInt(b []byte, v int) []byte {
	u := uint64(v)
	return append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
}

// ForwardGrouped adds the block for the graph that groups describes, whose
// node v has input row groups' x row of x [rows, D] and whose edge inputs
// are rows of e [erows, De] (the tables GroupNodes was given the classes
// of). With a GINE conv, a group's nodes all receive (1+ε)·x_v + Σ ReLU(x_u
// + e_uv) over the same multiset, so ForwardGrouped runs the block on one
// row per group, [K, D], with the inner network and the norm weighting each
// row by its group's size (RepeatedLayer, nn.BatchNorm.ForwardRepeated):
// Gather(out, groups.Row) equals Forward on the N expanded nodes and their
// edges, in value and in every parameter gradient, with K rows of work
// instead of N. The gradient reaching x and e lands on the representatives'
// rows: exact for the parameters of row-wise encoders that produced the
// tables (their rows of one class are equal), not per row.
//
// It returns an error if the conv is not a GINE whose network is a
// RepeatedLayer, or in a training graph with dropout (its masks differ per
// node).
func (b *Block) ForwardGrouped(g *nn.Graph, x, e *G.Node, groups *NodeGroups) (*G.Node, error) {
	c, ok := b.Conv.(*GINE)
	if !ok {
		return nil, fmt.Errorf("gnn: block: ForwardGrouped needs a GINE conv, got %T", b.Conv)
	}
	inner, ok := c.NN.(RepeatedLayer)
	if !ok {
		return nil, fmt.Errorf("gnn: GINE %s: ForwardGrouped needs an inner network with ForwardRepeated, got %T", c.Eps.Name, c.NN)
	}
	if b.cfg.Dropout > 0 && g.Train() {
		return nil, fmt.Errorf("gnn: GINE %s: ForwardGrouped cannot apply dropout (its masks differ per node)", c.Eps.Name)
	}
	if groups == nil || len(groups.Counts) == 0 {
		return nil, errors.New("gnn: block: ForwardGrouped needs at least one node")
	}
	if e == nil {
		return nil, fmt.Errorf("gnn: GINE %s: edge features are required", c.Eps.Name)
	}
	k := len(groups.Counts)
	x0, err := nn.Gather(x, nn.IndicesOf(c.Eps.Name+".group_rows", groups.RepX))
	if err != nil {
		return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
	}
	onePlusEps := G.Must(G.Add(g.Const(1), G.Must(G.Sum(g.Param(c.Eps)))))
	h := G.Must(G.Mul(x0, onePlusEps))
	if len(groups.EdgeX) > 0 {
		ee := e
		if c.Lin != nil {
			if ee, err = c.Lin.Forward(g, e); err != nil {
				return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
			}
		}
		xs, err := nn.Gather(x, nn.IndicesOf(c.Eps.Name+".group_edge_src", groups.EdgeX))
		if err != nil {
			return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
		}
		es, err := nn.Gather(ee, nn.IndicesOf(c.Eps.Name+".group_edge_attr", groups.EdgeE))
		if err != nil {
			return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
		}
		if !xs.Shape().Eq(es.Shape()) {
			return nil, fmt.Errorf("gnn: GINE %s: edge rows %v do not match node rows %v", c.Eps.Name, es.Shape(), xs.Shape())
		}
		msg, err := nn.ReLU(G.Must(G.Add(xs, es)))
		if err != nil {
			return nil, err
		}
		agg, err := nn.ScatterAdd(msg, nn.IndicesOf(c.Eps.Name+".group_edge_dst", groups.EdgeGroup), k)
		if err != nil {
			return nil, err
		}
		h = G.Must(G.Add(h, agg))
	}
	if h, err = inner.ForwardRepeated(g, h, groups.Counts); err != nil {
		return nil, fmt.Errorf("gnn: GINE %s: %w", c.Eps.Name, err)
	}
	if b.Norm != nil {
		if h, err = b.Norm.ForwardRepeated(g, h, groups.Counts); err != nil {
			return nil, err
		}
	}
	res := x0
	if b.cfg.NoResidual {
		res = nil
	}
	y, err := reluResidual(h, res)
	if err != nil {
		return nil, fmt.Errorf("gnn: block: %w", err)
	}
	return y, nil
}
