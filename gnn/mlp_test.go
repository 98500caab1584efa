package gnn

import (
	"strings"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestMixerMLPLayout checks the reference's bias rule and state-dict keys:
// bias=True if (last layer and not with_final_activation and bias) or not
// with_norm; a BatchNorm per layer when with_norm; hidden width = nin.
func TestMixerMLPLayout(t *testing.T) {
	rng := newRNG(1)
	shapes := func(m *MixerMLP) map[string][]int {
		out := map[string][]int{}
		for _, p := range m.Params().List() {
			if !strings.HasSuffix(p.Name, "num_batches_tracked") {
				out[p.Name] = p.Shape()
			}
		}
		return out
	}
	bn := func(prefix string, c int) map[string][]int {
		return map[string][]int{prefix + ".weight": {c}, prefix + ".bias": {c}, prefix + ".running_mean": {c}, prefix + ".running_var": {c}}
	}
	merge := func(ms ...map[string][]int) map[string][]int {
		out := map[string][]int{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	// Defaults: MLP(5, 3) with final activation, norm, bias → no Linear bias.
	require.Equal(t, merge(map[string][]int{"m.layers.0.weight": {5, 5}, "m.layers.1.weight": {3, 5}}, bn("m.norms.0", 5), bn("m.norms.1", 3)),
		shapes(NewMixerMLP("m", 5, 3, MixerMLPConfig{}, rng)))
	// Graph-JEPA's GINE nn: bias=False, no final activation → no bias at all.
	gj := GraphJEPAMLP("m", 5, 3, nn.Float32, rng)
	require.Equal(t, merge(map[string][]int{"m.layers.0.weight": {5, 5}, "m.layers.1.weight": {3, 5}}, bn("m.norms.0", 5), bn("m.norms.1", 3)), shapes(gj))
	require.True(t, gj.Norms[1].Weight.Buffer, "the unused last norm is not trained")
	require.Len(t, gj.Params().Trainable(), 4)
	// No final activation, bias=True: the last Linear gets a bias.
	require.Contains(t, shapes(NewMixerMLP("m", 5, 3, MixerMLPConfig{NoFinalActivation: true}, rng)), "m.layers.1.bias")
	// No norm: biases everywhere, no norms; three layers.
	require.Equal(t, map[string][]int{"m.layers.0.weight": {5, 5}, "m.layers.0.bias": {5}, "m.layers.1.weight": {5, 5}, "m.layers.1.bias": {5},
		"m.layers.2.weight": {3, 5}, "m.layers.2.bias": {3}},
		shapes(NewMixerMLP("m", 5, 3, MixerMLPConfig{NoNorm: true, Layers: 3}, rng)))
}

func TestMixerMLPGradients(t *testing.T) {
	rng := newRNG(2)
	def := NewMixerMLP("m", 4, 3, MixerMLPConfig{Dtype: nn.Float64}, rng)
	plain := NewMixerMLP("p", 4, 3, MixerMLPConfig{Dtype: nn.Float64, NoNorm: true, NoFinalActivation: true, Layers: 3}, rng)
	runGradCases(t, []gradCase{
		{name: "default", inputs: []*tensor.Dense{rt(1, -1, 1, 7, 4)}, params: trainable(def), train: true,
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return def.Forward(g, in[0]) }},
		{name: "no norm", inputs: []*tensor.Dense{rt(2, -1, 1, 2, 3, 4)}, params: trainable(plain),
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return plain.Forward(g, in[0]) }},
	})
}

// TestMixerMLPForwardRepeated: Linear → BatchNorm → ReLU on distinct rows
// with counts, gathered, equals the MLP on the gathered rows, in value and in
// every gradient (float64), the U mixing of Graph-JEPA's patch encoder.
func TestMixerMLPForwardRepeated(t *testing.T) {
	counts := []int{3, 1, 0, 2, 5, 1}
	var idx []int
	for r, n := range counts {
		for range n {
			idx = append(idx, r)
		}
	}
	xs := rt(3, -1, 1, len(counts), 4)
	run := func(repeated bool) (out []float64, grads [][]float64) {
		m := NewMixerMLP("u", 4, 4, MixerMLPConfig{Dtype: nn.Float64, Layers: 1}, newRNG(4))
		g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64, Train: true})
		x := nn.NewParam("x", nn.Float64, len(counts), 4)
		copy(x.Float64s(), xs.Float64s())
		ids := nn.IndicesOf("idx", idx)
		var y *G.Node
		var err error
		if repeated {
			y, err = m.ForwardRepeated(g, g.Param(x), counts)
			require.NoError(t, err)
			y = G.Must(nn.Gather(y, ids))
		} else {
			y, err = m.Forward(g, G.Must(nn.Gather(g.Param(x), ids)))
			require.NoError(t, err)
		}
		o := g.Read(y)
		w := &nn.Param{Name: "w", Value: rt(5, -1, 1, len(idx), 4), Buffer: true}
		p, err := nn.Compile(g, G.Must(G.Sum(G.Must(G.HadamardProd(y, g.Param(w))))))
		require.NoError(t, err)
		require.NoError(t, p.Run())
		grads = append(grads, append([]float64(nil), x.GradFloat64s()...))
		for _, q := range m.Params().List() {
			if q.Grad != nil {
				grads = append(grads, append([]float64(nil), q.GradFloat64s()...))
			} else if !q.Buffer || q.Value.Dtype() == nn.Float64 {
				grads = append(grads, append([]float64(nil), q.Float64s()...)) // running statistics
			}
		}
		return append([]float64(nil), o.Value().Float64s()...), grads
	}
	wantOut, wantGrads := run(false)
	gotOut, gotGrads := run(true)
	require.InDeltaSlice(t, wantOut, gotOut, 1e-12)
	require.Len(t, gotGrads, len(wantGrads))
	for i := range wantGrads {
		require.InDeltaSlice(t, wantGrads[i], gotGrads[i], 1e-11, "tensor %d", i)
	}
	_, err := NewMixerMLP("u", 4, 4, MixerMLPConfig{}, newRNG(4)).ForwardRepeated(nn.NewGraph(nn.GraphConfig{Train: true}), nil, nil)
	require.ErrorContains(t, err, "needs row counts")
}
