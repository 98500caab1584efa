package datasets

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

func tinySet(t testing.TB) *GraphSet {
	s, err := LoadTU(filepath.Join("..", "testdata", "graphs", "tiny"), TUConfig{UseNodeAttr: true, UseEdgeAttr: true})
	require.NoError(t, err)
	return s
}

func TestCollateGraphsLayout(t *testing.T) {
	s := tinySet(t)
	g0, g1 := s.Graphs[0], s.Graphs[1]
	b, err := CollateGraphs(nil, []*Graph{g1, g0, g1})
	require.NoError(t, err)
	assert.Equal(t, 3, b.B)
	assert.Equal(t, []int{0, 3, 7, 10}, b.Ptr)
	assert.Equal(t, []int{0, 4, 10, 14}, b.EdgePtr)
	assert.Equal(t, []int{0, 0, 0, 1, 1, 1, 1, 2, 2, 2}, b.Batch)
	assert.Equal(t, []int{0, 1, 0}, b.Y)
	assert.Equal(t, 10, b.NumNodes())
	assert.Equal(t, 14, b.NumDirected())
	// Graph 1's block is g0 shifted by 3 nodes, in CSR order.
	assert.Equal(t, []int{0, 1, 1, 2, 3, 4, 4, 5, 5, 6, 7, 8, 8, 9}, b.EdgeIndex[0])
	assert.Equal(t, []int{1, 0, 2, 1, 4, 3, 5, 4, 6, 5, 8, 7, 9, 8}, b.EdgeIndex[1])
	assert.Equal(t, g0.X, b.X[3*s.F:7*s.F])
	assert.Equal(t, g1.X, b.X[7*s.F:])
	assert.Equal(t, g0.EdgeAttr, b.EdgeAttr[4*s.EF:10*s.EF])
	assert.Equal(t, append(append(append([]int{}, g1.NodeLabel...), g0.NodeLabel...), g1.NodeLabel...), b.NodeLabel)
	assert.Equal(t, append(append(append([]int{}, g1.EdgeLabel...), g0.EdgeLabel...), g1.EdgeLabel...), b.EdgeLabel)
	assert.Nil(t, b.Target)

	// Every directed edge stays inside its graph, and both directions exist.
	for k := range b.EdgeIndex[0] {
		u, v := b.EdgeIndex[0][k], b.EdgeIndex[1][k]
		require.Equal(t, b.Batch[u], b.Batch[v])
	}
}

func TestCollateGraphsReusesBuffers(t *testing.T) {
	s, err := LoadTU(filepath.Join(graphDataDir(t), "tu", "MUTAG"), TUConfig{})
	require.NoError(t, err)
	big, small := s.Graphs[:128], s.Graphs[128:160]
	b, err := CollateGraphs(nil, big)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := CollateGraphs(b, small); err != nil {
			panic(err)
		}
		if _, err := CollateGraphs(b, big); err != nil {
			panic(err)
		}
	})
	assert.Equal(t, 0.0, allocs, "collation into a grown batch must not allocate")
	assert.Equal(t, 128, b.B)
	n := 0
	for _, g := range big {
		n += g.NumNodes()
	}
	assert.Equal(t, n, b.Ptr[128])
}

func TestCollateGraphsErrors(t *testing.T) {
	s := tinySet(t)
	_, err := CollateGraphs(nil, nil)
	require.Error(t, err)
	h := s.Graphs[1].Clone()
	require.NoError(t, ConstantFeature{Cat: true}.TransformGraph(h))
	_, err = CollateGraphs(nil, []*Graph{s.Graphs[0], h})
	require.ErrorContains(t, err, "graph 1 has feature widths (7,4), graph 0 has (6,4)")

	// Labels or targets missing on one graph: those fields are dropped.
	r := s.Graphs[1].Clone()
	r.NodeLabel, r.Target = nil, []float32{1}
	b, err := CollateGraphs(nil, []*Graph{s.Graphs[0], r})
	require.NoError(t, err)
	assert.Nil(t, b.NodeLabel)
	assert.Nil(t, b.Target)
	r2 := r.Clone()
	r2.Target = []float32{2}
	b, err = CollateGraphs(b, []*Graph{r, r2})
	require.NoError(t, err)
	assert.Equal(t, []float32{1, 2}, b.Target)
}

