package main

import (
	"fmt"
	"io"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/pointjepa"
)

// frozenRun is what eval and fewshot share before their protocol starts: the
// encoder (loaded or untrained), its resolved config, and the train/test
// splits checked against what the encoder needs.
type frozenRun struct {
	model       *pointjepa.Model
	trained     bool
	cfg         pointjepa.Config
	train, test *datasets.PointSet
	format      string
}

// loadFrozen loads the encoder of enc, refuses an embedding batch that would
// not fit in memory, loads df and checks every cloud of both splits. A set
// without a test split is an error whose reason ends with whyTest.
func loadFrozen(enc *encoderFlags, df *dataFlags, batch int, whyTest string, stderr io.Writer) (*frozenRun, error) {
	m, trained, err := enc.load()
	if err != nil {
		return nil, err
	}
	cfg := m.Config()
	if err := checkMemory(batchBytes(cfg, batch, false), fmt.Sprintf("--batch %d (embedding)", batch)); err != nil {
		return nil, err
	}
	train, test, format, err := loadData(df, stderr)
	if err != nil {
		return nil, err
	}
	if test == nil {
		return nil, fmt.Errorf("--data %s has no test split; %s", dataName(df.path), whyTest)
	}
	for _, s := range []*datasets.PointSet{train, test} {
		if err := checkClouds(s, needs(cfg, false)); err != nil {
			return nil, err
		}
	}
	return &frozenRun{model: m, trained: trained, cfg: cfg, train: train, test: test, format: format}, nil
}
