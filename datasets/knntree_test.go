package datasets

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The tree search returns exactly what the brute-force scan returns, on
// surface, Gaussian and tie-heavy (grid) clouds, for centers on and off
// the cloud.
func TestKNNTreeMatchesKNN(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	train, _ := SyntheticClouds(SyntheticCloudsConfig{NumPoints: 1024, TrainPerClass: 1})
	surface, err := Collate(nil, train.Clouds)
	require.NoError(t, err)
	var s FPSScratch
	for trial := range 24 {
		var xyz []float32
		switch trial % 3 {
		case 0:
			xyz = surface.Cloud(trial / 3)
		case 1:
			xyz = randomCloud(rng, 300+rng.IntN(900), false)
		default:
			xyz = randomCloud(rng, 300+rng.IntN(900), true)
		}
		n := len(xyz) / 3
		k := 1 + rng.IntN(40)
		s.build(xyz)
		centers := make([]float32, 0, 30)
		for range 10 {
			if rng.IntN(2) == 0 {
				p := rng.IntN(n)
				centers = append(centers, xyz[3*p:3*p+3]...)
			} else {
				centers = append(centers, float32(rng.IntN(5))/4, float32(rng.NormFloat64()), -0.25)
			}
		}
		wantIdx, wantDist := make([]int, 10*k), make([]float32, 10*k)
		KNN(wantIdx, wantDist, xyz, centers, k, nil)
		h := make([]uint64, k)
		idx, dist := make([]int, k), make([]float32, k)
		for c := range 10 {
			s.knnTree(h, centers[3*c], centers[3*c+1], centers[3*c+2])
			knnEmit(idx, dist, h)
			require.Equal(t, wantIdx[c*k:(c+1)*k], idx, "trial %d center %d", trial, c)
			require.Equal(t, wantDist[c*k:(c+1)*k], dist)
		}
	}
}
