package pointjepa

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"

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
	return m, runTrainer(ctx, t, m, opt)
}

// runTrainer runs t with opt's log and saves m to the run directory.
func runTrainer(ctx context.Context, t *jepa.Trainer, m *Model, opt Options) error {
	if opt.Log != nil {
		t.SetOutput(opt.Log)
	} else {
		t.SetOutput(io.Discard)
	}
	if err := t.Run(ctx); err != nil {
		return err
	}
	if opt.RunDir != "" {
		if err := m.Save(opt.RunDir); err != nil {
			return err
		}
	}
	return nil
}

// ResumePretrain continues the pretraining run in opt.RunDir on set, which
// must be the run's training set: the configuration comes from the run's
// config.json, the state from its newest complete checkpoint (one per epoch:
// parameters, AdamW moments, EMA teacher, generators, counters), and the
// run then ends bit for bit where the uninterrupted Pretrain would have. A
// run without a checkpoint starts over. The model is saved to opt.RunDir at
// the end, as Pretrain does.
func ResumePretrain(ctx context.Context, set *datasets.PointSet, opt Options) (*Model, error) {
	if opt.RunDir == "" {
		return nil, fmt.Errorf("pointjepa: ResumePretrain: no run directory")
	}
	cfg, err := RunConfig(opt.RunDir)
	if err != nil {
		return nil, err
	}
	m, err := New(cfg)
	if err != nil {
		return nil, err
	}
	tm, err := newTrainModel(m, set)
	if err != nil {
		return nil, err
	}
	defer tm.close()
	t, err := jepa.Resume(opt.RunDir, tm)
	if err != nil {
		return nil, err
	}
	if t.Config().StepsPerEpoch != tm.StepsPerEpoch() {
		return nil, fmt.Errorf("pointjepa: ResumePretrain: %s was run with %d steps per epoch, this set gives %d (%d clouds, batch %d): not the run's training set",
			opt.RunDir, t.Config().StepsPerEpoch, tm.StepsPerEpoch(), set.Len(), cfg.BatchSize)
	}
	return m, runTrainer(ctx, t, m, opt)
}

// RunConfig reads the model configuration of the pretraining run in runDir
// (its config.json), resolved.
func RunConfig(runDir string) (Config, error) {
	jc, err := jepa.ReadConfig(runDir)
	if err != nil {
		return Config{}, err
	}
	path := filepath.Join(runDir, jepa.ConfigFile)
	if jc.Name != "point-jepa" || len(jc.Model) == 0 {
		return Config{}, fmt.Errorf("pointjepa: %s is not a Point-JEPA pretraining run (name %q)", path, jc.Name)
	}
	var c Config
	dec := json.NewDecoder(bytes.NewReader(jc.Model))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("pointjepa: %s: model: %w", path, err)
	}
	r, err := c.Resolve()
	if err != nil {
		return Config{}, fmt.Errorf("%w (file %s)", err, path)
	}
	return r, nil
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
	m    *Model
	set  *datasets.PointSet
	feed *feeder
	perm []int
	mask blockMask
	drop *rand.PCG // the stepper's generator, saved in checkpoints
	// data seeds the current epoch's feeder; fed counts the batches taken
	// from it (a resumed run's first step may be mid-epoch).
	data   [2]uint64
	fed    int
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
	drop := rand.NewPCG(c.Seed, 0x64726f70) // "drop": dropout and drop-path masks
	return &trainModel{m: m, set: set, feed: newFeeder(set, c),
		drop: drop, step: newStepper(m, rand.New(drop)),
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
	t.data = [2]uint64{rng.Uint64(), rng.Uint64()}
	t.fed = 0
	t.feed.start(t.perm, t.StepsPerEpoch(), 0, rand.New(rand.NewPCG(t.data[0], t.data[1])))
	return nil
}

// MarshalState saves the stepper's generator (dropout and drop-path masks);
// the data and mask draws are the trainer's (jepa.StateSaver).
func (t *trainModel) MarshalState() ([]byte, error) {
	b, err := t.drop.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return json.Marshal(trainState{Dropout: b})
}

// UnmarshalState restores what MarshalState saved.
func (t *trainModel) UnmarshalState(b []byte) error {
	var st trainState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("pointjepa: model state: %w", err)
	}
	if err := t.drop.UnmarshalBinary(st.Dropout); err != nil {
		return fmt.Errorf("pointjepa: model state: dropout generator: %w", err)
	}
	return nil
}

// trainState is the model state of a pretraining checkpoint.
type trainState struct {
	Dropout []byte `json:"dropout_rng"`
}

// Step runs one pretraining step (see Pretrain).
func (t *trainModel) Step(ctx context.Context, s *jepa.StepContext) (jepa.StepResult, error) {
	if s.StepInEpoch != t.fed { // resumed mid-epoch: replay the epoch's draws up to here
		t.feed.start(t.perm, t.StepsPerEpoch(), s.StepInEpoch, rand.New(rand.NewPCG(t.data[0], t.data[1])))
		t.fed = s.StepInEpoch
	}
	t.fed++
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
