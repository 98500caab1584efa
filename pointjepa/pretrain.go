package pointjepa

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
)

// Options are the run-time settings of Pretrain and Finetune that are not
// part of the model's configuration.
type Options struct {
	// RunDir receives config.json, metrics.jsonl, checkpoints/ and plots/
	// (package jepa's run directory); empty means nothing is written.
	RunDir string
	// Log receives progress lines and the collapse alarm; nil means none.
	Log io.Writer
}

// Pretrain builds a model from cfg (New) and pretrains it on set for
// cfg.Epochs epochs of len(set)/cfg.BatchSize steps (drop_last), spec §1:
// every step augments and tokenizes a batch (prepared on another goroutine
// while the previous step runs), orders the patches, draws one target and
// one context mask for the batch, runs the teacher on all tokens and the
// student on the context, predicts the target blocks, and takes an AdamW
// step on the smooth L1 loss; the teacher then follows the student by EMA.
// Labels are ignored. Clouds must have at least cfg.Points points (larger
// ones are FPS-subsampled) with finite, not all identical coordinates; a bad
// cloud is an error naming it before training starts.
//
// Each step logs loss, lr, ema_momentum, grad_norm, pred_std and target_std
// (jepa.TokenStd of predictions and targets, watched by the collapse alarm)
// and throughput to RunDir/metrics.jsonl. The context cancels the run; the
// model trained so far is returned with the error.
func Pretrain(ctx context.Context, set *datasets.PointSet, cfg Config, opt Options) (*Model, error) {
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	tm, err := newTrainModel(m, set)
	if err != nil {
		return nil, err
	}
	defer tm.close()
	tcfg, err := m.trainerConfig(tm.StepsPerEpoch())
	if err != nil {
		return nil, err
	}
	if opt.Log == nil {
		tcfg.Progress = jepa.ProgressOff
	}
	t, err := jepa.New(tm, tcfg, opt.RunDir)
	if err != nil {
		return nil, err
	}
	if opt.Log != nil {
		t.SetOutput(opt.Log)
	} else {
		t.SetOutput(io.Discard)
	}
	if err := t.Run(ctx); err != nil {
		return m, err
	}
	if opt.RunDir != "" {
		if err := m.Save(opt.RunDir); err != nil {
			return m, err
		}
	}
	return m, nil
}

// trainerConfig maps the model's configuration to package jepa's loop:
// AdamW (wd on every parameter), warmup + cosine per epoch or per step
// (pl_bolts' closed form, Config.LRInterval), point2vec's EMA schedule over all steps (§1.10).
func (m *Model) trainerConfig(stepsPerEpoch int) (jepa.Config, error) {
	c := m.cfg
	raw, err := json.Marshal(c)
	if err != nil {
		return jepa.Config{}, err
	}
	return jepa.Config{
		Name:          "point-jepa",
		Seed:          c.Seed,
		Epochs:        c.Epochs,
		StepsPerEpoch: stepsPerEpoch,
		Optimizer: jepa.OptimizerConfig{Name: "adamw", LR: c.LR,
			WeightDecay: noneIfOff(c.WeightDecay), DecayOn: jepa.DecayAll},
		LR: lrSchedule(c, stepsPerEpoch),
		EMA: jepa.EMAConfig{Schedule: jepa.MomentumPointJEPA, Start: c.TauMin, End: c.TauMax,
			Total: c.Epochs * stepsPerEpoch, Init: jepa.InitCopy},
		LogEvery: 1,
		Model:    raw,
	}, nil
}

// lrSchedule is the warmup + cosine of Config.LRInterval: per epoch (the
// reference) or the same epochs counted in optimizer steps.
func lrSchedule(c Config, stepsPerEpoch int) jepa.LRConfig {
	l := jepa.LRConfig{Schedule: jepa.ScheduleWarmupCosine, Interval: jepa.IntervalEpoch,
		WarmupStartLR: c.WarmupStartLR, MinLR: c.MinLR, Warmup: max(c.WarmupEpochs, 0), Total: c.Epochs}
	if c.LRInterval == LRPerStep {
		l.Interval = jepa.IntervalStep
		l.Warmup *= stepsPerEpoch
		l.Total *= stepsPerEpoch
	}
	return l
}

