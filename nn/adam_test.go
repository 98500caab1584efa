package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// The expected values below were computed with torch 1.13.1 (Debian
// python3-torch 1.13.1+dfsg-4, /usr/bin/python3, x86-64 with AVX2) by:
//
//	import torch
//	torch.set_num_threads(1)
//	P1 = [[0.5, -1.25, 2.0], [-0.75, 0.1, 3.5]]
//	P2 = [0.2, -0.3, 0.4]
//	G1 = [[[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6]],
//	      [[-0.05, 0.25, 0.0], [1.5, -0.01, 0.2]],
//	      [[0.3, 0.3, -0.7], [0.02, 0.9, -1e-4]]]
//	G2 = [[0.01, -0.02, 0.5], [0.3, 0.0, -0.25], [-0.6, 0.12, 0.07]]
//	cases = [
//	    ("adam_default", torch.optim.Adam, {}, None),
//	    ("adam_l2", torch.optim.Adam, dict(lr=0.01, weight_decay=0.1), 0.0),
//	    ("adamw_pj", torch.optim.AdamW, dict(lr=0.01, weight_decay=0.05), 0.0),
//	    ("adamw_default", torch.optim.AdamW, {}, None),
//	]
//	for dt in (torch.float64, torch.float32):
//	    for name, cls, kw, p2wd in cases:
//	        p1 = torch.nn.Parameter(torch.tensor(P1, dtype=dt))
//	        p2 = torch.nn.Parameter(torch.tensor(P2, dtype=dt))
//	        groups = [{"params": [p1]}, {"params": [p2]} if p2wd is None
//	                  else {"params": [p2], "weight_decay": p2wd}]
//	        opt = cls(groups, **kw)
//	        for k in range(3):
//	            p1.grad = torch.tensor(G1[k], dtype=dt)
//	            p2.grad = torch.tensor(G2[k], dtype=dt)
//	            opt.step()
//	        f = lambda t: [repr(float(x)) for x in t.detach().reshape(-1)]
//	        print(dt, name, "p1", ", ".join(f(p1)))
//	        print(dt, name, "p2", ", ".join(f(p2)))
//	        if name == "adam_l2":
//	            st = opt.state[p1]
//	            print(dt, name, "p1.exp_avg", ", ".join(f(st["exp_avg"])))
//	            print(dt, name, "p1.exp_avg_sq", ", ".join(f(st["exp_avg_sq"])))
//
// p2 plays a bias in a weight_decay=0 group, which here is Param.NoDecay.
// (A 4099-element random cross-check over 5 steps agreed bit for bit in
// float32 and float64 for Adam, Adam+L2 and AdamW.)
var (
	adamP1 = []float64{0.5, -1.25, 2.0, -0.75, 0.1, 3.5}
	adamP2 = []float64{0.2, -0.3, 0.4}
	adamG1 = [][]float64{
		{0.1, -0.2, 0.3, -0.4, 0.5, -0.6},
		{-0.05, 0.25, 0.0, 1.5, -0.01, 0.2},
		{0.3, 0.3, -0.7, 0.02, 0.9, -1e-4},
	}
	adamG2 = [][]float64{{0.01, -0.02, 0.5}, {0.3, 0.0, -0.25}, {-0.6, 0.12, 0.07}}
)

type adamCase struct {
	name      string
	decoupled bool
	cfg       AdamConfig
	p2NoDecay bool
	p1, p2    []float64
}

var adamCases64 = []adamCase{
	{"adam_default", false, AdamConfig{}, false,
		[]float64{0.4980631625651246, -1.2496914528095828, 1.9987133343998424, -0.7499770852413709, 0.09754068147745484, 3.501709689751406},
		[]float64{0.19854050300791862, -0.29887501276944084, 0.3984499392391762}},
	{"adam_l2", false, AdamConfig{LR: 0.01, WeightDecay: 0.1}, true,
		[]float64{0.47544937554104005, -1.2368777310364438, 1.9803079291094772, -0.7485311499379628, 0.07521414733175368, 3.5001052989661643},
		[]float64{0.185405030079186, -0.2887501276944081, 0.384499392391762}},
	{"adamw_pj", true, AdamConfig{LR: 0.01, WeightDecay: 0.05}, true,
		[]float64{0.47989332977277604, -1.245049649277807, 1.9841481915392056, -0.7486536799872365, 0.07527016244648232, 3.511837523483913},
		[]float64{0.185405030079186, -0.2887501276944081, 0.384499392391762}},
	{"adamw_default", true, AdamConfig{}, false,
		[]float64{0.49804818537839224, -1.2496539715571582, 1.9986533617003224, -0.7499546000016047, 0.09753770805772362, 3.501604666799318},
		[]float64{0.19853453072815702, -0.2988660395599084, 0.3984379620224458}},
}

