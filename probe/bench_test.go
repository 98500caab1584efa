package probe

import (
	"testing"

	"github.com/nongrid/jepa/datasets/split"
)

// Benchmarks: 10-fold cross-validation (Graph-JEPA's folds) on 2,000 × 512
// generated features with 10 classes, numpyBlobsNoise(7, 2000, 512, 10, 14),
// which numpy regenerates identically for timing scikit-learn on the same
// data (blobs(7, 2000, 512, 10, 14.0); accuracies ≈ 0.8).
//
//	go test ./probe -run '^$' -bench CrossValidate -benchtime 1x -count 3
//
// workers=1 runs the folds one after another, as scikit-learn's loop does
// (its BLAS may still use both cores); workers=0 uses GOMAXPROCS.
func benchCV(b *testing.B, clf Classifier, workers int) {
	x, y := numpyBlobsNoise(7, 2000, 512, 10, 14)
	folds, err := GraphJEPAFolds().Split(y)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var acc float64
	for b.Loop() {
		res, err := CrossValidate(clf, x, y, folds, workers)
		if err != nil {
			b.Fatal(err)
		}
		acc = 0
		for _, r := range res {
			acc += r.Accuracy / float64(len(res))
		}
	}
	b.ReportMetric(acc, "acc")
}

func BenchmarkCrossValidateLogistic(b *testing.B) {
	b.Run("serial", func(b *testing.B) { benchCV(b, LogisticRegression{MaxIter: 10000}, 1) })
	b.Run("parallel", func(b *testing.B) { benchCV(b, LogisticRegression{MaxIter: 10000}, 0) })
}

func BenchmarkCrossValidateLinearSVC(b *testing.B) {
	b.Run("serial", func(b *testing.B) { benchCV(b, LinearSVC{}, 1) })
	b.Run("parallel", func(b *testing.B) { benchCV(b, LinearSVC{}, 0) })
}

func BenchmarkCrossValidateSVC(b *testing.B) {
	b.Run("serial", func(b *testing.B) { benchCV(b, SVC{C: 0.012}, 1) })
	b.Run("parallel", func(b *testing.B) { benchCV(b, SVC{C: 0.012}, 0) })
}

var _ = split.Fold{}
