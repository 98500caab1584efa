package nn

import (
	"fmt"
	"strings"

	"gorgonia.org/tensor"
)

// EMA pairs the parameters of a target (teacher) encoder with those of the
// online (student, context) encoder it follows, for the exponential moving
// average updates of JEPA target encoders. The pairing is checked once, by
// NewEMA; the updates then run allocation-free over the parameter slices.
//
// Every float32/float64 pair is averaged, buffers included; integer tensors
// (BatchNorm's num_batches_tracked) are skipped, as point2vec's EMA does.
// Pass exactly the tensors the reference averages: Graph-JEPA and I-JEPA zip
// the parameters() of the two encoders, Point-JEPA the transformer encoder
// only.
type EMA struct {
	target, online []*Param
	lens           []int // element counts of the pairs, set on first use
	total          int
}

// NewEMA pairs target[i] with online[i]. It returns an error if the lists
// differ in length, or a pair differs in shape or dtype, or in name once
// each list's common dotted prefix is removed (so "target_encoder.blocks.0.w"
// pairs with "context_encoder.blocks.0.w" but not with
// "context_encoder.blocks.1.w").
func NewEMA(target, online []*Param) (*EMA, error) {
	if len(target) != len(online) {
		return nil, fmt.Errorf("nn: EMA: %d target parameters but %d online parameters", len(target), len(online))
	}
	tp, op := dottedPrefix(target), dottedPrefix(online)
	for i, t := range target {
		o := online[i]
		if t == o {
			return nil, fmt.Errorf("nn: EMA: parameter %q is both target and online", t.Name)
		}
		if rt, ro := strings.TrimPrefix(t.Name, tp), strings.TrimPrefix(o.Name, op); rt != ro {
			return nil, fmt.Errorf("nn: EMA: pair %d: target %q (%s) does not match online %q (%s)", i, t.Name, rt, o.Name, ro)
		}
		if !sameShape(t.Value.Shape(), o.Value.Shape()) || t.Dtype() != o.Dtype() || t.Len() != o.Len() {
			return nil, fmt.Errorf("nn: EMA: target %q is %v %v but online %q is %v %v", t.Name, t.Shape(), t.Dtype(), o.Name, o.Shape(), o.Dtype())
		}
	}
	return &EMA{target: append([]*Param(nil), target...), online: append([]*Param(nil), online...)}, nil
}

// dottedPrefix returns the longest common prefix of the names that ends
// with a dot ("" if there is none).
func dottedPrefix(ps []*Param) string {
	if len(ps) == 0 {
		return ""
	}
	prefix := ps[0].Name
	for _, p := range ps[1:] {
		n := 0
		for n < len(prefix) && n < len(p.Name) && prefix[n] == p.Name[n] {
			n++
		}
		prefix = prefix[:n]
	}
	return prefix[:strings.LastIndexByte(prefix, '.')+1]
}

// EMAUpdate pairs target and online like NewEMA and applies one Update with
// momentum m. Build an EMA once instead when updating every step.
func EMAUpdate(target, online []*Param, m float64) error {
	e, err := NewEMA(target, online)
	if err != nil {
		return err
	}
	e.Update(m)
	return nil
}

// Update sets θ_t ← m·θ_t + (1−m)·θ_s for every pair, computed as I-JEPA
// and Graph-JEPA do (param_k.mul_(m).add_((1−m)·param_q)): in the
// parameter's precision, each product rounded before the sum.
func (e *EMA) Update(m float64) {
	if lens, total := e.lengths(); sweepParallel(total) {
		sweepParams(lens, func(i, lo, hi int) { e.mulAdd(i, lo, hi, m) })
		return
	}
	for i, t := range e.target {
		e.mulAdd(i, 0, t.Len(), m)
	}
}

// mulAdd applies Update(m) to elements lo:hi of pair i.
func (e *EMA) mulAdd(i, lo, hi int, m float64) {
	t := e.target[i]
	switch t.Dtype() {
	case tensor.Float32:
		emaMulAdd(t.Value.Float32s()[lo:hi], e.online[i].Value.Float32s()[lo:hi], float32(m), float32(1-m))
	case tensor.Float64:
		emaMulAdd(t.Value.Float64s()[lo:hi], e.online[i].Value.Float64s()[lo:hi], m, 1-m)
	}
}

// lengths returns the element count of every pair (0 for pairs that are
// not float32 or float64, which the updates leave alone) and their sum,
// computed once.
func (e *EMA) lengths() ([]int, int) {
	if e.lens == nil {
		e.lens = make([]int, len(e.target))
		for i, t := range e.target {
			if dt := t.Dtype(); dt == tensor.Float32 || dt == tensor.Float64 {
				e.lens[i] = t.Len()
				e.total += t.Len()
			}
		}
	}
	return e.lens, e.total
}

func emaMulAdd[T optimFloat](t, s []T, m, om T) {
	s = s[:len(t)]
	for i := range t {
		t[i] = T(t[i]*m) + T(om*s[i]) // conversions forbid fusing into an FMA
	}
}

