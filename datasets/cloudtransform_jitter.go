package datasets

import (
	"math"
	"math/rand/v2"
)

// Jitter adds clipped Gaussian noise to every coordinate:
// p ← p + clamp(Sigma·N(0,1), −Clip, Clip), drawn per point and axis (x,
// y, z in order). The zero value is Point-MAE's PointcloudJitter default:
// σ = 0.01, clip = 0.05.
type Jitter struct {
	Sigma float64 // 0 means 0.01
	Clip  float64 // 0 means 0.05
}

func (t Jitter) params() (float64, float64) {
	s, c := t.Sigma, t.Clip
	if s == 0 {
		s = 0.01
	}
	if c == 0 {
		c = 0.05
	}
	return s, c
}

func (t Jitter) noise(rng *rand.Rand, s, c float64) float64 {
	return math.Max(-c, math.Min(c, s*rng.NormFloat64()))
}

// TransformCloud implements CloudTransform.
func (t Jitter) TransformCloud(pc *PointCloud, rng *rand.Rand) error {
	s, c := t.params()
	for i := range pc.Points {
		p := &pc.Points[i]
		p.X += t.noise(rng, s, c)
		p.Y += t.noise(rng, s, c)
		p.Z += t.noise(rng, s, c)
	}
	return nil
}

// TransformBatch implements BatchTransform (noise per point, as the
// reference draws it per cloud of the batch).
func (t Jitter) TransformBatch(b *PointBatch, rng *rand.Rand) error {
	s, c := t.params()
	for i := range b.Points {
		b.Points[i] += float32(t.noise(rng, s, c))
	}
	return nil
}
