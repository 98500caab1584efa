package jepa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quiet returns cfg with the progress display off.
func quiet(cfg Config) Config {
	cfg.Progress = ProgressOff
	return cfg
}

func TestTrainerEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	m := newToyJEPA(nn.Float32, 1)
	cfg := quiet(Config{Name: "toy", Seed: 7, Epochs: 6, Optimizer: OptimizerConfig{LR: 1e-2},
		LR: LRConfig{Schedule: ScheduleWarmupCosine, Warmup: 2, WarmupStartLR: 1e-3}})
	tr, err := New(m, cfg, dir)
	require.NoError(t, err)
	require.NoError(t, tr.Run(context.Background()))
	assert.Equal(t, 24, tr.Step())
	assert.Equal(t, 6, tr.Epoch())

	// config.json: the resolved config with seed, defaults and code version.
	rc, err := ReadConfig(dir)
	require.NoError(t, err)
	assert.Equal(t, uint64(7), rc.Seed)
	assert.Equal(t, 4, rc.StepsPerEpoch)
	assert.Equal(t, "adamw", rc.Optimizer.Name)
	assert.Equal(t, MomentumLinear, rc.EMA.Schedule)
	assert.Equal(t, 24, rc.EMA.Total)
	assert.NotEmpty(t, rc.Code.GoVersion)
	assert.Equal(t, tr.Config(), rc)

	// metrics.jsonl parses line by line: 24 step and 6 epoch records.
	raw, err := os.ReadFile(filepath.Join(dir, MetricsFile))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	require.Len(t, lines, 30)
	var steps, epochs []Record
	for i, l := range lines {
		var r Record
		require.NoError(t, json.Unmarshal([]byte(l), &r), "line %d", i+1)
		if r.Kind == KindEpoch {
			epochs = append(epochs, r)
		} else {
			steps = append(steps, r)
		}
	}
	require.Len(t, steps, 24)
	require.Len(t, epochs, 6)
	for i, r := range steps {
		assert.Equal(t, i+1, r.Step)
		assert.Equal(t, i/4, r.Epoch)
		for _, k := range []string{KeyLoss, KeyLR, KeyMomentum, KeyGradNorm, KeyPredStd, KeyTargetStd, KeySamplesPerS, KeyTimeMS, KeyAllocBytes} {
			_, ok := r.Get(k)
			assert.True(t, ok, "step %d lacks %s", r.Step, k)
		}
	}
	// Epoch losses are the batch-size-weighted means of the step losses.
	for e, r := range epochs {
		var s float64
		for _, st := range steps[4*e : 4*e+4] {
			s += st.Values[KeyLoss]
		}
		assert.InDelta(t, s/4, r.Values[KeyLoss], 1e-12, "epoch %d", e)
	}
	t.Logf("epoch losses %.4f … %.4f", epochs[0].Values[KeyLoss], epochs[5].Values[KeyLoss])
	assert.Less(t, epochs[5].Values[KeyLoss], epochs[0].Values[KeyLoss], "the toy JEPA learns")
	// Point-JEPA's per-epoch warmup-cosine: epoch 0 at the warmup start,
	// epoch 1 at the base rate.
	assert.Equal(t, 1e-3, steps[0].Values[KeyLR])
	assert.InDelta(t, 1e-2, steps[4].Values[KeyLR], 1e-17)
	assert.Equal(t, 0.996, steps[0].Values[KeyMomentum])

	// Checkpoints: one per epoch, the last three kept.
	cks, err := Checkpoints(dir)
	require.NoError(t, err)
	require.Len(t, cks, 3)
	assert.Equal(t, []int{16, 20, 24}, []int{cks[0].Step, cks[1].Step, cks[2].Step})
	assert.Equal(t, 6, cks[2].Epoch)
	for _, f := range []string{ModelFile, OptimizerFile, StateFile} {
		assert.FileExists(t, filepath.Join(cks[2].Path, f))
	}
	ts, md, err := nn.LoadSafetensorsFile(filepath.Join(cks[2].Path, ModelFile))
	require.NoError(t, err)
	assert.Equal(t, "pt", md["format"])
	assert.Contains(t, ts, "target_encoder.proj.weight")
	entries, err := os.ReadDir(filepath.Join(dir, CheckpointDir))
	require.NoError(t, err)
	assert.Len(t, entries, 3, "no temporary directories left")

	// Plots are non-empty PNG files.
	for _, k := range []string{KeyLoss, KeyLR, KeyMomentum, KeyGradNorm, KeyPredStd, KeyTargetStd} {
		b, err := os.ReadFile(filepath.Join(dir, PlotDir, k+".png"))
		require.NoError(t, err, k)
		require.Greater(t, len(b), 1000, k)
		assert.Equal(t, []byte("\x89PNG\r\n\x1a\n"), b[:8], k)
	}
	// A second run in the same directory is refused.
	_, err = New(newToyJEPA(nn.Float32, 1), cfg, dir)
	require.ErrorContains(t, err, "already holds a run")
}

