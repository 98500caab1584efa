package nn

import (
	"fmt"
	"math"
)

// PlateauConfig configures ReduceLROnPlateau. The zero value means torch's
// defaults: mode 'min', factor 0.1, patience 10, threshold 1e-4 in 'rel'
// mode, cooldown 0, min_lr 0, eps 1e-8. Graph-JEPA uses Factor 0.5 and
// Patience = its config's lr_patience (20), steps it once per epoch on the
// evaluation loss, and stops training when the rate falls below 1e-5.
type PlateauConfig struct {
	// Maximize selects mode 'max' (a larger metric is better).
	Maximize bool
	// Factor multiplies the learning rate on a plateau; 0 means 0.1.
	Factor float64
	// Patience is the number of bad epochs tolerated before reducing; 0
	// means 10, a negative value means 0.
	Patience int
	// Threshold is the minimal significant improvement; 0 means 1e-4, a
	// negative value means 0.
	Threshold float64
	// AbsThreshold selects threshold_mode 'abs' (improvement by Threshold)
	// instead of 'rel' (by a factor 1 ± Threshold).
	AbsThreshold bool
	// Cooldown is the number of epochs to wait after a reduction before
	// counting bad epochs again.
	Cooldown int
	// MinLR is the lower bound of the learning rate.
	MinLR float64
	// Eps is the minimal change of the learning rate; a smaller reduction
	// is skipped. 0 means 1e-8.
	Eps float64
}

// ReduceLROnPlateau is torch.optim.lr_scheduler.ReduceLROnPlateau for one
// parameter group: it multiplies the optimizer's learning rate by Factor
// once the metric has not improved for more than Patience steps.
type ReduceLROnPlateau struct {
	opt Optimizer
	cfg PlateauConfig
	st  PlateauState
}

// PlateauState is the mutable state of a ReduceLROnPlateau, for checkpoints.
type PlateauState struct {
	// Best is the best metric so far (+Inf in mode min, −Inf in mode max
	// before the first step).
	Best float64
	// NumBadEpochs counts steps without a significant improvement.
	NumBadEpochs int
	// CooldownCounter counts the remaining cooldown steps.
	CooldownCounter int
	// LastEpoch counts Step calls.
	LastEpoch int
}

// NewReduceLROnPlateau returns the scheduler for opt. It panics if Factor
// is not in (0, 1) or another field is invalid (a programmer error), as
// torch raises ValueError.
func NewReduceLROnPlateau(opt Optimizer, cfg PlateauConfig) *ReduceLROnPlateau {
	if cfg.Factor == 0 {
		cfg.Factor = 0.1
	}
	switch {
	case cfg.Patience == 0:
		cfg.Patience = 10
	case cfg.Patience < 0:
		cfg.Patience = 0
	}
	switch {
	case cfg.Threshold == 0:
		cfg.Threshold = 1e-4
	case cfg.Threshold < 0:
		cfg.Threshold = 0
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	if !(cfg.Factor > 0 && cfg.Factor < 1) || cfg.Cooldown < 0 || !(cfg.MinLR >= 0) || !(cfg.Eps > 0) || math.IsNaN(cfg.Threshold) {
		panic(fmt.Sprintf("nn: invalid PlateauConfig %+v", cfg))
	}
	r := &ReduceLROnPlateau{opt: opt, cfg: cfg}
	r.st.Best = math.Inf(1)
	if cfg.Maximize {
		r.st.Best = math.Inf(-1)
	}
	return r
}

// Config returns the configuration with defaults resolved.
func (r *ReduceLROnPlateau) Config() PlateauConfig { return r.cfg }

// State returns the scheduler's state.
func (r *ReduceLROnPlateau) State() PlateauState { return r.st }

// SetState restores a state returned by State.
func (r *ReduceLROnPlateau) SetState(s PlateauState) { r.st = s }

// isBetter is torch's _is_better for the configured mode.
func (r *ReduceLROnPlateau) isBetter(a float64) bool {
	best, th := r.st.Best, r.cfg.Threshold
	switch {
	case !r.cfg.Maximize && !r.cfg.AbsThreshold:
		return a < best*(1-th)
	case !r.cfg.Maximize:
		return a < best-th
	case !r.cfg.AbsThreshold:
		return a > best*(th+1)
	default:
		return a > best+th
	}
}

// Step records the metric of one epoch and reduces the learning rate if it
// has not improved for more than Patience epochs (outside a cooldown). It
// returns whether the rate was reduced. A NaN metric counts as a bad epoch,
// as in torch.
func (r *ReduceLROnPlateau) Step(metric float64) (reduced bool) {
	r.st.LastEpoch++
	if r.isBetter(metric) {
		r.st.Best = metric
		r.st.NumBadEpochs = 0
	} else {
		r.st.NumBadEpochs++
	}
	if r.st.CooldownCounter > 0 {
		r.st.CooldownCounter--
		r.st.NumBadEpochs = 0
	}
	if r.st.NumBadEpochs > r.cfg.Patience {
		old := r.opt.LR()
		lr := math.Max(old*r.cfg.Factor, r.cfg.MinLR)
		if old-lr > r.cfg.Eps {
			r.opt.SetLR(lr)
			reduced = true
		}
		r.st.CooldownCounter = r.cfg.Cooldown
		r.st.NumBadEpochs = 0
	}
	return reduced
}
