package datasets

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// knnReference sorts all points by (distance, index) for each center.
func knnReference(xyz, centers []float32, k int) ([]int, []float32) {
	n, g := len(xyz)/3, len(centers)/3
	idx := make([]int, 0, g*k)
	dist := make([]float32, 0, g*k)
	for c := range g {
		d := make([]float32, n)
		order := make([]int, n)
		for p := range n {
			d[p] = sqDist32(centers[3*c]-xyz[3*p], centers[3*c+1]-xyz[3*p+1], centers[3*c+2]-xyz[3*p+2])
			order[p] = p
		}
		slices.SortStableFunc(order, func(a, b int) int {
			switch {
			case d[a] < d[b]:
				return -1
			case d[a] > d[b]:
				return 1
			}
			return 0
		})
		for _, p := range order[:k] {
			idx = append(idx, p)
			dist = append(dist, d[p])
		}
	}
	return idx, dist
}

func TestKNNMatchesPytorch3d(t *testing.T) {
	xyz := crossCheckCloud()
	centers := make([]float32, 0, 12)
	for _, c := range crossFPS17[:4] {
		centers = append(centers, xyz[3*c:3*c+3]...)
	}
	idx := make([]int, 4*16)
	dist := make([]float32, 4*16)
	KNN(idx, dist, xyz, centers, 16, nil)
	for c := range 4 {
		assert.Equal(t, crossKNN[c], idx[c*16:(c+1)*16], "center %d", c)
		assert.Equal(t, float32(0), dist[c*16], "a center is its own nearest point")
	}
	assert.Equal(t, float32(0), dist[3*16+1], "point 111 duplicates point 11")
}

func TestKNNBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 80 {
		n := 1 + rng.IntN(300)
		k := 1 + rng.IntN(min(n, 40))
		g := rng.IntN(11) // exercises the 4-center blocks and the remainder
		xyz := randomCloud(rng, n, trial%2 == 0)
		centers := make([]float32, 0, 3*g)
		for range g {
			if rng.IntN(2) == 0 {
				p := rng.IntN(n)
				centers = append(centers, xyz[3*p:3*p+3]...)
			} else {
				centers = append(centers, float32(rng.IntN(5))/4, float32(rng.NormFloat64()), 0.5)
			}
		}
		wantIdx, wantDist := knnReference(xyz, centers, k)
		idx := make([]int, g*k)
		dist := make([]float32, g*k)
		KNN(idx, dist, xyz, centers, k, nil)
		require.Equal(t, wantIdx, idx, "trial %d n=%d k=%d g=%d", trial, n, k, g)
		require.Equal(t, wantDist, dist)
	}
}

func TestKNNPanicsAndAllocs(t *testing.T) {
	xyz := randomCloud(rand.New(rand.NewPCG(1, 1)), 100, false)
	centers := xyz[:24]
	idx := make([]int, 8*10)
	dist := make([]float32, 8*10)
	heap := make([]uint64, 40)
	assert.Equal(t, 0.0, testing.AllocsPerRun(5, func() { KNN(idx, dist, xyz, centers, 10, heap) }))
	assert.Panics(t, func() { KNN(idx, dist, xyz, centers, 101, nil) })
	assert.Panics(t, func() { KNN(idx[:5], dist, xyz, centers, 10, nil) })
	assert.Panics(t, func() { KNN(idx, dist, xyz[:7], centers, 10, nil) })
	assert.Panics(t, func() { KNN(idx, dist, xyz, centers, 10, heap[:39]) })
}