// noneIfOff maps a resolved rate to package nn's convention (negative: off).
func noneIfOff(r float64) float64 {
	if r <= 0 {
		return -1
	}
	return r
}

// trainModel adapts a Model and its data to jepa.Model.
type trainModel struct {
	m      *Model
	set    *datasets.PointSet
	feed   *feeder
	perm   []int
	mask   blockMask
	step   *stepper
	values map[string]float64
	std    []float64
}

func newTrainModel(m *Model, set *datasets.PointSet) (*trainModel, error) {
	if set == nil || set.Len() == 0 {
		return nil, fmt.Errorf("pointjepa: Pretrain: empty training set")
	}
	c := &m.cfg
	if set.Len() < c.BatchSize {
		return nil, fmt.Errorf("pointjepa: Pretrain: %d clouds, fewer than Config.BatchSize = %d (the last partial batch is dropped)", set.Len(), c.BatchSize)
	}
	if err := checkClouds(set.Clouds, c, c.Points); err != nil {
		return nil, err
	}
	return &trainModel{m: m, set: set, feed: newFeeder(set, c),
		step:   newStepper(m, rand.New(rand.NewPCG(c.Seed, 0x64726f70))), // "drop": dropout and drop-path masks
		values: map[string]float64{},
	}, nil
}

func (t *trainModel) close() {
	t.feed.halt()
	t.step.close()
}

func (t *trainModel) Params() *nn.Params        { return &t.m.params }
func (t *trainModel) OnlineParams() []*nn.Param { return t.m.student.Params().List() }
func (t *trainModel) TargetParams() []*nn.Param { return t.m.teacher.Params().List() }
func (t *trainModel) StepsPerEpoch() int        { return t.set.Len() / t.m.cfg.BatchSize }

// StartEpoch shuffles the set and starts preparing the epoch's batches.
func (t *trainModel) StartEpoch(epoch int, rng *rand.Rand) error {
	t.perm = grow(t.perm, t.set.Len())
	for i := range t.perm {
		t.perm[i] = i
	}
	rng.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
	data := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	t.feed.start(t.perm, t.StepsPerEpoch(), data)
	return nil
}

// Step runs one pretraining step (see Pretrain).
func (t *trainModel) Step(ctx context.Context, s *jepa.StepContext) (jepa.StepResult, error) {
	gb, err := t.feed.next()
	if err != nil {
		return jepa.StepResult{}, err
	}
	defer t.feed.release(gb)
	c := &t.m.cfg
	sampleMask(&t.mask, s.Rand, c.Groups, c)
	tp, cp, err := t.step.prepare(gb, &t.mask)
	if err != nil {
		return jepa.StepResult{}, err
	}
	if err := tp.prog.Run(); err != nil {
		return jepa.StepResult{}, fmt.Errorf("pointjepa: step %d: %w", s.Step, err)
	}
	t.m.steps = s.Step
	if cap(t.std) < 2*c.Width {
		t.std = make([]float64, 2*c.Width)
	}
	t.values[jepa.KeyPredStd] = jepa.TokenStd(cp.pred.Value().Data().([]float32), c.Width, t.std)
	t.values[jepa.KeyTargetStd] = jepa.TokenStd(cp.target.Value().Data().([]float32), c.Width, t.std)
	t.values["context_tokens"] = float64(len(t.mask.Context))
	t.values["target_tokens"] = float64(t.mask.K)
	return jepa.StepResult{Loss: tp.prog.Loss(), Samples: gb.batch.B, Values: t.values}, nil
}
