package jepa

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// Config configures a training run. The zero value means the defaults
// given per field; Resolve fills them in, and the resolved Config
// (including the seed and the code version) is what a run directory's
// config.json holds. Every field is JSON-serialisable.
type Config struct {
	// Name labels the run in progress lines and plots (optional).
	Name string `json:"name,omitempty"`
	// Seed seeds the trainer's generator (a PCG), the source of every
	// random draw of the loop and of the model's steps (StepContext.Rand).
	// The same seed gives the same run, bit for bit. Zero is a valid seed.
	Seed uint64 `json:"seed"`
	// Epochs is the number of epochs; 0 means 10.
	Epochs int `json:"epochs"`
	// StepsPerEpoch is the number of optimizer steps per epoch; 0 means
	// the model's own count (EpochSizer), an error if it has none.
	StepsPerEpoch int `json:"steps_per_epoch"`
	// Optimizer selects Adam or AdamW and their hyper-parameters.
	Optimizer OptimizerConfig `json:"optimizer"`
	// ClipGradNorm is the maximal total L2 norm of the gradients
	// (torch.nn.utils.clip_grad_norm_); 0 means no clipping (both papers'
	// pre-training).
	ClipGradNorm float64 `json:"clip_grad_norm"`
	// LR is the learning-rate schedule.
	LR LRConfig `json:"lr_schedule"`
	// EMA is the target-encoder update.
	EMA EMAConfig `json:"ema"`
	// Collapse configures the embedding-std collapse alarm.
	Collapse CollapseConfig `json:"collapse"`
	// LogEvery is the number of steps between step records in
	// metrics.jsonl; 0 means 1 (every step). Epoch records are always
	// written.
	LogEvery int `json:"log_every"`
	// CheckpointEvery is the number of steps between checkpoints; 0 means
	// one checkpoint at the end of every epoch. A final checkpoint is
	// always written when a run ends without error.
	CheckpointEvery int `json:"checkpoint_every"`
	// KeepCheckpoints is the number of most recent checkpoints kept; 0
	// means 3, a negative value keeps all.
	KeepCheckpoints int `json:"keep_checkpoints"`
	// Progress is the progress display: "auto" (the default: a bar on a
	// terminal, plain lines otherwise), "bar", "lines" or "off".
	Progress string `json:"progress"`
	// ProgressEverySec is the interval in seconds between plain progress
	// lines (a line is also printed at the end of every epoch); 0 means 10.
	ProgressEverySec float64 `json:"progress_every_sec"`
	// NoPlots disables the PNG plots written at the end of a run.
	NoPlots bool `json:"no_plots,omitempty"`
	// Model holds the JEPA's own resolved configuration (set by the
	// graphjepa/pointjepa packages), so that config.json describes the
	// whole run; the trainer only stores it.
	Model json.RawMessage `json:"model,omitempty"`
	// Code is the version of the code that started the run, filled by
	// New from runtime/debug.ReadBuildInfo.
	Code CodeVersion `json:"code"`
}

// OptimizerConfig selects the optimizer. The zero value is AdamW with
// torch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay
// 0.01). Graph-JEPA uses Adam with weight decay 0; Point-JEPA AdamW with
// weight decay 0.05 on every parameter.
type OptimizerConfig struct {
	// Name is "adamw" (the default) or "adam".
	Name string `json:"name"`
	// LR is the base learning rate; 0 means 1e-3.
	LR float64 `json:"lr"`
	// Beta1 and Beta2 default to 0.9 and 0.999; Eps to 1e-8.
	Beta1 float64 `json:"beta1"`
	Beta2 float64 `json:"beta2"`
	Eps   float64 `json:"eps"`
	// WeightDecay follows nn.AdamConfig: 0 means torch's default (Adam: no
	// decay, AdamW: 0.01), a negative value means no decay.
	WeightDecay float64 `json:"weight_decay"`
	// DecayOn selects the parameters weight decay applies to: DecayAll
	// (the default, torch's single parameter group; Point-JEPA),
	// DecayUnflagged (those whose Param.NoDecay is false, e.g. not the
	// biases of nn.Linear) or DecayNoBiasOr1D (I-JEPA's groups: no bias
	// and no 1-D parameter, nor any flagged one). DecayAll sets
	// nn.AdamConfig.DecayAll.
	DecayOn string `json:"decay_on"`
}

