package pointjepa

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
)

// countPrefix sums the elements of the float parameters whose names start
// with prefix, BatchNorm running statistics excluded (they are buffers, not
// parameters, in the reference's count).
func countPrefix(m *Model, prefix string) int {
	n := 0
	for _, p := range m.params.List() {
		if strings.HasPrefix(p.Name, prefix) && !p.Buffer {
			n += p.Len()
		}
	}
	return n
}

// TestParamCountPaper checks every part of the paper preset against spec
// §1.11, counted from the instantiated official modules.
func TestParamCountPaper(t *testing.T) {
	cfg, err := Preset("paper")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		prefix string
		want   int
	}{
		{"student.", 21_294_336},
		{"teacher.ema_model.", 21_294_336},
		{"predictor.", 2_843_456},
		{"tokenizer.", 493_824},
		{"positional_encoding.", 50_048},
		{"mask_token", 384},
	} {
		if got := countPrefix(m, c.prefix); got != c.want {
			t.Errorf("%s: %d parameters, want %d", c.prefix, got, c.want)
		}
	}
	if got, want := countPrefix(m, "")-countPrefix(m, "teacher."), 24_682_048; got != want {
		t.Errorf("trainable total %d, want %d", got, want)
	}
}

// fixedBatch groups n synthetic clouds with cfg's tokenizer settings.
func fixedBatch(t testing.TB, cfg *Config, n int, seed uint64) *grouped {
	t.Helper()
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: cfg.Points, TrainPerClass: (n + 7) / 8, Seed: seed})
	train.Clouds = train.Clouds[:n]
	f := newFeeder(train, cfg)
	gb := &grouped{}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	if err := f.prepare(gb, perm, rand.New(rand.NewPCG(seed, 1))); err != nil {
		t.Fatal(err)
	}
	return gb
}

// TestStepsLowerLoss runs AdamW steps of the full pretraining graph on one
// fixed batch with one fixed mask and checks that the loss falls.
func TestStepsLowerLoss(t *testing.T) {
	cfg, err := tinyConfig().Resolve()
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	gb := fixedBatch(t, &m.cfg, cfg.BatchSize, 3)
	var mask blockMask
	sampleMask(&mask, rand.New(rand.NewPCG(5, 5)), cfg.Groups, &m.cfg)
	tp, err := m.buildTrain(cfg.BatchSize, len(mask.Context), mask.K, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	defer tp.prog.Close()
	if err := tp.patches.Set(gb.groups.Patches); err != nil {
		t.Fatal(err)
	}
	if err := tp.centers.Set(gb.groups.Centers); err != nil {
		t.Fatal(err)
	}
	tp.setIndices(&mask, gb.order, cfg.Groups, cfg.TargetBlocks)
	var train []*nn.Param
	for _, p := range m.params.List() {
		if !p.Buffer && p.Grad != nil {
			train = append(train, p)
		}
	}
	opt := nn.NewAdamW(train, nn.AdamConfig{LR: 1e-3, WeightDecay: 0.05, DecayAll: true})
	ema, err := nn.NewEMA(m.teacher.Params().List(), m.student.Params().List())
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	for i := 0; i < 30; i++ {
		opt.ZeroGrad()
		if err := tp.prog.Run(); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = tp.prog.Loss()
		}
		last = tp.prog.Loss()
		opt.Step()
		ema.UpdateDiff(0.999)
	}
	t.Logf("loss %.5f → %.5f", first, last)
	if !(last < 0.7*first) {
		t.Errorf("loss %.5f → %.5f after 30 steps, want a drop of at least 30%%", first, last)
	}
	// The teacher gets no gradient, the tokenizer does.
	for _, p := range m.teacher.Params().List() {
		if p.Grad != nil {
			t.Fatalf("teacher parameter %s has a gradient", p.Name)
		}
	}
	if g := nn.GradNorm(m.tok.Params().Trainable()); !(g > 0) {
		t.Errorf("tokenizer gradient norm %v, want > 0", g)
	}
}
