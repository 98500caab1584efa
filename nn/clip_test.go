package nn

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// Expected values from torch 1.13.1 (/usr/bin/python3):
//
//	import torch
//	G1 = [[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6]]
//	G2 = [3.0, -4.0, 0.25]
//	for dt in (torch.float64, torch.float32):
//	    for max_norm in (1.0, 10.0):
//	        p1 = torch.nn.Parameter(torch.zeros(2, 3, dtype=dt)); p1.grad = torch.tensor(G1, dtype=dt)
//	        p2 = torch.nn.Parameter(torch.zeros(3, dtype=dt)); p2.grad = torch.tensor(G2, dtype=dt)
//	        tot = torch.nn.utils.clip_grad_norm_([p1, p2], max_norm)
//	        f = lambda t: ", ".join(repr(float(x)) for x in t.reshape(-1))
//	        print(dt, max_norm, repr(float(tot)), "|", f(p1.grad), "|", f(p2.grad))
var (
	clipG1 = []float64{0.1, -0.2, 0.3, -0.4, 0.5, -0.6}
	clipG2 = []float64{3.0, -4.0, 0.25}
)

func clipParams(dt tensor.Dtype) []*Param {
	p1 := NewParam("a.weight", dt, 2, 3)
	p2 := NewParam("a.bias", dt, 3)
	setFloats(p1.Grad, clipG1)
	setFloats(p2.Grad, clipG2)
	buf := NewBuffer("bn.running_var", dt, 2) // skipped
	frozen := NewParam("frozen", dt, 1)       // skipped: nil grad
	frozen.Grad = nil
	return []*Param{p1, buf, p2, frozen}
}

func TestClipGradNormMatchesTorch(t *testing.T) {
	for _, tc := range []struct {
		dt       tensor.Dtype
		maxNorm  float64
		tol      float64
		total    float64
		g1, g2   []float64
		unscaled bool
	}{
		{Float64, 1, 1e-12, 5.096322203314857,
			[]float64{0.019621989424641655, -0.03924397884928331, 0.05886596827392496, -0.07848795769856662, 0.09810994712320827, -0.11773193654784991},
			[]float64{0.5886596827392496, -0.7848795769856661, 0.04905497356160413}, false},
		{Float64, 10, 1e-12, 5.096322203314857, clipG1, clipG2, true},
		{Float32, 1, 1e-6, 5.096322059631348,
			[]float64{0.019621990621089935, -0.03924398124217987, 0.058865975588560104, -0.07848796248435974, 0.09810995310544968, -0.11773195117712021},
			[]float64{0.5886597037315369, -0.7848796248435974, 0.04905497655272484}, false},
		{Float32, 10, 1e-6, 5.096322059631348, clipG1, clipG2, true},
	} {
		ps := clipParams(tc.dt)
		before := GradNorm(ps)
		total := ClipGradNorm(ps, tc.maxNorm)
		assert.InDelta(t, tc.total, total, tc.tol*tc.total, "%v %v", tc.dt, tc.maxNorm)
		assert.Equal(t, before, total)
		assertClose(t, tc.g1, floats(ps[0].Grad), tc.tol, "g1")
		assertClose(t, tc.g2, floats(ps[2].Grad), tc.tol, "g2")
		assert.Equal(t, []float64{0, 0}, floats(ps[1].Value))
		if !tc.unscaled {
			assert.InDelta(t, tc.maxNorm, GradNorm(ps), 1e-5)
		}
	}
}

func TestClipGradNormEdgeCases(t *testing.T) {
	assert.Equal(t, 0.0, ClipGradNorm(nil, 1))
	assert.Panics(t, func() { ClipGradNorm(nil, math.NaN()) })
	// A total just below maxNorm but within 1e-6 still scales (torch's coef < 1).
	p := NewParam("w", Float64, 1)
	p.GradFloat64s()[0] = 1
	ClipGradNorm([]*Param{p}, 1)
	assert.Less(t, p.GradFloat64s()[0], 1.0)
	// A NaN gradient turns every gradient into NaN, as in torch.
	q := NewParam("q", Float32, 2)
	q.GradFloat32s()[0] = float32(math.NaN())
	q.GradFloat32s()[1] = 1
	assert.True(t, math.IsNaN(ClipGradNorm([]*Param{q}, 1)))
	assert.True(t, math.IsNaN(float64(q.GradFloat32s()[1])))
}

func TestCheckFinite(t *testing.T) {
	ps := clipParams(Float32)
	require.NoError(t, CheckFinite(ps))

	ps[2].GradFloat32s()[1] = float32(math.Inf(-1))
	err := CheckFinite(ps)
	var nf *NonFiniteError
	require.True(t, errors.As(err, &nf))
	assert.Equal(t, NonFiniteError{Param: "a.bias", Grad: true, Index: 1, Value: math.Inf(-1)}, *nf)
	assert.Contains(t, err.Error(), `"a.bias"`)
	assert.Contains(t, err.Error(), "gradient element 1")

	// A value before it is reported first, also in float64 and in buffers.
	q := clipParams(Float64)
	q[1].Float64s()[1] = math.NaN()
	err = CheckFinite(q)
	require.True(t, errors.As(err, &nf))
	assert.Equal(t, "bn.running_var", nf.Param)
	assert.False(t, nf.Grad)
	assert.Equal(t, 1, nf.Index)
	assert.Contains(t, err.Error(), "value element 1 is NaN")

	// Integer tensors are ignored.
	n := &Param{Name: "bn.num_batches_tracked", Value: tensor.New(tensor.WithShape(), tensor.WithBacking([]int64{3})), Buffer: true}
	assert.NoError(t, CheckFinite([]*Param{n}))
}

func BenchmarkCheckFinite(b *testing.B) {
	p := NewParam("w", Float32, 1<<20)
	b.SetBytes(2 * 4 << 20)
	for i := 0; i < b.N; i++ {
		if CheckFinite([]*Param{p}) != nil {
			b.Fatal("finite")
		}
	}
}

func BenchmarkClipGradNorm(b *testing.B) {
	p := NewParam("w", Float32, 1<<20)
	g := p.GradFloat32s()
	for i := range g {
		g[i] = 1
	}
	b.SetBytes(4 << 20)
	for i := 0; i < b.N; i++ {
		ClipGradNorm([]*Param{p}, 1e9)
	}
}

func TestClipAndCheckDoNotAllocate(t *testing.T) {
	ps := append(clipParams(Float32), clipParams(Float64)...)
	ps[4].Name = "b.weight"
	ps[5].Name = "b.running_var"
	assert.Zero(t, testing.AllocsPerRun(10, func() { ClipGradNorm(ps, 0.5) }))
	assert.Zero(t, testing.AllocsPerRun(10, func() { _ = CheckFinite(ps) }))
}

func TestFirstNonFinite(t *testing.T) {
	for n := 0; n < 11; n++ {
		x := make([]float64, n)
		assert.Equal(t, -1, firstNonFinite(x))
		for j := 0; j < n; j++ {
			y := make([]float32, n)
			y[j] = float32(math.Inf(1))
			if j+1 < n {
				y[j+1] = float32(math.NaN())
			}
			assert.Equal(t, j, firstNonFinite(y), "n=%d j=%d", n, j)
		}
	}
}
