package pointjepa

import (
	"context"
	"errors"
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
)

// radialEmbedder is a test double of a trained encoder: a rotation-invariant
// hand-made feature per cloud (a 16-bin histogram of the distances of the
// points from their centroid, scaled by the largest, plus their sorted
// second-moment eigen-proxies), enough to separate the synthetic shapes.
type radialEmbedder struct{ calls, clouds int }

func (e *radialEmbedder) Embed(clouds []datasets.PointCloud) (*mat.Dense, error) {
	e.calls++
	e.clouds += len(clouds)
	const bins = 16
	out := mat.NewDense(len(clouds), bins+3, nil)
	for i := range clouds {
		p := clouds[i].Points
		var cx, cy, cz float64
		for _, v := range p {
			cx, cy, cz = cx+v.X, cy+v.Y, cz+v.Z
		}
		n := float64(len(p))
		cx, cy, cz = cx/n, cy/n, cz/n
		d := make([]float64, len(p))
		var dmax, sxx, syy, szz float64
		for j, v := range p {
			x, y, z := v.X-cx, v.Y-cy, v.Z-cz
			d[j] = math.Sqrt(x*x + y*y + z*z)
			dmax = max(dmax, d[j])
			sxx, syy, szz = sxx+x*x, syy+y*y, szz+z*z
		}
		row := out.RawRowView(i)
		for _, v := range d {
			row[min(int(v/dmax*bins), bins-1)] += 10 / n
		}
		m := []float64{sxx / n, syy / n, szz / n}
		sort.Float64s(m)
		copy(row[bins:], m)
	}
	return out, nil
}

// constEmbedder maps every cloud to the same features (a collapsed encoder).
type constEmbedder struct{}

func (constEmbedder) Embed(clouds []datasets.PointCloud) (*mat.Dense, error) {
	out := mat.NewDense(len(clouds), 4, nil)
	for i := range clouds {
		out.SetRow(i, []float64{1, 2, 3, 4})
	}
	return out, nil
}

// funcEmbedder adapts a function.
type funcEmbedder func([]datasets.PointCloud) (*mat.Dense, error)

func (f funcEmbedder) Embed(c []datasets.PointCloud) (*mat.Dense, error) { return f(c) }

func syntheticSets(t *testing.T) (train, test *datasets.PointSet) {
	t.Helper()
	return datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256})
}

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

func TestFewShotSynthetic(t *testing.T) {
	train, test := syntheticSets(t)
	e := &radialEmbedder{}
	cfg := FewShotConfig{Settings: []FewShotSetting{{5, 10}, {5, 20}}, Query: 10, Folds: 4}
	rep, err := FewShot(context.Background(), e, train, test, cfg)
	require.NoError(t, err)
	require.Len(t, rep.Results, 2)
	r := rep.Results[0]
	assert.Equal(t, "5w10s", r.Setting)
	assert.Equal(t, 10, r.Query)
	require.Len(t, r.Accuracy.Runs, 1)
	assert.Len(t, r.Accuracy.Runs[0].Scores, 4)
	assert.Greater(t, r.Accuracy.Mean, 60.0, "chance is 20%%")
	require.NotNil(t, r.Paper)
	assert.Equal(t, 97.4, r.Paper.Mean)
	assert.Equal(t, rep.EmbeddedClouds, e.clouds, "every cloud embedded once")
	assert.LessOrEqual(t, rep.EmbeddedClouds, 4*(50+100)+4*(100+50))
	assert.Contains(t, rep.Protocol, "from the test split")

	// Seeded: the same config gives the same scores; another seed others.
	again, err := FewShot(context.Background(), &radialEmbedder{}, train, test, cfg)
	require.NoError(t, err)
	assert.Equal(t, r.Accuracy.Runs[0].Scores, again.Results[0].Accuracy.Runs[0].Scores)
	assert.NotEqual(t, drawn(t, train, test, 0), drawn(t, train, test, 100))

	// Within one split (test nil): split.SampleEpisode.
	one, err := FewShot(context.Background(), &radialEmbedder{}, train, nil, FewShotConfig{Settings: []FewShotSetting{{5, 10}}, Folds: 2})
	require.NoError(t, err)
	assert.Equal(t, 20, one.Results[0].Query)
	assert.Contains(t, one.Protocol, "split.SampleEpisode")
}

// drawn returns the support indices fold 0 of 5w10s draws with seed.
func drawn(t *testing.T, train, test *datasets.PointSet, seed uint64) []int {
	ytr, err := labelsOf(train, "train")
	require.NoError(t, err)
	yte, err := labelsOf(test, "test")
	require.NoError(t, err)
	s, q, err := drawEpisode(ytr, yte, FewShotSetting{5, 10}, 10, randFor(seed))
	require.NoError(t, err)
	assert.Len(t, s, 50)
	assert.Len(t, q, 50)
	seen := map[int]bool{}
	for _, i := range append(append([]int{}, s...), q...) {
		assert.False(t, seen[i], "index %d drawn twice", i)
		seen[i] = true
	}
	for k, i := range s {
		assert.Equal(t, ytr[s[k/10*10]], ytr[i], "support grouped by class")
	}
	for _, i := range q {
		assert.GreaterOrEqual(t, i, len(ytr), "queries come from the test split")
	}
	return s
}

func TestFewShotErrors(t *testing.T) {
	train, test := syntheticSets(t)
	ctx := context.Background()
	e := &radialEmbedder{}
	_, err := FewShot(ctx, e, train, test, FewShotConfig{Settings: []FewShotSetting{{10, 10}}, Query: 10})
	assert.ErrorContains(t, err, "10-way episode needs 10 classes")
	_, err = FewShot(ctx, e, train, test, FewShotConfig{Settings: []FewShotSetting{{5, 10}}, Query: 20})
	assert.ErrorContains(t, err, "at least 10 training and 20 test clouds", "the synthetic test split has 10 per class")
	_, err = FewShot(ctx, e, train, test, FewShotConfig{Settings: []FewShotSetting{{1, 10}}})
	assert.ErrorContains(t, err, "way ≥ 2")
	_, err = FewShot(ctx, e, train, test, FewShotConfig{Folds: -1})
	assert.Error(t, err)
	_, err = FewShot(ctx, e, nil, test, FewShotConfig{})
	assert.Error(t, err)
	assert.Zero(t, e.calls, "errors come before any embedding")
}

func TestParseFewShotSetting(t *testing.T) {
	for in, want := range map[string]FewShotSetting{"5w10s": {5, 10}, "10W20S": {10, 20}, "5way10shot": {5, 10}, " 2w1s ": {2, 1}} {
		got, err := ParseFewShotSetting(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, got, must(ParseFewShotSetting(got.String())))
	}
	for _, bad := range []string{"", "5w", "w10s", "1w10s", "5w0s", "5x10s", "-5w10s", "5w10"} {
		_, err := ParseFewShotSetting(bad)
		assert.Error(t, err, bad)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
