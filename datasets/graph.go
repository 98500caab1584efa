package datasets

import (
	"fmt"
	"math"
)

// Graph is one undirected graph of a graph-level dataset, stored the way
// message passing reads it.
//
// Adjacency is compressed sparse row (CSR) over N = len(RowPtr)-1 nodes:
// the neighbours of node v are Col[RowPtr[v]:RowPtr[v+1]], in ascending
// order, without self-loops or duplicates, and symmetric (u lists v iff v
// lists u). Each undirected edge therefore appears twice, once per
// direction, exactly like a coalesced PyTorch Geometric edge_index; the
// directed entries in CSR order are PyG's edge_index columns sorted by
// (source, target). Per-entry data (EdgeAttr, EdgeLabel) is aligned with
// Col.
//
// Shapes (row-major):
//
//	RowPtr    [N+1]
//	Col       [2E]          E undirected edges
//	X         [N, F]        float32 node features
//	EdgeAttr  [2E, EF]      float32 edge features, nil when EF == 0
//	NodeLabel [N, L]        integer node labels (L = len(NodeLabel)/N, usually 1), nil if none
//	EdgeLabel [2E, LE]      integer edge labels aligned with Col, nil if none
//	Target    [T]           regression targets, nil for classification
//
// Integer labels keep the discrete values the features were built from
// (e.g. atom and bond types, which Graph-JEPA embeds with Embedding(28,d)
// and Embedding(4,d) on ZINC). Loaders share one backing array between the
// graphs of a set, so a Graph must be treated as read-only unless Cloned.
type Graph struct {
	RowPtr []int
	Col    []int

	X  []float32
	F  int // node feature width
	EF int // edge feature width (0 when there are no edge features)

	EdgeAttr  []float32
	NodeLabel []int
	EdgeLabel []int

	Y      int       // class in 0..C-1; -1 when unlabelled or regression
	Target []float32 // regression target(s); nil for classification
}

// NumNodes returns N.
func (g *Graph) NumNodes() int {
	if len(g.RowPtr) == 0 {
		return 0
	}
	return len(g.RowPtr) - 1
}

// NumEdges returns the number of undirected edges E (half the number of
// directed CSR entries).
func (g *Graph) NumEdges() int { return len(g.Col) / 2 }

// NumDirected returns the number of directed entries 2E, the width of the
// PyG edge_index.
func (g *Graph) NumDirected() int { return len(g.Col) }

// Degree returns the number of neighbours of node v.
func (g *Graph) Degree(v int) int { return g.RowPtr[v+1] - g.RowPtr[v] }

// Neighbors returns the neighbours of v in ascending order, a sub-slice of
// Col (not a copy).
func (g *Graph) Neighbors(v int) []int { return g.Col[g.RowPtr[v]:g.RowPtr[v+1]:g.RowPtr[v+1]] }

// Features returns row v of X, a sub-slice (not a copy).
func (g *Graph) Features(v int) []float32 { return g.X[v*g.F : (v+1)*g.F : (v+1)*g.F] }

// EdgeIndex writes the [2, 2E] PyG edge index of g into dst (source row,
// target row), reusing dst's capacity, and returns it. Entry k is the
// directed edge Source[k] → Col[k] and lines up with EdgeAttr row k.
func (g *Graph) EdgeIndex(dst [2][]int) [2][]int {
	m := len(g.Col)
	src := growGraphInts(dst[0], m)
	for v := 0; v < g.NumNodes(); v++ {
		for k := g.RowPtr[v]; k < g.RowPtr[v+1]; k++ {
			src[k] = v
		}
	}
	dst[0] = src
	dst[1] = append(dst[1][:0], g.Col...)
	return dst
}

// HasEdge reports whether u and v are adjacent (binary search in u's row).
func (g *Graph) HasEdge(u, v int) bool { return g.entry(u, v) >= 0 }

