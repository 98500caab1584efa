package gnn

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
)

// Edges is the connectivity message passing reads: M directed edges
// Source[k] → Target[k] over NumNodes nodes, PyTorch Geometric's
// edge_index with the default flow "source_to_target" (row 0 = sources,
// row 1 = targets). Messages travel from sources and are aggregated at
// targets, so an undirected graph lists both directions of every edge.
//
// The index values may change between runs of a compiled program (one
// program serves every batch of the same size); their count and NumNodes
// are fixed when the graph is built. Every run checks that the indices lie
// in [0, NumNodes) and fails with an error naming the first bad edge.
type Edges struct {
	Source, Target *nn.Indices
	NumNodes       int
	// EdgeRow, if set (WithEdgeRows), gives for every edge k the row of
	// the edge features it reads: they are then EdgeRows rows shared
	// between edges, [EdgeRows, D] (for example one per bond type), rather
	// than one row per edge, and their gradient sums over the edges that
	// share a row. nil: edge k reads row k.
	EdgeRow  *nn.Indices
	EdgeRows int
}

// WithEdgeRows returns a copy of e whose edge k reads row row[k] of
// [rows, D] edge features: the edges that repeat a few distinct feature
// rows (bond types, the constant row of a featureless set) then need
// neither the rows gathered to every edge nor a gradient row per edge. It
// returns an error if row does not hold one index per edge or rows < 1;
// the values are checked at every run, as the endpoints.
func (e *Edges) WithEdgeRows(row *nn.Indices, rows int) (*Edges, error) {
	switch {
	case row == nil:
		return nil, fmt.Errorf("gnn: WithEdgeRows: nil indices")
	case row.Len() != e.Len():
		return nil, fmt.Errorf("gnn: WithEdgeRows: %d rows for %d edges", row.Len(), e.Len())
	case rows < 1:
		return nil, fmt.Errorf("gnn: WithEdgeRows: %d rows", rows)
	}
	c := *e
	c.EdgeRow, c.EdgeRows = row, rows
	return &c, nil
}

// edgeFeatureRows returns the number of edge-feature rows the edges read.
func (e *Edges) edgeFeatureRows() int {
	if e.EdgeRow != nil {
		return e.EdgeRows
	}
	return e.Len()
}

// NewEdges returns the edges src[k] → tgt[k] over n nodes. It returns an
// error if the two index vectors differ in length or n is negative.
func NewEdges(src, tgt *nn.Indices, n int) (*Edges, error) {
	if src == nil || tgt == nil {
		return nil, fmt.Errorf("gnn: NewEdges: nil indices")
	}
	if src.Len() != tgt.Len() {
		return nil, fmt.Errorf("gnn: NewEdges: %d sources but %d targets", src.Len(), tgt.Len())
	}
	if n < 0 {
		return nil, fmt.Errorf("gnn: NewEdges: negative node count %d", n)
	}
	return &Edges{Source: src, Target: tgt, NumNodes: n}, nil
}

// EdgesOf returns the edges of a PyG-style edge index [2][M] over n nodes,
// copying the indices.
func EdgesOf(edgeIndex [2][]int, n int) (*Edges, error) {
	return NewEdges(nn.IndicesOf("source", edgeIndex[0]), nn.IndicesOf("target", edgeIndex[1]), n)
}

// Len returns the number of directed edges M.
func (e *Edges) Len() int { return e.Source.Len() }

// check returns an error naming the first edge whose endpoint lies outside
// [0, NumNodes).
func (e *Edges) check() error {
	if e.Source.Len() != e.Target.Len() {
		return fmt.Errorf("gnn: edges: %d sources but %d targets", e.Source.Len(), e.Target.Len())
	}
	n := e.NumNodes
	for k, s := range e.Source.Ints() {
		if s < 0 || s >= n {
			return fmt.Errorf("gnn: edge %d: source %d outside [0, %d)", k, s, n)
		}
	}
	for k, t := range e.Target.Ints() {
		if t < 0 || t >= n {
			return fmt.Errorf("gnn: edge %d: target %d outside [0, %d)", k, t, n)
		}
	}
	if e.EdgeRow != nil {
		if e.EdgeRow.Len() != e.Source.Len() {
			return fmt.Errorf("gnn: edges: %d edge rows for %d edges", e.EdgeRow.Len(), e.Source.Len())
		}
		for k, r := range e.EdgeRow.Ints() {
			if r < 0 || r >= e.EdgeRows {
				return fmt.Errorf("gnn: edge %d: edge-feature row %d outside [0, %d)", k, r, e.EdgeRows)
			}
		}
	}
	return nil
}

// csr groups edge ids by one endpoint: the edges of node v are
// idx[off[v]:off[v+1]], in increasing edge order (a stable counting sort),
// so sums over them run in the order PyTorch's index_add_ uses on a CPU.
type csr struct {
	off []int32
	idx []int32
}

// build fills c from the endpoint vector key over n nodes (key values must
// already be checked).
func (c *csr) build(key []int, n int) {
	if cap(c.off) < n+1 {
		c.off = make([]int32, n+1)
	}
	c.off = c.off[:n+1]
	clear(c.off)
	for _, v := range key {
		c.off[v+1]++
	}
	for v := 0; v < n; v++ {
		c.off[v+1] += c.off[v]
	}
	if cap(c.idx) < len(key) {
		c.idx = make([]int32, len(key))
	}
	c.idx = c.idx[:len(key)]
	// Place in order using a cursor per node; off is restored afterwards.
	for k, v := range key {
		c.idx[c.off[v]] = int32(k)
		c.off[v]++
	}
	for v := n; v > 0; v-- {
		c.off[v] = c.off[v-1]
	}
	c.off[0] = 0
}

// degree returns the number of edges of node v.
func (c *csr) degree(v int) int { return int(c.off[v+1] - c.off[v]) }
