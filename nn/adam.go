package nn

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gorgonia.org/tensor"
)

// AdamConfig holds the hyper-parameters of Adam and AdamW. The zero value
// means torch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, and weight
// decay 0 for Adam, 1e-2 for AdamW.
type AdamConfig struct {
	// LR is the learning rate; 0 means 1e-3.
	LR float64
	// Beta1 and Beta2 are the decay rates of the first and second moment
	// estimates; 0 means 0.9 and 0.999. A negative Beta1 means 0 (no
	// momentum).
	Beta1, Beta2 float64
	// Eps is added to the bias-corrected square root of the second moment;
	// 0 means 1e-8.
	Eps float64
	// WeightDecay is, for Adam, the L2 coefficient added to the gradient
	// (grad += wd·p, torch.optim.Adam; 0 means none) and, for AdamW, the
	// decoupled decay p *= 1 − lr·wd applied before the update
	// (torch.optim.AdamW; 0 means 1e-2, Point-JEPA uses 0.05). A negative
	// value means no decay in both.
	WeightDecay float64
	// NoDecay, if set, excludes every parameter for which it returns true
	// from weight decay, in addition to those with Param.NoDecay (torch
	// expresses this with a param group whose weight_decay is 0).
	// NoDecayBiasOr1D is the I-JEPA rule.
	NoDecay func(p *Param) bool
	// DecayAll applies weight decay to every parameter, ignoring
	// Param.NoDecay (torch's default single parameter group, which
	// Point-JEPA uses). NoDecay still applies when set.
	DecayAll bool
}

// NoDecayBiasOr1D reports whether p is a bias or a 1-D parameter (norm
// weights), the parameters I-JEPA puts in its weight_decay=0 group. Use it
// as AdamConfig.NoDecay.
func NoDecayBiasOr1D(p *Param) bool {
	return strings.Contains(p.Name, "bias") || len(p.Shape()) == 1
}

// Adam is torch.optim.Adam (NewAdam) or torch.optim.AdamW (NewAdamW) with
// amsgrad=False, maximize=False, working in place on parameter slices.
//
// For each parameter with a gradient g, at its t-th step (t counts the steps
// in which that parameter had a gradient, like torch's per-parameter
// state['step']):
//
//	Adam:  g ← g + wd·p                      (L2, only if wd ≠ 0)
//	AdamW: p ← p·(1 − lr·wd)                  (decoupled)
//	m ← β1·m + (1−β1)·g
//	v ← β2·v + (1−β2)·g²
//	p ← p − (lr/(1−β1^t)) · m / (√v/√(1−β2^t) + ε)
//
// The arithmetic follows torch 1.13's single-tensor CPU kernels operation by
// operation, in the parameter's precision (float32 math for float32
// parameters), including the fused multiply-adds of torch's AVX2 kernels;
// the results agree with torch 1.13 on x86-64 to the last bit in our tests
// (torch ≥ 2.0 computes m with lerp_, which differs by at most an ulp).
// Each parameter is updated in one pass over its elements; Step allocates
// only the moment buffers, on a parameter's first step.
type Adam struct {
	params    []*Param
	byName    map[string]int
	state     []adamState
	cfg       AdamConfig // defaults resolved
	decoupled bool
	lr        float64
	steps     int
	// scratch of Step: the parameters updated, their coefficients and
	// lengths
	upd  []int
	coef []adamCoef
	lens []int
	// scratch of ZeroGrad
	zlens []int
}

// adamState is the per-parameter state, allocated on the first step.
type adamState struct {
	step             int
	expAvg, expAvgSq *tensor.Dense
}

// adamCoef holds the scalars of one parameter's update.
type adamCoef struct {
	beta1, beta2, omb1, omb2 float64
	negStepSize              float64 // −lr/(1−β1^t)
	bc2Sqrt                  float64 // √(1−β2^t)
	eps                      float64
	l2                       float64 // Adam: added wd·p to the gradient (0: none)
	decay                    float64 // AdamW: multiplier 1−lr·wd (1: none)
}

