package gnn

import (
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
)

// TestBlockForwardUniform: on a graph whose nodes all carry x0 and whose
// edges all carry e0, the block on one row per in-degree, gathered, equals
// the block on every node: outputs, the gradients of x0 and e0 (summed over
// all their uses), of ε, the inner network, the norm, and the running
// statistics, in float64. The graph has isolated nodes (degree 0), repeated
// edges and a GINE with an edge Linear.
func TestBlockForwardUniform(t *testing.T) {
	const n, d, de = 9, 4, 3
	src := []int{0, 1, 2, 3, 4, 5, 1, 1, 6, 2, 2, 0}
	dst := []int{1, 2, 3, 4, 5, 0, 0, 0, 2, 6, 6, 6} // node 7, 8 isolated
	x0v, e0v := rt(1, -1, 1, 1, d), rt(2, -1, 1, 1, de)
	type result struct {
		out   []float64
		grads [][]float64
	}
	run := func(uniform bool) result {
		rng := newRNG(3)
		conv := NewGINE("c", GraphJEPAMLP("c.nn", d, d, nn.Float64, rng), GINConfig{Dtype: nn.Float64, EdgeDim: de, NodeDim: d}, rng)
		nn.FillConstant(conv.Eps, 0.3)
		blk := NewBlock(conv, nn.NewBatchNorm("n", d, nn.BatchNormConfig{Dtype: nn.Float64}), BlockConfig{})
		g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64, Train: true})
		x0, e0 := nn.NewParam("x0", nn.Float64, 1, d), nn.NewParam("e0", nn.Float64, 1, de)
		copy(x0.Float64s(), x0v.Float64s())
		copy(e0.Float64s(), e0v.Float64s())
		var y *G.Node
		if uniform {
			rows, err := GroupByInDegree(dst, n)
			require.NoError(t, err)
			require.Equal(t, []int{0, 1, 2, 3}, rows.Degrees)
			require.Equal(t, []int{2, 4, 1, 2}, rows.Counts)
			out, err := blk.ForwardUniform(g, g.Param(x0), g.Param(e0), rows)
			require.NoError(t, err)
			y = G.Must(nn.Gather(out, nn.IndicesOf("row", rows.Row)))
		} else {
			edges, err := NewEdges(nn.IndicesOf("src", src), nn.IndicesOf("dst", dst), n)
			require.NoError(t, err)
			xs := G.Must(nn.Gather(g.Param(x0), nn.IndicesOf("all_nodes", make([]int, n))))
			es := G.Must(nn.Gather(g.Param(e0), nn.IndicesOf("all_edges", make([]int, len(src)))))
			var err2 error
			y, err2 = blk.Forward(g, xs, edges, es)
			require.NoError(t, err2)
		}
		o := g.Read(y)
		w := &nn.Param{Name: "w", Value: rt(4, -1, 1, n, d), Buffer: true}
		p, err := nn.Compile(g, G.Must(G.Sum(G.Must(G.HadamardProd(y, g.Param(w))))))
		require.NoError(t, err)
		require.NoError(t, p.Run())
		r := result{out: append([]float64(nil), o.Value().Float64s()...)}
		r.grads = append(r.grads, append([]float64(nil), x0.GradFloat64s()...), append([]float64(nil), e0.GradFloat64s()...))
		for _, q := range blk.Params().List() {
			switch {
			case q.Grad != nil:
				r.grads = append(r.grads, append([]float64(nil), q.GradFloat64s()...))
			case q.Value.Dtype() == nn.Float64:
				r.grads = append(r.grads, append([]float64(nil), q.Float64s()...))
			}
		}
		return r
	}
	want, got := run(false), run(true)
	require.InDeltaSlice(t, want.out, got.out, 1e-12)
	require.Len(t, got.grads, len(want.grads))
	for i := range want.grads {
		require.InDeltaSlice(t, want.grads[i], got.grads[i], 1e-11, "tensor %d", i)
	}
}

func TestBlockForwardUniformErrors(t *testing.T) {
	rng := newRNG(5)
	g := nn.NewGraph(nn.GraphConfig{Train: true})
	x0, e0 := g.Input("x0", 1, 4), g.Input("e0", 1, 4)
	rows, err := GroupByInDegree([]int{0, 1}, 3)
	require.NoError(t, err)
	_, err = NewBlock(NewGCN("gcn", 4, 4, GCNConfig{}, rng), nil, BlockConfig{}).ForwardUniform(g, x0.Node, e0.Node, rows)
	require.ErrorContains(t, err, "needs a GINE conv")
	gine := NewGINE("c", GraphJEPAMLP("c.nn", 4, 4, nn.Float32, rng), GINConfig{}, rng)
	_, err = NewBlock(gine, nil, BlockConfig{Dropout: 0.1}).ForwardUniform(g, x0.Node, e0.Node, rows)
	require.ErrorContains(t, err, "dropout")
	x2 := g.Input("x2", 2, 4)
	_, err = NewBlock(gine, nil, BlockConfig{}).ForwardUniform(g, x2.Node, e0.Node, rows)
	require.ErrorContains(t, err, "one node row")
	_, err = GroupByInDegree([]int{0, 3}, 3)
	require.ErrorContains(t, err, "edge 1 targets node 3 of 3")
}
