package graphjepa

import (
	"context"
	"fmt"
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

// BenchmarkIMDBSteps times a short IMDB-BINARY pre-training epoch with the
// IMDB-B preset: 8 steps of 32 graphs (graphs 100..355) and the held-out
// pass over graphs 0..99, after one warm-up epoch. IMDB's featureless ego
// networks are where the copy edges are dense (gnn.Edges.WithEdgeRows).
//
//	go test ./graphjepa -run '^$' -bench IMDBSteps -benchtime 1x
func BenchmarkIMDBSteps(b *testing.B) {
	set, err := datasets.LoadTU(shareddata.Dir(b, "graphs", "tu", "IMDB-BINARY"), datasets.TUConfig{})
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := Preset("IMDB-B")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	ts, err := BenchEpoch(context.Background(), set, cfg, seq(100, 100+32*8), seq(0, 100), b.N+1)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	var tot, comp time.Duration
	for _, t := range ts[1:] {
		tot, comp = tot+t.Total, comp+t.Compute
	}
	n := float64(len(ts) - 1)
	b.ReportMetric(tot.Seconds()/n, "s/epoch")
	b.ReportMetric(comp.Seconds()/n, "fwdbwd-s/epoch")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkEmbedREDDITTwice embeds 32 REDDIT-BINARY graphs (100..131) twice
// with a fresh REDDIT-B model: the first pass computes their 40-step node
// RWSE, the second finds it computed (the RWSE cache).
//
//	go test ./graphjepa -run '^$' -bench EmbedREDDITTwice -benchtime 1x
func BenchmarkEmbedREDDITTwice(b *testing.B) {
	set, err := datasets.LoadGraphs(shareddata.Dir(b, "graphs", "gin_format", "REDDIT-BINARY.zip"), datasets.GraphLoadConfig{})
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := Preset("REDDIT-B")
	if err != nil {
		b.Fatal(err)
	}
	gs := set.Graphs[100:132]
	b.ResetTimer()
	for range b.N {
		rwseCache.Lock()
		clear(rwseCache.m)
		rwseCache.bytes = 0
		rwseCache.Unlock()
		m := newModel(cfg.WithDefaults(), gs[0].F, max(gs[0].EF, 1), nn.Float32)
		for pass := range 2 {
			t0 := time.Now()
			if _, err := m.Embed(gs); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), fmt.Sprintf("pass%d-s", pass+1))
		}
	}
	b.ReportMetric(0, "ns/op")
}
