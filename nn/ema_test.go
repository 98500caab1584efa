package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// Expected values from torch 1.13.1 (/usr/bin/python3):
//
//	import torch
//	T0 = [0.5, -1.25, 2.0, -0.75, 0.1, 3.5]
//	S = [[0.3, -1.0, 2.5, 0.0, 0.2, 3.0], [0.31, -1.1, 2.4, 0.1, 0.25, 2.9], [0.7, -0.9, 2.2, -0.2, 0.05, 3.3]]
//	ms = [0.996, 0.99604, 0.9995000120987655]
//	for dt in (torch.float64, torch.float32):
//	    t = torch.tensor(T0, dtype=dt); u = torch.tensor(T0, dtype=dt)
//	    for s, m in zip(S, ms):
//	        s = torch.tensor(s, dtype=dt)
//	        t.mul_(m).add_((1. - m) * s)                 # I-JEPA / Graph-JEPA
//	        d = u - s; d.mul_(1.0 - m); u.sub_(d)        # point2vec / Point-JEPA
//	    print(dt, "mul_add", ", ".join(repr(float(x)) for x in t))
//	    print(dt, "sub_diff", ", ".join(repr(float(x)) for x in u))
var (
	emaT0 = []float64{0.5, -1.25, 2.0, -0.75, 0.1, 3.5}
	emaS  = [][]float64{{0.3, -1.0, 2.5, 0.0, 0.2, 3.0}, {0.31, -1.1, 2.4, 0.1, 0.25, 2.9}, {0.7, -0.9, 2.2, -0.2, 0.05, 3.3}}
	emaM  = []float64{0.996, 0.99604, 0.9995000120987655}
)

func TestEMAMatchesTorch(t *testing.T) {
	for _, tc := range []struct {
		dt              tensor.Dtype
		tol             float64
		mulAdd, subDiff []float64
	}{
		{Float64, 1e-12,
			[]float64{0.49855154017750314, -1.2482357592353308, 2.0036742895835125, -0.7433740636374441, 0.1009669204089453, 3.4955341064069043},
			[]float64{0.4985515401775031, -1.2482357592353304, 2.003674289583513, -0.743374063637444, 0.10096692040894528, 3.4955341064069048}},
		{Float32, 1e-6,
			[]float64{0.49855151772499084, -1.2482357025146484, 2.0036747455596924, -0.7433740496635437, 0.1009669229388237, 3.4955341815948486},
			[]float64{0.49855151772499084, -1.2482357025146484, 2.0036745071411133, -0.7433740496635437, 0.1009669229388237, 3.4955341815948486}},
	} {
		tgt := newTestParam("target_encoder.fc.weight", tc.dt, emaT0, 2, 3)
		tgt2 := newTestParam("target_encoder.fc.weight", tc.dt, emaT0, 2, 3)
		src := newTestParam("context_encoder.fc.weight", tc.dt, emaT0, 2, 3)
		e1, err := NewEMA([]*Param{tgt}, []*Param{src})
		require.NoError(t, err)
		e2, err := NewEMA([]*Param{tgt2}, []*Param{src})
		require.NoError(t, err)
		for k, s := range emaS {
			setFloats(src.Value, s)
			e1.Update(emaM[k])
			e2.UpdateDiff(emaM[k])
		}
		assertClose(t, tc.mulAdd, floats(tgt.Value), tc.tol, "Update")
		assertClose(t, tc.subDiff, floats(tgt2.Value), tc.tol, "UpdateDiff")
		if tc.dt == Float32 { // the two forms round differently
			assert.NotEqual(t, floats(tgt.Value)[2], floats(tgt2.Value)[2])
		}
	}
}

