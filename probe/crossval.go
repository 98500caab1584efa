package probe

import (
	"fmt"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets/split"
)

// GraphJEPAFolds returns the fold splitter of Graph-JEPA's TU-dataset
// protocol: scikit-learn's StratifiedKFold(n_splits=10, shuffle=True,
// random_state=12345) over the whole dataset (graph-jepa core/trainer.py,
// run_k_fold).
func GraphJEPAFolds() split.StratifiedKFold {
	return split.StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 12345}
}

// GraphJEPASeeds are the pre-training seeds of Graph-JEPA's TU protocol
// (5 runs); GraphJEPAZINCSeeds those of its ZINC protocol (10 runs).
var (
	GraphJEPASeeds     = []uint64{42, 21, 95, 12, 35}
	GraphJEPAZINCSeeds = []uint64{21, 42, 41, 95, 12, 35, 66, 85, 3, 1234}
)

// FoldResult is the outcome of one fold.
type FoldResult struct {
	Accuracy    float64 // fraction of test samples predicted correctly
	Predictions []int   // predicted label per test sample, in Fold.Test order
}

// CrossValidate fits clf on the training rows of every fold and returns the
// test results in fold order. Folds run concurrently on up to workers
// goroutines (zero means GOMAXPROCS); the results do not depend on the
// number of workers.
func CrossValidate(clf Classifier, x mat.Matrix, y []int, folds []split.Fold, workers int) ([]FoldResult, error) {
	if len(folds) == 0 {
		return nil, fmt.Errorf("%w: no folds", ErrEmpty)
	}
	g, err := checkSamples(x, len(y))
	if err != nil {
		return nil, err
	}
	for f, fold := range folds {
		if len(fold.Train) == 0 || len(fold.Test) == 0 {
			return nil, fmt.Errorf("%w: fold %d has %d train and %d test samples", ErrEmpty, f, len(fold.Train), len(fold.Test))
		}
		for _, idx := range [][]int{fold.Train, fold.Test} {
			for _, i := range idx {
				if i < 0 || i >= g.Rows {
					return nil, fmt.Errorf("probe: fold %d holds sample index %d, outside [0, %d)", f, i, g.Rows)
				}
			}
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Kernel classifiers reuse one kernel of all samples across folds: each
	// fold's kernel is a submatrix of it.
	var gram *gramMatrix
	if gf, ok := clf.(gramFitter); ok && gramFits(g.Rows, gf.gramBytes()) {
		gram = newGramMatrix(g)
	}
	results := make([]FoldResult, len(folds))
	errs := make([]error, len(folds))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, len(folds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				results[f], errs[f] = runFold(clf, g, gram, y, folds[f])
			}
		}()
	}
	for f := range folds {
		next <- f
	}
	close(next)
	wg.Wait()
	for f, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("probe: fold %d: %w", f, err)
		}
	}
	return results, nil
}

// gramFitter is a classifier that can fit on a subset of rows given the
// linear kernel of all rows (SVC).
type gramFitter interface {
	gramBytes() float64
	fitRows(g blas64.General, gram *gramMatrix, rows, y []int) (*SVCModel, error)
}

func runFold(clf Classifier, g blas64.General, gram *gramMatrix, y []int, fold split.Fold) (FoldResult, error) {
	ytr := make([]int, len(fold.Train))
	for k, i := range fold.Train {
		ytr[k] = y[i]
	}
	var model Predictor
	var err error
	if gram != nil {
		model, err = clf.(gramFitter).fitRows(g, gram, fold.Train, ytr)
	} else {
		model, err = clf.Fit(denseOf(selectRows(g, fold.Train)), ytr)
	}
	if err != nil {
		return FoldResult{}, err
	}
	pred, err := model.Predict(denseOf(selectRows(g, fold.Test)))
	if err != nil {
		return FoldResult{}, err
	}
	truth := make([]int, len(fold.Test))
	for k, i := range fold.Test {
		truth[k] = y[i]
	}
	return FoldResult{Accuracy: Accuracy(pred, truth), Predictions: pred}, nil
}

// Accuracies returns the accuracy of every fold.
func Accuracies(results []FoldResult) []float64 {
	out := make([]float64, len(results))
	for i, r := range results {
		out[i] = r.Accuracy
	}
	return out
}
