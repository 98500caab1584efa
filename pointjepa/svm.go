package pointjepa

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/probe"
)

// PaperSVMAccuracy is Point-JEPA's ModelNet40 linear-SVM accuracy in percent,
// mean ± std (Ayumu-J-S/Point-JEPA README, paper Table 1): pre-trained on
// ShapeNet-55 for 500 epochs, evaluated as EvalSVM does.
var PaperSVMAccuracy = PaperResult{Mean: 93.7, Std: 0.2}

// PaperResult is a published mean ± std in percent.
type PaperResult struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

// String formats the result as "93.7 ± 0.2".
func (p PaperResult) String() string { return fmt.Sprintf("%.1f ± %.1f", p.Mean, p.Std) }

// SVMConfig configures EvalSVM. The zero value is Point-JEPA's protocol (§2.1).
type SVMConfig struct {
	// C is the SVC penalty; zero means 0.012, the official value
	// (point_jepa.py: "C=0.012 copied from Point-M2AE code").
	C float64
	// Batch is the number of clouds per Embed call (progress is reported
	// and ctx checked between calls); zero means DefaultEvalBatch (256,
	// the official batch). A *Model draws its FPS start points afresh for
	// every call, so Batch changes which starts are drawn (not how).
	Batch int
	// Log receives one progress line per embedded batch and per phase; nil
	// means silence.
	Log io.Writer
}

// SVMResult is the outcome of EvalSVM. Accuracy is in percent, like the
// paper's 93.7.
type SVMResult struct {
	Accuracy    float64 `json:"svm_accuracy"`
	TrainClouds int     `json:"train_clouds"`
	TestClouds  int     `json:"test_clouds"`
	Classes     int     `json:"classes"`
	FeatureDim  int     `json:"feature_dim"`
	// FeatureStd is jepa.TokenStd of the training features (the
	// per-dimension std over clouds, averaged): near zero means the encoder
	// maps every cloud to the same point (collapse).
	FeatureStd float64 `json:"feature_std"`
	// Converged is false when an SVC pair stopped at libsvm's iteration
	// limit (scikit-learn would warn).
	Converged    bool    `json:"converged"`
	EmbedSeconds float64 `json:"embed_s"`
	FitSeconds   float64 `json:"fit_s"`
}

// EvalSVM runs Point-JEPA's linear-SVM protocol (spec §2.1,
// PointJepa.svm_validation): embed every training and every test cloud with
// e, fit scikit-learn's SVC(C=0.012, kernel="linear") — probe.SVC, libsvm's
// one-vs-one SMO — on all training features with no feature scaling, and
// score it on all test features. The paper evaluates ModelNet40 this way,
// 9,840 training and 2,468 test shapes of modelnet40_ply_hdf5_2048.
//
// With a *Model, e applies the model's evaluation transforms (the official
// ones: FPS to the configured number of points, center, unit sphere) and
// pools the student's final-LayerNorm tokens by [max, mean]. Pass New(cfg)
// for the untrained floor that pretraining must beat.
//
// It returns an error for an empty split, a cloud without a label, features
// that are not finite, or a cancelled ctx (checked between batches).
func EvalSVM(ctx context.Context, e Embedder, train, test *datasets.PointSet, cfg SVMConfig) (SVMResult, error) {
	if train == nil || test == nil || train.Len() == 0 || test.Len() == 0 {
		return SVMResult{}, fmt.Errorf("pointjepa: EvalSVM needs a non-empty train and test split")
	}
	if cfg.C < 0 {
		return SVMResult{}, fmt.Errorf("pointjepa: SVMConfig.C = %g, want > 0 (0 means 0.012)", cfg.C)
	}
	c := cfg.C
	if c == 0 {
		c = 0.012
	}
	ytr, err := labelsOf(train, "train")
	if err != nil {
		return SVMResult{}, err
	}
	yte, err := labelsOf(test, "test")
	if err != nil {
		return SVMResult{}, err
	}
	t0 := time.Now()
	xtr, err := embedClouds(ctx, e, train.Clouds, cfg.Batch, "train", cfg.Log)
	if err != nil {
		return SVMResult{}, err
	}
	xte, err := embedClouds(ctx, e, test.Clouds, cfg.Batch, "test", cfg.Log)
	if err != nil {
		return SVMResult{}, err
	}
	if _, a := xtr.Dims(); a != xte.RawMatrix().Cols {
		return SVMResult{}, fmt.Errorf("pointjepa: %d train feature columns but %d test", a, xte.RawMatrix().Cols)
	}
	res := SVMResult{
		TrainClouds: train.Len(), TestClouds: test.Len(), Classes: len(train.ClassNames),
		FeatureDim: xtr.RawMatrix().Cols, FeatureStd: featureStd(xtr),
		EmbedSeconds: time.Since(t0).Seconds(),
	}
	if err := ctx.Err(); err != nil {
		return SVMResult{}, err
	}
	if cfg.Log != nil {
		fmt.Fprintf(cfg.Log, "svm: fitting SVC(C=%g, kernel=linear) on %d×%d features\n", c, res.TrainClouds, res.FeatureDim)
	}
	t1 := time.Now()
	m, err := probe.SVC{C: c}.FitSVC(xtr, ytr)
	if err != nil {
		return SVMResult{}, fmt.Errorf("pointjepa: SVM fit: %w", err)
	}
	pred, err := m.Predict(xte)
	if err != nil {
		return SVMResult{}, fmt.Errorf("pointjepa: SVM predict: %w", err)
	}
	res.FitSeconds = time.Since(t1).Seconds()
	res.Accuracy = 100 * probe.Accuracy(pred, yte)
	res.Converged = m.Converged
	if cfg.Log != nil {
		fmt.Fprintf(cfg.Log, "svm: accuracy %.2f%% on %d test clouds (fit %.1fs)\n", res.Accuracy, res.TestClouds, res.FitSeconds)
	}
	return res, nil
}