// Weight-decay selections of OptimizerConfig.DecayOn.
const (
	DecayAll        = "all"
	DecayUnflagged  = "unflagged"
	DecayNoBiasOr1D = "no-bias-or-1d"
)

// Learning-rate schedules of LRConfig.Schedule.
const (
	// ScheduleConstant keeps the base learning rate.
	ScheduleConstant = "constant"
	// ScheduleWarmupCosine is pl_bolts' LinearWarmupCosineAnnealingLR
	// (nn.WarmupCosine): Point-JEPA, stepped per epoch.
	ScheduleWarmupCosine = "warmup-cosine"
	// ScheduleIJEPAWarmupCosine is I-JEPA's WarmupCosineSchedule
	// (nn.IJEPAWarmupCosine), stepped before each optimizer step.
	ScheduleIJEPAWarmupCosine = "ijepa-warmup-cosine"
	// SchedulePlateau is torch's ReduceLROnPlateau stepped once per epoch
	// on a logged metric (Graph-JEPA).
	SchedulePlateau = "plateau"
)

// Schedule intervals of LRConfig.Interval.
const (
	IntervalEpoch = "epoch"
	IntervalStep  = "step"
)

// LRConfig is the learning-rate schedule. The zero value keeps the
// optimizer's learning rate constant.
type LRConfig struct {
	// Schedule is one of ScheduleConstant (the default),
	// ScheduleWarmupCosine, ScheduleIJEPAWarmupCosine, SchedulePlateau.
	Schedule string `json:"schedule"`
	// Interval is IntervalEpoch (the default, Lightning's) or IntervalStep:
	// what one scheduler step is. SchedulePlateau is always per epoch.
	// With IntervalEpoch epoch e (0-based) uses LR(e); with IntervalStep
	// the optimizer step s (1-based) uses LR(s−1), or LR(s) for I-JEPA's
	// schedule, which it steps before the optimizer.
	Interval string `json:"interval"`
	// WarmupStartLR is the learning rate at the start of the warmup.
	WarmupStartLR float64 `json:"warmup_start_lr"`
	// MinLR is the final learning rate of the cosine (eta_min), or the
	// lower bound of the plateau schedule.
	MinLR float64 `json:"min_lr"`
	// Warmup is the length of the warmup, in intervals.
	Warmup int `json:"warmup"`
	// Total is the length of the schedule in intervals; 0 means the whole
	// run (Epochs, or Epochs·StepsPerEpoch).
	Total int `json:"total"`
	// PlateauFactor, PlateauPatience and PlateauThreshold follow
	// nn.PlateauConfig (0 means torch's 0.1, 10, 1e-4); Graph-JEPA uses
	// factor 0.5 and its config's lr_patience.
	PlateauFactor    float64 `json:"plateau_factor"`
	PlateauPatience  int     `json:"plateau_patience"`
	PlateauThreshold float64 `json:"plateau_threshold"`
	// PlateauMetric is the key of the epoch record the plateau schedule
	// watches (mode min); "" means KeyLoss, the epoch's mean training loss.
	// An evaluation hook may store e.g. "val_loss" in the epoch record.
	PlateauMetric string `json:"plateau_metric"`
	// StopBelowLR stops the run at the end of an epoch whose learning rate
	// fell below it (Graph-JEPA: 1e-5); 0 means never.
	StopBelowLR float64 `json:"stop_below_lr"`
}

