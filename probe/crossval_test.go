package probe

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets/split"
)

func TestCrossValidateWorkersDoNotChangeResults(t *testing.T) {
	x, y := numpyBlobs(4, 120, 6, 3)
	folds, err := GraphJEPAFolds().Split(y)
	require.NoError(t, err)
	one, err := CrossValidate(LogisticRegression{}, x, y, folds, 1)
	require.NoError(t, err)
	many, err := CrossValidate(LogisticRegression{}, x, y, folds, 4)
	require.NoError(t, err)
	assert.Equal(t, one, many)
	require.Len(t, one, 10)
	for f, r := range one {
		assert.Len(t, r.Predictions, len(folds[f].Test))
	}
}

func TestCrossValidateErrors(t *testing.T) {
	x, y := numpyBlobs(4, 30, 3, 2)
	folds, err := split.KFold{NSplits: 3}.Split(30)
	require.NoError(t, err)
	_, err = CrossValidate(LogisticRegression{}, x, y[:29], folds, 0)
	assert.ErrorContains(t, err, "30 feature rows but 29 targets")
	_, err = CrossValidate(LogisticRegression{}, x, y, nil, 0)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = CrossValidate(LogisticRegression{}, x, y, []split.Fold{{Train: []int{0, 1}, Test: []int{30}}}, 0)
	assert.ErrorContains(t, err, "index 30")
	_, err = CrossValidate(LogisticRegression{}, x, y, []split.Fold{{Train: nil, Test: []int{1}}}, 0)
	assert.ErrorIs(t, err, ErrEmpty)
	// A training fold with a single class: the classifier's error, with
	// the fold named.
	yy := make([]int, 30)
	yy[29] = 1
	_, err = CrossValidate(LogisticRegression{}, x, yy, []split.Fold{{Train: []int{0, 1, 2}, Test: []int{29}}}, 0)
	assert.ErrorContains(t, err, "fold 0")
	assert.ErrorContains(t, err, "at least 2 classes")
}

func TestKFoldAccuracyAndRepeat(t *testing.T) {
	x, y := numpyBlobs(8, 150, 5, 3)
	runs, err := Repeat([]uint64{42, 21}, func(seed uint64) (Run, error) {
		// A stand-in for "pre-train with seed, embed": shift the features.
		xs := mat.DenseCopyOf(x)
		xs.Apply(func(_, _ int, v float64) float64 { return v + float64(seed%3) }, xs)
		return KFoldAccuracy(LogisticRegression{}, xs, y, GraphJEPAFolds())
	})
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.Equal(t, uint64(42), runs[0].Seed)
	assert.Equal(t, uint64(21), runs[1].Seed)
	for _, r := range runs {
		require.Len(t, r.Scores, 10)
		for _, s := range r.Scores {
			assert.True(t, s >= 0 && s <= 100)
		}
	}
	rep, err := SummarizeFolds(AccuracyPercent, runs)
	require.NoError(t, err)
	assert.InDelta(t, (runs[0].Mean+runs[1].Mean)/2, rep.Mean, 1e-12)
	assert.InDelta(t, (runs[0].Std+runs[1].Std)/2, rep.Std, 1e-12)

	_, err = Repeat(nil, nil)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = KFoldAccuracy(LogisticRegression{}, x, y, split.StratifiedKFold{NSplits: 1})
	assert.Error(t, err)
}

func TestFewShot(t *testing.T) {
	x, y := numpyBlobs(12, 600, 8, 10)
	cfg := split.EpisodeConfig{Way: 5, Shot: 10, Query: 20}
	a, err := FewShot(LogisticRegression{}, x, y, cfg, 10, rand.New(rand.NewPCG(1, 2)))
	require.NoError(t, err)
	require.Len(t, a.Scores, 10)
	for _, s := range a.Scores {
		// 100 queries per episode: scores are multiples of 1 %, above chance
		assert.True(t, s > 20 && s <= 100, "score %v", s)
	}
	b, err := FewShot(LogisticRegression{}, x, y, cfg, 10, rand.New(rand.NewPCG(1, 2)))
	require.NoError(t, err)
	assert.Equal(t, a, b)

	_, err = FewShot(LogisticRegression{}, x, y, cfg, 0, rand.New(rand.NewPCG(1, 2)))
	assert.Error(t, err)
	_, err = FewShot(LogisticRegression{}, x, y, split.EpisodeConfig{Shot: 100}, 1, rand.New(rand.NewPCG(1, 2)))
	assert.ErrorContains(t, err, "fewer than 100 shot")
	_, err = FewShot(LogisticRegression{}, x, y[:5], cfg, 1, rand.New(rand.NewPCG(1, 2)))
	assert.Error(t, err)
}

func TestCrossValidateSVCKernelReuse(t *testing.T) {
	// CrossValidate computes one kernel for all folds; fitting each fold on
	// its own rows gives the same models up to the solver tolerance.
	x, y := numpyBlobs(21, 160, 7, 4)
	folds, err := GraphJEPAFolds().Split(y)
	require.NoError(t, err)
	clf := SVC{C: 0.5}
	res, err := CrossValidate(clf, x, y, folds, 0)
	require.NoError(t, err)
	g := x.RawMatrix()
	for f, fold := range folds {
		ytr := make([]int, len(fold.Train))
		for k, i := range fold.Train {
			ytr[k] = y[i]
		}
		m, err := clf.FitSVC(denseOf(selectRows(g, fold.Train)), ytr)
		require.NoError(t, err)
		pred, err := m.Predict(denseOf(selectRows(g, fold.Test)))
		require.NoError(t, err)
		assert.Equal(t, pred, res[f].Predictions, "fold %d", f)
	}
}

func TestSolversDeterministic(t *testing.T) {
	x, y := numpyBlobs(2, 200, 9, 5)
	for _, clf := range []Classifier{LogisticRegression{}, LinearSVC{Seed: 3}, SVC{}} {
		a, err := clf.Fit(x, y)
		require.NoError(t, err)
		b, err := clf.Fit(x, y)
		require.NoError(t, err)
		assert.Equal(t, a, b, "%T", clf)
	}
	// A different LinearSVC seed visits coordinates in another order.
	a, err := LinearSVC{Seed: 3}.FitLinear(x, y)
	require.NoError(t, err)
	b, err := LinearSVC{Seed: 4}.FitLinear(x, y)
	require.NoError(t, err)
	assert.NotEqual(t, a.Coef.RawMatrix().Data, b.Coef.RawMatrix().Data)
	assert.InDeltaSlice(t, a.Coef.RawMatrix().Data, b.Coef.RawMatrix().Data, 1e-2)
}
