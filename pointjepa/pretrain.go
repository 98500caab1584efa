package pointjepa

import (
	"context"
	"io"

	"github.com/nongrid/jepa/datasets"
)

// Options are the run-time settings of Pretrain and Finetune that are not
// part of the model's configuration.
type Options struct {
	// RunDir receives config.json, metrics.jsonl, checkpoints and plots;
	// empty means nothing is written.
	RunDir string
	// Log receives progress lines; nil means none.
	Log io.Writer
}

// Pretrain builds a model from cfg and pretrains it on set (labels are
// ignored) for cfg.Epochs epochs (spec §1).
func Pretrain(ctx context.Context, set *datasets.PointSet, cfg Config, opt Options) (*Model, error) {
	return nil, errNotYet
}