// EMA momentum schedules of EMAConfig.Schedule.
const (
	// MomentumLinear is I-JEPA's ramp m = Start + i·(End − Start)/Total,
	// one value per optimizer step (i = 0 after the first step),
	// nn.LinearMomentum.
	MomentumLinear = "linear"
	// MomentumLinearEpoch is Graph-JEPA's use of the same ramp: advanced
	// once per epoch, so m = Start + epoch·(End − Start)/Total within an
	// epoch (nn.GraphJEPAMomentum).
	MomentumLinearEpoch = "linear-epoch"
	// MomentumPointJEPA is point2vec's clamped schedule used by Point-JEPA
	// (nn.PointJEPAMomentum): the first two updates copy the online
	// encoder, then θ_t ← θ_t − (1−τ)(θ_t − θ_s).
	MomentumPointJEPA = "point-jepa"
	// MomentumConstant keeps m = Start.
	MomentumConstant = "constant"
)

// Target initialisations of EMAConfig.Init.
const (
	// InitCopy starts the target encoder as a copy of the online encoder
	// (I-JEPA, Point-JEPA).
	InitCopy = "copy"
	// InitIndependent keeps the model's own, independent initialisation of
	// the target encoder (Graph-JEPA).
	InitIndependent = "independent"
)

// EMAConfig configures the target-encoder update
// θ_t ← m·θ_t + (1−m)·θ_s after every optimizer step. The zero value is
// I-JEPA's: a linear ramp from 0.996 to 1 over all steps, target
// initialised as a copy of the online encoder.
type EMAConfig struct {
	// Schedule is MomentumLinear (the default), MomentumLinearEpoch,
	// MomentumPointJEPA or MomentumConstant.
	Schedule string `json:"schedule"`
	// Start and End bound the momentum; 0 means 0.996 and 1 (0.9995 and
	// 0.99999, point2vec's τ_min and τ_max in Point-JEPA's released
	// config, for MomentumPointJEPA).
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	// Total is the length of the ramp in steps (Point-JEPA's tau_steps);
	// 0 means Epochs·StepsPerEpoch.
	Total int `json:"total"`
	// Init is InitCopy (the default) or InitIndependent.
	Init string `json:"init"`
}

// Collapse actions of CollapseConfig.Action.
const (
	CollapseWarn = "warn"
	CollapseStop = "stop"
	CollapseOff  = "off"
)

// CollapseConfig configures the collapse alarm on the embedding standard
// deviations a model reports in StepResult.Values (KeyPredStd,
// KeyTargetStd; see TokenStd). The zero value warns when Point-JEPA's
// expectations are violated: prediction std ≤ 0.01 or target std ≤ 0.1.
type CollapseConfig struct {
	// PredStdMin and TargetStdMin are the thresholds; 0 means 0.01 and
	// 0.1, a negative value disables the check.
	PredStdMin   float64 `json:"pred_std_min"`
	TargetStdMin float64 `json:"target_std_min"`
	// Action is CollapseWarn (the default: a line on the progress output,
	// at most once per epoch), CollapseStop (the run ends with a
	// *CollapseError) or CollapseOff.
	Action string `json:"action"`
	// Patience is the number of consecutive steps below a threshold before
	// acting; 0 means 1.
	Patience int `json:"patience"`
}

// Progress modes of Config.Progress.
const (
	ProgressAuto  = "auto"
	ProgressBar   = "bar"
	ProgressLines = "lines"
	ProgressOff   = "off"
)

