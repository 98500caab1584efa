package split

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func episodeLabels() []int {
	// 12 classes, class c has 30+c samples, interleaved.
	var y []int
	for round := 0; round < 45; round++ {
		for c := range 12 {
			if round < 30+c {
				y = append(y, 100+c)
			}
		}
	}
	return y
}

func TestSampleEpisodeShape(t *testing.T) {
	y := episodeLabels()
	ep, err := SampleEpisode(y, EpisodeConfig{}, rand.New(rand.NewPCG(1, 2)))
	require.NoError(t, err)
	require.Len(t, ep.Classes, 5)
	require.Len(t, ep.Support, 5*10)
	require.Len(t, ep.Query, 5*20)
	seen := map[int]bool{}
	for _, i := range append(append([]int{}, ep.Support...), ep.Query...) {
		require.False(t, seen[i], "index %d drawn twice", i)
		seen[i] = true
	}
	distinct := map[int]bool{}
	for k, c := range ep.Classes {
		distinct[c] = true
		for _, i := range ep.Support[k*10 : (k+1)*10] {
			assert.Equal(t, c, y[i])
		}
		for _, i := range ep.Query[k*20 : (k+1)*20] {
			assert.Equal(t, c, y[i])
		}
	}
	assert.Len(t, distinct, 5)
}

func TestSampleEpisodeDeterministic(t *testing.T) {
	y := episodeLabels()
	cfg := EpisodeConfig{Way: 10, Shot: 20, Query: 10}
	a, err := SampleEpisode(y, cfg, rand.New(rand.NewPCG(7, 7)))
	require.NoError(t, err)
	b, err := SampleEpisode(y, cfg, rand.New(rand.NewPCG(7, 7)))
	require.NoError(t, err)
	assert.Equal(t, a, b)
	c, err := SampleEpisode(y, cfg, rand.New(rand.NewPCG(7, 8)))
	require.NoError(t, err)
	assert.NotEqual(t, a, c)
}

func TestSampleEpisodeCoversClasses(t *testing.T) {
	// Over many episodes every class is drawn: the class draw is uniform,
	// not biased to the first classes.
	y := episodeLabels()
	rng := rand.New(rand.NewPCG(3, 4))
	count := map[int]int{}
	for range 300 {
		ep, err := SampleEpisode(y, EpisodeConfig{}, rng)
		require.NoError(t, err)
		for _, c := range ep.Classes {
			count[c]++
		}
	}
	require.Len(t, count, 12)
	for c, n := range count {
		assert.InDelta(t, 300*5/12.0, float64(n), 45, "class %d", c)
	}
}

func TestSampleEpisodeErrors(t *testing.T) {
	y := episodeLabels()
	rng := rand.New(rand.NewPCG(1, 1))
	_, err := SampleEpisode(y, EpisodeConfig{Way: 13}, rng)
	assert.ErrorContains(t, err, "needs 13 classes")
	// classes 100..104 have 30..34 samples: 15+20 is too many for them
	_, err = SampleEpisode(y, EpisodeConfig{Shot: 15}, rng)
	assert.ErrorContains(t, err, "fewer than 15 shot + 20 query")
	ep, err := SampleEpisode(y, EpisodeConfig{Shot: 15, SkipSmallClasses: true}, rng)
	require.NoError(t, err)
	for _, c := range ep.Classes {
		assert.GreaterOrEqual(t, c, 105)
	}
	_, err = SampleEpisode(y, EpisodeConfig{Way: 8, Shot: 15, SkipSmallClasses: true}, rng)
	assert.ErrorContains(t, err, "found 7")
	_, err = SampleEpisode(y, EpisodeConfig{Way: -1}, rng)
	assert.ErrorContains(t, err, "positive")
	_, err = SampleEpisode(nil, EpisodeConfig{}, rng)
	assert.Error(t, err)
}
