package jepa

import (
	"context"
	"math"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEMAArithmetic: one update with m = 0.9 of target (1, 2, −4) towards
// online (3, 5, 6): 0.9·1 + 0.1·3 = 1.2, 0.9·2 + 0.1·5 = 2.3,
// 0.9·(−4) + 0.1·6 = −3.0 (by hand); point2vec's form gives the same up to
// rounding; a copy gives the online values.
func TestEMAArithmetic(t *testing.T) {
	pair := func() (*nn.Param, *nn.Param, *nn.EMA) {
		tp := nn.NewParam("target.w", nn.Float64, 3)
		op := nn.NewParam("online.w", nn.Float64, 3)
		copy(tp.Float64s(), []float64{1, 2, -4})
		copy(op.Float64s(), []float64{3, 5, 6})
		e, err := nn.NewEMA([]*nn.Param{tp}, []*nn.Param{op})
		require.NoError(t, err)
		return tp, op, e
	}
	tp, _, e := pair()
	m := EMAConfig{Schedule: MomentumConstant, Start: 0.9}.ApplyEMA(e, 1, 0)
	assert.Equal(t, 0.9, m)
	assert.InDeltaSlice(t, []float64{1.2, 2.3, -3.0}, tp.Float64s(), 1e-15)

	tp, _, e = pair()
	m = EMAConfig{Schedule: MomentumPointJEPA, Start: 0.9, End: 0.9, Total: 10}.ApplyEMA(e, 5, 0)
	assert.Equal(t, 0.9, m)
	assert.InDeltaSlice(t, []float64{1.2, 2.3, -3.0}, tp.Float64s(), 1e-15)

	tp, op, e := pair()
	m = EMAConfig{Schedule: MomentumPointJEPA, Start: 0.9, End: 0.99, Total: 10}.ApplyEMA(e, 1, 0)
	assert.Equal(t, 0.0, m)
	assert.Equal(t, op.Float64s(), tp.Float64s())
}

// TestMomentumSchedulesAtBoundaries checks each schedule at its first,
// middle and last steps, with Total = 100 steps (10 epochs × 10 steps).
func TestMomentumSchedulesAtBoundaries(t *testing.T) {
	resolve := func(e EMAConfig) EMAConfig {
		c, err := Config{Epochs: 10, StepsPerEpoch: 10, EMA: e}.Resolve(0)
		require.NoError(t, err)
		return c.EMA
	}
	lin := resolve(EMAConfig{})
	for _, c := range []struct {
		step int
		want float64
	}{{1, 0.996}, {2, 0.996 + 0.004/100}, {51, 0.998}, {101, 1}, {500, 1}} {
		m, cp := lin.Momentum(c.step, 0)
		assert.False(t, cp)
		assert.InDelta(t, c.want, m, 1e-15, "linear step %d", c.step)
	}
	ge := resolve(EMAConfig{Schedule: MomentumLinearEpoch})
	for epoch := 0; epoch < 10; epoch++ {
		for _, step := range []int{epoch*10 + 1, epoch*10 + 10} {
			m, _ := ge.Momentum(step, epoch)
			assert.Equal(t, nn.GraphJEPAMomentum(epoch, 10, 10), m, "epoch %d", epoch)
			assert.InDelta(t, 0.996+float64(epoch)*0.004/100, m, 1e-15)
		}
	}
	pj := resolve(EMAConfig{Schedule: MomentumPointJEPA})
	assert.Equal(t, 0.9995, pj.Start)
	assert.Equal(t, 0.99999, pj.End)
	for _, step := range []int{1, 2} {
		_, cp := pj.Momentum(step, 0)
		assert.True(t, cp, "step %d copies", step)
	}
	for _, c := range []struct {
		step int
		want float64
	}{{3, 0.9995 + (0.99999-0.9995)*2/100}, {51, 0.9995 + (0.99999-0.9995)*50/100}, {100, 0.9995 + (0.99999-0.9995)*99/100}, {101, 0.99999}, {1000, 0.99999}} {
		m, cp := pj.Momentum(c.step, 0)
		assert.False(t, cp)
		assert.InDelta(t, c.want, m, 1e-15, "point-jepa step %d", c.step)
	}
	m, _ := resolve(EMAConfig{Schedule: MomentumConstant, Start: 0.99}).Momentum(77, 7)
	assert.Equal(t, 0.99, m)
}

// lrTrace runs the toy model (4 steps per epoch) and returns the learning
// rate of every step and the lr logged at the end of every epoch.
func lrTrace(t *testing.T, cfg Config, epochs int) (steps []float64, stopped string) {
	t.Helper()
	cfg.Epochs = epochs
	tr, err := New(newToyJEPA(nn.Float32, 1), quiet(cfg), "")
	require.NoError(t, err)
	tr.OnStep("lr", 0, func(_ context.Context, tr *Trainer) error {
		steps = append(steps, tr.Record().Values[KeyLR])
		return nil
	})
	require.NoError(t, tr.Run(context.Background()))
	return steps, tr.Stopped()
}

// TestLRSchedulesAtBoundaries: per-epoch pl_bolts warmup-cosine (Point-JEPA),
// per-step warmup-cosine (Lightning interval "step": step s uses LR(s−1)),
// I-JEPA's schedule (step s uses LR(s)), the plateau schedule and
// StopBelowLR.
func TestLRSchedulesAtBoundaries(t *testing.T) {
	base := OptimizerConfig{LR: 1e-3}
	wc := nn.WarmupCosine{BaseLR: 1e-3, WarmupStartLR: 1e-5, EtaMin: 1e-6, Warmup: 3, Total: 6}
	steps, _ := lrTrace(t, Config{Optimizer: base, LR: LRConfig{Schedule: ScheduleWarmupCosine, Warmup: 3, WarmupStartLR: 1e-5, MinLR: 1e-6}}, 6)
	require.Len(t, steps, 24)
	for e := 0; e < 6; e++ {
		for i := 0; i < 4; i++ {
			assert.Equal(t, wc.LR(e), steps[4*e+i], "epoch %d", e)
		}
	}
	assert.Equal(t, 1e-5, steps[0])          // warmup start
	assert.InDelta(t, 1e-3, steps[8], 1e-18) // end of warmup (e = Warmup−1)
	assert.Equal(t, 1e-3, steps[12])         // cosine start (e = Warmup)
	assert.InDelta(t, 1e-6+0.5*(1e-3-1e-6)*(1+math.Cos(math.Pi*2/3)), steps[20], 1e-18)

	steps, _ = lrTrace(t, Config{Optimizer: base, LR: LRConfig{Schedule: ScheduleWarmupCosine, Interval: IntervalStep, Warmup: 3, WarmupStartLR: 1e-5}}, 2)
	ws := nn.WarmupCosine{BaseLR: 1e-3, WarmupStartLR: 1e-5, Warmup: 3, Total: 8}
	for s := 1; s <= 8; s++ {
		assert.Equal(t, ws.LR(s-1), steps[s-1], "step %d", s)
	}
	assert.Equal(t, 1e-5, steps[0])

	steps, _ = lrTrace(t, Config{Optimizer: base, LR: LRConfig{Schedule: ScheduleIJEPAWarmupCosine, Interval: IntervalStep, Warmup: 4, WarmupStartLR: 2e-4, MinLR: 1e-6}}, 2)
	ij := nn.IJEPAWarmupCosine{StartLR: 2e-4, RefLR: 1e-3, FinalLR: 1e-6, WarmupSteps: 4, TotalSteps: 8}
	for s := 1; s <= 8; s++ {
		assert.Equal(t, ij.LR(s), steps[s-1], "step %d", s)
	}
	assert.Equal(t, 2e-4+0.25*(1e-3-2e-4), steps[0]) // the first step already uses LR(1)
	assert.Equal(t, 1e-6, steps[7])                  // LR(8) = FinalLR at TotalSteps

	// Plateau: the epoch loss never improves by the 90% threshold, so with
	// patience 0 the rate halves after every epoch.
	steps, _ = lrTrace(t, Config{Optimizer: base, LR: LRConfig{Schedule: SchedulePlateau, PlateauFactor: 0.5, PlateauPatience: -1, PlateauThreshold: 0.9}}, 3)
	assert.Equal(t, []float64{1e-3, 1e-3, 1e-3, 1e-3}, steps[:4])
	assert.Equal(t, 1e-3, steps[4], "the first epoch sets the best value")
	assert.Equal(t, 5e-4, steps[8])

	// StopBelowLR (Graph-JEPA: stop once the rate falls below 1e-5).
	steps, stopped := lrTrace(t, Config{Optimizer: OptimizerConfig{LR: 4e-5}, LR: LRConfig{Schedule: SchedulePlateau, PlateauFactor: 0.5, PlateauPatience: -1, PlateauThreshold: 0.9, StopBelowLR: 1e-5}}, 10)
	assert.Len(t, steps, 16, "4e-5 → 2e-5 → 1e-5 → 5e-6 after epoch 4")
	assert.Contains(t, stopped, "fell below 1e-05")
}

// TestPlateauNeedsMetric: a plateau schedule watching a value no hook
// provides is an error naming the key.
func TestPlateauNeedsMetric(t *testing.T) {
	tr, err := New(newToyJEPA(nn.Float32, 1), quiet(Config{Epochs: 2, LR: LRConfig{Schedule: SchedulePlateau, PlateauMetric: "val_loss"}}), "")
	require.NoError(t, err)
	require.ErrorContains(t, tr.Run(context.Background()), `watches "val_loss"`)
	tr, err = New(newToyJEPA(nn.Float32, 1), quiet(Config{Epochs: 2, LR: LRConfig{Schedule: SchedulePlateau, PlateauMetric: "val_loss"}}), "")
	require.NoError(t, err)
	tr.OnEpoch("eval", PriorityDefault, func(_ context.Context, tr *Trainer) error {
		tr.Record().Set("val_loss", 1)
		return nil
	})
	require.NoError(t, tr.Run(context.Background()))
}
