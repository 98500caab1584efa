package pointjepa

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
)

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

// FuzzParseFewShotSetting: any string parses to a valid setting that
// round-trips through String, or is an error; never a panic.
func FuzzParseFewShotSetting(f *testing.F) {
	for _, s := range []string{"5w10s", "10way20shot", "", "w", "99999999999999999999w1s", "2w1s", "-1w-1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFewShotSetting(s)
		if err != nil {
			return
		}
		if got.Way < 2 || got.Shot < 1 {
			t.Fatalf("%q parsed to invalid %+v", s, got)
		}
		again, err := ParseFewShotSetting(got.String())
		if err != nil || again != got {
			t.Fatalf("%q: %+v does not round-trip (%+v, %v)", s, got, again, err)
		}
	})
}
