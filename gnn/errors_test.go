package gnn

import (
	"math"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestShapeErrors(t *testing.T) {
	rng := newRNG(1)
	g := nn.NewGraph(nn.GraphConfig{})
	x := g.Input("x", 6, 4).Node
	edges := testEdges()

	_, err := Propagate(g.Input("x5", 5, 4).Node, nil, edges, PropagateConfig{})
	require.ErrorContains(t, err, "(5, 4)")
	require.ErrorContains(t, err, "6 nodes")

	_, err = Propagate(x, g.Input("e", 9, 4).Node, edges, PropagateConfig{})
	require.ErrorContains(t, err, "(9, 4)")
	require.ErrorContains(t, err, "(6, 4)")

	gin := NewGIN("gin", nn.NewLinear("gin.nn", 4, 4, nn.LinearConfig{}, rng), GINConfig{})
	_, err = gin.Forward(g, x, edges, g.Input("e10", 10, 4).Node)
	require.ErrorContains(t, err, "GIN takes no edge features")

	gine := NewGINE("gine", nn.NewLinear("gine.nn", 4, 4, nn.LinearConfig{}, rng), GINConfig{}, rng)
	_, err = gine.Forward(g, x, edges, nil)
	require.ErrorContains(t, err, "edge features are required")

	gcn := NewGCN("gcn", 4, 3, GCNConfig{}, rng)
	_, err = gcn.Forward(g, g.Input("x3", 6, 3).Node, edges, nil)
	require.ErrorContains(t, err, "(6, 3)")

	blk := NewBlock(NewGCN("gcn2", 4, 3, GCNConfig{}, rng), nil, BlockConfig{})
	_, err = blk.Forward(g, x, edges, nil)
	require.ErrorContains(t, err, "residual shape (6, 4) does not match layer output shape (6, 3)")

	_, err = MeanPool(x, nn.NewIndices("batch", 5), 2)
	require.ErrorContains(t, err, "(6, 4)")
	_, err = MaskedMean(g.Input("h", 2, 3, 4).Node, g.Input("m", 2, 4).Node)
	require.ErrorContains(t, err, "(2, 3, 4)")
	require.ErrorContains(t, err, "(2, 4)")
	_, err = ToDenseBatch(x, nn.NewIndices("batch", 4), 2, 3)
	require.ErrorContains(t, err, "(6, 4)")

	mini := NewMiniPointNet("tok", MiniPointNetConfig{}, rng)
	_, err = mini.Forward(g, g.Input("p", 2, 8, 4).Node)
	require.ErrorContains(t, err, "(2, 8, 4)")
	pn := NewPointNet("pn", []int{3, 4}, nn.MLPConfig{}, rng)
	_, err = pn.Forward(g, g.Input("q", 8, 3).Node)
	require.ErrorContains(t, err, "(8, 3)")

	mab := NewMAB("mab", 4, 4, 4, MABConfig{Heads: 2}, rng)
	_, err = mab.Forward(g, g.Input("a", 2, 3, 4).Node, g.Input("b", 3, 5, 4).Node, nil)
	require.ErrorContains(t, err, "(2, 3, 4)")
	require.ErrorContains(t, err, "(3, 5, 4)")
	_, err = mab.Forward(g, g.Input("c", 2, 3, 4).Node, g.Input("d", 2, 5, 4).Node, g.Input("km", 2, 4).Node)
	require.ErrorContains(t, err, "mask shape (2, 4)")

	require.Panics(t, func() { NewMAB("bad", 3, 4, 4, MABConfig{Heads: 2}, rng) }, "paper form needs dimQ = dim")
	require.Panics(t, func() { NewMAB("bad", 4, 4, 6, MABConfig{Heads: 4}, rng) })

	_, err = NewEdges(nn.NewIndices("s", 3), nn.NewIndices("t", 4), 5)
	require.ErrorContains(t, err, "3 sources but 4 targets")

	_, err = ParseAggr("median")
	require.ErrorContains(t, err, `"median"`)
	a, err := ParseAggr("add")
	require.NoError(t, err)
	require.Equal(t, Sum, a)
}

// runErr compiles the graph and returns the error of one run.
func runErr(t *testing.T, g *nn.Graph, out *G.Node) error {
	t.Helper()
	g.Read(out)
	p, err := nn.Compile(g, nil)
	require.NoError(t, err)
	defer p.Close()
	return p.Run()
}

func TestIndexErrorsAtRun(t *testing.T) {
	g := nn.NewGraph(nn.GraphConfig{})
	x := g.Input("x", 6, 2).Node
	edges := testEdges()
	y, err := Propagate(x, nil, edges, PropagateConfig{Aggr: Max})
	require.NoError(t, err)
	edges.Source.Ints()[3] = 9
	require.ErrorContains(t, runErr(t, g, y), "edge 3: source 9 outside [0, 6)")

	g2 := nn.NewGraph(nn.GraphConfig{})
	batch := nn.IndicesOf("batch", []int{0, 0, 1, 1, 1, 1})
	d, err := ToDenseBatch(g2.Input("x", 6, 2).Node, batch, 2, 3)
	require.NoError(t, err)
	require.ErrorContains(t, runErr(t, g2, d), "graph 1 has more than 3 nodes")

	mask := make([]float32, 6)
	_, err = FillDenseMask(mask, batch.Ints(), 2, 3)
	require.ErrorContains(t, err, "graph 1 has more than 3 nodes")
	largest, err := FillDenseMask(make([]float32, 8), batch.Ints(), 2, 4)
	require.NoError(t, err)
	require.Equal(t, 4, largest)
}

func tinyBatch(t *testing.T) *datasets.GraphBatch {
	t.Helper()
	b, err := datasets.CollateGraphs(nil, cyclesAndPaths(newRNG(3), 3, 6, 8))
	require.NoError(t, err)
	return b
}

func TestGraphInputsSetErrors(t *testing.T) {
	b := tinyBatch(t)
	g := nn.NewGraph(nn.GraphConfig{})
	in, err := NewGraphInputs(g, b)
	require.NoError(t, err)
	require.Equal(t, []int{b.NumNodes(), 1}, in.X.Shape())
	require.Equal(t, []int{b.NumDirected(), 1}, in.EdgeAttr.Shape())
	require.Equal(t, b.EdgeIndex[1], in.Edges.Target.Ints())
	require.Equal(t, b.Batch, in.Batch.Ints())
	require.Equal(t, 3, in.NumGraphs)

	other, err := datasets.CollateGraphs(nil, cyclesAndPaths(newRNG(4), 2, 6, 8))
	require.NoError(t, err)
	require.ErrorContains(t, in.Set(other), "inputs were built for")

	bad := *b
	bad.X = append([]float32(nil), b.X...)
	bad.X[5] = float32(math.NaN())
	require.ErrorContains(t, in.Set(&bad), "X[5, 0] is NaN")

	bad = *b
	bad.EdgeIndex[0] = append([]int(nil), b.EdgeIndex[0]...)
	bad.EdgeIndex[0][2] = b.NumNodes()
	require.ErrorContains(t, in.Set(&bad), "edge 2")

	bad = *b
	bad.Batch = append([]int(nil), b.Batch...)
	bad.Batch[1] = 7
	require.ErrorContains(t, in.Set(&bad), "batch[1] = 7 outside [0, 3)")

	_, err = NewGraphInputs(g, nil)
	require.Error(t, err)
}

// TestNoEdges: a batch of isolated nodes (M = 0) runs; aggregations give 0.
func TestNoEdges(t *testing.T) {
	iso := &datasets.Graph{RowPtr: []int{0, 0, 0}, F: 2, X: []float32{1, 2, 3, 4}}
	b, err := datasets.CollateGraphs(nil, []*datasets.Graph{iso, iso})
	require.NoError(t, err)
	g := nn.NewGraph(nn.GraphConfig{})
	in, err := NewGraphInputs(g, b)
	require.NoError(t, err)
	require.Nil(t, in.EdgeAttr)
	gin := NewGIN("gin", nn.NewLinear("gin.nn", 2, 2, nn.LinearConfig{NoBias: true, Init: nn.InitZeros}, nil), GINConfig{})
	nn.FillConstant(gin.NN.(*nn.Linear).Weight, 0)
	gin.NN.(*nn.Linear).Weight.Float32s()[0], gin.NN.(*nn.Linear).Weight.Float32s()[3] = 1, 1 // identity
	h, err := gin.Forward(g, in.X.Node, in.Edges, nil)
	require.NoError(t, err)
	p, err := Propagate(in.X.Node, nil, in.Edges, PropagateConfig{Aggr: Max})
	require.NoError(t, err)
	ho, po := g.Read(h), g.Read(p)
	prog, err := nn.Compile(g, nil)
	require.NoError(t, err)
	require.NoError(t, prog.Run())
	require.Equal(t, []float64{1, 2, 3, 4, 1, 2, 3, 4}, ho.Float64s(), "(1+0)·x, no messages")
	require.Equal(t, make([]float64, 8), po.Float64s())
}

// TestNoEdgesWithEdgeFeatures: an edge-free batch that declares edge
// features is refused with a clear error (the engine has no empty tensors).
func TestNoEdgesWithEdgeFeatures(t *testing.T) {
	iso := &datasets.Graph{RowPtr: []int{0, 0, 0}, F: 2, EF: 3, X: []float32{1, 2, 3, 4}}
	b, err := datasets.CollateGraphs(nil, []*datasets.Graph{iso})
	require.NoError(t, err)
	_, err = NewGraphInputs(nn.NewGraph(nn.GraphConfig{}), b)
	require.ErrorContains(t, err, "3 edge features but no edges")
}

// TestFloat32MatchesFloat64: the float32 kernels agree with float64 to
// float32 precision on a GINE block + readout.
func TestFloat32MatchesFloat64(t *testing.T) {
	b := tinyBatch(t)
	run := func(dt tensor.Dtype) []float64 {
		rng := newRNG(9)
		enc := nn.NewLinear("enc", 1, 8, nn.LinearConfig{Dtype: dt}, rng)
		eenc := nn.NewLinear("eenc", 1, 8, nn.LinearConfig{Dtype: dt}, rng)
		blk := NewBlock(NewGINE("c", GraphJEPAMLP("c.nn", 8, 8, dt, rng), GINConfig{Dtype: dt, Eps: 0.1}, rng),
			nn.NewBatchNorm("n", 8, nn.BatchNormConfig{Dtype: dt}), BlockConfig{})
		g := nn.NewGraph(nn.GraphConfig{Dtype: dt, Train: true})
		in, err := NewGraphInputs(g, b)
		require.NoError(t, err)
		x := G.Must(enc.Forward(g, in.X.Node))
		e := G.Must(eenc.Forward(g, in.EdgeAttr.Node))
		h, err := blk.Forward(g, x, in.Edges, e)
		require.NoError(t, err)
		pooled, err := MaxPool(h, in.Batch, in.NumGraphs)
		require.NoError(t, err)
		o := g.Read(pooled)
		p, err := nn.Compile(g, nil)
		require.NoError(t, err)
		require.NoError(t, p.Run())
		return o.Float64s()
	}
	f32, f64 := run(nn.Float32), run(nn.Float64)
	require.InDeltaSlice(t, f64, f32, 1e-5)
}
