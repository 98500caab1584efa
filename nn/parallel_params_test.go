package nn

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

func TestSweepParamsCoversEveryElementOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, lens := range [][]int{
		{}, {0}, {5}, {3 * paramChunk},
		{paramChunk + 7, 0, 13, 2*paramChunk - 1, 64, 1},
		{1, 1, 1, 5 * paramChunk},
	} {
		seen := make([][]int32, len(lens))
		for i, n := range lens {
			seen[i] = make([]int32, n)
		}
		done := make(chan [3]int, 1024)
		go func() {
			sweepParams(lens, func(i, lo, hi int) { done <- [3]int{i, lo, hi} })
			close(done)
		}()
		for r := range done {
			require.Less(t, r[1], r[2], "empty share %v", r)
			for j := r[1]; j < r[2]; j++ {
				seen[r[0]][j]++
			}
		}
		for i := range lens {
			for j, c := range seen[i] {
				if c != 1 {
					t.Fatalf("lens %v: element %d of tensor %d swept %d times", lens, j, i, c)
				}
			}
		}
	}
}

// The parameter sweeps split between the cores give the bits of one core.
func TestParallelSweepsMatchSerial(t *testing.T) {
	shapes := [][]int{{300, 512}, {7}, {512, 257}, {3, 5, 9}, {70000}}
	build := func(seed uint64, dt tensor.Dtype) (ps, qs []*Param) {
		rng := rand.New(rand.NewPCG(seed, 3))
		random := func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			return x
		}
		for k, s := range shapes {
			p := NewParam(string(rune('a'+k)), dt, s...)
			q := NewParam(string(rune('a'+k)), dt, s...)
			setFloats(p.Value, random(p.Len()))
			setFloats(p.Grad, random(p.Len()))
			setFloats(q.Value, random(p.Len()))
			ps, qs = append(ps, p), append(qs, q)
		}
		return ps, qs
	}
	run := func(procs int, dt tensor.Dtype, decoupled bool) (vals [][]float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		ps, qs := build(1, dt)
		var opt *Adam
		cfg := AdamConfig{LR: 1e-2, WeightDecay: 0.05}
		if decoupled {
			opt = NewAdamW(ps, cfg)
		} else {
			opt = NewAdam(ps, cfg)
		}
		ema, err := NewEMA(qs, ps)
		require.NoError(t, err)
		for range 3 {
			opt.Step()
			ema.Update(0.9)
			ema.UpdateDiff(0.8)
		}
		for _, p := range append(ps, qs...) {
			vals = append(vals, floats(p.Value))
		}
		opt.ZeroGrad()
		for _, p := range ps {
			nonzero := 0
			for _, g := range floats(p.Grad) {
				if g != 0 {
					nonzero++
				}
			}
			require.Zero(t, nonzero, "%s: gradients left after ZeroGrad", p.Name)
		}
		return vals
	}
	for _, dt := range []tensor.Dtype{Float32, Float64} {
		for _, decoupled := range []bool{false, true} {
			one, two := run(1, dt, decoupled), run(2, dt, decoupled)
			assert.Equal(t, one, two, "%v decoupled=%v", dt, decoupled)
		}
	}
}