// TestEMAInitialisation: InitCopy makes the target a copy of the online
// encoder before the first step; InitIndependent keeps the model's own.
func TestEMAInitialisation(t *testing.T) {
	for _, init := range []string{InitCopy, InitIndependent} {
		m := newToyJEPA(nn.Float64, 1)
		before := append([]float64(nil), m.tgt.Weight.Float64s()...)
		online := append([]float64(nil), m.ctx.Weight.Float64s()...)
		var seen []float64
		tr, err := New(m, quiet(Config{Epochs: 1, EMA: EMAConfig{Init: init}}), "")
		require.NoError(t, err)
		tr.OnStart("peek", PriorityDefault, func(context.Context, *Trainer) error {
			seen = append([]float64(nil), m.tgt.Weight.Float64s()...)
			return nil
		})
		require.NoError(t, tr.Run(context.Background()))
		if init == InitCopy {
			assert.Equal(t, online, seen)
		} else {
			assert.Equal(t, before, seen)
			assert.NotEqual(t, online, seen)
		}
	}
}

// TestEMAThroughTrainer: after the first step with the linear schedule the
// target is 0.996·θ_t + 0.004·θ_s(after the optimizer step), computed by
// hand here from values captured inside the step hook.
func TestEMAThroughTrainer(t *testing.T) {
	m := newToyJEPA(nn.Float64, 2)
	tr, err := New(m, quiet(Config{Epochs: 1, EMA: EMAConfig{Init: InitIndependent}, Optimizer: OptimizerConfig{LR: 0.05}}), "")
	require.NoError(t, err)
	t0 := append([]float64(nil), m.tgt.Weight.Float64s()...)
	var want, got []float64
	// The optimizer step happens before the EMA update; capture θ_s after
	// it from the model's Step of step 2 (before anything changes), and
	// the target after step 1 from a step hook.
	tr.OnStep("check", PriorityDefault, func(_ context.Context, tr *Trainer) error {
		if tr.Step() != 1 {
			return nil
		}
		online := m.ctx.Weight.Float64s()
		for i, v := range t0 {
			want = append(want, 0.996*v+(1-0.996)*online[i])
		}
		got = append([]float64(nil), m.tgt.Weight.Float64s()...)
		tr.Stop("checked")
		return nil
	})
	require.NoError(t, tr.Run(context.Background()))
	require.Len(t, got, len(want))
	for i := range want {
		assert.InDelta(t, want[i], got[i], 1e-15, "element %d", i)
	}
	assert.Equal(t, "checked", tr.Stopped())
	assert.Equal(t, 1, tr.Step())
}

