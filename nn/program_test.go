package nn

import (
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
)

// TestProgramGradientsAccumulate: Run adds the gradients of the loss to
// Param.Grad, so two runs without ZeroGrad give twice one run's gradient
// (PyTorch's semantics), and a parameter used twice gets both terms. The
// gradient of sum(W·x) with respect to W is known in closed form.
func TestProgramGradientsAccumulate(t *testing.T) {
	g := NewGraph(GraphConfig{Dtype: Float64, Train: true})
	x := g.Input("x", 2, 3)
	require.NoError(t, x.Set([]float64{1, 2, 3, 4, 5, 6}))
	lin := NewLinear("l", 3, 2, LinearConfig{Dtype: Float64}, newRNG(1))
	y, err := lin.Forward(g, x.Node)
	require.NoError(t, err)
	y2, err := lin.Forward(g, x.Node) // the same weights used twice
	require.NoError(t, err)
	loss := G.Must(G.Sum(G.Must(G.Add(y, y2))))
	p, err := Compile(g, loss)
	require.NoError(t, err)
	defer p.Close()

	lin.Params().ZeroGrad()
	require.NoError(t, p.Run())
	// d/dW_oi of 2·Σ_r Σ_o (W x_r + b)_o = 2·Σ_r x_ri; d/db_o = 2·rows.
	want := []float64{10, 14, 18, 10, 14, 18}
	require.InDeltaSlice(t, want, lin.Weight.Grad.Data().([]float64), 1e-12)
	require.InDeltaSlice(t, []float64{4, 4}, lin.Bias.Grad.Data().([]float64), 1e-12)

	require.NoError(t, p.Run())
	for i := range want {
		want[i] *= 2
	}
	require.InDeltaSlice(t, want, lin.Weight.Grad.Data().([]float64), 1e-12, "second run adds to the first")
	require.InDeltaSlice(t, []float64{8, 8}, lin.Bias.Grad.Data().([]float64), 1e-12)
}

// TestProgramValueBytes: after a run the program counts at least its input,
// its parameters, their gradients and its forward output; a larger batch
// takes more.
func TestProgramValueBytes(t *testing.T) {
	bytes := func(rows int) int64 {
		g := NewGraph(GraphConfig{Dtype: Float64, Train: true})
		x := g.Input("x", rows, 3)
		lin := NewLinear("l", 3, 2, LinearConfig{Dtype: Float64}, newRNG(1))
		y, err := lin.Forward(g, x.Node)
		require.NoError(t, err)
		p, err := Compile(g, G.Must(G.Sum(y)))
		require.NoError(t, err)
		defer p.Close()
		require.NoError(t, p.Run())
		return p.ValueBytes()
	}
	small, large := bytes(2), bytes(200)
	// input 2×3, W 2×3 and its gradient, b 2 and its gradient, y 2×2.
	require.GreaterOrEqual(t, small, int64(8*(6+6+6+2+2+4)))
	require.Greater(t, large-small, int64(8*198*(3+2)), "198 more rows of input and output")
}

// TestCompileKeepsHashCollidingNodes: two inputs whose gorgonia node
// hashes collide (FNV-32 of type, shape and name; the pair was found by a
// birthday search) stay distinct nodes. Gorgonia's compiler merges nodes
// by hash alone, which without uniqueHashes turns a − b into b − b.
func TestCompileKeepsHashCollidingNodes(t *testing.T) {
	g := NewGraph(GraphConfig{Dtype: Float64})
	a, b := g.Input("lubsmubduq", 2), g.Input("ysrtjfvlzh", 2)
	require.Equal(t, a.Node.Hashcode(), b.Node.Hashcode(), "the names must collide for this test to mean anything")
	require.NoError(t, a.Set([]float64{1, 2}))
	require.NoError(t, b.Set([]float64{0.5, 0}))
	out := g.Read(G.Must(G.Sub(a.Node, b.Node)))
	prog, err := Compile(g, nil)
	require.NoError(t, err)
	defer prog.Close()
	require.NoError(t, prog.Run())
	require.Equal(t, []float64{0.5, 2}, out.Float64s())
}