// Resolve returns c with every default filled in, given the model's own
// steps per epoch (0 if it has none), or an error naming the first invalid
// field. Resolving a resolved Config changes nothing.
func (c Config) Resolve(modelStepsPerEpoch int) (Config, error) {
	r := c
	if r.Epochs == 0 {
		r.Epochs = 10
	}
	if r.StepsPerEpoch == 0 {
		r.StepsPerEpoch = modelStepsPerEpoch
	}
	if r.Epochs < 0 {
		return r, fmt.Errorf("jepa: config: epochs %d < 0", r.Epochs)
	}
	if r.StepsPerEpoch <= 0 {
		return r, fmt.Errorf("jepa: config: steps_per_epoch is %d and the model does not report its own (implement EpochSizer or set it)", r.StepsPerEpoch)
	}
	total := r.Epochs * r.StepsPerEpoch
	o := &r.Optimizer
	switch o.Name {
	case "":
		o.Name = "adamw"
	case "adam", "adamw":
	default:
		return r, fmt.Errorf("jepa: config: optimizer.name %q (want adam or adamw)", o.Name)
	}
	switch o.DecayOn {
	case "":
		o.DecayOn = DecayAll
	case DecayAll, DecayUnflagged, DecayNoBiasOr1D:
	default:
		return r, fmt.Errorf("jepa: config: optimizer.decay_on %q (want all, unflagged or no-bias-or-1d)", o.DecayOn)
	}
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.Beta1 == 0 {
		o.Beta1 = 0.9
	}
	if o.Beta2 == 0 {
		o.Beta2 = 0.999
	}
	if o.Eps == 0 {
		o.Eps = 1e-8
	}
	if o.WeightDecay == 0 && o.Name == "adamw" {
		o.WeightDecay = 0.01
	}
	if !finitePositive(o.LR) || !(o.Beta1 >= 0 && o.Beta1 < 1) || !(o.Beta2 >= 0 && o.Beta2 < 1) || !finitePositive(o.Eps) || math.IsNaN(o.WeightDecay) || math.IsInf(o.WeightDecay, 0) {
		return r, fmt.Errorf("jepa: config: invalid optimizer %+v", *o)
	}
	if !(r.ClipGradNorm >= 0) || math.IsInf(r.ClipGradNorm, 0) {
		return r, fmt.Errorf("jepa: config: clip_grad_norm %v must be finite and ≥ 0", r.ClipGradNorm)
	}
	if err := r.LR.resolve(r.Epochs, total); err != nil {
		return r, err
	}
	if err := r.EMA.resolve(total); err != nil {
		return r, err
	}
	if err := r.Collapse.resolve(); err != nil {
		return r, err
	}
	if r.LogEvery == 0 {
		r.LogEvery = 1
	}
	if r.LogEvery < 0 || r.CheckpointEvery < 0 {
		return r, fmt.Errorf("jepa: config: log_every %d and checkpoint_every %d must be ≥ 0", r.LogEvery, r.CheckpointEvery)
	}
	if r.KeepCheckpoints == 0 {
		r.KeepCheckpoints = 3
	}
	if r.KeepCheckpoints < 0 {
		r.KeepCheckpoints = -1
	}
	switch r.Progress {
	case "":
		r.Progress = ProgressAuto
	case ProgressAuto, ProgressBar, ProgressLines, ProgressOff:
	default:
		return r, fmt.Errorf("jepa: config: progress %q (want auto, bar, lines or off)", r.Progress)
	}
	if r.ProgressEverySec == 0 {
		r.ProgressEverySec = 10
	}
	if !finitePositive(r.ProgressEverySec) {
		return r, fmt.Errorf("jepa: config: progress_every_sec %v must be positive", r.ProgressEverySec)
	}
	return r, nil
}

