package graphjepa

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
)

// tinyConfig is a small model for fast tests.
func tinyConfig() Config {
	return Config{
		Patch:  PatchConfig{Patches: 8, Targets: 2, RWDim: 4, Workers: 1},
		Hidden: 16, Heads: 2, EncoderLayers: 2, BatchSize: 16, Epochs: 8, LR: 3e-3, Seed: 1,
	}
}

func tinySet() *datasets.GraphSet {
	return datasets.SyntheticGraphs(datasets.SyntheticConfig{Seed: 3, GraphsPerClass: 8, MinNodes: 8, MaxNodes: 14})
}

// TestPretrainLowersLoss trains the tiny model on a fixed synthetic set and
// checks that the held-out JEPA loss and the training loss go down.
func TestPretrainLowersLoss(t *testing.T) {
	set := tinySet()
	dir := t.TempDir()
	_, err := Pretrain(context.Background(), set, tinyConfig(), Options{Validation: set.Graphs[:8], RunDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := jepa.ReadMetrics(dir + "/metrics.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var first, last, vfirst, vlast float64
	n := 0
	for _, r := range recs {
		if r.Kind == "step" {
			// The reference advances its momentum generator once per epoch:
			// m = 0.996 + epoch·0.004/(ipe·epochs), ipe = 2, epochs = 8.
			m, _ := r.Get(jepa.KeyMomentum)
			if want := 0.996 + float64(r.Epoch)*0.004/16; math.Abs(m-want) > 1e-12 {
				t.Errorf("step %d (epoch %d): EMA momentum %v, want %v", r.Step, r.Epoch, m, want)
			}
			continue
		}
		if r.Kind != "epoch" {
			continue
		}
		l, _ := r.Get(jepa.KeyLoss)
		v, _ := r.Get(KeyValLoss)
		t.Logf("epoch %d loss %.5f val %.5f", r.Epoch, l, v)
		if n == 0 {
			first, vfirst = l, v
		}
		last, vlast = l, v
		n++
	}
	if n != 8 {
		t.Fatalf("%d epoch records, want 8", n)
	}
	if !(last < first) || !(vlast < vfirst) {
		t.Errorf("loss %.5f → %.5f, held-out %.5f → %.5f: want both lower", first, last, vfirst, vlast)
	}
}

func nanValue() float64 {
	var z float64
	return z / z
}

// TestPretrainNaN checks that a NaN loss stops the run with a
// *jepa.NonFiniteError naming the step, keeps the last good checkpoint
// (the one before the step), and that Load restores it.
func TestPretrainNaN(t *testing.T) {
	set := tinySet() // 24 graphs, batch 16: 2 steps per epoch
	cfg := tinyConfig()
	dir := t.TempDir() + "/run"
	_, err := Pretrain(context.Background(), set, cfg, Options{RunDir: dir, nanStep: 5})
	var nf *jepa.NonFiniteError
	if !errors.As(err, &nf) {
		t.Fatalf("error %v, want a *jepa.NonFiniteError", err)
	}
	if nf.Step != 5 || nf.Tensor != "loss" || !strings.Contains(err.Error(), "5") {
		t.Errorf("error %q (step %d, tensor %q), want step 5, loss", err, nf.Step, nf.Tensor)
	}
	cks, err := jepa.Checkpoints(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cks) == 0 || cks[len(cks)-1].Step != 4 {
		t.Fatalf("checkpoints %+v, want the last at step 4", cks)
	}
	m, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Embed(set.Graphs[:3]); err != nil {
		t.Fatal(err)
	}
}

// TestPretrainEmbeddingEncoders runs the ZINC-style encoders
// (Embedding(vocab, d) on integer node and edge labels).
func TestPretrainEmbeddingEncoders(t *testing.T) {
	set := tinySet()
	cfg := tinyConfig()
	cfg.Epochs = 2
	cfg.NodeEncoder, cfg.EdgeEncoder = EncoderEmbedding, EncoderEmbedding
	cfg.NodeVocab, cfg.EdgeVocab = set.NumNodeLabels, set.NumEdgeLabels
	m, err := Pretrain(context.Background(), set, cfg, Options{Validation: set.Graphs[:4]})
	if err != nil {
		t.Fatal(err)
	}
	if m.NumParams()["input_encoder"] != cfg.NodeVocab*16 || m.NumParams()["edge_encoder"] != cfg.EdgeVocab*16 {
		t.Errorf("encoder sizes %v", m.NumParams())
	}
	emb, err := m.Embed(set.Graphs[:5])
	if err != nil {
		t.Fatal(err)
	}
	if r, c := emb.Dims(); r != 5 || c != 16 {
		t.Errorf("embedding %d×%d", r, c)
	}
}

// TestPretrainPMA runs the PMA pooling ablation (Set Transformer pooling
// per patch and per graph instead of the means) and checks that training
// lowers the loss and the pooling parameters are counted.
func TestPretrainPMA(t *testing.T) {
	set := tinySet()
	cfg := tinyConfig()
	cfg.PatchPooling, cfg.GraphPooling = PoolPMA, PoolPMA
	dir := t.TempDir()
	m, err := Pretrain(context.Background(), set, cfg, Options{Validation: set.Graphs[:8], RunDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// Two official-form PMAs of width 16 with one seed: S 16, fc_q/k/v/o 4·(16·16+16).
	if got, want := m.NumParams()["pooling"], 2*(16+4*(16*16+16)); got != want {
		t.Errorf("pooling parameters %d, want %d", got, want)
	}
	recs, err := jepa.ReadMetrics(dir + "/metrics.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var first, last float64
	n := 0
	for _, r := range recs {
		if r.Kind == "epoch" {
			v, _ := r.Get(KeyValLoss)
			if n == 0 {
				first = v
			}
			last = v
			n++
		}
	}
	if !(last < first) {
		t.Errorf("held-out loss %.5f → %.5f: want lower", first, last)
	}
	emb, err := m.Embed(set.Graphs[:6])
	if err != nil {
		t.Fatal(err)
	}
	if r, c := emb.Dims(); r != 6 || c != 16 {
		t.Errorf("embedding %d×%d", r, c)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if l.NumParams()["pooling"] != m.NumParams()["pooling"] {
		t.Error("loaded model lost its PMA parameters")
	}
}

// TestEmbedTraining embeds through the training transform, as the
// reference embeds its training fold: the rows are finite, reproducible
// from the seed, and differ from the evaluation embedding only through the
// random partitions and edge drop of the graphs with at least p nodes.
func TestEmbedTraining(t *testing.T) {
	set := tinySet()
	cfg := tinyConfig()
	cfg.Epochs = 1
	m, err := Pretrain(context.Background(), set, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := m.EmbedTraining(set.Graphs, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.EmbedTraining(set.Graphs, 5)
	if err != nil {
		t.Fatal(err)
	}
	e, err := m.Embed(set.Graphs)
	if err != nil {
		t.Fatal(err)
	}
	differ := false
	for i := range set.Graphs {
		for j := 0; j < 16; j++ {
			if a.At(i, j) != b.At(i, j) {
				t.Fatalf("graph %d: same seed, different embeddings", i)
			}
			if a.At(i, j) != e.At(i, j) {
				differ = true
			}
		}
	}
	if !differ { // every tiny graph has at least p = 8 nodes: partitions after the edge drop
		t.Error("training-transform embedding equals the evaluation embedding")
	}
}