var adamCases32 = []adamCase{
	{"adam_default", false, AdamConfig{}, false,
		[]float64{0.49806317687034607, -1.249691367149353, 1.9987132549285889, -0.7499771118164062, 0.09754067659378052, 3.5017096996307373},
		[]float64{0.19854049384593964, -0.2988750636577606, 0.39844995737075806}},
	{"adam_l2", false, AdamConfig{LR: 0.01, WeightDecay: 0.1}, true,
		[]float64{0.4754493832588196, -1.2368777990341187, 1.980307936668396, -0.7485311627388, 0.07521414756774902, 3.500105142593384},
		[]float64{0.18540503084659576, -0.28875014185905457, 0.3844994008541107}},
	{"adamw_pj", true, AdamConfig{LR: 0.01, WeightDecay: 0.05}, true,
		[]float64{0.479893296957016, -1.2450494766235352, 1.9841479063034058, -0.7486536502838135, 0.0752701610326767, 3.5118372440338135},
		[]float64{0.18540503084659576, -0.28875014185905457, 0.3844994008541107}},
	{"adamw_default", true, AdamConfig{}, false,
		[]float64{0.49804815649986267, -1.2496538162231445, 1.9986531734466553, -0.7499545812606812, 0.09753770381212234, 3.5016045570373535},
		[]float64{0.1985345184803009, -0.2988660931587219, 0.3984379768371582}},
}

// newTestParam returns a parameter of dtype dt holding vals.
func newTestParam(name string, dt tensor.Dtype, vals []float64, shape ...int) *Param {
	p := NewParam(name, dt, shape...)
	setFloats(p.Value, vals)
	return p
}

// setFloats writes vals into a float32 or float64 tensor.
func setFloats(d *tensor.Dense, vals []float64) {
	switch x := denseFloatData(d).(type) {
	case []float32:
		for i, v := range vals {
			x[i] = float32(v)
		}
	case []float64:
		copy(x, vals)
	}
}

// floats returns the data of a float32 or float64 tensor as float64.
func floats(d *tensor.Dense) []float64 {
	switch x := denseFloatData(d).(type) {
	case []float32:
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return append([]float64(nil), x...)
	}
	return nil
}

func assertClose(t *testing.T, want, got []float64, tol float64, msg string) {
	t.Helper()
	require.Len(t, got, len(want), msg)
	for i := range want {
		assert.InDelta(t, want[i], got[i], tol*math.Max(1, math.Abs(want[i])), "%s[%d]", msg, i)
	}
}

// runAdamCase runs three steps of the torch script above.
func runAdamCase(dt tensor.Dtype, c adamCase) (*Adam, *Param, *Param) {
	p1 := newTestParam("layer.weight", dt, adamP1, 2, 3)
	p2 := newTestParam("layer.bias", dt, adamP2, 3)
	p2.NoDecay = c.p2NoDecay
	var opt *Adam
	if c.decoupled {
		opt = NewAdamW([]*Param{p1, p2}, c.cfg)
	} else {
		opt = NewAdam([]*Param{p1, p2}, c.cfg)
	}
	for k := range adamG1 {
		opt.ZeroGrad()
		setFloats(p1.Grad, adamG1[k])
		setFloats(p2.Grad, adamG2[k])
		opt.Step()
	}
	return opt, p1, p2
}

func TestAdamMatchesTorch(t *testing.T) {
	for _, tc := range []struct {
		dt    tensor.Dtype
		tol   float64
		cases []adamCase
	}{{Float64, 1e-12, adamCases64}, {Float32, 1e-6, adamCases32}} {
		for _, c := range tc.cases {
			t.Run(fmt.Sprintf("%v/%s", tc.dt, c.name), func(t *testing.T) {
				opt, p1, p2 := runAdamCase(tc.dt, c)
				assertClose(t, c.p1, floats(p1.Value), tc.tol, "p1")
				assertClose(t, c.p2, floats(p2.Value), tc.tol, "p2")
				assert.Equal(t, 3, opt.Steps())
			})
		}
	}
}

