package pointjepa

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
)

// BenchmarkStepFixedTiny times the pretraining step of tinyConfig on one
// fixed batch and mask (no data pipeline, no program compilation after the
// warm-up step): with -benchmem its allocations are those of the two
// programs, the bridge and the optimizer.
func BenchmarkStepFixedTiny(b *testing.B) { benchStepFixed(b, tinyConfig()) }

// BenchmarkStepFixedSmallB2 is BenchmarkStepFixedTiny for the small preset's
// model (the cpu preset's) at batch 2: the tokenizer's [B·G·K, 512]
// activations dominate as they do at batch 32.
func BenchmarkStepFixedSmallB2(b *testing.B) {
	cfg, err := Preset("small")
	if err != nil {
		b.Fatal(err)
	}
	cfg.BatchSize = 2
	benchStepFixed(b, cfg)
}

func benchStepFixed(b *testing.B, cfg Config) {
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	gb := fixedBatch(b, &m.cfg, m.cfg.BatchSize, 3)
	var mask blockMask
	sampleMask(&mask, rand.New(rand.NewPCG(5, 5)), m.cfg.Groups, &m.cfg)
	s := newStepper(m, rand.New(rand.NewPCG(1, 2)))
	defer s.close()
	opt := nn.NewAdamW(trainable(m), nn.AdamConfig{LR: 1e-4, WeightDecay: 0.05, DecayAll: true})
	ema, err := nn.NewEMA(m.teacher.Params().List(), m.student.Params().List())
	if err != nil {
		b.Fatal(err)
	}
	one := func() {
		opt.ZeroGrad()
		tp, _, err := s.prepare(gb, &mask)
		if err != nil {
			b.Fatal(err)
		}
		if err := tp.prog.Run(); err != nil {
			b.Fatal(err)
		}
		opt.Step()
		ema.UpdateDiff(0.9995)
	}
	one() // compiles both programs
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		one()
	}
	b.ReportMetric(float64(m.cfg.BatchSize*b.N)/b.Elapsed().Seconds(), "clouds/s")
}

// BenchmarkPretrainStepSmallB2 is the trainer's step (random masks, so new
// context programs are compiled as new mask shapes come) of the small model
// at batch 2 after one warm-up step.
func BenchmarkPretrainStepSmallB2(b *testing.B) { benchPretrain(b, "small", 2) }