// UpdateDiff sets θ_t ← θ_t − (1−τ)(θ_t − θ_s) for every pair, computed as
// point2vec's EMA (which Point-JEPA uses) does: difference, scale, subtract,
// each rounded. Mathematically it equals Update(τ).
func (e *EMA) UpdateDiff(tau float64) {
	if lens, total := e.lengths(); sweepParallel(total) {
		sweepParams(lens, func(i, lo, hi int) { e.subDiff(i, lo, hi, tau) })
		return
	}
	for i, t := range e.target {
		e.subDiff(i, 0, t.Len(), tau)
	}
}

// subDiff applies UpdateDiff(tau) to elements lo:hi of pair i.
func (e *EMA) subDiff(i, lo, hi int, tau float64) {
	t := e.target[i]
	switch t.Dtype() {
	case tensor.Float32:
		emaSubDiff(t.Value.Float32s()[lo:hi], e.online[i].Value.Float32s()[lo:hi], float32(1-tau))
	case tensor.Float64:
		emaSubDiff(t.Value.Float64s()[lo:hi], e.online[i].Value.Float64s()[lo:hi], 1-tau)
	}
}

func emaSubDiff[T optimFloat](t, s []T, om T) {
	s = s[:len(t)]
	for i := range t {
		t[i] -= T(T(t[i]-s[i]) * om)
	}
}

// Copy sets θ_t ← θ_s for every float pair.
func (e *EMA) Copy() {
	for i, t := range e.target {
		if t.Dtype() == tensor.Float32 || t.Dtype() == tensor.Float64 {
			t.CopyFrom(e.online[i])
		}
	}
}

// LinearMomentum is the EMA momentum ramp of I-JEPA and Graph-JEPA, the
// generator (Start + i·(End−Start)/Total for i in range(Total+1)). The
// zero values of Start and End mean their [0.996, 1.0]. I-JEPA takes one
// value per optimizer step (i = 0 for the first update) with Total =
// ipe·epochs·ipe_scale; see GraphJEPAMomentum for Graph-JEPA's per-epoch
// use.
type LinearMomentum struct {
	Start, End float64
	// Total is the number of steps of the ramp (> 0).
	Total int
}

// At returns the momentum at step i; i is clamped to [0, Total] (the
// reference generator would be exhausted past Total).
func (s LinearMomentum) At(i int) float64 {
	if s.Total <= 0 {
		panic(fmt.Sprintf("nn: LinearMomentum: total %d steps", s.Total))
	}
	if s.Start == 0 {
		s.Start = 0.996
	}
	if s.End == 0 {
		s.End = 1
	}
	i = min(max(i, 0), s.Total)
	return s.Start + float64(i)*(s.End-s.Start)/float64(s.Total)
}

// GraphJEPAMomentum returns the momentum Graph-JEPA uses during a whole
// epoch (0-based): its trainer builds the per-step ramp over
// itersPerEpoch·epochs steps but advances it once per epoch, so
// m = 0.996 + epoch·0.004/(itersPerEpoch·epochs) and never nears 1
// (spec/graph-jepa.md §9).
func GraphJEPAMomentum(epoch, itersPerEpoch, epochs int) float64 {
	return LinearMomentum{Total: itersPerEpoch * epochs}.At(epoch)
}

// PointJEPAMomentum is the EMA decay schedule of point2vec's EMA class,
// which Point-JEPA uses with update_after_step=0 and update_every=1: at
// update call k (0-based, one call after every optimizer step)
//
//	τ(k) = clamp(TauMin + (TauMax − TauMin)·k/TauSteps, TauMin, TauMax)  for 0 < k < TauSteps,
//	τ(k) = TauMax for k ≥ TauSteps,
//
// and calls 0 and 1 copy the student instead (call 0 because step ≤
// update_after_step, call 1 because the 'initted' flag is still false; its
// average with τ(1) then changes nothing). The zero values of TauMin and
// TauMax mean Point-JEPA's released config, 0.9995 and 0.99999; TauSteps is
// estimated_stepping_batches·ema_tau_epochs/max_epochs (40,500 there);
// TauSteps 0 means a constant TauMax. Use it as
//
//	if s.Copies(k) { ema.Copy() } else { ema.UpdateDiff(s.Tau(k)) }
type PointJEPAMomentum struct {
	TauMin, TauMax float64
	TauSteps       int
}

// Copies reports whether update call k copies the student.
func (s PointJEPAMomentum) Copies(k int) bool { return k <= 1 }

// Tau returns the decay of update call k (0 for k ≤ 0, as the reference's
// get_current_decay).
func (s PointJEPAMomentum) Tau(k int) float64 {
	if s.TauMin == 0 {
		s.TauMin = 0.9995
	}
	if s.TauMax == 0 {
		s.TauMax = 0.99999
	}
	if k <= 0 {
		return 0
	}
	v := s.TauMax
	if k < s.TauSteps {
		v = s.TauMin + (s.TauMax-s.TauMin)*float64(k)/float64(s.TauSteps)
	}
	return min(max(v, s.TauMin), s.TauMax)
}