func TestAdamStateMatchesTorch(t *testing.T) {
	// exp_avg and exp_avg_sq of p1 after the adam_l2 case (same script).
	wantM := []float64{0.04689349201235777, 0.0026505603375280417, 0.008220218890238383, 0.08441556269806885, 0.1320531402910093, 0.0643899034427706}
	wantV := []float64{0.00014379323803556608, 0.00015237527846888066, 0.0005409630618105993, 0.002259586136253723, 0.0010846469965805215, 0.0004885220346159548}
	opt, _, _ := runAdamCase(Float64, adamCases64[1])
	st := opt.State()
	require.Len(t, st, 7) // 2 params × 3 + lr
	assertClose(t, wantM, floats(st["layer.weight.exp_avg"]), 1e-12, "exp_avg")
	assertClose(t, wantV, floats(st["layer.weight.exp_avg_sq"]), 1e-12, "exp_avg_sq")
	step := st["layer.weight.step"]
	assert.Equal(t, tensor.Float32, step.Dtype())
	assert.Equal(t, 0, len(step.Shape()))
	assert.Equal(t, float32(3), step.Float32s()[0])
	lr, err := denseScalar(st["lr"])
	require.NoError(t, err)
	assert.Equal(t, 0.01, lr)
}

// TestAdamStateRoundTrip checks that saving the state after one step and
// restoring it into a fresh optimizer gives the same trajectory.
func TestAdamStateRoundTrip(t *testing.T) {
	for _, dt := range []tensor.Dtype{Float32, Float64} {
		ref, p1, p2 := runAdamCase(dt, adamCases64[2])

		q1 := newTestParam("layer.weight", dt, adamP1, 2, 3)
		q2 := newTestParam("layer.bias", dt, adamP2, 3)
		q2.NoDecay = true
		opt := NewAdamW([]*Param{q1, q2}, adamCases64[2].cfg)
		setFloats(q1.Grad, adamG1[0])
		setFloats(q2.Grad, adamG2[0])
		opt.Step()

		// Copy the state (float64 on purpose: conversion must work) and restore.
		saved := map[string]*tensor.Dense{}
		for k, v := range opt.State() {
			c := tensor.New(tensor.Of(tensor.Float64), tensor.WithShape(v.Shape()...))
			if v.Dtype() == tensor.Float32 && len(v.Shape()) == 0 {
				c = scalarDense(float64(v.Float32s()[0]))
			} else {
				require.NoError(t, copyFloats(c, v))
			}
			saved[k] = c
		}
		opt2 := NewAdamW([]*Param{q1, q2}, AdamConfig{LR: 0.5, WeightDecay: 0.05})
		require.NoError(t, opt2.LoadState(saved))
		assert.Equal(t, 0.01, opt2.LR())
		assert.Equal(t, 1, opt2.Steps())
		for k := 1; k < 3; k++ {
			setFloats(q1.Grad, adamG1[k])
			setFloats(q2.Grad, adamG2[k])
			opt2.Step()
		}
		assert.Equal(t, floats(p1.Value), floats(q1.Value), "%v", dt)
		assert.Equal(t, floats(p2.Value), floats(q2.Value), "%v", dt)
		assert.Equal(t, 3, ref.Steps())
	}
}

func TestAdamLoadStateErrors(t *testing.T) {
	p := NewParam("w", Float32, 2)
	opt := NewAdam([]*Param{p}, AdamConfig{})
	good := func() map[string]*tensor.Dense {
		return map[string]*tensor.Dense{
			"w.exp_avg":    tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2})),
			"w.exp_avg_sq": tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2})),
			"w.step":       scalarDense(float32(4)),
		}
	}
	for name, mutate := range map[string]func(map[string]*tensor.Dense){
		"unknown param": func(m map[string]*tensor.Dense) { m["v.exp_avg"] = m["w.exp_avg"] },
		"unknown key":   func(m map[string]*tensor.Dense) { m["w.momentum"] = m["w.exp_avg"] },
		"partial":       func(m map[string]*tensor.Dense) { delete(m, "w.exp_avg_sq") },
		"shape": func(m map[string]*tensor.Dense) {
			m["w.exp_avg"] = tensor.New(tensor.WithShape(3), tensor.WithBacking([]float32{1, 2, 3}))
		},
		"int dtype": func(m map[string]*tensor.Dense) {
			m["w.exp_avg"] = tensor.New(tensor.WithShape(2), tensor.WithBacking([]int64{1, 2}))
		},
		"step":   func(m map[string]*tensor.Dense) { m["w.step"] = scalarDense(float32(0.5)) },
		"lr":     func(m map[string]*tensor.Dense) { m["lr"] = scalarDense(math.NaN()) },
		"nil":    func(m map[string]*tensor.Dense) { m["w.step"] = nil },
		"lrsize": func(m map[string]*tensor.Dense) { m["lr"] = m["w.exp_avg"] },
	} {
		m := good()
		mutate(m)
		err := opt.LoadState(m)
		assert.Error(t, err, name)
	}
	// Nothing was changed by the failed loads.
	assert.Empty(t, opt.State()["w.exp_avg"])
	require.NoError(t, opt.LoadState(good()))
	assert.Equal(t, 4, opt.Steps())
}

