package jepa

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// resumeConfigs are the configurations the resume test covers: per-step
// warmup-cosine with AdamW and I-JEPA's EMA ramp; Graph-JEPA's Adam with
// the plateau schedule, the per-epoch EMA and independent target init;
// Point-JEPA's per-epoch warmup-cosine, point2vec EMA and clipping.
var resumeConfigs = map[string]Config{
	"ijepa": {Seed: 3, Epochs: 5, CheckpointEvery: 3, Optimizer: OptimizerConfig{LR: 5e-3, DecayOn: DecayNoBiasOr1D},
		LR: LRConfig{Schedule: ScheduleIJEPAWarmupCosine, Interval: IntervalStep, Warmup: 4, WarmupStartLR: 1e-4, MinLR: 1e-5}},
	"graphjepa": {Seed: 4, Epochs: 5, Optimizer: OptimizerConfig{Name: "adam", LR: 5e-3},
		LR:  LRConfig{Schedule: SchedulePlateau, PlateauFactor: 0.5, PlateauPatience: -1, PlateauThreshold: 0.5},
		EMA: EMAConfig{Schedule: MomentumLinearEpoch, Init: InitIndependent}},
	"pointjepa": {Seed: 5, Epochs: 5, CheckpointEvery: 5, ClipGradNorm: 0.05, Optimizer: OptimizerConfig{WeightDecay: 0.05},
		LR:  LRConfig{Schedule: ScheduleWarmupCosine, Warmup: 2, WarmupStartLR: 1e-5, MinLR: 1e-6},
		EMA: EMAConfig{Schedule: MomentumPointJEPA}},
}

// TestResumeBitForBit: a run interrupted (context cancelled) after step 11
// and resumed from its last checkpoint ends with exactly the parameters,
// optimizer state and logged losses of the uninterrupted run, in float32
// and float64.
func TestResumeBitForBit(t *testing.T) {
	for name, cfg := range resumeConfigs {
		for _, dt := range []tensor.Dtype{nn.Float32, nn.Float64} {
			t.Run(name+"-"+dt.String(), func(t *testing.T) {
				cfg := quiet(cfg)
				cfg.NoPlots = true
				root := t.TempDir()
				full, fullDir := newToyJEPA(dt, 11), filepath.Join(root, "full")
				tr, err := New(full, cfg, fullDir)
				require.NoError(t, err)
				require.NoError(t, tr.Run(context.Background()))
				fullOpt := tr.Optimizer().State()

				cutDir := filepath.Join(root, "cut")
				tr, err = New(newToyJEPA(dt, 11), cfg, cutDir)
				require.NoError(t, err)
				ctx, cancel := context.WithCancel(context.Background())
				tr.OnStep("interrupt", PriorityLast, func(_ context.Context, tr *Trainer) error {
					if tr.Step() == 11 {
						cancel()
					}
					return nil
				})
				err = tr.Run(ctx)
				require.ErrorIs(t, err, context.Canceled)
				require.Equal(t, 11, tr.Step())

				resumed := newToyJEPA(dt, 99) // other initial values: all must come from the checkpoint
				tr, err = Resume(cutDir, resumed)
				require.NoError(t, err)
				assert.True(t, tr.Resumed())
				assert.Less(t, tr.Step(), 11)
				assert.Greater(t, tr.Step(), 0)
				require.NoError(t, tr.Run(context.Background()))
				assert.Equal(t, 20, tr.Step())

				assert.Equal(t, paramBits(full.Params()), paramBits(resumed.Params()))
				resOpt := tr.Optimizer().State()
				require.Equal(t, len(fullOpt), len(resOpt))
				for k, v := range fullOpt {
					assert.Equal(t, v.Data(), resOpt[k].Data(), k)
				}
				a, err := ReadMetrics(filepath.Join(fullDir, MetricsFile))
				require.NoError(t, err)
				b, err := ReadMetrics(filepath.Join(cutDir, MetricsFile))
				require.NoError(t, err)
				require.Equal(t, len(a), len(b), "the log of the resumed run has no duplicates")
				for i := range a {
					require.Equal(t, a[i].Kind, b[i].Kind, "record %d", i)
					require.Equal(t, a[i].Step, b[i].Step, "record %d", i)
					for _, k := range []string{KeyLoss, KeyLR, KeyMomentum, KeyPredStd} {
						assert.Equal(t, a[i].Values[k], b[i].Values[k], "record %d %s", i, k)
					}
				}
			})
		}
	}
}