// NewAdam returns torch.optim.Adam over params (weight decay, if any, is an
// L2 term added to the gradient). Buffers and parameters whose Grad is nil
// at a Step are skipped. It panics on an invalid configuration or a
// duplicate or empty parameter name (programmer errors).
func NewAdam(params []*Param, cfg AdamConfig) *Adam { return newAdam(params, cfg, false) }

// NewAdamW returns torch.optim.AdamW over params: decoupled weight decay
// p ← p·(1 − lr·wd) before the Adam update, default wd 1e-2.
func NewAdamW(params []*Param, cfg AdamConfig) *Adam { return newAdam(params, cfg, true) }

func newAdam(params []*Param, cfg AdamConfig, decoupled bool) *Adam {
	if cfg.LR == 0 {
		cfg.LR = 1e-3
	}
	switch {
	case cfg.Beta1 == 0:
		cfg.Beta1 = 0.9
	case cfg.Beta1 < 0:
		cfg.Beta1 = 0
	}
	if cfg.Beta2 == 0 {
		cfg.Beta2 = 0.999
	}
	if cfg.Eps == 0 {
		cfg.Eps = 1e-8
	}
	switch {
	case cfg.WeightDecay == 0 && decoupled:
		cfg.WeightDecay = 1e-2
	case cfg.WeightDecay < 0:
		cfg.WeightDecay = 0
	}
	if !(cfg.LR > 0) || !(cfg.Beta1 < 1) || !(cfg.Beta2 > 0 && cfg.Beta2 < 1) || !(cfg.Eps > 0) || math.IsInf(cfg.WeightDecay, 0) || math.IsNaN(cfg.WeightDecay) {
		panic(fmt.Sprintf("nn: invalid Adam configuration %+v", cfg))
	}
	a := &Adam{
		params:    append([]*Param(nil), params...),
		byName:    make(map[string]int, len(params)),
		state:     make([]adamState, len(params)),
		cfg:       cfg,
		decoupled: decoupled,
		lr:        cfg.LR,
	}
	for i, p := range params {
		if p.Name == "" {
			panic("nn: Adam: parameter without a name")
		}
		if _, dup := a.byName[p.Name]; dup {
			panic("nn: Adam: duplicate parameter " + p.Name)
		}
		a.byName[p.Name] = i
	}
	return a
}

// Params returns the parameters the optimizer updates (shared slice).
func (a *Adam) Params() []*Param { return a.params }

// Config returns the configuration with defaults resolved.
func (a *Adam) Config() AdamConfig { return a.cfg }

// Decoupled reports whether a is AdamW.
func (a *Adam) Decoupled() bool { return a.decoupled }

// LR returns the current learning rate.
func (a *Adam) LR() float64 { return a.lr }

// SetLR sets the learning rate of the next steps (torch: group['lr'] = lr).
func (a *Adam) SetLR(lr float64) { a.lr = lr }

// Steps returns the number of Step calls (restored by LoadState as the
// largest per-parameter step).
func (a *Adam) Steps() int { return a.steps }

// ZeroGrad sets every gradient to zero (split between the cores).
func (a *Adam) ZeroGrad() { a.zlens = zeroGrads(a.params, a.zlens) }

// decays reports whether weight decay applies to p.
func (a *Adam) decays(p *Param) bool {
	return a.cfg.WeightDecay != 0 && (a.cfg.DecayAll || !p.NoDecay) && (a.cfg.NoDecay == nil || !a.cfg.NoDecay(p))
}

