package gnn

import (
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
)

// groupedCase is a graph whose node inputs are rows of a table x (xRow) and
// whose edge inputs are rows of a table e (eRow).
type groupedCase struct {
	name               string
	xRows, eRows       int
	xRow, src, dst, er []int
}

// TestBlockForwardGrouped: the block on one row per group, gathered,
// equals the block on every node: outputs, the gradients of the input
// tables, of ε, the edge Linear, the inner network, the norm, and the
// running statistics, in float64. One graph is featureless (a single node
// row and edge row: groups are in-degrees), one has three node classes and
// two edge classes; both have isolated nodes and repeated edges.
func TestBlockForwardGrouped(t *testing.T) {
	const d, de = 4, 3
	src := []int{0, 1, 2, 3, 4, 5, 1, 1, 6, 2, 2, 0}
	dst := []int{1, 2, 3, 4, 5, 0, 0, 0, 2, 6, 6, 6} // nodes 7 and 8 isolated
	for _, tc := range []groupedCase{
		{"featureless", 1, 1, make([]int, 9), src, dst, make([]int, len(src))},
		{"classes", 3, 2, []int{0, 1, 2, 0, 1, 2, 0, 0, 0}, src, dst, []int{0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.xRow)
			xv, ev := rt(1, -1, 1, tc.xRows, d), rt(2, -1, 1, tc.eRows, de)
			type result struct {
				out   []float64
				grads [][]float64
			}
			run := func(grouped bool) (result, *NodeGroups) {
				rng := newRNG(3)
				conv := NewGINE("c", GraphJEPAMLP("c.nn", d, d, nn.Float64, rng), GINConfig{Dtype: nn.Float64, EdgeDim: de, NodeDim: d}, rng)
				nn.FillConstant(conv.Eps, 0.3)
				blk := NewBlock(conv, nn.NewBatchNorm("n", d, nn.BatchNormConfig{Dtype: nn.Float64}), BlockConfig{})
				g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64, Train: true})
				x, e := nn.NewParam("x", nn.Float64, tc.xRows, d), nn.NewParam("e", nn.Float64, tc.eRows, de)
				copy(x.Float64s(), xv.Float64s())
				copy(e.Float64s(), ev.Float64s())
				var y *G.Node
				var gs *NodeGroups
				if grouped {
					var err error
					gs, err = GroupNodes(tc.xRow, seqInts(tc.xRows), tc.src, tc.dst, tc.er, seqInts(tc.eRows))
					require.NoError(t, err)
					out, err := blk.ForwardGrouped(g, g.Param(x), g.Param(e), gs)
					require.NoError(t, err)
					y = G.Must(nn.Gather(out, nn.IndicesOf("row", gs.Row)))
				} else {
					edges, err := NewEdges(nn.IndicesOf("src", tc.src), nn.IndicesOf("dst", tc.dst), n)
					require.NoError(t, err)
					xs := G.Must(nn.Gather(g.Param(x), nn.IndicesOf("xrow", tc.xRow)))
					es := G.Must(nn.Gather(g.Param(e), nn.IndicesOf("erow", tc.er)))
					y, err = blk.Forward(g, xs, edges, es)
					require.NoError(t, err)
				}
				o := g.Read(y)
				w := &nn.Param{Name: "w", Value: rt(4, -1, 1, n, d), Buffer: true}
				p, err := nn.Compile(g, G.Must(G.Sum(G.Must(G.HadamardProd(y, g.Param(w))))))
				require.NoError(t, err)
				require.NoError(t, p.Run())
				r := result{out: append([]float64(nil), o.Value().Float64s()...)}
				r.grads = append(r.grads, append([]float64(nil), x.GradFloat64s()...), append([]float64(nil), e.GradFloat64s()...))
				for _, q := range blk.Params().List() {
					switch {
					case q.Grad != nil:
						r.grads = append(r.grads, append([]float64(nil), q.GradFloat64s()...))
					case q.Value.Dtype() == nn.Float64:
						r.grads = append(r.grads, append([]float64(nil), q.Float64s()...))
					}
				}
				return r, gs
			}
			want, _ := run(false)
			got, gs := run(true)
			require.Less(t, len(gs.Counts), n, "some nodes share a group")
			require.InDeltaSlice(t, want.out, got.out, 1e-12)
			require.Len(t, got.grads, len(want.grads))
			for i := range want.grads {
				require.InDeltaSlice(t, want.grads[i], got.grads[i], 1e-11, "tensor %d", i)
			}
		})
	}
}

// TestGroupNodes: groups are in-degrees on a featureless graph; classes and
// edge classes split them; the order of in-edges does not matter.
func TestGroupNodes(t *testing.T) {
	// Featureless: nodes 0..3 with in-degrees 2, 1, 0, 1.
	gs, err := GroupNodes([]int{0, 0, 0, 0}, []int{0}, []int{1, 2, 0, 3}, []int{0, 0, 1, 3}, []int{0, 0, 0, 0}, []int{0})
	require.NoError(t, err)
	require.Equal(t, []int{0, 1, 2, 1}, gs.Row)
	require.Equal(t, []int{1, 2, 1}, gs.Counts)
	require.Equal(t, []int{0, 0, 1}, gs.EdgeGroup, "the representatives' in-edges: node 0's two and node 1's one")
	// Node 0 sees (class 1, edge 0) and (class 2, edge 1); node 3 sees the
	// same pair in the other order; node 4 has class 1 instead.
	xClass := []int{0, 1, 2, 0, 1}
	gs, err = GroupNodes([]int{0, 1, 2, 3, 4}, xClass, []int{1, 2, 2, 1, 1, 2}, []int{0, 0, 3, 3, 4, 4}, []int{0, 1, 1, 0, 0, 1}, []int{0, 1})
	require.NoError(t, err)
	require.Equal(t, gs.Row[0], gs.Row[3])
	require.NotEqual(t, gs.Row[0], gs.Row[4])
	require.Equal(t, 5, len(gs.Row))
	for _, c := range [][6][]int{
		{{0, 5}, {0}, {0}, {0}, {0}, {0}},
		{{0}, {0}, {0, 0}, {0}, {0}, {0}},
		{{0}, {0}, {0}, {1}, {0}, {0}},
		{{0}, {0}, {0}, {0}, {3}, {0}},
	} {
		_, err := GroupNodes(c[0], c[1], c[2], c[3], c[4], c[5])
		require.Error(t, err)
	}
}

func TestBlockForwardGroupedErrors(t *testing.T) {
	rng := newRNG(5)
	g := nn.NewGraph(nn.GraphConfig{Train: true})
	x, e := g.Input("x", 1, 4), g.Input("e", 1, 4)
	gs, err := GroupNodes([]int{0, 0, 0}, []int{0}, []int{0}, []int{1}, []int{0}, []int{0})
	require.NoError(t, err)
	_, err = NewBlock(NewGCN("gcn", 4, 4, GCNConfig{}, rng), nil, BlockConfig{}).ForwardGrouped(g, x.Node, e.Node, gs)
	require.ErrorContains(t, err, "needs a GINE conv")
	gine := NewGINE("c", GraphJEPAMLP("c.nn", 4, 4, nn.Float32, rng), GINConfig{}, rng)
	_, err = NewBlock(gine, nil, BlockConfig{Dropout: 0.1}).ForwardGrouped(g, x.Node, e.Node, gs)
	require.ErrorContains(t, err, "dropout")
	_, err = NewBlock(gine, nil, BlockConfig{}).ForwardGrouped(g, x.Node, nil, gs)
	require.ErrorContains(t, err, "edge features are required")
}

func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
