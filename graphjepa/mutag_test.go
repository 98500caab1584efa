package graphjepa

import (
	"context"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/internal/shareddata"
	"github.com/nongrid/jepa/jepa"
)

func loadMUTAG(t testing.TB) *datasets.GraphSet {
	t.Helper()
	set, err := datasets.LoadTU(shareddata.Dir(t, "graphs", "tu", "MUTAG"), datasets.TUConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestPretrainMUTAG pre-trains the MUTAG preset (d = 512, 19.22 M
// parameters) for a few epochs on the real MUTAG files with a 169/19 split
// and checks that the training and held-out JEPA losses go down and that
// Embed gives finite 512-d rows.
func TestPretrainMUTAG(t *testing.T) {
	if testing.Short() {
		t.Skip("full-size model: skipped with -short")
	}
	set := loadMUTAG(t)
	cfg, err := Preset("MUTAG")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Epochs = 4
	cfg.Seed = 42
	train, val := set.Subset(seq(19, 188)), set.Graphs[:19]
	dir := t.TempDir()
	m, err := Pretrain(context.Background(), train, cfg, Options{Validation: val, RunDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := jepa.ReadMetrics(dir + "/metrics.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var loss, vloss []float64
	for _, r := range recs {
		if r.Kind == "epoch" {
			l, _ := r.Get(jepa.KeyLoss)
			v, _ := r.Get(KeyValLoss)
			ms, _ := r.Get(jepa.KeyTimeMS)
			t.Logf("epoch %d: loss %.5f, held-out %.5f, %.0f ms", r.Epoch, l, v, ms)
			loss, vloss = append(loss, l), append(vloss, v)
		}
	}
	if len(loss) != cfg.Epochs {
		t.Fatalf("%d epochs logged, want %d", len(loss), cfg.Epochs)
	}
	if !(loss[len(loss)-1] < loss[0]) || !(vloss[len(vloss)-1] < vloss[0]) {
		t.Errorf("losses %v, held-out %v: want both lower at the end", loss, vloss)
	}
	emb, err := m.Embed(val)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := emb.Dims(); r != 19 || c != 512 {
		t.Fatalf("embedding %d×%d, want 19×512", r, c)
	}
	for _, v := range emb.RawMatrix().Data {
		if v != v {
			t.Fatal("NaN in the embedding")
		}
	}
}

func seq(lo, hi int) []int {
	s := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}