// Step applies one Adam/AdamW update to every non-buffer parameter with a
// gradient. It panics if a gradient's length or dtype differs from its
// parameter's or a trainable parameter is not float32/float64 (programmer
// errors).
func (a *Adam) Step() {
	a.steps++
	a.upd, a.coef, a.lens = a.upd[:0], a.coef[:0], a.lens[:0]
	for i, p := range a.params {
		if p.Buffer || p.Grad == nil {
			continue
		}
		st := &a.state[i]
		if st.expAvg == nil {
			checkFloat(p.Dtype())
			st.expAvg = newDense(p.Dtype(), p.Shape()...)
			st.expAvgSq = newDense(p.Dtype(), p.Shape()...)
		}
		if p.Grad.Dtype() != p.Dtype() {
			panic(fmt.Sprintf("nn: Adam: %s is %v but its gradient is %v", p.Name, p.Dtype(), p.Grad.Dtype()))
		}
		if p.Grad.Len() != p.Len() {
			panic(fmt.Sprintf("nn: Adam: %s has %d values but %d gradients", p.Name, p.Len(), p.Grad.Len()))
		}
		if dt := p.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
			panic(fmt.Sprintf("nn: Adam: %s has dtype %v (want float32 or float64)", p.Name, dt))
		}
		st.step++
		c := adamCoef{
			beta1: a.cfg.Beta1, beta2: a.cfg.Beta2,
			omb1: 1 - a.cfg.Beta1, omb2: 1 - a.cfg.Beta2,
			negStepSize: -(a.lr / (1 - powInt(a.cfg.Beta1, st.step))),
			bc2Sqrt:     math.Sqrt(1 - powInt(a.cfg.Beta2, st.step)),
			eps:         a.cfg.Eps,
			decay:       1,
		}
		if a.decays(p) {
			if a.decoupled {
				c.decay = 1 - a.lr*a.cfg.WeightDecay
			} else {
				c.l2 = a.cfg.WeightDecay
			}
		}
		a.upd, a.coef, a.lens = append(a.upd, i), append(a.coef, c), append(a.lens, p.Len())
	}
	// The update is element-wise: split between the cores, the same bits.
	total := 0
	for _, n := range a.lens {
		total += n
	}
	if !sweepParallel(total) {
		for k, n := range a.lens {
			a.update(k, 0, n)
		}
		return
	}
	sweepParams(a.lens, a.update)
}

// update applies the step to elements lo:hi of the k-th updated parameter.
func (a *Adam) update(k, lo, hi int) {
	i := a.upd[k]
	p, st := a.params[i], &a.state[i]
	if p.Dtype() == tensor.Float32 {
		adamKernel32(p.Value.Float32s()[lo:hi], p.Grad.Float32s()[lo:hi], st.expAvg.Float32s()[lo:hi], st.expAvgSq.Float32s()[lo:hi], &a.coef[k])
		return
	}
	adamKernel64(p.Value.Float64s()[lo:hi], p.Grad.Float64s()[lo:hi], st.expAvg.Float64s()[lo:hi], st.expAvgSq.Float64s()[lo:hi], &a.coef[k])
}

// zeroGrads sets the gradients of ps to zero, split between the cores;
// lens is scratch (returned for reuse).
func zeroGrads(ps []*Param, lens []int) []int {
	lens = lens[:0]
	total := 0
	for _, p := range ps {
		n := 0
		if p.Grad != nil {
			n = p.Grad.Len()
		}
		lens = append(lens, n)
		total += n
	}
	if !sweepParallel(total) {
		for _, p := range ps {
			p.ZeroGrad()
		}
		return lens
	}
	sweepParams(lens, func(i, lo, hi int) {
		switch d := ps[i].Grad.Data().(type) {
		case []float32:
			clear(d[lo:hi])
		case []float64:
			clear(d[lo:hi])
		default:
			if lo == 0 {
				ps[i].Grad.Zero()
			}
		}
	})
	return lens
}

