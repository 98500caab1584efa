package datasets

import (
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
)

// GonumGraph is a zero-copy, read-only view of a Graph as a gonum
// graph.Undirected, so gonum's algorithms (traversal, paths, community,
// coloring, ...) run on dataset graphs without conversion. Node IDs are
// the node indices 0..N-1; edges are simple.Edge values of simple.Node.
//
// The view reads g's CSR arrays directly: do not modify g while it is in
// use.
type GonumGraph struct {
	g *Graph
}

var _ graph.Undirected = GonumGraph{}

// Undirected returns g as a gonum graph.Undirected (zero copy).
func (g *Graph) Undirected() GonumGraph { return GonumGraph{g: g} }

// Node returns the node with the given ID, or nil if it is not in the graph.
func (v GonumGraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(v.g.NumNodes()) {
		return nil
	}
	return simple.Node(id)
}

// Nodes returns all nodes in ascending ID order.
func (v GonumGraph) Nodes() graph.Nodes {
	return &csrNodes{n: v.g.NumNodes(), cur: -1}
}

// From returns the neighbours of the node with the given ID in ascending
// order (an empty iterator for an unknown ID).
func (v GonumGraph) From(id int64) graph.Nodes {
	if v.Node(id) == nil {
		return graph.Empty
	}
	return &csrNodes{ids: v.g.Neighbors(int(id)), n: v.g.Degree(int(id)), cur: -1}
}

// HasEdgeBetween reports whether x and y are adjacent.
func (v GonumGraph) HasEdgeBetween(xid, yid int64) bool {
	n := int64(v.g.NumNodes())
	if xid < 0 || xid >= n || yid < 0 || yid >= n {
		return false
	}
	return v.g.HasEdge(int(xid), int(yid))
}

// Edge returns the edge u→v, or nil if u and v are not adjacent.
func (v GonumGraph) Edge(uid, vid int64) graph.Edge {
	if !v.HasEdgeBetween(uid, vid) {
		return nil
	}
	return simple.Edge{F: simple.Node(uid), T: simple.Node(vid)}
}

// EdgeBetween returns the edge between x and y, or nil.
func (v GonumGraph) EdgeBetween(xid, yid int64) graph.Edge { return v.Edge(xid, yid) }

// csrNodes iterates either the IDs 0..n-1 (ids == nil) or the given ids.
type csrNodes struct {
	ids []int
	n   int
	cur int
}

func (it *csrNodes) Next() bool {
	if it.cur+1 >= it.n {
		it.cur = it.n
		return false
	}
	it.cur++
	return true
}

func (it *csrNodes) Len() int {
	if it.cur >= it.n {
		return 0
	}
	return it.n - it.cur - 1
}

func (it *csrNodes) Reset() { it.cur = -1 }

func (it *csrNodes) Node() graph.Node {
	if it.cur < 0 || it.cur >= it.n {
		return nil
	}
	if it.ids == nil {
		return simple.Node(it.cur)
	}
	return simple.Node(it.ids[it.cur])
}
