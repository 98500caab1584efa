package pointjepa

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets"
)

// TestFinetuneSynthetic fine-tunes an untrained tiny model on the synthetic
// clouds (8 classes) and checks that it beats chance clearly, that the
// student stays fixed while frozen and moves afterwards, and that the
// caller's model receives the fine-tuned weights.
func TestFinetuneSynthetic(t *testing.T) {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 12, TestPerClass: 4})
	m, err := New(tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	student0 := slices.Clone(m.student.Params().List()[2].Float32s())
	tok0 := slices.Clone(m.tok.Params().List()[0].Float32s())
	// Batch 8: 12 steps per epoch, so that the BatchNorm running statistics
	// (momentum 0.1, starting at variance 1) forget their start within the
	// run; the patch coordinates have a variance of about 0.005.
	cfg := FinetuneConfig{Epochs: 8, FreezeEpochs: 4, WarmupEpochs: 1, BatchSize: 8, LR: 3e-3}
	// Frozen for all epochs: the student must not move.
	frozen := cfg
	frozen.FreezeEpochs, frozen.Epochs = 10, 2
	mf, _ := New(tinyConfig())
	if _, err := Finetune(context.Background(), mf, train, test, frozen, Options{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mf.student.Params().List()[2].Float32s(), student0) {
		t.Error("student changed while frozen")
	}
	var log strings.Builder
	res, err := Finetune(context.Background(), m, train, test, cfg, Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", log.String())
	if len(res.Accs) != 8 || res.Classes != 8 {
		t.Fatalf("result %+v", res)
	}
	if res.BestAcc < 0.4 {
		t.Errorf("best test accuracy %.2f, want ≥ 0.4 (chance 0.125)", res.BestAcc)
	}
	if slices.Equal(m.student.Params().List()[2].Float32s(), student0) {
		t.Error("student unchanged after unfreezing")
	}
	if slices.Equal(m.tok.Params().List()[0].Float32s(), tok0) {
		t.Error("tokenizer unchanged")
	}
}

func TestFinetuneErrors(t *testing.T) {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 1, TestPerClass: 1})
	m, _ := New(tinyConfig())
	if _, err := Finetune(context.Background(), m, train, test, FinetuneConfig{BatchSize: 1}, Options{}); err == nil || !strings.Contains(err.Error(), "BatchSize") {
		t.Errorf("batch 1: %v", err)
	}
	bad := *test
	bad.Clouds = slices.Clone(test.Clouds)
	bad.Clouds[2].Label = 99
	if _, err := Finetune(context.Background(), m, train, &bad, FinetuneConfig{Epochs: 1, WarmupEpochs: -1}, Options{}); err == nil || !strings.Contains(err.Error(), "label 99") {
		t.Errorf("bad label: %v", err)
	}
	if _, err := FinetunePreset("nope"); err == nil {
		t.Error("unknown preset accepted")
	}
}