// adamKernel32 updates one float32 parameter in a single pass, in float32
// arithmetic in torch's operation order.
//
// Where the CPU has AVX2 and FMA, adamVector32 updates all but the last
// len(p) mod 8 parameters with the same operations (the same bits: fma32
// rounds once, as VFMADD231PS does).
func adamKernel32(p, g, m, v []float32, c *adamCoef) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	if n := adamVector32(p, g, m, v, c); n > 0 {
		p, g, m, v = p[n:], g[n:], m[n:], v[n:]
	}
	b1, b2 := float32(c.beta1), float32(c.beta2)
	omb1, omb2 := float32(c.omb1), float32(c.omb2)
	ns, bcs, eps := float32(c.negStepSize), float32(c.bc2Sqrt), float32(c.eps)
	switch {
	case c.decay != 1: // AdamW: param.mul_(1 − lr·wd)
		dec := float32(c.decay)
		for i := range p {
			pi, gi := p[i]*dec, g[i]
			mi := fma32(omb1, gi, m[i]*b1)
			vi := fma32(omb2*gi, gi, v[i]*b2)
			m[i], v[i] = mi, vi
			p[i] = pi + ns*mi/(sqrt32(vi)/bcs+eps)
		}
	case c.l2 != 0: // Adam: grad = grad.add(param, alpha=wd)
		wd := float32(c.l2)
		for i := range p {
			pi := p[i]
			gi := fma32(wd, pi, g[i])
			mi := fma32(omb1, gi, m[i]*b1)
			vi := fma32(omb2*gi, gi, v[i]*b2)
			m[i], v[i] = mi, vi
			p[i] = pi + ns*mi/(sqrt32(vi)/bcs+eps)
		}
	default:
		for i := range p {
			gi := g[i]
			mi := fma32(omb1, gi, m[i]*b1)
			vi := fma32(omb2*gi, gi, v[i]*b2)
			m[i], v[i] = mi, vi
			p[i] += ns * mi / (sqrt32(vi)/bcs + eps)
		}
	}
}

// adamKernel64 is adamKernel32 for float64.
func adamKernel64(p, g, m, v []float64, c *adamCoef) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	b1, b2, omb1, omb2 := c.beta1, c.beta2, c.omb1, c.omb2
	ns, bcs, eps := c.negStepSize, c.bc2Sqrt, c.eps
	switch {
	case c.decay != 1:
		dec := c.decay
		for i := range p {
			pi, gi := p[i]*dec, g[i]
			mi := math.FMA(omb1, gi, m[i]*b1)
			vi := math.FMA(omb2*gi, gi, v[i]*b2)
			m[i], v[i] = mi, vi
			p[i] = pi + ns*mi/(math.Sqrt(vi)/bcs+eps)
		}
	case c.l2 != 0:
		wd := c.l2
		for i := range p {
			pi := p[i]
			gi := math.FMA(wd, pi, g[i])
			mi := math.FMA(omb1, gi, m[i]*b1)
			vi := math.FMA(omb2*gi, gi, v[i]*b2)
			m[i], v[i] = mi, vi
			p[i] = pi + ns*mi/(math.Sqrt(vi)/bcs+eps)
		}
	default:
		for i := range p {
			gi := g[i]
			mi := math.FMA(omb1, gi, m[i]*b1)
			vi := math.FMA(omb2*gi, gi, v[i]*b2)
			m[i], v[i] = mi, vi
			p[i] += ns * mi / (math.Sqrt(vi)/bcs + eps)
		}
	}
}

// State suffixes and keys of Adam.State.
const (
	adamExpAvg   = ".exp_avg"
	adamExpAvgSq = ".exp_avg_sq"
	adamStep     = ".step"
	adamLRKey    = "lr"
)

// State returns the optimizer state with PyTorch's names: for each parameter
// that has taken a step, "<name>.exp_avg" and "<name>.exp_avg_sq" (same
// shape and dtype as the parameter) and "<name>.step" (a 0-dim float32
// tensor, as torch stores it), plus "lr" (0-dim float64). The moment tensors
// alias the optimizer's buffers: save them before the next Step. The map can
// be written with SaveTensors.
func (a *Adam) State() map[string]*tensor.Dense {
	out := make(map[string]*tensor.Dense, 3*len(a.params)+1)
	for i, p := range a.params {
		st := a.state[i]
		if st.expAvg == nil {
			continue
		}
		out[p.Name+adamExpAvg] = st.expAvg
		out[p.Name+adamExpAvgSq] = st.expAvgSq
		out[p.Name+adamStep] = scalarDense(float32(st.step))
	}
	out[adamLRKey] = scalarDense(a.lr)
	return out
}

