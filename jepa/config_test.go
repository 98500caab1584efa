package jepa

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConfigZeroValue: the zero Config resolves to the documented defaults,
// survives a JSON round trip, and resolving again changes nothing.
func TestConfigZeroValue(t *testing.T) {
	c, err := Config{}.Resolve(7)
	require.NoError(t, err)
	assert.Equal(t, 10, c.Epochs)
	assert.Equal(t, 7, c.StepsPerEpoch)
	assert.Equal(t, OptimizerConfig{Name: "adamw", LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, DecayOn: DecayAll}, c.Optimizer)
	assert.Equal(t, LRConfig{Schedule: ScheduleConstant, Interval: IntervalEpoch, Total: 10, PlateauMetric: KeyLoss}, c.LR)
	assert.Equal(t, EMAConfig{Schedule: MomentumLinear, Start: 0.996, End: 1, Total: 70, Init: InitCopy}, c.EMA)
	assert.Equal(t, CollapseConfig{PredStdMin: 0.01, TargetStdMin: 0.1, Action: CollapseWarn, Patience: 1}, c.Collapse)
	assert.Equal(t, 1, c.LogEvery)
	assert.Equal(t, 0, c.CheckpointEvery)
	assert.Equal(t, 3, c.KeepCheckpoints)
	assert.Equal(t, ProgressAuto, c.Progress)
	assert.Equal(t, 10.0, c.ProgressEverySec)

	again, err := c.Resolve(99)
	require.NoError(t, err)
	assert.Equal(t, c, again)

	c.Model = json.RawMessage(`{"dataset":"MUTAG","beta":1}`)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var back Config
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)

	adam, err := Config{Optimizer: OptimizerConfig{Name: "adam"}}.Resolve(1)
	require.NoError(t, err)
	assert.Equal(t, 0.0, adam.Optimizer.WeightDecay, "torch.optim.Adam's default")
	pj, err := Config{EMA: EMAConfig{Schedule: MomentumPointJEPA}}.Resolve(1)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{0.9995, 0.99999}, [2]float64{pj.EMA.Start, pj.EMA.End})
	step, err := Config{Epochs: 3, LR: LRConfig{Schedule: ScheduleWarmupCosine, Interval: IntervalStep}}.Resolve(5)
	require.NoError(t, err)
	assert.Equal(t, 15, step.LR.Total)
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "steps_per_epoch is 0"},
		{Config{StepsPerEpoch: 1, Optimizer: OptimizerConfig{Name: "sgd"}}, `optimizer.name "sgd"`},
		{Config{StepsPerEpoch: 1, Optimizer: OptimizerConfig{DecayOn: "some"}}, "decay_on"},
		{Config{StepsPerEpoch: 1, Optimizer: OptimizerConfig{Beta1: 1}}, "invalid optimizer"},
		{Config{StepsPerEpoch: 1, ClipGradNorm: -1}, "clip_grad_norm"},
		{Config{StepsPerEpoch: 1, LR: LRConfig{Schedule: "cosine"}}, `lr_schedule.schedule "cosine"`},
		{Config{StepsPerEpoch: 1, LR: LRConfig{Interval: "batch"}}, "lr_schedule.interval"},
		{Config{StepsPerEpoch: 1, Epochs: 5, LR: LRConfig{Schedule: ScheduleWarmupCosine, Warmup: 5}}, "must exceed warmup"},
		{Config{StepsPerEpoch: 1, LR: LRConfig{MinLR: -1}}, "min_lr"},
		{Config{StepsPerEpoch: 1, LR: LRConfig{PlateauFactor: 2}}, "plateau_factor"},
		{Config{StepsPerEpoch: 1, EMA: EMAConfig{Schedule: "cosine"}}, "ema.schedule"},
		{Config{StepsPerEpoch: 1, EMA: EMAConfig{Start: 1.5}}, "ema start"},
		{Config{StepsPerEpoch: 1, EMA: EMAConfig{Init: "zeros"}}, "ema.init"},
		{Config{StepsPerEpoch: 1, Collapse: CollapseConfig{Action: "panic"}}, "collapse.action"},
		{Config{StepsPerEpoch: 1, LogEvery: -1}, "log_every"},
		{Config{StepsPerEpoch: 1, Progress: "fancy"}, "progress"},
		{Config{StepsPerEpoch: 1, Epochs: -1}, "epochs"},
	} {
		_, err := c.cfg.Resolve(0)
		require.ErrorContains(t, err, c.want)
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, ConfigFile), []byte(`{"seed": 1, "epoch": 3}`), 0o644))
	_, err := ReadConfig(dir)
	require.ErrorContains(t, err, `unknown field "epoch"`)
	require.ErrorContains(t, err, filepath.Join(dir, ConfigFile))
}

// TestWeightDecaySelection: DecayAll decays the biases nn.Linear flags as
// NoDecay (Point-JEPA: wd on every parameter); DecayUnflagged keeps them.
func TestWeightDecaySelection(t *testing.T) {
	biasAfter := func(decayOn string) float32 {
		m := newToyJEPA(nn.Float32, 1)
		for _, p := range m.Params().List() {
			nn.FillConstant(p, 1)
		}
		tr, err := New(m, quiet(Config{Epochs: 1, StepsPerEpoch: 1, Optimizer: OptimizerConfig{LR: 0.1, WeightDecay: 0.5, DecayOn: decayOn}}), "")
		require.NoError(t, err)
		// The gradients are still zero: only the decay moves the parameters.
		tr.Optimizer().Step()
		return m.p.Bias.Float32s()[0]
	}
	assert.Equal(t, float32(1-0.1*0.5), biasAfter(DecayAll))
	assert.Equal(t, float32(1), biasAfter(DecayUnflagged))
}

// TestNewErrors: a model without trainable parameters or with a target
// outside its Params is refused.
func TestNewErrors(t *testing.T) {
	m := newToyJEPA(nn.Float32, 1)
	bad := &wrongTarget{toyJEPA: m, extra: nn.NewParam("target_encoder.proj.weight", nn.Float32, 6, 8)}
	_, err := New(bad, quiet(Config{}), "")
	require.ErrorContains(t, err, "not among the model's Params")
	var nf *NonFiniteError
	assert.False(t, errors.As(err, &nf))
}

type wrongTarget struct {
	*toyJEPA
	extra *nn.Param
}

func (w *wrongTarget) TargetParams() []*nn.Param {
	return []*nn.Param{w.extra, w.tgt.Bias}
}
