package pointjepa

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
)

func TestEvalSVMSynthetic(t *testing.T) {
	train, test := syntheticSets(t)
	e := &radialEmbedder{}
	res, err := EvalSVM(context.Background(), e, train, test, SVMConfig{Batch: 100})
	require.NoError(t, err)
	assert.Equal(t, 320, res.TrainClouds)
	assert.Equal(t, 80, res.TestClouds)
	assert.Equal(t, 8, res.Classes)
	assert.Equal(t, 19, res.FeatureDim)
	assert.Greater(t, res.Accuracy, 60.0, "chance is 12.5%%")
	assert.Greater(t, res.FeatureStd, 0.0)
	assert.Equal(t, 4+1, e.calls, "320 train clouds in batches of 100, then 80 test clouds")
	assert.Equal(t, 400, e.clouds)

	// Deterministic: the same features give the same accuracy.
	again, err := EvalSVM(context.Background(), &radialEmbedder{}, train, test, SVMConfig{})
	require.NoError(t, err)
	assert.Equal(t, res.Accuracy, again.Accuracy)

	// A collapsed encoder scores at chance (one class predicted for all)
	// and shows a zero feature std.
	floor, err := EvalSVM(context.Background(), constEmbedder{}, train, test, SVMConfig{})
	require.NoError(t, err)
	assert.InDelta(t, 12.5, floor.Accuracy, 1e-9)
	assert.Zero(t, floor.FeatureStd)
}

func TestEvalSVMErrors(t *testing.T) {
	train, test := syntheticSets(t)
	ctx := context.Background()
	_, err := EvalSVM(ctx, constEmbedder{}, train, &datasets.PointSet{}, SVMConfig{})
	assert.ErrorContains(t, err, "non-empty")
	_, err = EvalSVM(ctx, constEmbedder{}, train, test, SVMConfig{C: -1})
	assert.ErrorContains(t, err, "SVMConfig.C")

	nan := funcEmbedder(func(c []datasets.PointCloud) (*mat.Dense, error) {
		out := mat.NewDense(len(c), 2, nil)
		out.Set(len(c)-1, 1, math.NaN())
		return out, nil
	})
	_, err = EvalSVM(ctx, nan, train, test, SVMConfig{})
	assert.ErrorContains(t, err, "feature 1 of train cloud "+train.Clouds[255].ID+" is NaN")

	short := funcEmbedder(func(c []datasets.PointCloud) (*mat.Dense, error) { return mat.NewDense(1, 2, nil), nil })
	_, err = EvalSVM(ctx, short, train, test, SVMConfig{})
	assert.ErrorContains(t, err, "1×2 features for 256 train clouds")

	boom := errors.New("boom")
	fail := funcEmbedder(func([]datasets.PointCloud) (*mat.Dense, error) { return nil, boom })
	_, err = EvalSVM(ctx, fail, train, test, SVMConfig{})
	assert.ErrorIs(t, err, boom)

	unlabeled := &datasets.PointSet{Clouds: []datasets.PointCloud{train.Clouds[0].Clone()}, ClassNames: train.ClassNames}
	unlabeled.Clouds[0].Label = -1
	_, err = EvalSVM(ctx, constEmbedder{}, unlabeled, test, SVMConfig{})
	assert.ErrorContains(t, err, "has label -1")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = EvalSVM(cancelled, constEmbedder{}, train, test, SVMConfig{})
	assert.ErrorIs(t, err, context.Canceled)
}
