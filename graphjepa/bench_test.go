package graphjepa

import (
	"context"
	"testing"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/internal/shareddata"
	"github.com/nongrid/jepa/nn"
)

// BenchmarkMUTAGEpoch times one MUTAG pre-training epoch with the MUTAG
// preset (spec graph-jepa.md §13): 169 training graphs patched on the fly,
// two Adam steps (batch 128 + 41), the held-out JEPA-loss pass over 19
// graphs. One warm-up epoch runs first and is not counted.
//
//	go test ./graphjepa -run '^$' -bench MUTAGEpoch -benchtime 5x
func BenchmarkMUTAGEpoch(b *testing.B) {
	set := loadMUTAG(b)
	cfg, err := Preset("MUTAG")
	if err != nil {
		b.Fatal(err)
	}
	val, train := seq(0, 19), seq(19, 188)
	b.ResetTimer()
	ts, err := BenchEpoch(context.Background(), set, cfg, train, val, b.N+1)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	var tot, comp, wait, held, cpu time.Duration
	for _, t := range ts[1:] {
		tot, comp, wait, held, cpu = tot+t.Total, comp+t.Compute, wait+t.PatchWait, held+t.HeldOut, cpu+t.CPU
	}
	n := float64(len(ts) - 1)
	b.ReportMetric(tot.Seconds()/n, "s/epoch")
	b.ReportMetric(cpu.Seconds()/n, "cpu-s/epoch")
	b.ReportMetric(comp.Seconds()/n, "fwdbwd-s/epoch")
	b.ReportMetric((tot-comp-wait-held).Seconds()/n, "adam+ema-s/epoch")
	b.ReportMetric(wait.Seconds()/n, "patchwait-s/epoch")
	b.ReportMetric(held.Seconds()/n, "heldout-s/epoch")
	b.ReportMetric(0, "ns/op")
	b.Logf("warm-up %v", ts[0])
}

// BenchmarkMUTAGEmbed times the evaluation embedding of all 188 MUTAG
// graphs with a fresh MUTAG-preset model.
func BenchmarkMUTAGEmbed(b *testing.B) {
	set := loadMUTAG(b)
	cfg, err := Preset("MUTAG")
	if err != nil {
		b.Fatal(err)
	}
	m := newModel(cfg.WithDefaults(), set.F, max(set.EF, 1), nn.Float32)
	if _, err := m.Embed(set.Graphs); err != nil { // warm-up
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := m.Embed(set.Graphs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N)/188*1000, "ms/graph")
}

// BenchmarkFineTuneBBBP times one fine-tuning epoch (pretrain-gnns'
// settings: batch 32, dropout 0.5) of a fresh MOLECULES-preset model on
// BBBP's first 1,632 molecules, with validation and test scoring on 204
// each.
//
//	go test ./graphjepa -run '^$' -bench FineTuneBBBP -benchtime 2x
func BenchmarkFineTuneBBBP(b *testing.B) {
	ms, err := datasets.LoadMoleculeNet(shareddata.Dir(b, "molecules", "moleculenet", "bbbp.csv"), datasets.MoleculeNetConfig{})
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := Preset(MoleculesPreset)
	if err != nil {
		b.Fatal(err)
	}
	cfg = cfg.WithDefaults()
	m := newModel(cfg, ms.F, max(ms.EF, 1), nn.Float32)
	part := func(lo, hi int) TaskData {
		return TaskData{Graphs: ms.Graphs[lo:hi], Labels: ms.Labels[lo:hi], Present: ms.Mask[lo:hi]}
	}
	train, valid, test := part(0, 1632), part(1632, 1836), part(1836, 2039)
	b.ResetTimer()
	for range b.N {
		if _, err := FineTune(context.Background(), m, 1, train, valid, test, FineTuneConfig{Epochs: 1}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/epoch")
}
