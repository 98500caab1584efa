package pointjepa

import (
	"math"
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

func trainable(m *Model) []*nn.Param {
	var ps []*nn.Param
	for _, p := range m.params.List() {
		if !p.Buffer && p.Grad != nil {
			ps = append(ps, p)
		}
	}
	return ps
}

// TestStepsLowerLoss runs AdamW steps of the pretraining step on one fixed
// batch with one fixed mask and checks that the loss falls.
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
	s := newStepper(m, rand.New(rand.NewPCG(1, 2)))
	defer s.close()
	opt := nn.NewAdamW(trainable(m), nn.AdamConfig{LR: 1e-3, WeightDecay: 0.05, DecayAll: true})
	ema, err := nn.NewEMA(m.teacher.Params().List(), m.student.Params().List())
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	for i := 0; i < 30; i++ {
		opt.ZeroGrad()
		tp, _, err := s.prepare(gb, &mask)
		if err != nil {
			t.Fatal(err)
		}
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
	for _, p := range m.teacher.Params().List() {
		if p.Grad != nil {
			t.Fatalf("teacher parameter %s has a gradient", p.Name)
		}
	}
	if g := nn.GradNorm(m.tok.Params().Trainable()); !(g > 0) {
		t.Errorf("tokenizer gradient norm %v, want > 0", g)
	}
}

// TestBridgeMatchesOneGraph checks that the two programs joined by the
// gradient bridge compute the loss and every gradient of the single graph
// (dropout and drop-path off so that both are deterministic).
func TestBridgeMatchesOneGraph(t *testing.T) {
	cfg := tinyConfig()
	cfg.Dropout, cfg.AttnDropout, cfg.DropPath, cfg.PredDropPath = -1, -1, -1, -1
	cfg, _ = cfg.Resolve()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Perturb the teacher so that it differs from the student.
	for _, p := range m.teacher.Params().List() {
		for i, v := range p.Float32s() {
			p.Float32s()[i] = v * 1.01
		}
	}
	gb := fixedBatch(t, &m.cfg, cfg.BatchSize, 4)
	var mask blockMask
	sampleMask(&mask, rand.New(rand.NewPCG(9, 9)), cfg.Groups, &m.cfg)

	params := trainable(m)
	grads := func() map[string][]float32 {
		out := map[string][]float32{}
		for _, p := range params {
			out[p.Name] = append([]float32(nil), p.GradFloat32s()...)
		}
		return out
	}
	// BatchNorm running statistics move with every training run: restore them.
	bn := map[string][]float32{}
	for _, p := range m.params.List() {
		if p.Buffer && p.Dtype() == nn.Float32 {
			bn[p.Name] = append([]float32(nil), p.Float32s()...)
		}
	}
	restore := func() {
		for _, p := range m.params.List() {
			if v, ok := bn[p.Name]; ok {
				copy(p.Float32s(), v)
			}
		}
	}

	one, err := m.buildOneGraph(cfg.BatchSize, len(mask.Context), mask.K, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	defer one.prog.Close()
	one.patches.Set(gb.groups.Patches)
	one.centers.Set(gb.groups.Centers)
	one.setIndices(&mask, gb.order, cfg.Groups, cfg.TargetBlocks)
	for _, p := range params {
		p.ZeroGrad()
	}
	if err := one.prog.Run(); err != nil {
		t.Fatal(err)
	}
	want, wantLoss := grads(), one.prog.Loss()
	restore()

	s := newStepper(m, rand.New(rand.NewPCG(1, 1)))
	defer s.close()
	tp, _, err := s.prepare(gb, &mask)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range params {
		p.ZeroGrad()
	}
	if err := tp.prog.Run(); err != nil {
		t.Fatal(err)
	}
	got, gotLoss := grads(), tp.prog.Loss()
	if math.Abs(gotLoss-wantLoss) > 1e-6*math.Abs(wantLoss) {
		t.Errorf("loss %v, one graph %v", gotLoss, wantLoss)
	}
	for _, p := range params {
		w, g := want[p.Name], got[p.Name]
		var num, den float64
		for i := range w {
			d := float64(g[i] - w[i])
			num += d * d
			den += float64(w[i]) * float64(w[i])
		}
		if den == 0 && num == 0 {
			continue
		}
		if rel := math.Sqrt(num / max(den, 1e-30)); rel > 1e-4 {
			t.Errorf("%s: gradient differs from the one graph's by %.2g (relative L2)", p.Name, rel)
		}
	}
}
