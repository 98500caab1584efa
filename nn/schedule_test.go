package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Expected values of the closed forms, from /usr/bin/python3 (math.cos):
//
//	import math
//	# pl_bolts LinearWarmupCosineAnnealingLR._get_closed_form_lr, Point-JEPA settings
//	def plb(e, base=1e-3, ws=1e-5, eta=1e-6, w=30, M=500):
//	    if e < w:
//	        return ws + e * (base - ws) / max(1, w - 1)
//	    return eta + 0.5 * (base - eta) * (1 + math.cos(math.pi * (e - w) / (M - w)))
//	print([(e, plb(e)) for e in (0, 1, 28, 29, 30, 31, 265, 499, 500)])
//	print([(e, plb(e, w=1, M=10)) for e in (0, 1, 2, 9)])
//	print([(e, plb(e, w=0, M=10, eta=0)) for e in (0, 1, 5, 9, 10)])
//	# I-JEPA WarmupCosineSchedule after `step` calls of step() (src/utils/schedulers.py)
//	def ij(step, warm=5, start=2e-4, ref=1e-3, final=1e-6, T=20):
//	    Tm = T - warm
//	    if step < warm:
//	        return start + float(step) / float(max(1, warm)) * (ref - start)
//	    progress = float(step - warm) / float(max(1, Tm))
//	    return max(final, final + (ref - final) * 0.5 * (1. + math.cos(math.pi * progress)))
//	print([(s, ij(s)) for s in (0, 1, 4, 5, 6, 12, 19, 20, 25)])
type lrAt struct {
	t  int
	lr float64
}

func TestWarmupCosinePointJEPA(t *testing.T) {
	s := WarmupCosine{BaseLR: 1e-3, WarmupStartLR: 1e-5, EtaMin: 1e-6, Warmup: 30, Total: 500}
	// Boundaries: first step, last warmup steps, first cosine steps, middle,
	// last trained epoch, end.
	for _, c := range []lrAt{{0, 1e-05}, {1, 4.413793103448276e-05}, {28, 0.0009658620689655173}, {29, 0.001}, {30, 0.001}, {31, 0.000999988841446258}, {265, 0.0005005000000000001}, {499, 1.0111585537420217e-06}, {500, 1e-06}} {
		// Near the end 1+cos cancels, so compare relative to BaseLR: Go's
		// math.Cos and glibc's cos may differ by an ulp.
		assert.InDelta(t, c.lr, s.LR(c.t), 1e-14*s.BaseLR, "t=%d", c.t)
	}
	// The spec's closed form (spec/point-jepa.md §1.10): 1e-5 + e·(1e-3 − 1e-5)/29.
	for e := 0; e < 30; e++ {
		assert.InEpsilon(t, 1e-5+float64(e)*(1e-3-1e-5)/29, s.LR(e), 1e-15)
	}
	w1 := WarmupCosine{BaseLR: 1e-3, WarmupStartLR: 1e-5, EtaMin: 1e-6, Warmup: 1, Total: 10}
	for _, c := range []lrAt{{0, 1e-05}, {1, 0.001}, {2, 0.0009698764640825614}, {9, 3.11235359174388e-05}} {
		assert.InDelta(t, c.lr, w1.LR(c.t), 1e-14*w1.BaseLR, "warmup 1, t=%d", c.t)
	}
	w0 := WarmupCosine{BaseLR: 1e-3, Total: 10}
	for _, c := range []lrAt{{0, 0.001}, {1, 0.0009755282581475768}, {5, 0.0005}, {9, 2.4471741852423235e-05}} {
		assert.InDelta(t, c.lr, w0.LR(c.t), 1e-14*w0.BaseLR, "warmup 0, t=%d", c.t)
	}
	assert.InDelta(t, 0, w0.LR(10), 1e-20)
	assert.Panics(t, func() { WarmupCosine{Warmup: 5, Total: 5}.LR(0) })
	assert.Panics(t, func() { s.LR(-1) })
}

func TestIJEPAWarmupCosine(t *testing.T) {
	s := IJEPAWarmupCosine{StartLR: 2e-4, RefLR: 1e-3, FinalLR: 1e-6, WarmupSteps: 5, TotalSteps: 20}
	for _, c := range []lrAt{{0, 0.0002}, {1, 0.00036}, {4, 0.00084}, {5, 0.001}, {6, 0.000989084726566536}, {12, 0.000552711967402193}, {19, 1.191527343346406e-05}, {20, 1e-06}, {25, 0.00025074999999999983}} {
		assert.InDelta(t, c.lr, s.LR(c.t), 1e-14*s.RefLR, "t=%d", c.t)
	}
}