func TestAdamSkipsBuffersAndNilGrads(t *testing.T) {
	w := newTestParam("w", Float32, []float64{1, 2}, 2)
	buf := NewBuffer("bn.running_mean", Float32, 2)
	setFloats(buf.Value, []float64{5, 6})
	frozen := newTestParam("frozen", Float64, []float64{3}, 1)
	frozen.Grad = nil
	// A buffer that somehow has a gradient must still be skipped.
	buf.Grad = newDense(Float32, 2)
	setFloats(buf.Grad, []float64{1, 1})
	opt := NewAdamW([]*Param{w, buf, frozen}, AdamConfig{LR: 0.1})
	setFloats(w.Grad, []float64{1, -1})
	opt.Step()
	assert.Equal(t, []float64{5, 6}, floats(buf.Value))
	assert.Equal(t, []float64{3}, floats(frozen.Value))
	assert.NotEqual(t, []float64{1, 2}, floats(w.Value))
	st := opt.State()
	assert.Contains(t, st, "w.exp_avg")
	assert.NotContains(t, st, "frozen.exp_avg")
	assert.NotContains(t, st, "bn.running_mean.exp_avg")
}

func TestAdamNoDecayPredicate(t *testing.T) {
	// With the predicate excluding p2, AdamW equals the NoDecay case.
	c := adamCases64[2]
	p1 := newTestParam("layer.weight", Float64, adamP1, 2, 3)
	p2 := newTestParam("layer.bias", Float64, adamP2, 3)
	cfg := c.cfg
	cfg.NoDecay = NoDecayBiasOr1D
	opt := NewAdamW([]*Param{p1, p2}, cfg)
	for k := range adamG1 {
		setFloats(p1.Grad, adamG1[k])
		setFloats(p2.Grad, adamG2[k])
		opt.Step()
	}
	assertClose(t, c.p1, floats(p1.Value), 1e-12, "p1")
	assertClose(t, c.p2, floats(p2.Value), 1e-12, "p2")
	assert.True(t, NoDecayBiasOr1D(NewParam("norm.weight", Float32, 4)))
	assert.False(t, NoDecayBiasOr1D(NewParam("fc.weight", Float32, 4, 4)))
}

func TestAdamConfigDefaults(t *testing.T) {
	a := NewAdam(nil, AdamConfig{})
	assert.Equal(t, AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, a.Config())
	w := NewAdamW(nil, AdamConfig{})
	assert.Equal(t, 1e-2, w.Config().WeightDecay)
	assert.True(t, w.Decoupled())
	assert.Equal(t, 0.0, NewAdamW(nil, AdamConfig{WeightDecay: -1}).Config().WeightDecay)
	assert.Equal(t, 0.0, NewAdam(nil, AdamConfig{Beta1: -1}).Config().Beta1)
	assert.Panics(t, func() { NewAdam(nil, AdamConfig{Beta2: 1}) })
	assert.Panics(t, func() { NewAdam(nil, AdamConfig{LR: -1}) })
	p := NewParam("x", Float32, 1)
	assert.Panics(t, func() { NewAdam([]*Param{p, p}, AdamConfig{}) })
	var _ Optimizer = a
}

func TestPowInt(t *testing.T) {
	// Python: repr(0.9**s), repr(0.999**s) (C pow, correctly rounded).
	want9 := []float64{0.9, 0.81, 0.7290000000000001, 0.6561, 0.5904900000000001}
	want999 := []float64{0.999, 0.998001, 0.997002999, 0.996005996001, 0.995009990004999}
	for s := 1; s <= 5; s++ {
		assert.Equal(t, want9[s-1], powInt(0.9, s))
		assert.Equal(t, want999[s-1], powInt(0.999, s))
	}
	assert.Equal(t, 1.0, powInt(0.9, 0))
	// Large exponents: Python's 0.999**n, equal to float(Fraction(0.999)**n),
	// the correctly rounded value; math.Pow is about 1e-13 off at n=12345.
	assert.Equal(t, 0.9047921471137089, powInt(0.999, 100))
	assert.Equal(t, 4.324661796025634e-06, powInt(0.999, 12345))
	assert.Equal(t, 2.5250684310339714e-18, powInt(0.999, 40500))
}

