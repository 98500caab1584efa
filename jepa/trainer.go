package jepa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/metrics"
	"time"

	"github.com/nongrid/jepa/nn"
)

// Streams of the PCG generators derived from Config.Seed.
const (
	stepStream  = 0x6a657061 // "jepa": the trainer's generator
	epochStream = 1 << 40    // + epoch: the generator of EpochStarter
)

// Trainer runs a Model: Epochs × StepsPerEpoch optimizer steps with
// gradient clipping, the learning-rate schedule, the EMA target update,
// NaN/Inf guards and the hooks. Create it with New (a fresh run) or Resume
// (continue a run directory), register hooks, then call Run once. A
// Trainer is not safe for concurrent use.
type Trainer struct {
	cfg    Config
	model  Model
	runDir string
	out    io.Writer

	trainable []*nn.Param // optimised parameters
	grads     []*nn.Param // their gradients as values (NaN/Inf check before the update)
	values    []*nn.Param // value-only views of every parameter (NaN/Inf check after the update)
	opt       *nn.Adam
	ema       *nn.EMA
	sched     nn.Schedule
	plateau   *nn.ReduceLROnPlateau

	src *rand.PCG
	rng *rand.Rand

	hooks   hooks
	state   runState
	rec     Record
	last    StepResult
	ran     bool
	resumed bool
	err     error

	lastCheckpoint int // step of the newest checkpoint on disk, -1 if none
	metrics        *metricsLog
	start          time.Time
	epochStart     time.Time
	collapse       collapseState
	progress       *progress
	sc             StepContext      // reused by every step
	heap           []metrics.Sample // reused by liveHeapBytes
}

// runState is the part of the loop's state saved in checkpoints.
type runState struct {
	Step         int     `json:"step"`
	Epoch        int     `json:"epoch"`
	StepInEpoch  int     `json:"step_in_epoch"`
	EpochLossSum float64 `json:"epoch_loss_sum"`
	EpochSamples int     `json:"epoch_samples"`
	Momentum     float64 `json:"-"`
	Stopped      string  `json:"stopped,omitempty"`
}

// New returns a trainer for a fresh run of model configured by cfg
// (resolved with the model's EpochSizer, stamped with BuildVersion). If
// runDir is not empty it is created and receives config.json and
// metrics.jsonl at once, checkpoints and plots later; it is an error if it
// already holds a run (a config.json). With an empty runDir nothing is
// written (no checkpoints, metrics or plots).
func New(model Model, cfg Config, runDir string) (*Trainer, error) {
	rc, err := cfg.Resolve(modelStepsPerEpoch(model))
	if err != nil {
		return nil, err
	}
	rc.Code = BuildVersion()
	t, err := newTrainer(model, rc, runDir)
	if err != nil {
		return nil, err
	}
	if runDir == "" {
		return t, nil
	}
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	cfgPath := filepath.Join(runDir, ConfigFile)
	if _, err := os.Stat(cfgPath); err == nil {
		return nil, fmt.Errorf("jepa: %s already holds a run (%s exists); use Resume or another directory", runDir, ConfigFile)
	}
	b, err := json.MarshalIndent(rc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("jepa: config: %w", err)
	}
	if err := nn.WriteFileAtomic(cfgPath, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	}); err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	if err := os.WriteFile(filepath.Join(runDir, MetricsFile), nil, 0o644); err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	if t.metrics, err = openMetricsLog(filepath.Join(runDir, MetricsFile)); err != nil {
		return nil, err
	}
	return t, nil
}

func modelStepsPerEpoch(m Model) int {
	if es, ok := m.(EpochSizer); ok {
		return es.StepsPerEpoch()
	}
	return 0
}