func TestHooksOrderPriorityAndEveryN(t *testing.T) {
	m := newToyJEPA(nn.Float32, 1)
	tr, err := New(m, quiet(Config{Epochs: 2}), "")
	require.NoError(t, err)
	var calls []string
	add := func(s string) HookFunc {
		return func(_ context.Context, tr *Trainer) error {
			calls = append(calls, s)
			return nil
		}
	}
	tr.OnStep("late", 10, add("late"))
	tr.OnStep("early", -10, add("early"))
	tr.OnStep("same-priority-second", 10, add("second"))
	tr.EveryNSteps(3, "every3", 0, func(_ context.Context, tr *Trainer) error {
		calls = append(calls, "every3@"+string(rune('0'+tr.Step())))
		return nil
	})
	tr.OnEpoch("epoch", 0, add("epoch"))
	tr.OnStart("start", 0, add("start"))
	tr.OnEnd("end", 0, add("end"))
	tr.OnStep("removed", 0, add("removed"))
	assert.True(t, tr.RemoveHook("removed"))
	assert.False(t, tr.RemoveHook("removed"))
	assert.Panics(t, func() { tr.OnStep("late", 0, add("dup")) })
	require.NoError(t, tr.Run(context.Background()))
	want := []string{"start",
		"early", "late", "second",
		"early", "late", "second",
		"early", "every3@3", "late", "second",
		"early", "late", "second", "epoch",
		"early", "late", "second",
		"early", "every3@6", "late", "second",
		"early", "late", "second",
		"early", "late", "second", "epoch",
		"end"}
	assert.Equal(t, want, calls)
	var names []string
	for _, h := range tr.Hooks() {
		if h.Event == EventStep {
			names = append(names, h.Name)
		}
	}
	assert.Equal(t, []string{HookCollapse, "early", "every3", "late", "same-priority-second", HookMetrics, HookCheckpoint, HookProgress}, names)
}

// TestHookErrorStopsRun: an error from a hook ends the run with that error
// and the end hooks still run.
func TestHookErrorStopsRun(t *testing.T) {
	tr, err := New(newToyJEPA(nn.Float32, 1), quiet(Config{Epochs: 3}), "")
	require.NoError(t, err)
	boom := errors.New("boom")
	tr.EveryNSteps(5, "fail", 0, func(context.Context, *Trainer) error { return boom })
	var endErr error
	tr.OnEnd("end", 0, func(_ context.Context, tr *Trainer) error { endErr = tr.Err(); return nil })
	err = tr.Run(context.Background())
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), `step hook "fail" at step 5`)
	assert.ErrorIs(t, endErr, boom)
	assert.Equal(t, 5, tr.Step())
	require.Error(t, tr.Run(context.Background()), "Run twice")
}

func TestProgressLines(t *testing.T) {
	var buf bytes.Buffer
	cfg := Config{Name: "toy", Epochs: 2, Progress: ProgressLines}
	tr, err := New(newToyJEPA(nn.Float32, 1), cfg, "")
	require.NoError(t, err)
	tr.SetOutput(&buf)
	require.NoError(t, tr.Run(context.Background()))
	out := buf.String()
	assert.Contains(t, out, "toy: starting: 2 epochs × 4 steps")
	assert.Contains(t, out, "toy: epoch 1/2 loss")
	assert.Contains(t, out, "step 4/8 (50.0%)")
	assert.Contains(t, out, "(end of epoch 2)")
	assert.Contains(t, out, "ETA")
	assert.Contains(t, out, "toy: done: 8 steps")

	// Bar mode writes a progress bar with the step rate.
	buf.Reset()
	cfg.Progress = ProgressBar
	tr, err = New(newToyJEPA(nn.Float32, 1), cfg, "")
	require.NoError(t, err)
	tr.SetOutput(&buf)
	require.NoError(t, tr.Run(context.Background()))
	assert.Contains(t, buf.String(), "8/8")
	assert.Contains(t, buf.String(), "step/s")
	// "auto" on a non-terminal writer means lines.
	assert.False(t, isTerminal(&buf))
}
