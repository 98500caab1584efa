package probe

import "testing"

// Benchmarks: 10-fold cross-validation (Graph-JEPA's folds) on 2,000 × 512
// generated features with 10 classes, numpyBlobsNoise(7, 2000, 512, 10, 14),
// which numpy regenerates identically for timing scikit-learn on the same
// data (blobs(7, 2000, 512, 10, 14.0); accuracies ≈ 0.8).
//
//	go test ./probe -run '^$' -bench CrossValidate -benchtime 1x -count 3
//
// workers=1 runs the folds one after another, as scikit-learn's loop does
// (its BLAS may still use both cores); workers=0 uses GOMAXPROCS.
//
// scikit-learn on the same data, timed by hand (blobs as in numpyBlobs):
//
//	X, y = blobs(7, 2000, 512, 10, 14.0)
//	folds = list(StratifiedKFold(10, shuffle=True, random_state=12345).split(X, y))
//	for mk in [lambda: LogisticRegression(max_iter=10000), lambda: LinearSVC(),
//	           lambda: SVC(C=0.012, kernel='linear')]:
//	    t = time.perf_counter()
//	    acc = [mk().fit(X[tr], y[tr]).score(X[te], y[te]) for tr, te in folds]
//	    print(time.perf_counter() - t, np.mean(acc))
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
