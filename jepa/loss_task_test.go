package jepa

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// taskLossFn adapts a masked task loss to evalLoss (the target input is
// ignored: the labels are data captured by the op).
func taskLossFn(f func(*G.Node, []float32, []bool) (*G.Node, error), y []float32, present []bool) lossFn {
	return func(p, _ *G.Node) (*G.Node, error) { return f(p, y, present) }
}

func TestMaskedBCEWithLogitsLossValues(t *testing.T) {
	// 2 molecules × 3 tasks, one label missing. Expected: torch's
	// BCEWithLogitsLoss(reduction="none") on the present entries, summed,
	// divided by 5 — written out with the plain formula.
	x := []float64{0.3, -1.2, 2.5, 0, 40, -40}
	y := []float32{1, 0, 1, 0, 1, 0}
	present := []bool{true, true, false, true, true, true}
	var want float64
	wantGrad := make([]float64, len(x))
	for i, v := range x {
		if !present[i] {
			continue
		}
		p := 1 / (1 + math.Exp(-v))
		if y[i] == 1 {
			want -= math.Log(p)
		} else {
			want -= math.Log1p(-p)
		}
		wantGrad[i] = (p - float64(y[i])) / 5
	}
	want /= 5
	for _, dt := range []tensor.Dtype{nn.Float64, nn.Float32} {
		got, grad := evalLoss(t, dt, taskLossFn(MaskedBCEWithLogitsLoss, y, present), x, make([]float64, 6), 2, 3)
		assert.InDelta(t, want, got, 1e-6, "%v", dt)
		assert.InDeltaSlice(t, wantGrad, grad, 1e-6, "%v", dt)
		assert.Equal(t, 0.0, grad[2], "a missing label gets no gradient")
	}
}

func TestMaskedMSELossValues(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	y := []float32{0, 2, 5, -1}
	present := []bool{true, false, true, true}
	got, grad := evalLoss(t, nn.Float64, taskLossFn(MaskedMSELoss, y, present), x, make([]float64, 4), 4)
	assert.InDelta(t, (1.0+4+25)/3, got, 1e-12)
	assert.InDeltaSlice(t, []float64{2.0 / 3, 0, -4.0 / 3, 10.0 / 3}, grad, 1e-12)
}

func TestMaskedTaskLossGradCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 4 * 3
	y := make([]float32, n)
	present := make([]bool, n)
	for i := range y {
		y[i] = float32(rng.IntN(2))
		present[i] = rng.IntN(4) != 0
	}
	present[0] = true
	for name, f := range map[string]func(*G.Node, []float32, []bool) (*G.Node, error){
		"bce": MaskedBCEWithLogitsLoss, "mse": MaskedMSELoss,
	} {
		t.Run(name, func(t *testing.T) {
			res, err := nn.GradCheck(func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return f(in[0], y, present) },
				[]*tensor.Dense{nn.RandTensor(rng, -3, 3, 4, 3)}, nil)
			require.NoError(t, err)
			require.Equal(t, n, res.Checked)
		})
	}
}

func TestMaskedTaskLossErrors(t *testing.T) {
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	x := g.Input("x", 2, 2).Node
	_, err := MaskedBCEWithLogitsLoss(x, []float32{0, 1, 1}, []bool{true, true, true})
	require.ErrorContains(t, err, "3 labels")
	_, err = MaskedBCEWithLogitsLoss(x, []float32{0, 1, 1, 0}, []bool{false, false, false, false})
	require.ErrorContains(t, err, "no label present")
	_, err = MaskedBCEWithLogitsLoss(x, []float32{0, 1, 0.5, 0}, []bool{true, true, true, true})
	require.ErrorContains(t, err, "label 2 is 0.5")
	_, err = MaskedMSELoss(x, []float32{0, float32(math.NaN()), 0, 0}, []bool{true, true, true, true})
	require.ErrorContains(t, err, "label 1 is NaN")
	_, err = MaskedMSELoss(x, []float32{0, float32(math.NaN()), 0, 0}, []bool{true, false, true, true})
	require.NoError(t, err, "a missing entry may hold anything")
}
