package pointjepa

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
)

// tinyConfig is a fast configuration for tests: a narrow model on 256-point
// clouds with 16 patches of 16 points.
func tinyConfig() Config {
	return Config{
		Points: 256, Groups: 16, GroupSize: 16,
		TokenHidden1: 16, TokenGlobal: 16, TokenHidden2: 32, PosHidden: 16,
		Width: 32, Depth: 2, Heads: 2, PredWidth: 16, PredDepth: 1, PredHeads: 2,
		BatchSize: 8, Epochs: 3, WarmupEpochs: -1,
	}
}

// TestPretrainSynthetic pretrains the tiny model for 3 epochs with a run
// directory and checks what it logs (loss, the token stds the collapse alarm
// watches), the saved model and that Load reads the run back.
func TestPretrainSynthetic(t *testing.T) {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 4, TestPerClass: 1})
	dir := t.TempDir()
	m, err := Pretrain(context.Background(), train, tinyConfig(), Options{RunDir: dir})
	if err != nil {
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
		for _, k := range []string{jepa.KeyLoss, jepa.KeyPredStd, jepa.KeyTargetStd, jepa.KeyLR, jepa.KeyMomentum} {
			v, ok := r.Get(k)
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("step %d: %s = %v (present %v)", r.Step, k, v, ok)
			}
		}
		if v, _ := r.Get(jepa.KeyTargetStd); v <= 0 {
			t.Errorf("step %d: target_std %v", r.Step, v)
		}
	}
	if want := 3 * (train.Len() / 8); steps != want {
		t.Errorf("%d step records, want %d", steps, want)
	}
	if m.steps != steps {
		t.Errorf("model counts %d steps, want %d", m.steps, steps)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.Embed(test.Clouds)
	b, _ := l.Embed(test.Clouds)
	if !mat.Equal(a, b) {
		t.Error("the run directory loads a different model")
	}
	// Without model.json, Load reads the newest checkpoint.
	os.Remove(filepath.Join(dir, ConfigFileName))
	os.Remove(filepath.Join(dir, WeightsFileName))
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := c.Embed(test.Clouds); !mat.Equal(a, e) {
		t.Error("the final checkpoint loads a different model")
	}
}

// BenchmarkPretrainStepSmall times one pretraining step of the small preset
// (batch 32; spec §5: the official code does 7.7 clouds/s on one core):
// augmentation and grouping (prepared one batch ahead), the token and
// context programs (compiled on first use of a mask shape, then cached),
// AdamW and the EMA update. Run with -benchtime 20x or more so that the
// context programs of the common mask shapes are compiled; GOMAXPROCS sets
// the cores.
func BenchmarkPretrainStepSmall(b *testing.B) { benchPretrain(b, "small", 0) }

// BenchmarkPretrainStepPaper times the paper preset at batch 64 (the official
// code: 4.19 clouds/s on one core).
func BenchmarkPretrainStepPaper(b *testing.B) { benchPretrain(b, "paper", 64) }

// BenchmarkPretrainStepTiny times the step of tinyConfig after 60 warm-up
// steps, so that the context programs of its mask shapes are compiled: run
// with -benchmem, its allocations per step are those of the steady state.
func BenchmarkPretrainStepTiny(b *testing.B) { benchPretrainConfig(b, tinyConfig(), 60) }

func benchPretrain(b *testing.B, preset string, batch int) {
	cfg, err := Preset(preset)
	if err != nil {
		b.Fatal(err)
	}
	if batch > 0 {
		cfg.BatchSize = batch
	}
	benchPretrainConfig(b, cfg, 1)
}

// benchPretrainConfig times pretraining steps of cfg after warmup steps
// (the first compiles the token program).
func benchPretrainConfig(b *testing.B, cfg Config, warmup int) {
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	const steps = 8 // batches per epoch
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: cfg.Points, TrainPerClass: (steps*cfg.BatchSize + 7) / 8})
	tm, err := newTrainModel(m, train)
	if err != nil {
		b.Fatal(err)
	}
	defer tm.close()
	opt := nn.NewAdamW(trainable(m), nn.AdamConfig{LR: 1e-4, WeightDecay: 0.05, DecayAll: true})
	ema, err := nn.NewEMA(m.teacher.Params().List(), m.student.Params().List())
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	step := 0
	one := func() {
		if step%tm.StepsPerEpoch() == 0 {
			tm.StartEpoch(step/tm.StepsPerEpoch(), rng)
		}
		step++
		opt.ZeroGrad()
		if _, err := tm.Step(context.Background(), &jepa.StepContext{Step: step, Rand: rng}); err != nil {
			b.Fatal(err)
		}
		opt.Step()
		ema.UpdateDiff(0.9995)
	}
	// Keep the warm-up (program compilation) out of -memprofile.
	rate := runtime.MemProfileRate
	runtime.MemProfileRate = 0
	for range warmup {
		one()
	}
	runtime.MemProfileRate = rate
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for b.Loop() {
		one()
	}
	b.ReportMetric(float64(cfg.BatchSize*b.N)/b.Elapsed().Seconds(), "clouds/s")
	// CPU time per step (user + system, all threads): on a machine shared
	// with other work it is a steadier measure than the wall time.
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/step")
}

// cpuSeconds returns the user + system CPU time of the process.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