// TestNaNGuard: a NaN loss (or an infinite gradient) at step k stops the
// run with an error naming step k and the tensor; the newest checkpoint on
// disk is that of step k−1 and the NaN step is logged.
func TestNaNGuard(t *testing.T) {
	const k = 6
	for _, c := range []struct {
		name   string
		inject func(m *toyJEPA)
		want   NonFiniteError
		msg    string
		every  int // LogEvery: logged steps find it through the gradient norm
	}{
		{"loss", func(m *toyJEPA) { m.nanLossAt = k }, NonFiniteError{Step: k, Tensor: "loss"}, "jepa: step 6: loss is NaN", 1},
		{"gradient", func(m *toyJEPA) { m.nanGradAt = k }, NonFiniteError{Step: k, Tensor: "predictor.proj.weight", Grad: true, Index: 3},
			`jepa: step 6: parameter "predictor.proj.weight": gradient element 3 is +Inf`, 1},
		{"gradient unlogged step", func(m *toyJEPA) { m.nanGradAt = k }, NonFiniteError{Step: k, Tensor: "predictor.proj.weight", Grad: true, Index: 3},
			`jepa: step 6: parameter "predictor.proj.weight": gradient element 3 is +Inf`, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			m := newToyJEPA(nn.Float32, 1)
			c.inject(m)
			before := paramBits(m.Params())
			tr, err := New(m, quiet(Config{Epochs: 3, CheckpointEvery: 1, KeepCheckpoints: -1, LogEvery: c.every}), dir)
			require.NoError(t, err)
			var snapshot map[string][]uint64
			tr.OnStep("snapshot", 0, func(context.Context, *Trainer) error {
				snapshot = paramBits(m.Params())
				return nil
			})
			err = tr.Run(context.Background())
			var nf *NonFiniteError
			require.True(t, errors.As(err, &nf), "%v", err)
			assert.Equal(t, c.want.Step, nf.Step)
			assert.Equal(t, c.want.Tensor, nf.Tensor)
			assert.Equal(t, c.want.Grad, nf.Grad)
			assert.Equal(t, c.want.Index, nf.Index)
			assert.Contains(t, err.Error(), c.msg)
			assert.Equal(t, k-1, tr.Step())

			cks, err := Checkpoints(dir)
			require.NoError(t, err)
			require.Len(t, cks, k-1)
			assert.Equal(t, k-1, cks[len(cks)-1].Step)
			// The parameters were not updated by the bad step, and the
			// last checkpoint holds the state after step k−1.
			assert.Equal(t, snapshot, paramBits(m.Params()))
			assert.NotEqual(t, before, snapshot)
			check := newToyJEPA(nn.Float32, 5)
			require.NoError(t, check.Params().LoadSafetensors(filepath.Join(cks[len(cks)-1].Path, ModelFile), true))
			assert.Equal(t, snapshot, paramBits(check.Params()))
			_, err = os.Stat(filepath.Join(dir, PlotDir, "loss.png"))
			assert.NoError(t, err, "plots are drawn after a failure too")

			recs, err := ReadMetrics(filepath.Join(dir, MetricsFile))
			require.NoError(t, err)
			last := recs[len(recs)-1]
			assert.Equal(t, k, last.Step)
			if c.name == "loss" {
				raw, _ := os.ReadFile(filepath.Join(dir, MetricsFile))
				assert.Contains(t, string(raw), `"loss":"NaN"`)
			}
		})
	}
}