// newTrainer builds a trainer from a resolved config: optimizer, EMA
// pairing, schedule, generator and built-in hooks.
func newTrainer(model Model, cfg Config, runDir string) (*Trainer, error) {
	t := &Trainer{cfg: cfg, model: model, runDir: runDir, out: os.Stderr, lastCheckpoint: -1}
	t.state.Momentum = math.NaN()
	params := model.Params()
	if params == nil || params.Len() == 0 {
		return nil, errors.New("jepa: the model has no parameters")
	}
	target, online := model.TargetParams(), model.OnlineParams()
	if len(target) > 0 || len(online) > 0 {
		e, err := nn.NewEMA(target, online)
		if err != nil {
			return nil, fmt.Errorf("jepa: target encoder: %w", err)
		}
		t.ema = e
	}
	isTarget := make(map[*nn.Param]bool, len(target))
	for _, p := range target {
		isTarget[p] = true
		if params.Get(p.Name) != p {
			return nil, fmt.Errorf("jepa: target parameter %q is not among the model's Params", p.Name)
		}
	}
	for _, p := range online {
		if params.Get(p.Name) != p {
			return nil, fmt.Errorf("jepa: online parameter %q is not among the model's Params", p.Name)
		}
	}
	for _, p := range params.List() {
		t.values = append(t.values, &nn.Param{Name: p.Name, Value: p.Value})
		if isTarget[p] || p.Buffer || p.Grad == nil {
			continue
		}
		t.trainable = append(t.trainable, p)
		t.grads = append(t.grads, &nn.Param{Name: p.Name, Value: p.Grad})
	}
	if len(t.trainable) == 0 {
		return nil, errors.New("jepa: the model has no trainable parameters")
	}
	o := cfg.Optimizer
	ac := nn.AdamConfig{LR: o.LR, Beta1: o.Beta1, Beta2: o.Beta2, Eps: o.Eps, WeightDecay: o.WeightDecay}
	switch o.DecayOn {
	case DecayAll:
		ac.DecayAll = true
	case DecayNoBiasOr1D:
		ac.NoDecay = nn.NoDecayBiasOr1D
	}
	if o.Name == "adam" {
		t.opt = nn.NewAdam(t.trainable, ac)
	} else {
		t.opt = nn.NewAdamW(t.trainable, ac)
	}
	l := cfg.LR
	switch l.Schedule {
	case ScheduleWarmupCosine:
		t.sched = nn.WarmupCosine{BaseLR: o.LR, WarmupStartLR: l.WarmupStartLR, EtaMin: l.MinLR, Warmup: l.Warmup, Total: l.Total}
	case ScheduleIJEPAWarmupCosine:
		t.sched = nn.IJEPAWarmupCosine{StartLR: l.WarmupStartLR, RefLR: o.LR, FinalLR: l.MinLR, WarmupSteps: l.Warmup, TotalSteps: l.Total}
	case SchedulePlateau:
		t.plateau = nn.NewReduceLROnPlateau(t.opt, nn.PlateauConfig{Factor: l.PlateauFactor, Patience: l.PlateauPatience, Threshold: l.PlateauThreshold, MinLR: l.MinLR})
	}
	t.src = rand.NewPCG(cfg.Seed, stepStream)
	t.rng = rand.New(t.src)
	t.registerBuiltins()
	return t, nil
}

// SetOutput sets where progress and warnings go (os.Stderr by default).
// With Progress "auto" a bar is drawn only if w is a terminal.
func (t *Trainer) SetOutput(w io.Writer) { t.out = w }

// Config returns the resolved configuration.
func (t *Trainer) Config() Config { return t.cfg }

// Model returns the model being trained.
func (t *Trainer) Model() Model { return t.model }

// Optimizer returns the optimizer (Adam or AdamW over the trainable
// parameters that are not target parameters).
func (t *Trainer) Optimizer() *nn.Adam { return t.opt }

// EMA returns the target/online pairing, or nil without a target encoder.
func (t *Trainer) EMA() *nn.EMA { return t.ema }

// Rand returns the trainer's generator (StepContext.Rand).
func (t *Trainer) Rand() *rand.Rand { return t.rng }

// RunDir returns the run directory ("" for none).
func (t *Trainer) RunDir() string { return t.runDir }

// Step returns the number of optimizer steps completed.
func (t *Trainer) Step() int { return t.state.Step }

// Epoch returns the number of epochs completed.
func (t *Trainer) Epoch() int { return t.state.Epoch }

// StepInEpoch returns the number of steps completed in the current epoch.
func (t *Trainer) StepInEpoch() int { return t.state.StepInEpoch }

// TotalSteps returns Epochs × StepsPerEpoch.
func (t *Trainer) TotalSteps() int { return t.cfg.Epochs * t.cfg.StepsPerEpoch }

// Record returns the record being built: the step's in step hooks, the
// epoch's in epoch hooks. Hooks add monitors with Record().Set.
func (t *Trainer) Record() *Record { return &t.rec }

// LastResult returns what the model reported for the last step.
func (t *Trainer) LastResult() StepResult { return t.last }

// LR returns the optimizer's current learning rate.
func (t *Trainer) LR() float64 { return t.opt.LR() }

