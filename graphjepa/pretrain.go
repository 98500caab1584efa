package graphjepa

import (
	"context"
	"errors"
	"io"

	"github.com/nongrid/jepa/datasets"
)

// Options are the parts of a pre-training run that are not hyper-parameters.
type Options struct {
	// Validation are the held-out graphs, patched once with the evaluation
	// transform; their JEPA loss drives ReduceLROnPlateau and the early
	// stop (the reference uses the test fold). Nil: the plateau schedule
	// watches the training loss.
	Validation []*datasets.Graph
	// RunDir, if set, receives config.json, metrics.jsonl, checkpoints and
	// plots (jepa.Trainer).
	RunDir string
	// Log receives progress lines; nil means none.
	Log io.Writer
}

// Pretrain builds a model for set and pre-trains it with cfg (spec
// graph-jepa.md §9).
func Pretrain(ctx context.Context, set *datasets.GraphSet, cfg Config, opt Options) (*Model, error) {
	return nil, errNotImplemented
}

var errNotImplemented = errors.New("graphjepa: not implemented yet")
