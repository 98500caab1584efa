package jepa

import "github.com/nongrid/jepa/nn"

// Momentum returns the EMA momentum of the target update that follows
// optimizer step `step` (1-based) in epoch `epoch` (0-based), and whether
// that update is a plain copy of the online encoder instead. c must be
// resolved (Config.Resolve), so Start, End and Total are set:
//
//	MomentumLinear:      Start + (step−1)·(End−Start)/Total, clamped at End (I-JEPA)
//	MomentumLinearEpoch: Start + epoch·(End−Start)/Total (Graph-JEPA: the
//	                     per-step ramp advanced once per epoch; with Total =
//	                     ipe·epochs it never nears End)
//	MomentumPointJEPA:   copy for steps 1 and 2, then
//	                     clamp(Start + (End−Start)·(step−1)/Total, Start, End) (point2vec)
//	MomentumConstant:    Start
func (c EMAConfig) Momentum(step, epoch int) (m float64, copyOnline bool) {
	switch c.Schedule {
	case MomentumLinearEpoch:
		return nn.LinearMomentum{Start: c.Start, End: c.End, Total: c.Total}.At(epoch), false
	case MomentumPointJEPA:
		s := nn.PointJEPAMomentum{TauMin: c.Start, TauMax: c.End, TauSteps: c.Total}
		if s.Copies(step - 1) {
			return 0, true
		}
		return s.Tau(step - 1), false
	case MomentumConstant:
		return c.Start, false
	default:
		return nn.LinearMomentum{Start: c.Start, End: c.End, Total: c.Total}.At(step - 1), false
	}
}

// ApplyEMA performs the target update that follows step `step` of epoch
// `epoch` with the momentum of Momentum and returns the momentum (0 for a
// copy): θ_t ← m·θ_t + (1−m)·θ_s (nn.EMA.Update, the I-JEPA/Graph-JEPA
// arithmetic), or θ_t ← θ_t − (1−m)(θ_t − θ_s) for MomentumPointJEPA
// (nn.EMA.UpdateDiff, point2vec's arithmetic).
func (c EMAConfig) ApplyEMA(e *nn.EMA, step, epoch int) float64 {
	m, cp := c.Momentum(step, epoch)
	switch {
	case cp:
		e.Copy()
		return 0
	case c.Schedule == MomentumPointJEPA:
		e.UpdateDiff(m)
	default:
		e.Update(m)
	}
	return m
}
