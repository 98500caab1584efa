package pointjepa

import (
	"context"
	"errors"

	"github.com/nongrid/jepa/datasets"
)

// FinetuneConfig configures Finetune (spec §2.3). The zero value is the
// reference's ModelNet40 fine-tuning (configs/Point-JEPA/classification/
// modelnet40.yaml).
type FinetuneConfig struct {
	Epochs int `json:"epochs"` // 0 means 200
}

// FinetuneResult is what Finetune reports.
type FinetuneResult struct {
	BestAcc   float64 `json:"best_acc"`   // highest test accuracy over the epochs (the reference's val_acc max)
	LastAcc   float64 `json:"last_acc"`   // test accuracy after the last epoch
	BestEpoch int     `json:"best_epoch"` // 0-based epoch of BestAcc
}

// Finetune trains m's tokenizer, positional MLP and student encoder with a
// classification head on train and reports the accuracy on test (spec §2.3).
func Finetune(ctx context.Context, m *Model, train, test *datasets.PointSet, cfg FinetuneConfig, opt Options) (FinetuneResult, error) {
	return FinetuneResult{}, errors.New("pointjepa: Finetune not implemented yet")
}
