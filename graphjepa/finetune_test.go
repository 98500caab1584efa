package graphjepa

import (
	"context"
	"math"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// classTasks returns the synthetic set's classes as one 0/1 task.
func classTasks(graphs []*datasets.Graph) TaskData {
	d := TaskData{Graphs: graphs}
	for _, g := range graphs {
		d.Labels = append(d.Labels, float32(min(g.Y, 1)))
		d.Present = append(d.Present, true)
	}
	return d
}

func tinyModel(t *testing.T, set *datasets.GraphSet) *Model {
	t.Helper()
	cfg := tinyConfig().WithDefaults()
	f, ef, err := inputWidths(set.Graphs, cfg, "graph")
	require.NoError(t, err)
	return newModel(cfg, f, ef, nn.Float32)
}

// TestFineTuneFitsTraining fine-tunes the untrained tiny model on the
// synthetic classes and checks that the loss falls, the training graphs
// become separable (ROC-AUC on them as validation), the source model is
// untouched, and the target encoder (Embed's) is what was trained.
func TestFineTuneFitsTraining(t *testing.T) {
	set := tinySet()
	m := tinyModel(t, set)
	before := map[string][]float32{}
	for _, p := range m.params.List() {
		if p.Dtype() == nn.Float32 {
			before[p.Name] = append([]float32(nil), p.Float32s()...)
		}
	}
	d := classTasks(set.Graphs)
	ft, err := FineTune(context.Background(), m, 1, d, d, d, FineTuneConfig{Epochs: 12, BatchSize: 8, LR: 3e-3, Dropout: -1, Seed: 4}, nil)
	require.NoError(t, err)
	require.Len(t, ft.Epochs, 12)
	first, last := ft.Epochs[0], ft.Epochs[11]
	t.Logf("loss %.4f → %.4f, train ROC-AUC %.3f → %.3f", first.TrainLoss, last.TrainLoss, first.Valid, last.Valid)
	assert.Less(t, last.TrainLoss, 0.7*first.TrainLoss)
	assert.Greater(t, last.Valid, 0.9)
	assert.Equal(t, last.Valid, ft.Final(), "valid and test are the same graphs")
	_, ep := ft.AtBestValid()
	assert.GreaterOrEqual(t, ep, 1)

	for _, p := range m.params.List() {
		if p.Dtype() == nn.Float32 {
			require.Equal(t, before[p.Name], p.Float32s(), "FineTune changed the source model's %s", p.Name)
		}
	}
	changed := func(name string) bool {
		return !assert.ObjectsAreEqual(before[name], ft.m.params.Get(name).Float32s())
	}
	assert.True(t, changed("target_encoder.transformer_encoder.0.linear1.weight"), "the target encoder must be trained")
	assert.True(t, changed("gnns.0.convs.0.nn.layers.0.weight"), "the patch encoder must be trained")
	assert.False(t, changed("context_encoder.transformer_encoder.0.linear1.weight"), "the context encoder is not used")

	p, err := ft.Predict(set.Graphs[:3])
	require.NoError(t, err)
	r, c := p.Dims()
	require.Equal(t, [2]int{3, 1}, [2]int{r, c})
	for i := range 3 {
		assert.True(t, p.At(i, 0) > 0 && p.At(i, 0) < 1, "a probability")
	}
}

// TestFineTuneRegression fits a real value of the class (a mean-pooled
// encoder does not see the node count), standardised, and checks
// that the RMSE in the labels' units falls well below their spread.
func TestFineTuneRegression(t *testing.T) {
	set := tinySet()
	m := tinyModel(t, set)
	d := TaskData{Graphs: set.Graphs}
	var s, s2 float64
	for _, g := range set.Graphs {
		v := 5*float64(g.Y) - 2 + 0.1*float64(g.NumNodes()%3)
		d.Labels = append(d.Labels, float32(v))
		d.Present = append(d.Present, true)
		s, s2 = s+v, s2+v*v
	}
	n := float64(len(set.Graphs))
	spread := math.Sqrt(s2/n - (s/n)*(s/n))
	ft, err := FineTune(context.Background(), m, 1, d, d, d, FineTuneConfig{Epochs: 15, BatchSize: 8, LR: 3e-3, Dropout: -1, Regression: true, Seed: 2}, nil)
	require.NoError(t, err)
	t.Logf("RMSE %.3f → %.3f (label std %.3f)", ft.Epochs[0].Valid, ft.Final(), spread)
	assert.Less(t, ft.Final(), 0.6*spread)
	pr, err := ft.Predict(set.Graphs[:1])
	require.NoError(t, err)
	assert.InDelta(t, float64(d.Labels[0]), pr.At(0, 0), spread, "predictions are in the labels' units")
}

// TestFineTuneMissingLabels: missing labels are skipped, a split without
// both classes is not scored, and bad input is an error naming it.
func TestFineTuneMissingLabels(t *testing.T) {
	set := tinySet()
	m := tinyModel(t, set)
	d := classTasks(set.Graphs)
	d2 := TaskData{Graphs: d.Graphs}
	for i := range d.Graphs { // task 0: the class, half missing; task 1: all 1 (never scored)
		d2.Labels = append(d2.Labels, d.Labels[i], 1)
		d2.Present = append(d2.Present, i%2 == 0, true)
	}
	ft, err := FineTune(context.Background(), m, 2, d2, d2, d2, FineTuneConfig{Epochs: 1, Seed: 1}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int{0}, ft.ScoredTest)
	assert.False(t, math.IsNaN(ft.Final()))

	bad := d2
	bad.Labels = append([]float32(nil), d2.Labels...)
	bad.Labels[0] = 0.5
	_, err = FineTune(context.Background(), m, 2, bad, d2, d2, FineTuneConfig{Epochs: 1}, nil)
	require.ErrorContains(t, err, "graph 0 task 0 has label 0.5")
	_, err = FineTune(context.Background(), m, 3, d2, d2, d2, FineTuneConfig{Epochs: 1}, nil)
	require.ErrorContains(t, err, "train: 24 graphs × 3 tasks but 48 labels")
	_, err = FineTune(context.Background(), m, 2, d2, d2, d2, FineTuneConfig{Dropout: 1}, nil)
	require.ErrorContains(t, err, "Dropout = 1")
	_, err = FineTune(context.Background(), m, 2, TaskData{}, d2, d2, FineTuneConfig{}, nil)
	require.ErrorContains(t, err, "no training graphs")
}