func TestLRScheduler(t *testing.T) {
	opt := NewAdamW(nil, AdamConfig{LR: 0.5})
	s := WarmupCosine{BaseLR: 1e-3, WarmupStartLR: 1e-5, EtaMin: 1e-6, Warmup: 30, Total: 500}
	l := NewLRScheduler(opt, s)
	assert.Equal(t, s.LR(0), opt.LR())
	for e := 1; e <= 31; e++ {
		assert.Equal(t, s.LR(e), l.Step())
		assert.Equal(t, s.LR(e), opt.LR())
	}
	assert.Equal(t, 31, l.Last())
	l.SetLast(499)
	assert.Equal(t, s.LR(499), opt.LR())
	c := NewLRScheduler(opt, ConstantLR(0.25))
	c.Step()
	assert.Equal(t, 0.25, opt.LR())
}

// Learning rates after each ReduceLROnPlateau.step(loss), torch 1.13.1:
//
//	import torch
//	losses = [1.0, 0.9, 0.95, 0.9, 0.89995, 0.8999, 0.91, 0.92, 0.93, 0.5, 0.5, 0.5, 0.5, 0.5,
//	          0.49999, 0.6, 0.7, float('nan'), 0.8, 0.9, 1.0, 1.1, 1.2]
//	cfgs = [("gj", dict(mode='min', factor=0.5, patience=2)),
//	        ("cool", dict(mode='min', factor=0.5, patience=1, cooldown=2, min_lr=0.02)),
//	        ("absmax", dict(mode='max', factor=0.1, patience=1, threshold=0.01, threshold_mode='abs')),
//	        ("default", dict())]
//	for name, kw in cfgs:
//	    p = torch.nn.Parameter(torch.zeros(1))
//	    opt = torch.optim.Adam([p], lr=0.1)
//	    s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
//	    out = []
//	    for l in losses:
//	        s.step(l)
//	        out.append(repr(opt.param_groups[0]['lr']))
//	    print(name, ", ".join(out))
func TestReduceLROnPlateauMatchesTorch(t *testing.T) {
	losses := []float64{1.0, 0.9, 0.95, 0.9, 0.89995, 0.8999, 0.91, 0.92, 0.93, 0.5, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.6, 0.7, math.NaN(), 0.8, 0.9, 1.0, 1.1, 1.2}
	for _, tc := range []struct {
		name string
		cfg  PlateauConfig
		want []float64
	}{
		{"gj", PlateauConfig{Factor: 0.5, Patience: 2},
			[]float64{0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.00625, 0.00625, 0.00625, 0.003125, 0.003125, 0.003125, 0.0015625, 0.0015625}},
		{"cool", PlateauConfig{Factor: 0.5, Patience: 1, Cooldown: 2, MinLR: 0.02},
			[]float64{0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02}},
		{"absmax", PlateauConfig{Maximize: true, Factor: 0.1, Patience: 1, Threshold: 0.01, AbsThreshold: true},
			[]float64{0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002, 0.00010000000000000003, 0.00010000000000000003, 1.0000000000000004e-05, 1.0000000000000004e-05, 1.0000000000000004e-06, 1.0000000000000004e-06, 1.0000000000000005e-07, 1.0000000000000005e-07, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08}},
		{"default", PlateauConfig{},
			[]float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002}},
	} {
		opt := NewAdam(nil, AdamConfig{LR: 0.1})
		r := NewReduceLROnPlateau(opt, tc.cfg)
		prev := opt.LR()
		for i, l := range losses {
			reduced := r.Step(l)
			assert.Equal(t, tc.want[i], opt.LR(), "%s step %d", tc.name, i)
			assert.Equal(t, opt.LR() < prev, reduced, "%s step %d", tc.name, i)
			prev = opt.LR()
		}
		assert.Equal(t, len(losses), r.State().LastEpoch)
	}
}

func TestReduceLROnPlateauConfig(t *testing.T) {
	opt := NewAdam(nil, AdamConfig{})
	r := NewReduceLROnPlateau(opt, PlateauConfig{})
	assert.Equal(t, PlateauConfig{Factor: 0.1, Patience: 10, Threshold: 1e-4, Eps: 1e-8}, r.Config())
	assert.Equal(t, math.Inf(1), r.State().Best)
	r0 := NewReduceLROnPlateau(opt, PlateauConfig{Patience: -1, Threshold: -1, Factor: 0.5})
	assert.Equal(t, 0, r0.Config().Patience)
	assert.Equal(t, 0.0, r0.Config().Threshold)
	// Patience 0: every non-improving step reduces.
	r0.Step(1)
	assert.True(t, r0.Step(1))
	assert.Equal(t, 5e-4, opt.LR())
	st := r0.State()
	r1 := NewReduceLROnPlateau(opt, PlateauConfig{Patience: -1, Factor: 0.5})
	r1.SetState(st)
	assert.Equal(t, st, r1.State())
	assert.Panics(t, func() { NewReduceLROnPlateau(opt, PlateauConfig{Factor: 1}) })
}
