package nn

import (
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
)

// TestEmptyBatch: a batch with no rows (an edge-free graph batch, an empty
// set) runs through the fused ops without a panic: outputs of zero rows,
// zero gradients for the weights, and scatter targets cleared.
func TestEmptyBatch(t *testing.T) {
	g := NewGraph(GraphConfig{Train: true})
	x := g.Input("x", 0, 5)
	require.NoError(t, x.Set([]float32{}))
	lin := NewLinear("l", 5, 3, LinearConfig{}, newRNG(1))
	y, err := lin.Forward(g, x.Node)
	require.NoError(t, err)
	y = G.Must(ReLU(y))
	y = G.Must(LayerNormOp(y, nil, nil, 1e-5))
	agg := G.Must(ScatterAdd(y, NewIndices("dst", 0), 4)) // [4, 3] of zeros
	other := g.Input("bias", 4, 3)
	require.NoError(t, other.Set([]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	out := g.Read(agg)
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Add(agg, other.Node)), other.Node))))
	p, err := Compile(g, loss)
	require.NoError(t, err)
	lin.Params().ZeroGrad()
	require.NoError(t, p.Run())
	require.Equal(t, make([]float64, 12), out.Float64s())
	require.Equal(t, make([]float32, 15), lin.Weight.GradFloat32s())
	require.Equal(t, make([]float32, 3), lin.Bias.GradFloat32s())
	require.NoError(t, p.Close())
}