// LoadState restores a state returned by State (possibly read back from a
// safetensors file; float32 and float64 tensors are converted to the
// parameter's dtype). Parameters absent from state start fresh, as in
// torch. It returns an error, and changes nothing, if a key names no
// parameter, a parameter has only part of its state, or a shape differs.
func (a *Adam) LoadState(state map[string]*tensor.Dense) error {
	type entry struct {
		m, v *tensor.Dense
		step int
		has  int // bit 0: m, 1: v, 2: step
	}
	entries := make(map[int]*entry)
	lr := a.lr
	keys := make([]string, 0, len(state))
	for k := range state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d := state[k]
		if d == nil {
			return fmt.Errorf("nn: Adam.LoadState: %q is nil", k)
		}
		if k == adamLRKey {
			v, err := denseScalar(d)
			if err != nil {
				return fmt.Errorf("nn: Adam.LoadState: %q: %v", k, err)
			}
			if !(v >= 0) || math.IsInf(v, 0) {
				return fmt.Errorf("nn: Adam.LoadState: invalid learning rate %v", v)
			}
			lr = v
			continue
		}
		var name string
		var bit int
		switch {
		case strings.HasSuffix(k, adamExpAvgSq):
			name, bit = strings.TrimSuffix(k, adamExpAvgSq), 2
		case strings.HasSuffix(k, adamExpAvg):
			name, bit = strings.TrimSuffix(k, adamExpAvg), 1
		case strings.HasSuffix(k, adamStep):
			name, bit = strings.TrimSuffix(k, adamStep), 4
		default:
			return fmt.Errorf("nn: Adam.LoadState: unexpected key %q", k)
		}
		i, ok := a.byName[name]
		if !ok {
			return fmt.Errorf("nn: Adam.LoadState: %q: no parameter %q in the optimizer", k, name)
		}
		p := a.params[i]
		e := entries[i]
		if e == nil {
			e = &entry{}
			entries[i] = e
		}
		e.has |= bit
		if bit == 4 {
			v, err := denseScalar(d)
			if err != nil {
				return fmt.Errorf("nn: Adam.LoadState: %q: %v", k, err)
			}
			if v < 1 || v != math.Trunc(v) || v > 1<<40 {
				return fmt.Errorf("nn: Adam.LoadState: %q: invalid step %v", k, v)
			}
			e.step = int(v)
			continue
		}
		if !sameShape(d.Shape(), p.Value.Shape()) || denseFloatData(d) == nil {
			return fmt.Errorf("nn: Adam.LoadState: %q is %v %v but parameter %q is %v %v", k, shapeOf(d), d.Dtype(), name, p.Shape(), p.Dtype())
		}
		if bit == 1 {
			e.m = d
		} else {
			e.v = d
		}
	}
	for i, e := range entries {
		if e.has != 7 {
			return fmt.Errorf("nn: Adam.LoadState: parameter %q needs exp_avg, exp_avg_sq and step together", a.params[i].Name)
		}
		if dt := a.params[i].Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
			return fmt.Errorf("nn: Adam.LoadState: parameter %q has dtype %v", a.params[i].Name, dt)
		}
	}
	a.lr = lr
	for i, e := range entries {
		p, st := a.params[i], &a.state[i]
		if st.expAvg == nil {
			st.expAvg = newDense(p.Dtype(), p.Shape()...)
			st.expAvgSq = newDense(p.Dtype(), p.Shape()...)
		}
		if err := copyFloats(st.expAvg, e.m); err != nil {
			panic("nn: Adam.LoadState: " + err.Error()) // checked above
		}
		if err := copyFloats(st.expAvgSq, e.v); err != nil {
			panic("nn: Adam.LoadState: " + err.Error())
		}
		st.step = e.step
		if e.step > a.steps {
			a.steps = e.step
		}
	}
	return nil
}