func TestGonumAdapter(t *testing.T) {
	s := tinySet(t)
	g := s.Graphs[0] // path 0-1-2-3
	u := g.Undirected()
	assert.Len(t, graph.NodesOf(u.Nodes()), 4)
	assert.Equal(t, []graph.Node{nodeID(0), nodeID(2)}, graph.NodesOf(u.From(1)))
	assert.Empty(t, graph.NodesOf(u.From(9)))
	assert.True(t, u.HasEdgeBetween(3, 2))
	assert.False(t, u.HasEdgeBetween(0, 3))
	assert.Nil(t, u.Edge(0, 3))
	assert.Nil(t, u.Node(4))
	e := u.EdgeBetween(2, 3)
	require.NotNil(t, e)
	assert.Equal(t, int64(2), e.From().ID())
	assert.Equal(t, int64(3), e.To().ID())

	// gonum algorithms run on the view.
	sp := path.DijkstraFrom(u.Node(0), u)
	assert.Equal(t, 3.0, sp.WeightTo(3))
	assert.Len(t, topo.ConnectedComponents(u), 1)
	it := u.Nodes()
	assert.Equal(t, 4, it.Len())
	it.Next()
	assert.Equal(t, 3, it.Len())
	it.Reset()
	assert.Equal(t, 4, it.Len())

	// Two components once the middle edge is gone.
	h := &Graph{RowPtr: []int{0, 1, 2, 3, 4}, Col: []int{1, 0, 3, 2}, F: 0, Y: -1}
	require.NoError(t, h.Validate())
	assert.Len(t, topo.ConnectedComponents(h.Undirected()), 2)
}

type nodeID = simple.Node

func TestGraphValidate(t *testing.T) {
	ok := func() *Graph {
		return &Graph{RowPtr: []int{0, 1, 3, 4}, Col: []int{1, 0, 2, 1}, X: []float32{1, 2, 3}, F: 1, Y: -1}
	}
	require.NoError(t, ok().Validate())
	cases := []struct {
		name  string
		edit  func(g *Graph)
		field string
	}{
		{"no nodes", func(g *Graph) { g.RowPtr = []int{0}; g.Col = nil; g.X = nil }, "RowPtr"},
		{"self-loop", func(g *Graph) { g.Col = []int{1, 1, 2, 1} }, "Col"},
		{"asymmetric", func(g *Graph) { g.Col = []int{2, 0, 2, 1} }, "Col"},
		{"unsorted", func(g *Graph) { g.Col = []int{1, 2, 0, 1} }, "Col"},
		{"out of range", func(g *Graph) { g.Col = []int{1, 0, 5, 1} }, "Col"},
		{"X shape", func(g *Graph) { g.X = g.X[:2] }, "X"},
		{"NaN", func(g *Graph) { g.X[1] = float32(math.NaN()) }, "X"},
		{"edge attr shape", func(g *Graph) { g.EF = 2; g.EdgeAttr = []float32{1} }, "EdgeAttr"},
		{"target", func(g *Graph) { g.Target = []float32{float32(math.Inf(1))} }, "Target"},
	}
	for _, tc := range cases {
		g := ok()
		tc.edit(g)
		err := g.Validate()
		var pe *ParseError
		require.ErrorAs(t, err, &pe, tc.name)
		assert.Equal(t, tc.field, pe.Field, tc.name)
	}
}

func TestGraphSetSubsetAndStats(t *testing.T) {
	s := tinySet(t)
	sub := s.Subset([]int{1, 1, 0})
	assert.Equal(t, 3, sub.Len())
	assert.Same(t, s.Graphs[1], sub.Graphs[0])
	assert.Equal(t, []int{0, 0, 1}, sub.Labels())
	assert.Equal(t, []int{2, 1}, sub.ClassCounts())
	assert.Equal(t, s.F, sub.F)
	st := sub.Stats()
	assert.Equal(t, GraphStats{Graphs: 3, Nodes: 10, Edges: 7, AvgNodes: 10.0 / 3, AvgEdges: 7.0 / 3, MinNodes: 3, MaxNodes: 4, MaxDegree: 2}, st)
	assert.Panics(t, func() { s.Subset([]int{2}) })
	require.Error(t, (&GraphSet{}).Validate())
}
