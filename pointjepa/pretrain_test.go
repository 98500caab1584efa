package pointjepa

import (
	"context"
	"testing"

	"github.com/nongrid/jepa/datasets"
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

func TestPretrainSynthetic(t *testing.T) {
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 4, TestPerClass: 1})
	m, err := Pretrain(context.Background(), train, tinyConfig(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		t.Fatal("nil model")
	}
}