// TestResumeEdgeCases: no checkpoint yet (start over), a stopped run
// (nothing to do), a torn last metrics line, a checkpoint directory
// without state.json (ignored), a different seed (error).
func TestResumeEdgeCases(t *testing.T) {
	cfg := quiet(Config{Seed: 1, Epochs: 2, NoPlots: true})
	t.Run("no checkpoint", func(t *testing.T) {
		dir := t.TempDir()
		tr, err := New(newToyJEPA(nn.Float32, 1), cfg, dir)
		require.NoError(t, err)
		tr.RemoveHook(HookCheckpoint)
		ctx, cancel := context.WithCancel(context.Background())
		tr.EveryNSteps(2, "cancel", 0, func(context.Context, *Trainer) error { cancel(); return nil })
		require.Error(t, tr.Run(ctx))
		tr, err = Resume(dir, newToyJEPA(nn.Float32, 1))
		require.NoError(t, err)
		assert.False(t, tr.Resumed())
		assert.Equal(t, 0, tr.Step())
		recs, err := ReadMetrics(filepath.Join(dir, MetricsFile))
		require.NoError(t, err)
		assert.Empty(t, recs)
	})
	t.Run("stopped", func(t *testing.T) {
		dir := t.TempDir()
		tr, err := New(newToyJEPA(nn.Float32, 1), cfg, dir)
		require.NoError(t, err)
		tr.EveryNSteps(3, "stop", 0, func(_ context.Context, tr *Trainer) error { tr.Stop("enough"); return nil })
		require.NoError(t, tr.Run(context.Background()))
		assert.Equal(t, 3, tr.Step())
		tr, err = Resume(dir, newToyJEPA(nn.Float32, 1))
		require.NoError(t, err)
		assert.Equal(t, "enough", tr.Stopped())
		require.NoError(t, tr.Run(context.Background()))
		assert.Equal(t, 3, tr.Step())
	})
	t.Run("torn metrics, partial checkpoint", func(t *testing.T) {
		dir := t.TempDir()
		tr, err := New(newToyJEPA(nn.Float32, 1), cfg, dir)
		require.NoError(t, err)
		require.NoError(t, tr.Run(context.Background()))
		f, err := os.OpenFile(filepath.Join(dir, MetricsFile), os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString(`{"kind":"step","step":9,"ep`)
		require.NoError(t, err)
		require.NoError(t, f.Close())
		require.NoError(t, os.MkdirAll(filepath.Join(dir, CheckpointDir, checkpointName(12)), 0o755))
		tr, err = Resume(dir, newToyJEPA(nn.Float32, 1))
		require.NoError(t, err)
		assert.Equal(t, 8, tr.Step())
		recs, err := ReadMetrics(filepath.Join(dir, MetricsFile))
		require.NoError(t, err)
		assert.Len(t, recs, 10)
	})
	t.Run("seed mismatch", func(t *testing.T) {
		dir := t.TempDir()
		tr, err := New(newToyJEPA(nn.Float32, 1), cfg, dir)
		require.NoError(t, err)
		require.NoError(t, tr.Run(context.Background()))
		path := filepath.Join(dir, ConfigFile)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), `"seed": 1`, `"seed": 2`, 1)), 0o644))
		_, err = Resume(dir, newToyJEPA(nn.Float32, 1))
		require.ErrorContains(t, err, "seed 1 differs from the config's 2")
	})
	t.Run("missing run", func(t *testing.T) {
		_, err := Resume(filepath.Join(t.TempDir(), "nothing"), newToyJEPA(nn.Float32, 1))
		require.ErrorContains(t, err, ConfigFile)
	})
}

// TestNonFiniteInitialParameters: a NaN in the initial parameters stops
// the run before the first step.
func TestNonFiniteInitialParameters(t *testing.T) {
	m := newToyJEPA(nn.Float64, 1)
	m.tgt.Bias.Float64s()[2] = math.NaN()
	tr, err := New(m, quiet(Config{Epochs: 1, EMA: EMAConfig{Init: InitIndependent}}), "")
	require.NoError(t, err)
	err = tr.Run(context.Background())
	require.ErrorContains(t, err, `before step 1: nn: parameter "target_encoder.proj.bias": value element 2 is NaN`)
	assert.Equal(t, 0, tr.Step())
}
