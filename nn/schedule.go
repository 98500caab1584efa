package nn

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate after t scheduler steps (t = 0, 1, …),
// as a pure function. Whether a step is an epoch or an optimizer step is
// the caller's choice: the same schedule serves both.
type Schedule interface {
	LR(t int) float64
}

// ConstantLR is the schedule that always returns the same learning rate.
type ConstantLR float64

// LR returns c for every t.
func (c ConstantLR) LR(int) float64 { return float64(c) }

// WarmupCosine is pl_bolts' LinearWarmupCosineAnnealingLR in its closed
// form (_get_closed_form_lr): a linear warmup from WarmupStartLR that
// reaches BaseLR at t = Warmup−1, then a half cosine from BaseLR at
// t = Warmup down to EtaMin at t = Total:
//
//	t < Warmup:  WarmupStartLR + t·(BaseLR − WarmupStartLR)/max(1, Warmup−1)
//	t ≥ Warmup:  EtaMin + ½(BaseLR − EtaMin)(1 + cos(π(t − Warmup)/(Total − Warmup)))
//
// Point-JEPA steps it once per epoch (Lightning's default interval) with
// BaseLR 1e-3, WarmupStartLR 1e-5, EtaMin 1e-6, Warmup 30, Total 500, so
// the last epoch trained (t = 499) still has a learning rate slightly above
// EtaMin. Past Total the cosine rises again, as pl_bolts' does. (pl_bolts'
// recursive get_lr, which Lightning calls, gives the same values up to
// rounding, about 1e-16 relative.) pl_bolts' defaults for WarmupStartLR and
// EtaMin are 0, which the zero value gives.
type WarmupCosine struct {
	// BaseLR is the learning rate at the end of the warmup (pl_bolts takes
	// it from the optimizer: base_lr).
	BaseLR float64
	// WarmupStartLR is the learning rate at t = 0.
	WarmupStartLR float64
	// EtaMin is the learning rate at t = Total.
	EtaMin float64
	// Warmup is the number of warmup steps (warmup_epochs), ≥ 0.
	Warmup int
	// Total is the length of the schedule (max_epochs), > Warmup.
	Total int
}

// LR returns the learning rate at step t ≥ 0. It panics if Total ≤ Warmup,
// Warmup < 0 or t < 0 (programmer errors).
func (s WarmupCosine) LR(t int) float64 {
	if s.Warmup < 0 || s.Total <= s.Warmup || t < 0 {
		panic(fmt.Sprintf("nn: WarmupCosine: invalid warmup %d, total %d or step %d", s.Warmup, s.Total, t))
	}
	if t < s.Warmup {
		return s.WarmupStartLR + float64(t)*(s.BaseLR-s.WarmupStartLR)/float64(max(1, s.Warmup-1))
	}
	return s.EtaMin + 0.5*(s.BaseLR-s.EtaMin)*(1+math.Cos(math.Pi*float64(t-s.Warmup)/float64(s.Total-s.Warmup)))
}

// IJEPAWarmupCosine is I-JEPA's WarmupCosineSchedule
// (facebookresearch/ijepa src/utils/schedulers.py), stepped once per
// optimizer step and called *before* the step, so the first iteration uses
// LR(1). With T = TotalSteps − WarmupSteps:
//
//	t < WarmupSteps: StartLR + (t/max(1, WarmupSteps))·(RefLR − StartLR)
//	otherwise:       max(FinalLR, FinalLR + (RefLR − FinalLR)·½(1 + cos(π(t − WarmupSteps)/max(1, T))))
//
// I-JEPA sets WarmupSteps = int(warmup·ipe) and TotalSteps =
// int(ipe_scale·epochs·ipe). Like the reference, the cosine rises again past
// TotalSteps (with ipe_scale > 1 training stops before that).
type IJEPAWarmupCosine struct {
	StartLR, RefLR, FinalLR float64
	WarmupSteps, TotalSteps int
}

// LR returns the learning rate after t calls of the reference's step().
func (s IJEPAWarmupCosine) LR(t int) float64 {
	if t < 0 {
		panic(fmt.Sprintf("nn: IJEPAWarmupCosine: negative step %d", t))
	}
	if t < s.WarmupSteps {
		progress := float64(t) / float64(max(1, s.WarmupSteps))
		return s.StartLR + progress*(s.RefLR-s.StartLR)
	}
	progress := float64(t-s.WarmupSteps) / float64(max(1, s.TotalSteps-s.WarmupSteps))
	return math.Max(s.FinalLR, s.FinalLR+(s.RefLR-s.FinalLR)*0.5*(1+math.Cos(math.Pi*progress)))
}

// LRScheduler drives an Optimizer's learning rate with a Schedule, like a
// torch.optim.lr_scheduler: NewLRScheduler sets LR(0), and each Step
// advances the count t and sets LR(t). Call Step once per epoch (pl_bolts
// under Lightning's default interval) or once per optimizer step, matching
// how the schedule's lengths were given.
type LRScheduler struct {
	opt   Optimizer
	sched Schedule
	t     int
}

// NewLRScheduler sets opt's learning rate to s.LR(0) and returns the
// scheduler.
func NewLRScheduler(opt Optimizer, s Schedule) *LRScheduler {
	l := &LRScheduler{opt: opt, sched: s}
	opt.SetLR(s.LR(0))
	return l
}

// Step advances the schedule by one and sets the optimizer's learning rate;
// it returns the new rate.
func (l *LRScheduler) Step() float64 {
	l.t++
	lr := l.sched.LR(l.t)
	l.opt.SetLR(lr)
	return lr
}

// Last returns the number of Step calls (torch's last_epoch).
func (l *LRScheduler) Last() int { return l.t }

// SetLast restores the count after a resume and sets the learning rate to
// LR(t).
func (l *LRScheduler) SetLast(t int) {
	l.t = t
	l.opt.SetLR(l.sched.LR(t))
}
