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