func TestEMAPairing(t *testing.T) {
	mk := func(prefix string) []*Param {
		return []*Param{
			NewParam(prefix+".blocks.0.norm.weight", Float32, 4),
			NewParam(prefix+".blocks.0.fc.weight", Float32, 4, 4),
			NewParam(prefix+".blocks.1.fc.weight", Float32, 4, 4),
		}
	}
	tgt, src := mk("target_encoder"), mk("context_encoder")
	_, err := NewEMA(tgt, src)
	require.NoError(t, err)

	_, err = NewEMA(tgt, src[:2])
	assert.ErrorContains(t, err, "3 target parameters but 2 online")

	swapped := []*Param{src[0], src[2], src[1]}
	_, err = NewEMA(tgt, swapped)
	assert.ErrorContains(t, err, `"target_encoder.blocks.0.fc.weight"`)

	bad := mk("context_encoder")
	bad[1] = NewParam("context_encoder.blocks.0.fc.weight", Float32, 4, 5)
	_, err = NewEMA(tgt, bad)
	assert.ErrorContains(t, err, "[4 5]")

	bad[1] = NewParam("context_encoder.blocks.0.fc.weight", Float64, 4, 4)
	_, err = NewEMA(tgt, bad)
	assert.ErrorContains(t, err, "float64")

	_, err = NewEMA(tgt[:1], tgt[:1])
	assert.ErrorContains(t, err, "both target and online")

	// EMAUpdate checks and updates; int64 tensors are skipped.
	a := NewParam("t.w", Float64, 2)
	b := newTestParam("s.w", Float64, []float64{1, 2}, 2)
	na := &Param{Name: "t.n", Value: tensor.New(tensor.WithShape(), tensor.WithBacking([]int64{1})), Buffer: true}
	nb := &Param{Name: "s.n", Value: tensor.New(tensor.WithShape(), tensor.WithBacking([]int64{7})), Buffer: true}
	require.NoError(t, EMAUpdate([]*Param{a, na}, []*Param{b, nb}, 0.5))
	assert.Equal(t, []float64{0.5, 1}, a.Float64s())
	assert.Equal(t, int64(1), na.Value.Int64s()[0])
	assert.Error(t, EMAUpdate([]*Param{a}, []*Param{nb}, 0.5))

	e, err := NewEMA([]*Param{a, na}, []*Param{b, nb})
	require.NoError(t, err)
	e.Copy()
	assert.Equal(t, []float64{1, 2}, a.Float64s())
	assert.Equal(t, int64(1), na.Value.Int64s()[0])
}

func TestEMADoesNotAllocate(t *testing.T) {
	tgt := []*Param{NewParam("t.a", Float32, 100), NewParam("t.b", Float64, 10)}
	src := []*Param{NewParam("s.a", Float32, 100), NewParam("s.b", Float64, 10)}
	e, err := NewEMA(tgt, src)
	require.NoError(t, err)
	assert.Zero(t, testing.AllocsPerRun(10, func() { e.Update(0.99) }))
	assert.Zero(t, testing.AllocsPerRun(10, func() { e.UpdateDiff(0.99) }))
}

// Momentum values from Python:
//
//	ipe, epochs = 2, 50
//	m = [0.996 + i*(1.0-0.996)/(ipe*epochs) for i in range(int(ipe*epochs)+1)]
//	print([(i, m[i]) for i in (0, 1, 49, 50, 99, 100)])
//	def tau(k, tmin=0.9995, tmax=0.99999, steps=40500):   # point2vec get_current_decay, step = k+1
//	    epoch = max(k + 1 - 0 - 1, 0.0)
//	    value = tmin + (tmax - tmin) * epoch / steps if epoch < steps else tmax
//	    if epoch <= 0: return 0.0
//	    return min(max(value, tmin), tmax)
//	print([(k, tau(k)) for k in (0, 1, 2, 20250, 40499, 40500, 50000)])
func TestMomentumSchedules(t *testing.T) {
	lin := LinearMomentum{Total: 100}
	for _, c := range []lrAt{{0, 0.996}, {1, 0.99604}, {49, 0.99796}, {50, 0.998}, {99, 0.99996}, {100, 1.0}} {
		assert.Equal(t, c.lr, lin.At(c.t), "i=%d", c.t)
	}
	assert.Equal(t, 1.0, lin.At(150))
	assert.Equal(t, 0.996, lin.At(-3))
	// Graph-JEPA on MUTAG (ipe 2, 50 epochs): m ∈ [0.996, 0.99796].
	assert.Equal(t, 0.996, GraphJEPAMomentum(0, 2, 50))
	assert.Equal(t, 0.99796, GraphJEPAMomentum(49, 2, 50))
	assert.Equal(t, 0.5, LinearMomentum{Start: 0.5, End: 0.7, Total: 10}.At(0))
	assert.Panics(t, func() { LinearMomentum{}.At(0) })

	pj := PointJEPAMomentum{TauSteps: 40500}
	for _, c := range []lrAt{{0, 0.0}, {1, 0.9995000120987655}, {2, 0.9995000241975309}, {20250, 0.9997450000000001}, {40499, 0.9999899879012346}, {40500, 0.99999}, {50000, 0.99999}} {
		assert.Equal(t, c.lr, pj.Tau(c.t), "k=%d", c.t)
	}
	assert.True(t, pj.Copies(0))
	assert.True(t, pj.Copies(1))
	assert.False(t, pj.Copies(2))
	assert.Equal(t, 0.9, PointJEPAMomentum{TauMin: 0.5, TauMax: 0.9}.Tau(3))
}
