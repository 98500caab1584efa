package jepa

import (
	"context"
	"testing"

	"github.com/nongrid/jepa/nn"
)

// bigQuadratic is a model with n float32 online parameters pulled towards
// 1 and an EMA target: its Step costs one pass, so the benchmarks below
// measure what the loop adds around a step (finite checks, gradient norm,
// Adam, EMA, record, hooks).
type bigQuadratic struct {
	params nn.Params
	w, t   *nn.Param
}

func newBigQuadratic(n int) *bigQuadratic {
	q := &bigQuadratic{w: nn.NewParam("online.w", nn.Float32, n), t: nn.NewParam("target.w", nn.Float32, n)}
	q.params.Add(q.w, q.t)
	return q
}

func (q *bigQuadratic) Params() *nn.Params        { return &q.params }
func (q *bigQuadratic) OnlineParams() []*nn.Param { return []*nn.Param{q.w} }
func (q *bigQuadratic) TargetParams() []*nn.Param { return []*nn.Param{q.t} }
func (q *bigQuadratic) Step(context.Context, *StepContext) (StepResult, error) {
	w, g := q.w.Float32s(), q.w.GradFloat32s()
	var loss float32
	for i, v := range w {
		d := v - 1
		loss += d * d
		g[i] += 2 * d
	}
	return StepResult{Loss: float64(loss), Samples: 1}, nil
}

// BenchmarkLoop compares a bare step (ZeroGrad, model step, Adam step, EMA
// update) with the Trainer's step (the same plus a NaN/Inf pass over the
// gradients and one over the updated values, a record and the built-in
// hooks),
// logging every step (gradient norm, heap reading) or every 100 steps,
// on 1M float32 parameters:
//
//	go test -run '^$' -bench Loop -benchmem ./jepa
func BenchmarkLoop(b *testing.B) {
	const n = 1 << 20
	b.Run("bare", func(b *testing.B) {
		q := newBigQuadratic(n)
		opt := nn.NewAdamW([]*nn.Param{q.w}, nn.AdamConfig{})
		ema, err := nn.NewEMA([]*nn.Param{q.t}, []*nn.Param{q.w})
		if err != nil {
			b.Fatal(err)
		}
		sc := &StepContext{}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			opt.ZeroGrad()
			if _, err := q.Step(context.Background(), sc); err != nil {
				b.Fatal(err)
			}
			opt.Step()
			ema.Update(0.996)
		}
	})
	for _, c := range []struct {
		name     string
		logEvery int
	}{{"trainer-log1", 1}, {"trainer-log100", 100}} {
		b.Run(c.name, func(b *testing.B) {
			q := newBigQuadratic(n)
			tr, err := New(q, Config{Epochs: 1, StepsPerEpoch: b.N, LogEvery: c.logEvery, Progress: ProgressOff}, "")
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			if err := tr.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
		})
	}
}
