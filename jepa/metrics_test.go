package jepa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecordJSON(t *testing.T) {
	tenth := 0.1
	r := Record{Kind: KindStep, Step: 3, Epoch: 1, Values: map[string]float64{
		KeyLoss: math.NaN(), KeyLR: 1e-3, "b": math.Inf(1), "a": math.Inf(-1), KeyGradNorm: tenth + 0.2}}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Equal(t, `{"kind":"step","step":3,"epoch":1,"a":"-Inf","b":"Inf","grad_norm":0.30000000000000004,"loss":"NaN","lr":0.001}`, string(b))
	var back Record
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, 3, back.Step)
	assert.Equal(t, 1, back.Epoch)
	assert.True(t, math.IsNaN(back.Values[KeyLoss]))
	assert.Equal(t, math.Inf(1), back.Values["b"])
	assert.Equal(t, tenth+0.2, back.Values[KeyGradNorm], "numbers round-trip exactly")

	_, err = json.Marshal(Record{Kind: KindStep, Values: map[string]float64{"step": 1}})
	require.ErrorContains(t, err, "shadows")
	require.Error(t, json.Unmarshal([]byte(`{"step":1}`), &back), "kind is required")
	require.ErrorContains(t, json.Unmarshal([]byte(`{"kind":"step","loss":"big"}`), &back), `"loss"`)
}

func TestReadMetricsErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, MetricsFile)
	require.NoError(t, os.WriteFile(path, []byte("{\"kind\":\"step\",\"step\":1,\"epoch\":0,\"loss\":1}\n\n{\"kind\":\"step\",\"step\":2,\"loss\":[1]}\n"), 0o644))
	_, err := ReadMetrics(path)
	require.ErrorContains(t, err, path+":3:")
	require.ErrorContains(t, err, `"loss"`)
	_, err = ReadMetrics(filepath.Join(dir, "missing.jsonl"))
	require.Error(t, err)
}

// TestPlotRun draws a hand-written metrics file: one PNG per plotted key,
// NaN points skipped, keys with no finite point left out.
func TestPlotRun(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	for s := 1; s <= 20; s++ {
		r := Record{Kind: KindStep, Step: s, Epoch: (s - 1) / 10, Values: map[string]float64{
			KeyLoss: 1 / float64(s), "val/acc": float64(s) / 20, "only_nan": math.NaN(), KeySamples: 8}}
		if s == 7 {
			r.Values[KeyLoss] = math.NaN()
		}
		line, err := json.Marshal(r)
		require.NoError(t, err)
		b.Write(append(line, '\n'))
	}
	line, _ := json.Marshal(Record{Kind: KindEpoch, Step: 10, Epoch: 0, Values: map[string]float64{KeyLoss: 0.3}})
	b.Write(append(line, '\n'))
	require.NoError(t, os.WriteFile(filepath.Join(dir, MetricsFile), b.Bytes(), 0o644))
	files, err := PlotRun(dir)
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
		st, err := os.Stat(f)
		require.NoError(t, err)
		assert.Greater(t, st.Size(), int64(1000))
	}
	assert.Equal(t, []string{"loss.png", "val_acc.png"}, names)
	_, err = PlotRun(t.TempDir())
	require.Error(t, err, "no metrics.jsonl")
}

// collapsing is a toy model that reports collapsed predictions.
type collapsing struct{ *toyJEPA }

func (c collapsing) Step(ctx context.Context, s *StepContext) (StepResult, error) {
	r, err := c.toyJEPA.Step(ctx, s)
	r.Values[KeyPredStd] = 0.001
	return r, err
}

func TestCollapseAlarm(t *testing.T) {
	var out bytes.Buffer
	tr, err := New(collapsing{newToyJEPA(nn.Float32, 1)}, quiet(Config{Epochs: 3}), "")
	require.NoError(t, err)
	tr.SetOutput(&out)
	require.NoError(t, tr.Run(context.Background()))
	assert.Equal(t, 3, strings.Count(out.String(), "pred_std 0.001 ≤ 0.01"), "warned once per epoch:\n%s", out.String())
	assert.NotContains(t, out.String(), "target_std")

	tr, err = New(collapsing{newToyJEPA(nn.Float32, 1)}, quiet(Config{Epochs: 3, Collapse: CollapseConfig{Action: CollapseStop, Patience: 5}}), "")
	require.NoError(t, err)
	err = tr.Run(context.Background())
	var ce *CollapseError
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Equal(t, 5, ce.Step)
	assert.Equal(t, KeyPredStd, ce.Key)

	out.Reset()
	tr, err = New(collapsing{newToyJEPA(nn.Float32, 1)}, quiet(Config{Epochs: 1, Collapse: CollapseConfig{PredStdMin: -1}}), "")
	require.NoError(t, err)
	tr.SetOutput(&out)
	require.NoError(t, tr.Run(context.Background()))
	assert.Empty(t, out.String())
}

// TestRankMeAndLiDARHooks attach the monitors to the loop: the values land
// in the logged records of the steps they ran at.
func TestRankMeAndLiDARHooks(t *testing.T) {
	dir := t.TempDir()
	m := newToyJEPA(nn.Float64, 1)
	tr, err := New(m, quiet(Config{Epochs: 2, LogEvery: 100, NoPlots: true}), dir)
	require.NoError(t, err)
	embed := func(context.Context, *Trainer) (matrix, error) { return toyEmbeddings(m), nil }
	tr.EveryNSteps(3, "rankme", PriorityDefault, RankMeHook(embed))
	tr.OnEpoch("lidar", PriorityDefault, LiDARHook(func(context.Context, *Trainer) (matrix, int, int, error) {
		return toyEmbeddings(m), 12, 4, nil
	}, LiDARConfig{}))
	require.NoError(t, tr.Run(context.Background()))
	recs, err := ReadMetrics(filepath.Join(dir, MetricsFile))
	require.NoError(t, err)
	var rankSteps []int
	for _, r := range recs {
		if v, ok := r.Get(KeyRankMe); ok {
			rankSteps = append(rankSteps, r.Step)
			assert.Greater(t, v, 1.0)
			assert.LessOrEqual(t, v, 6.0)
		}
		if r.Kind == KindEpoch {
			v, ok := r.Get(KeyLiDAR)
			assert.True(t, ok)
			assert.Greater(t, v, 1.0)
		}
	}
	assert.Equal(t, []int{3, 6}, rankSteps, "LogEvery 100, but records with monitor values are logged")
}
