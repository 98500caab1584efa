package pointjepa

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/internal/shareddata"
	"github.com/nongrid/jepa/jepa"
)

// loadModelNetSubset loads a split of the staged ModelNet40 npy subset,
// read Y-up (the export is Z-up; Point-JEPA rotates about y).
func loadModelNetSubset(t testing.TB, split string) *datasets.PointSet {
	t.Helper()
	dir := shareddata.Dir(t, "pointclouds", "modelnet40_npy1024_subset")
	set, err := datasets.LoadModelNetNpy(dir, split, datasets.ModelNetNpyConfig{NpyConfig: datasets.NpyConfig{Columns: []int{0, 2, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestPretrainModelNetSubset pretrains the small preset on 640 clouds of the
// ModelNet40 subset for 3 epochs (60 steps) and checks that the mean loss of
// the last epoch is below the first's. It takes minutes: set PJ_LONG=1.
func TestPretrainModelNetSubset(t *testing.T) {
	if os.Getenv("PJ_LONG") == "" {
		t.Skip("set PJ_LONG=1 to pretrain on the ModelNet40 subset (minutes)")
	}
	set := loadModelNetSubset(t, "train")
	// An even spread over the classes: every 8th cloud.
	var sub datasets.PointSet
	sub.ClassNames = set.ClassNames
	for i := 0; i < set.Len() && sub.Len() < 640; i += 8 {
		sub.Clouds = append(sub.Clouds, set.Clouds[i])
	}
	cfg, _ := Preset("small")
	cfg.Epochs, cfg.WarmupEpochs = 3, 1
	dir := t.TempDir()
	if _, err := Pretrain(context.Background(), &sub, cfg, Options{RunDir: dir, Log: os.Stderr}); err != nil {
		t.Fatal(err)
	}
	recs, err := jepa.ReadMetrics(filepath.Join(dir, jepa.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	var epochs []float64
	for _, r := range recs {
		if r.Kind == jepa.KindEpoch {
			l, _ := r.Get(jepa.KeyLoss)
			ps, _ := r.Get(jepa.KeyPredStd)
			ts, _ := r.Get(jepa.KeyTargetStd)
			sps, _ := r.Get(jepa.KeySamplesPerS)
			t.Logf("epoch %d: loss %.4f pred_std %.3f target_std %.3f %.1f clouds/s", r.Epoch, l, ps, ts, sps)
			epochs = append(epochs, l)
		}
	}
	if len(epochs) != 3 || !(epochs[2] < epochs[0]) {
		t.Errorf("epoch losses %v, want 3 with the last below the first", epochs)
	}
}