// entry returns the index in Col of the directed entry u→v, or -1.
func (g *Graph) entry(u, v int) int {
	n := g.NumNodes()
	if u < 0 || u >= n || v < 0 || v >= n {
		return -1
	}
	lo, hi := g.RowPtr[u], g.RowPtr[u+1]
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := g.Col[mid]; {
		case c == v:
			return mid
		case c < v:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// Clone returns a deep copy of g with its own backing arrays.
func (g *Graph) Clone() *Graph {
	c := *g
	c.RowPtr = cloneGraphInts(g.RowPtr)
	c.Col = cloneGraphInts(g.Col)
	c.X = cloneGraphFloats(g.X)
	c.EdgeAttr = cloneGraphFloats(g.EdgeAttr)
	c.NodeLabel = cloneGraphInts(g.NodeLabel)
	c.EdgeLabel = cloneGraphInts(g.EdgeLabel)
	c.Target = cloneGraphFloats(g.Target)
	return &c
}

// Validate checks every invariant documented on Graph: at least one node,
// monotone RowPtr, sorted in-range neighbours without self-loops or
// duplicates, symmetry, shapes of X/EdgeAttr/NodeLabel/EdgeLabel, and
// finite features. The error names the offending field.
func (g *Graph) Validate() error {
	n := g.NumNodes()
	bad := func(field, format string, args ...any) error {
		return &ParseError{File: "<graph>", Field: field, Err: fmt.Errorf(format, args...)}
	}
	if n == 0 {
		return bad("RowPtr", "graph has no nodes")
	}
	if g.RowPtr[0] != 0 || g.RowPtr[n] != len(g.Col) {
		return bad("RowPtr", "RowPtr[0]=%d, RowPtr[N]=%d, len(Col)=%d", g.RowPtr[0], g.RowPtr[n], len(g.Col))
	}
	for v := 0; v < n; v++ {
		lo, hi := g.RowPtr[v], g.RowPtr[v+1]
		if hi < lo {
			return bad("RowPtr", "RowPtr[%d]=%d > RowPtr[%d]=%d", v, lo, v+1, hi)
		}
		for k := lo; k < hi; k++ {
			c := g.Col[k]
			switch {
			case c < 0 || c >= n:
				return bad("Col", "node %d: neighbour %d out of range [0,%d)", v, c, n)
			case c == v:
				return bad("Col", "node %d: self-loop", v)
			case k > lo && c <= g.Col[k-1]:
				return bad("Col", "node %d: neighbours not strictly ascending (%d after %d)", v, c, g.Col[k-1])
			case g.entry(c, v) < 0:
				return bad("Col", "edge %d→%d has no reverse %d→%d", v, c, c, v)
			}
		}
	}
	if g.F < 0 || len(g.X) != n*g.F {
		return bad("X", "len(X)=%d, want N·F = %d·%d", len(g.X), n, g.F)
	}
	for i, x := range g.X {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return bad("X", "non-finite value %v at node %d, column %d", x, i/g.F, i%g.F)
		}
	}
	if g.EF < 0 || len(g.EdgeAttr) != len(g.Col)*g.EF {
		return bad("EdgeAttr", "len(EdgeAttr)=%d, want 2E·EF = %d·%d", len(g.EdgeAttr), len(g.Col), g.EF)
	}
	for i, x := range g.EdgeAttr {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return bad("EdgeAttr", "non-finite value %v at entry %d", x, i/g.EF)
		}
	}
	if g.NodeLabel != nil && (len(g.NodeLabel) == 0 || len(g.NodeLabel)%n != 0) {
		return bad("NodeLabel", "len(NodeLabel)=%d is not a multiple of N=%d", len(g.NodeLabel), n)
	}
	if g.EdgeLabel != nil && len(g.Col) > 0 && len(g.EdgeLabel)%len(g.Col) != 0 {
		return bad("EdgeLabel", "len(EdgeLabel)=%d is not a multiple of 2E=%d", len(g.EdgeLabel), len(g.Col))
	}
	for i, t := range g.Target {
		if math.IsNaN(float64(t)) || math.IsInf(float64(t), 0) {
			return bad("Target", "non-finite target %v at %d", t, i)
		}
	}
	return nil
}

// growGraphInts returns s resliced to length n, reallocating only when its
// capacity is too small. The contents are unspecified.
func growGraphInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n, n+n/4)
	}
	return s[:n]
}

// growGraphFloats is growGraphInts for float32.
func growGraphFloats(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n, n+n/4)
	}
	return s[:n]
}

func cloneGraphInts(s []int) []int {
	if s == nil {
		return nil
	}
	return append(make([]int, 0, len(s)), s...)
}

func cloneGraphFloats(s []float32) []float32 {
	if s == nil {
		return nil
	}
	return append(make([]float32, 0, len(s)), s...)
}