// Momentum returns the EMA momentum of the last target update (0 for a
// copy, NaN without a target encoder or before the first step).
func (t *Trainer) Momentum() float64 { return t.state.Momentum }

// Resumed reports whether the trainer continues a run from a checkpoint.
func (t *Trainer) Resumed() bool { return t.resumed }

// Err returns the error that ended the run, for end hooks (nil after a
// successful run).
func (t *Trainer) Err() error { return t.err }

// Stop asks the loop to end after the current hook event; the final
// checkpoint records the reason, and resuming a stopped run does nothing.
func (t *Trainer) Stop(reason string) {
	if reason == "" {
		reason = "stopped"
	}
	t.state.Stopped = reason
}

// Stopped returns the reason given to Stop ("" if not stopped).
func (t *Trainer) Stopped() string { return t.state.Stopped }

// epochRand returns the generator EpochStarter gets for epoch e.
func (t *Trainer) epochRand(e int) *rand.Rand {
	return rand.New(rand.NewPCG(t.cfg.Seed, epochStream+uint64(e)))
}

// Run trains until Epochs are done, a hook calls Stop, the context is
// cancelled, or an error occurs: an error from the model or a hook, a
// *NonFiniteError (NaN/Inf in the loss, a gradient or a parameter; the
// last checkpoint on disk stays the one before), a *CollapseError. The end
// hooks run in every case (the final checkpoint only after success). Run
// may be called once.
func (t *Trainer) Run(ctx context.Context) (err error) {
	if t.ran {
		return errors.New("jepa: Run called twice")
	}
	t.ran = true
	if t.state.Stopped != "" {
		return nil
	}
	t.start = time.Now()
	if !t.resumed && t.state.Step == 0 && t.ema != nil && t.cfg.EMA.Init == InitCopy {
		t.ema.Copy()
	}
	defer func() {
		t.err = err
		errs := t.hooks.run(ctx, t, EventEnd, true)
		if cerr := t.metrics.close(); cerr != nil {
			errs = append(errs, cerr)
		}
		err = errors.Join(append([]error{err}, errs...)...)
	}()
	if err := nn.CheckFinite(t.values); err != nil {
		return fmt.Errorf("jepa: before step %d: %w", t.state.Step+1, err)
	}
	if errs := t.hooks.run(ctx, t, EventStart, false); len(errs) > 0 {
		return errs[0]
	}
	spe := t.cfg.StepsPerEpoch
	for t.state.Epoch < t.cfg.Epochs && t.state.Stopped == "" {
		if err := t.startEpoch(); err != nil {
			return err
		}
		for t.state.StepInEpoch < spe && t.state.Stopped == "" {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("jepa: run interrupted after step %d: %w", t.state.Step, err)
			}
			if err := t.step(ctx); err != nil {
				return err
			}
		}
		if t.state.StepInEpoch < spe {
			break // stopped mid-epoch
		}
		if err := t.endEpoch(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (t *Trainer) startEpoch() error {
	t.epochStart = time.Now()
	e := t.state.Epoch
	if es, ok := t.model.(EpochStarter); ok {
		if err := es.StartEpoch(e, t.epochRand(e)); err != nil {
			return fmt.Errorf("jepa: epoch %d: %w", e, err)
		}
	}
	if t.sched != nil && t.cfg.LR.Interval == IntervalEpoch {
		t.opt.SetLR(t.sched.LR(e))
	}
	return nil
}

// step runs one optimizer step and the step hooks.
func (t *Trainer) step(ctx context.Context) error {
	s, e := t.state.Step+1, t.state.Epoch
	if t.sched != nil && t.cfg.LR.Interval == IntervalStep {
		i := s - 1
		if t.cfg.LR.Schedule == ScheduleIJEPAWarmupCosine {
			i = s
		}
		t.opt.SetLR(t.sched.LR(i))
	}
	lr := t.opt.LR()
	t.opt.ZeroGrad()
	began := time.Now()
	t.sc = StepContext{Step: s, Epoch: e, StepInEpoch: t.state.StepInEpoch, Rand: t.rng, LR: lr}
	res, err := t.model.Step(ctx, &t.sc)
	if err != nil {
		return fmt.Errorf("jepa: step %d: %w", s, err)
	}
	t.last = res
	if math.IsNaN(res.Loss) || math.IsInf(res.Loss, 0) {
		t.logFailedStep(s, e, res, lr)
		return &NonFiniteError{Step: s, Tensor: "loss", Value: res.Loss}
	}
	// The values were checked after the previous update: check the new
	// gradients only (held as values by the views in t.grads). A logged
	// step computes their norm anyway, and a finite sum of squares means
	// every gradient is finite: the element scan then runs only to name
	// the tensor of a non-finite norm.
	logThis := s%t.cfg.LogEvery == 0
	gradNorm := math.NaN()
	if logThis && t.cfg.ClipGradNorm <= 0 {
		gradNorm = nn.GradNorm(t.trainable)
	}
	if math.IsNaN(gradNorm) || math.IsInf(gradNorm, 0) {
		if err := nn.CheckFinite(t.grads); err != nil {
			t.logFailedStep(s, e, res, lr)
			if nf, ok := err.(*nn.NonFiniteError); ok {
				nf.Grad = true
			}
			return nonFinite(s, err)
		}
		if !math.IsNaN(gradNorm) { // every element finite, their squares' sum not
			t.logFailedStep(s, e, res, lr)
			return &NonFiniteError{Step: s, Tensor: "gradient norm", Value: gradNorm}
		}
	}
	if t.cfg.ClipGradNorm > 0 {
		gradNorm = nn.ClipGradNorm(t.trainable, t.cfg.ClipGradNorm)
	}
	t.opt.Step()
	if t.ema != nil {
		t.state.Momentum = t.cfg.EMA.ApplyEMA(t.ema, s, e)
	}
	if err := nn.CheckFinite(t.values); err != nil {
		t.logFailedStep(s, e, res, lr)
		return nonFinite(s, err)
	}
	dur := time.Since(began)
	samples := max(res.Samples, 1)
	t.state.Step = s
	t.state.StepInEpoch++
	t.state.EpochLossSum += res.Loss * float64(samples)
	t.state.EpochSamples += samples

	r := &t.rec
	r.reset(KindStep, s, e)
	for k, v := range res.Values {
		r.set(k, v)
	}
	r.set(KeyLoss, res.Loss)
	r.set(KeyLR, lr)
	if t.ema != nil {
		r.set(KeyMomentum, t.state.Momentum)
	}
	if !math.IsNaN(gradNorm) {
		r.set(KeyGradNorm, gradNorm)
	}
	r.set(KeySamples, float64(samples))
	r.set(KeyTimeMS, float64(dur.Nanoseconds())/1e6)
	if sec := dur.Seconds(); sec > 0 {
		r.set(KeySamplesPerS, float64(samples)/sec)
	}
	r.set(KeyElapsedS, time.Since(t.start).Seconds())
	if logThis {
		r.set(KeyAllocBytes, float64(t.liveHeapBytes()))
	}
	if errs := t.hooks.run(ctx, t, EventStep, false); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// logFailedStep writes the record of a step that produced a NaN/Inf (as
// I-JEPA logs immediately when the loss is NaN); the step is not counted.
func (t *Trainer) logFailedStep(s, e int, res StepResult, lr float64) {
	if t.metrics == nil {
		return
	}
	r := &t.rec
	r.reset(KindStep, s, e)
	for k, v := range res.Values {
		r.set(k, v)
	}
	r.set(KeyLoss, res.Loss)
	r.set(KeyLR, lr)
	_ = t.metrics.write(r) // the step's error is what matters
}

// endEpoch closes the epoch and runs the epoch hooks.
func (t *Trainer) endEpoch(ctx context.Context) error {
	e := t.state.Epoch
	r := &t.rec
	r.reset(KindEpoch, t.state.Step, e)
	if t.state.EpochSamples > 0 {
		r.set(KeyLoss, t.state.EpochLossSum/float64(t.state.EpochSamples))
	}
	r.set(KeyLR, t.opt.LR())
	if t.ema != nil {
		r.set(KeyMomentum, t.state.Momentum)
	}
	dur := time.Since(t.epochStart)
	r.set(KeySamples, float64(t.state.EpochSamples))
	r.set(KeyTimeMS, float64(dur.Nanoseconds())/1e6)
	if sec := dur.Seconds(); sec > 0 {
		r.set(KeySamplesPerS, float64(t.state.EpochSamples)/sec)
	}
	r.set(KeyElapsedS, time.Since(t.start).Seconds())
	r.set(KeyAllocBytes, float64(t.liveHeapBytes()))
	t.state.Epoch++
	t.state.StepInEpoch = 0
	t.state.EpochLossSum, t.state.EpochSamples = 0, 0
	if errs := t.hooks.run(ctx, t, EventEpoch, false); len(errs) > 0 {
		return errs[0]
	}
	return nil
}
