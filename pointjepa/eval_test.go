package pointjepa

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"
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

func TestEmbedClouds(t *testing.T) {
	train, _ := syntheticSets(t)
	ctx := context.Background()
	var log strings.Builder
	e := &radialEmbedder{}
	x, err := embedClouds(ctx, e, train.Clouds[:250], 100, "train", &log)
	require.NoError(t, err)
	assert.Equal(t, 3, e.calls, "batches of 100, 100 and 50")
	r, c := x.Dims()
	assert.Equal(t, 250, r)
	assert.Equal(t, 19, c)
	whole, err := (&radialEmbedder{}).Embed(train.Clouds[:250])
	require.NoError(t, err)
	assert.True(t, mat.Equal(whole, x), "rows in cloud order")
	assert.Equal(t, 3, strings.Count(log.String(), "embed train: "))
	assert.Contains(t, log.String(), "250/250 clouds")

	calls := 0
	growing := funcEmbedder(func(cl []datasets.PointCloud) (*mat.Dense, error) {
		calls++
		return mat.NewDense(len(cl), calls, nil), nil
	})
	_, err = embedClouds(ctx, growing, train.Clouds[:20], 10, "test", nil)
	assert.ErrorContains(t, err, "returned 2 columns for test clouds 10..19, 1 before")

	_, err = embedClouds(ctx, e, nil, 10, "test", nil)
	assert.ErrorContains(t, err, "no test clouds")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = embedClouds(cancelled, e, train.Clouds, 10, "train", nil)
	assert.True(t, errors.Is(err, context.Canceled))

	assert.Equal(t, "a/b.npy", cloudName(&datasets.PointCloud{Path: "a/b.npy", ID: "b"}, 3))
	assert.Equal(t, "b", cloudName(&datasets.PointCloud{ID: "b"}, 3))
	assert.Equal(t, "#3", cloudName(&datasets.PointCloud{}, 3))
	assert.True(t, math.IsNaN(featureStd(mat.NewDense(1, 2, nil))))
}
