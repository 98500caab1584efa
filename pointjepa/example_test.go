package pointjepa_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/pointjepa"
)

// exampleConfig is a model small enough to pretrain in a second: 256-point
// clouds in 16 patches of 16 points, a 2 × 32 encoder and a 1 × 16
// predictor, batch 16, 2 epochs.
func exampleConfig() pointjepa.Config {
	return pointjepa.Config{
		Points: 256, Groups: 16, GroupSize: 16,
		TokenHidden1: 16, TokenGlobal: 16, TokenHidden2: 32, PosHidden: 16,
		Width: 32, Depth: 2, Heads: 2, PredWidth: 16, PredDepth: 1, PredHeads: 2,
		BatchSize: 16, Epochs: 2, WarmupEpochs: -1,
	}
}

// Pretrain on the embedded synthetic clouds, then embed the test split.
func ExamplePretrain() {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 4, TestPerClass: 2})
	m, err := pointjepa.Pretrain(context.Background(), train, exampleConfig(), pointjepa.Options{})
	if err != nil {
		log.Fatal(err)
	}
	feats, err := m.Embed(test.Clouds)
	if err != nil {
		log.Fatal(err)
	}
	r, c := feats.Dims()
	fmt.Printf("%d clouds × %d features ([max, mean] of %d-d tokens)\n", r, c, m.Config().Width)
	// Output:
	// 16 clouds × 64 features ([max, mean] of 32-d tokens)
}

// The features of an untrained model are the floor a pretrained one should
// beat in the SVM protocol.
func ExampleModel_Embed() {
	m, err := pointjepa.New(exampleConfig())
	if err != nil {
		log.Fatal(err)
	}
	_, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 300, TestPerClass: 1})
	feats, err := m.Embed(test.Clouds) // 300 points: FPS-subsampled to Points = 256
	if err != nil {
		log.Fatal(err)
	}
	again, _ := m.Embed(test.Clouds)
	fmt.Println(feats.Dims())
	fmt.Println("deterministic:", feats.At(3, 5) == again.At(3, 5))
	// Output:
	// 8 64
	// deterministic: true
}

// Save writes model.json and model.safetensors (the reference's tensor
// names); Load reads them back, or a Pretrain run directory.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "pointjepa-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	m, err := pointjepa.New(exampleConfig())
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Save(dir); err != nil {
		log.Fatal(err)
	}
	l, err := pointjepa.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(l.Config() == m.Config())
	// Output:
	// true
}

func ExamplePreset() {
	cfg, err := pointjepa.Preset("small")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("encoder %d × %d (%d heads), predictor %d × %d (%d heads), %d points in %d × %d patches, batch %d\n",
		cfg.Depth, cfg.Width, cfg.Heads, cfg.PredDepth, cfg.PredWidth, cfg.PredHeads, cfg.Points, cfg.Groups, cfg.GroupSize, cfg.BatchSize)
	_, err = pointjepa.Preset("huge")
	fmt.Println(err)
	// Output:
	// encoder 4 × 192 (3 heads), predictor 2 × 96 (3 heads), 1024 points in 64 × 32 patches, batch 32
	// pointjepa: unknown preset "huge" (known: cpu, paper, small)
}