func (l *LRConfig) resolve(epochs, steps int) error {
	switch l.Schedule {
	case "":
		l.Schedule = ScheduleConstant
	case ScheduleConstant, ScheduleWarmupCosine, ScheduleIJEPAWarmupCosine, SchedulePlateau:
	default:
		return fmt.Errorf("jepa: config: lr_schedule.schedule %q (want constant, warmup-cosine, ijepa-warmup-cosine or plateau)", l.Schedule)
	}
	switch l.Interval {
	case "":
		l.Interval = IntervalEpoch
	case IntervalEpoch, IntervalStep:
	default:
		return fmt.Errorf("jepa: config: lr_schedule.interval %q (want epoch or step)", l.Interval)
	}
	if l.Schedule == SchedulePlateau {
		l.Interval = IntervalEpoch
	}
	if l.Total == 0 {
		l.Total = epochs
		if l.Interval == IntervalStep {
			l.Total = steps
		}
	}
	if l.PlateauMetric == "" {
		l.PlateauMetric = KeyLoss
	}
	if l.Warmup < 0 || l.Total <= 0 {
		return fmt.Errorf("jepa: config: lr_schedule warmup %d / total %d", l.Warmup, l.Total)
	}
	if l.Schedule == ScheduleWarmupCosine && l.Total <= l.Warmup {
		return fmt.Errorf("jepa: config: lr_schedule total %d must exceed warmup %d", l.Total, l.Warmup)
	}
	for name, v := range map[string]float64{"warmup_start_lr": l.WarmupStartLR, "min_lr": l.MinLR, "stop_below_lr": l.StopBelowLR} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("jepa: config: lr_schedule.%s %v must be finite and ≥ 0", name, v)
		}
	}
	if l.PlateauFactor != 0 && !(l.PlateauFactor > 0 && l.PlateauFactor < 1) {
		return fmt.Errorf("jepa: config: lr_schedule.plateau_factor %v must be in (0, 1)", l.PlateauFactor)
	}
	return nil
}

func (e *EMAConfig) resolve(steps int) error {
	switch e.Schedule {
	case "":
		e.Schedule = MomentumLinear
	case MomentumLinear, MomentumLinearEpoch, MomentumPointJEPA, MomentumConstant:
	default:
		return fmt.Errorf("jepa: config: ema.schedule %q (want linear, linear-epoch, point-jepa or constant)", e.Schedule)
	}
	if e.Schedule == MomentumPointJEPA {
		if e.Start == 0 {
			e.Start = 0.9995
		}
		if e.End == 0 {
			e.End = 0.99999
		}
	} else {
		if e.Start == 0 {
			e.Start = 0.996
		}
		if e.End == 0 {
			e.End = 1
		}
	}
	if e.Total == 0 {
		e.Total = steps
	}
	switch e.Init {
	case "":
		e.Init = InitCopy
	case InitCopy, InitIndependent:
	default:
		return fmt.Errorf("jepa: config: ema.init %q (want copy or independent)", e.Init)
	}
	if !(e.Start >= 0 && e.Start <= 1) || !(e.End >= 0 && e.End <= 1) || e.Total <= 0 {
		return fmt.Errorf("jepa: config: ema start %v / end %v must be in [0, 1] and total %d > 0", e.Start, e.End, e.Total)
	}
	return nil
}

func (c *CollapseConfig) resolve() error {
	if c.PredStdMin == 0 {
		c.PredStdMin = 0.01
	}
	if c.TargetStdMin == 0 {
		c.TargetStdMin = 0.1
	}
	switch c.Action {
	case "":
		c.Action = CollapseWarn
	case CollapseWarn, CollapseStop, CollapseOff:
	default:
		return fmt.Errorf("jepa: config: collapse.action %q (want warn, stop or off)", c.Action)
	}
	if c.Patience == 0 {
		c.Patience = 1
	}
	if c.Patience < 0 || math.IsNaN(c.PredStdMin) || math.IsNaN(c.TargetStdMin) {
		return fmt.Errorf("jepa: config: invalid collapse settings %+v", *c)
	}
	return nil
}

func finitePositive(v float64) bool { return v > 0 && !math.IsInf(v, 0) }

// ConfigFile is the name of the resolved configuration in a run directory.
const ConfigFile = "config.json"

// ReadConfig reads the configuration of the run in runDir (its
// config.json), so that a command can rebuild the model before Resume.
// Unknown fields are an error naming the file.
func ReadConfig(runDir string) (Config, error) {
	path := filepath.Join(runDir, ConfigFile)
	f, err := os.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("jepa: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("jepa: %s: %w", path, err)
	}
	return c, nil
}
