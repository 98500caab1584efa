package gnn

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestBlockDropout: in training graphs the dropped activations leave the
// residual alone (y = x there) and the kept ones are scaled by 1/(1−p); in
// evaluation graphs dropout is off and the block equals the fused path.
func TestBlockDropout(t *testing.T) {
	rng := newRNG(1)
	conv := NewGCN("gcn", 4, 4, GCNConfig{Dtype: nn.Float64}, rng)
	nn.FillUniform(conv.Bias, rng, 0.5, 1) // mostly positive activations
	drop := NewBlock(conv, nil, BlockConfig{Dropout: 0.5})
	plain := NewBlock(conv, nil, BlockConfig{})
	x := rt(2, 0, 1, 6, 4)
	edges := testEdges()
	run := func(b *Block, train bool) []float64 {
		return runForward(t, train, []*tensor.Dense{x}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
			return b.Forward(g, in[0], edges, nil)
		})
	}
	want := run(plain, true)
	got := run(drop, true)
	xs := x.Data().([]float64)
	dropped, kept := 0, 0
	for i := range got {
		switch {
		case got[i] == xs[i] && want[i] != xs[i]:
			dropped++
		default:
			require.InDelta(t, 2*(want[i]-xs[i]), got[i]-xs[i], 1e-12, "kept element %d is scaled by 1/(1−p)", i)
			kept++
		}
	}
	require.Positive(t, dropped)
	require.Positive(t, kept)
	require.Equal(t, run(plain, false), run(drop, false), "no dropout in evaluation graphs")
}

// TestDeterministic: the same seed gives the same training run bit for
// bit, with one worker or two.
func TestDeterministic(t *testing.T) {
	run := func(procs int) []float32 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		rng := newRNG(7)
		blk := NewBlock(NewGINE("c", GraphJEPAMLP("c.nn", 16, 16, nn.Float32, rng), GINConfig{}, rng),
			nn.NewBatchNorm("n", 16, nn.BatchNormConfig{}), BlockConfig{})
		s := buildGINEStep(t, blk, 300, 900, 16, rand.New(rand.NewPCG(3, 4)))
		defer s.prog.Close()
		for range 3 {
			s.run(t)
		}
		var out []float32
		for _, p := range blk.Params().List() {
			if !p.Buffer {
				out = append(out, p.Float32s()...)
			}
		}
		return out
	}
	a := run(2)
	require.Equal(t, a, run(2))
	require.Equal(t, a, run(1))
}