func TestAdamStepDoesNotAllocate(t *testing.T) {
	for _, dt := range []tensor.Dtype{Float32, Float64} {
		p := NewParam("w", dt, 64, 32)
		b := NewParam("b", dt, 32)
		opt := NewAdamW([]*Param{p, b}, AdamConfig{})
		opt.Step()
		allocs := testing.AllocsPerRun(10, opt.Step)
		assert.Zero(t, allocs, "%v", dt)
	}
}

func ExampleAdam() {
	// One AdamW step on w = [1, -2] with gradient [0.5, 0.5]: the first Adam
	// step moves every coordinate by about lr against the gradient's sign.
	w := NewParam("w", Float64, 2)
	copy(w.Float64s(), []float64{1, -2})
	opt := NewAdamW([]*Param{w}, AdamConfig{LR: 0.1, WeightDecay: 0.05})
	copy(w.GradFloat64s(), []float64{0.5, 0.5})
	opt.Step()
	fmt.Printf("%.6f\n", w.Float64s())
	// Output: [0.895000 -2.090000]
}

// adamMultiPass32 is the baseline of BenchmarkAdamStep: the same float32
// AdamW update done op by op over whole slices, the way torch's
// single-tensor implementation runs one kernel per operation (mul_, add_,
// mul_, addcmul_, sqrt, div, add_, addcdiv_), with its temporary buffer.
func adamMultiPass32(p, g, m, v, tmp []float32, c *adamCoef) {
	dec, b1, b2 := float32(c.decay), float32(c.beta1), float32(c.beta2)
	omb1, omb2 := float32(c.omb1), float32(c.omb2)
	ns, bcs, eps := float32(c.negStepSize), float32(c.bc2Sqrt), float32(c.eps)
	for i := range p {
		p[i] *= dec
	}
	for i := range m {
		m[i] *= b1
	}
	for i := range m {
		m[i] = fma32(omb1, g[i], m[i])
	}
	for i := range v {
		v[i] *= b2
	}
	for i := range v {
		v[i] = fma32(omb2*g[i], g[i], v[i])
	}
	for i := range v {
		tmp[i] = sqrt32(v[i])
	}
	for i := range tmp {
		tmp[i] /= bcs
	}
	for i := range tmp {
		tmp[i] += eps
	}
	for i := range p {
		p[i] += ns * m[i] / tmp[i]
	}
}

// BenchmarkAdamStep times one AdamW step over 2^20 parameters: the fused
// kernel (Adam.Step) against the op-by-op baseline, in the same run.
func BenchmarkAdamStep(b *testing.B) {
	const n = 1 << 20
	for _, dt := range []tensor.Dtype{Float32, Float64} {
		b.Run("fused/"+dt.String(), func(b *testing.B) {
			p := NewParam("w", dt, n)
			opt := NewAdamW([]*Param{p}, AdamConfig{})
			opt.Step()
			b.SetBytes(n * int64(dt.Size()) * 4)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				opt.Step()
			}
		})
	}
	b.Run("multipass-baseline/float32", func(b *testing.B) {
		p, g, m, v, tmp := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		c := adamCoef{beta1: 0.9, beta2: 0.999, omb1: 0.1, omb2: 0.001, negStepSize: -1e-3, bc2Sqrt: 0.5, eps: 1e-8, decay: 1 - 1e-5}
		b.SetBytes(n * 4 * 4)
		for i := 0; i < b.N; i++ {
			adamMultiPass32(p, g, m, v, tmp, &c)
		}
	})
}

func TestAdamPanicsOnMismatchedGradient(t *testing.T) {
	p := NewParam("w", Float32, 2)
	p.Grad = newDense(Float64, 2)
	assert.PanicsWithValue(t, "nn: Adam: w is float32 but its gradient is float64", func() { NewAdam([]*Param{p}, AdamConfig{}).Step() })
	q := NewParam("q", Float32, 2)
	q.Grad = newDense(Float32, 3)
	assert.Panics(t, func() { NewAdam([]*Param{q}, AdamConfig{}).Step() })
}

// TestAdamWDecayAll: with DecayAll a parameter flagged NoDecay (a Linear
// bias) is decayed like torch's single parameter group; without it, not.
func TestAdamWDecayAll(t *testing.T) {
	for _, all := range []bool{false, true} {
		p := NewParam("b", Float64, 1)
		p.NoDecay = true
		p.Float64s()[0] = 1
		opt := NewAdamW([]*Param{p}, AdamConfig{LR: 0.1, WeightDecay: 0.5, DecayAll: all})
		opt.Step() // zero gradient: only the decay moves p
		want := 1.0
		if all {
			want = 1 - 0.1*0.5
		}
		if got := p.Float64s()[0]; got != want {
			t.Fatalf("DecayAll=%v: p = %v, want %v", all, got, want)
		}
	}
}
