package pointjepa

import (
	"context"
	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/nongrid/jepa/nn"
)

// edgeConfig is the smallest model the size-1 edge cases need: 32-point
// clouds in 8 patches of 4, width 8, one block each.
func edgeConfig() Config {
	return Config{
		Points: 32, Groups: 8, GroupSize: 4,
		TokenHidden1: 8, TokenGlobal: 8, TokenHidden2: 8, PosHidden: 8,
		Width: 8, Depth: 1, Heads: 2, PredWidth: 8, PredDepth: 1, PredHeads: 2,
		BatchSize: 4, Epochs: 1, WarmupEpochs: -1,
		Dropout: -1, AttnDropout: -1, DropPath: -1, PredDropPath: -1,
	}
}

// fixedMask is a mask of M blocks of k tokens starting at starts and the
// context positions ctx.
func fixedMask(k int, starts, ctx []int) *blockMask {
	m := &blockMask{K: k}
	for _, s := range starts {
		for j := 0; j < k; j++ {
			m.Targets = append(m.Targets, s+j)
		}
	}
	m.Context = append([]int(nil), ctx...)
	return m
}

// runSteps takes steps AdamW steps on gb with mask and returns the first and
// last loss.
func runSteps(t *testing.T, m *Model, gb *grouped, mask *blockMask, steps int) (first, last float64) {
	t.Helper()
	s := newStepper(m, rand.New(rand.NewPCG(1, 2)))
	defer s.close()
	opt := nn.NewAdamW(trainable(m), nn.AdamConfig{LR: 3e-3})
	for i := 0; i < steps; i++ {
		opt.ZeroGrad()
		tp, cp, err := s.prepare(gb, mask)
		if err != nil {
			t.Fatal(err)
		}
		if err := tp.prog.Run(); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = tp.prog.Loss()
			want := []int{m.cfg.TargetBlocks * gb.batch.B, mask.K, m.cfg.Width}
			if got := cp.pred.Value().Shape(); !got.Eq(want) {
				t.Fatalf("prediction shape %v, want %v", got, want)
			}
		}
		last = tp.prog.Loss()
		opt.Step()
	}
	return first, last
}

// TestStepSizeOneAxes runs a few steps with every length-1 axis of the step
// (target blocks of one token, a one-token context, one target block, a
// batch of one cloud) and checks that each runs and lowers the loss on a
// fixed batch and mask.
func TestStepSizeOneAxes(t *testing.T) {
	for _, c := range []struct {
		name    string
		B, M, K int // clouds, target blocks, points per patch
		mask    *blockMask
	}{
		{"k=1", 4, 4, 4, fixedMask(1, []int{0, 2, 5, 7}, []int{1, 3, 4, 6})},
		{"k=1,M=1", 4, 1, 4, fixedMask(1, []int{3}, []int{0, 1, 2, 4, 5})},
		{"n=1", 4, 2, 4, fixedMask(2, []int{0, 4}, []int{2})},
		{"n=1,k=1,M=1", 4, 1, 4, fixedMask(1, []int{7}, []int{3})},
		{"B=1", 1, 2, 4, fixedMask(2, []int{1, 5}, []int{0, 3, 4})},
		{"B=1,k=1,n=1,M=1", 1, 1, 4, fixedMask(1, []int{6}, []int{2})},
		{"patch of 1 point", 4, 2, 1, fixedMask(2, []int{1, 5}, []int{0, 3, 4})},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := edgeConfig()
			cfg.BatchSize, cfg.TargetBlocks, cfg.GroupSize = c.B, c.M, c.K
			cfg, err := cfg.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			gb := fixedBatch(t, &m.cfg, c.B, 7)
			first, last := runSteps(t, m, gb, c.mask, 15)
			t.Logf("loss %.5f → %.5f", first, last)
			if !(last < 0.9*first) {
				t.Errorf("loss %.5f → %.5f after 15 steps, want a drop of at least 10%%", first, last)
			}
		})
	}
}

// TestEmbedOneCloud checks that a chunk of one cloud (B = 1: Embed of a
// single cloud, or the last chunk of EmbedBatch+1 clouds) gives the features
// that cloud gets in a larger batch, for both readouts.
func TestEmbedOneCloud(t *testing.T) {
	for _, readout := range []string{ReadoutMaxMean, ReadoutPMA} {
		t.Run(readout, func(t *testing.T) {
			cfg := edgeConfig()
			cfg.Readout = readout
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: cfg.Points, TestPerClass: 1})
			all, err := m.Embed(test.Clouds[:3])
			if err != nil {
				t.Fatal(err)
			}
			one, err := m.Embed(test.Clouds[:1])
			if err != nil {
				t.Fatal(err)
			}
			if r, c := one.Dims(); r != 1 || c != 2*cfg.Width {
				t.Fatalf("features %d×%d, want 1×%d", r, c, 2*cfg.Width)
			}
			for j := 0; j < 2*cfg.Width; j++ {
				if d := math.Abs(one.At(0, j) - all.At(0, j)); d > 1e-5 {
					t.Fatalf("feature %d of one cloud alone %v, in a batch of 3 %v", j, one.At(0, j), all.At(0, j))
				}
			}
		})
	}
}

// TestPretrainOneTokenTargets pretrains through the real mask sampler with a
// target ratio that gives blocks of one token (int(8·r) = 0 → k = 1) and
// checks every step ran with k = 1 and a finite loss.
func TestPretrainOneTokenTargets(t *testing.T) {
	cfg := edgeConfig()
	cfg.Epochs, cfg.TargetMin, cfg.TargetMax = 2, 0.05, 0.1
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: cfg.Points, TrainPerClass: 1})
	dir := t.TempDir()
	if _, err := Pretrain(context.Background(), train, cfg, Options{RunDir: dir}); err != nil {
		t.Fatal(err)
	}
	recs, err := jepa.ReadMetrics(filepath.Join(dir, jepa.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, r := range recs {
		if r.Kind != jepa.KindStep {
			continue
		}
		steps++
		if k, _ := r.Get("target_tokens"); k != 1 {
			t.Errorf("step %d: %v target tokens, want 1", r.Step, k)
		}
		if v, ok := r.Get(jepa.KeyLoss); !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("step %d: loss %v (present %v)", r.Step, v, ok)
		}
	}
	if want := cfg.Epochs * (train.Len() / cfg.BatchSize); steps != want || steps == 0 {
		t.Errorf("%d step records, want %d", steps, want)
	}
}
