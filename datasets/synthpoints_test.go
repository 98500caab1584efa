package datasets

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSyntheticCloudsDefault(t *testing.T) {
	train, test := SyntheticClouds(SyntheticCloudsConfig{})
	assert.Equal(t, 320, train.Len())
	assert.Equal(t, 80, test.Len())
	assert.Equal(t, "train", train.Split)
	assert.Equal(t, SyntheticCloudClassNames, test.ClassNames)
	for _, n := range train.ClassCounts() {
		assert.Equal(t, 40, n)
	}
	for _, set := range []*PointSet{train, test} {
		for _, c := range set.Clouds {
			require.Len(t, c.Points, 1024)
			require.NoError(t, c.Validate())
			var m r3.Vector
			maxN := 0.0
			for _, p := range c.Points {
				m = m.Add(p)
				maxN = math.Max(maxN, p.Norm())
			}
			require.InDelta(t, 0, m.Norm()/1024, 1e-12)
			require.InDelta(t, 1, maxN, 1e-12)
		}
	}
	assert.Equal(t, "cube_0001", train.Clouds[1].ID)

	// Deterministic for a seed; another seed or split differs.
	again, _ := SyntheticClouds(SyntheticCloudsConfig{})
	assert.Equal(t, train.Clouds[5].Points, again.Clouds[5].Points)
	other, _ := SyntheticClouds(SyntheticCloudsConfig{Seed: 1, TrainPerClass: 1})
	assert.NotEqual(t, train.Clouds[5].Points, other.Clouds[5].Points)
	assert.NotEqual(t, train.Clouds[0].Points, test.Clouds[0].Points)

	small, smallTest := SyntheticClouds(SyntheticCloudsConfig{NumPoints: 64, TrainPerClass: 2, TestPerClass: 1, Noise: -1})
	assert.Equal(t, 16, small.Len())
	assert.Equal(t, 8, smallTest.Len())
	assert.Len(t, small.Clouds[0].Points, 64)
}

// Each sampler puts its points on the intended surface.
func TestSyntheticSamplersOnSurface(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const eps = 1e-9
	for range 2000 {
		p := sampleSphere(rng)
		require.InDelta(t, 1, p.Norm(), eps)

		p = sampleCube(rng)
		require.InDelta(t, 1, math.Max(math.Abs(p.X), math.Max(math.Abs(p.Y), math.Abs(p.Z))), eps)

		p = sampleCylinder(rng)
		rho := math.Hypot(p.X, p.Y)
		require.True(t, math.Abs(rho-cylR) < eps && math.Abs(p.Z) <= cylH+eps || math.Abs(math.Abs(p.Z)-cylH) < eps && rho <= cylR+eps, "%v", p)

		p = sampleCone(rng)
		rho = math.Hypot(p.X, p.Y)
		require.True(t, math.Abs(rho-coneR*(1-p.Z)/2) < eps || math.Abs(p.Z+1) < eps && rho <= coneR+eps, "%v", p)

		p = sampleTorus(rng)
		require.InDelta(t, torusr*torusr, math.Pow(math.Hypot(p.X, p.Y)-torusR, 2)+p.Z*p.Z, eps)

		p = sampleDumbbell(rng)
		dl, dr := p.Sub(r3.Vector{X: -bellX}).Norm(), p.Sub(r3.Vector{X: bellX}).Norm()
		onBar := math.Abs(math.Hypot(p.Y, p.Z)-barR) < eps && math.Abs(p.X) < bellX
		require.True(t, math.Abs(dl-bellR) < eps || math.Abs(dr-bellR) < eps || onBar, "%v", p)

		p = sampleOctahedron(rng)
		require.InDelta(t, 1, math.Abs(p.X)+math.Abs(p.Y)+math.Abs(p.Z), eps)
	}
	// Helix: the distance to the centre line (sampled finely) is the tube radius.
	for range 200 {
		p := sampleHelix(rng)
		best := math.Inf(1)
		for i := 0; i <= 40000; i++ {
			best = math.Min(best, p.Sub(helixCenter(2*math.Pi*helixTurns*float64(i)/40000)).Norm())
		}
		require.InDelta(t, helixTube, best, 1e-3)
	}
}

func TestRandomRotationIsRotation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var mean [9]float64
	for range 4000 {
		r := randomRotation(rng)
		// RᵀR = I and det R = 1.
		for i := range 3 {
			for j := range 3 {
				d := r[i]*r[j] + r[3+i]*r[3+j] + r[6+i]*r[6+j]
				want := 0.0
				if i == j {
					want = 1
				}
				require.InDelta(t, want, d, 1e-12)
			}
		}
		det := r[0]*(r[4]*r[8]-r[5]*r[7]) - r[1]*(r[3]*r[8]-r[5]*r[6]) + r[2]*(r[3]*r[7]-r[4]*r[6])
		require.InDelta(t, 1, det, 1e-12)
		for i := range mean {
			mean[i] += r[i] / 4000
		}
	}
	// Uniform (Haar) rotations have zero mean entries.
	for _, m := range mean {
		assert.InDelta(t, 0, m, 0.05)
	}
}

// The classes are distinguishable: a nearest-class-mean classifier on a
// rotation-invariant descriptor (histogram of point norms) beats chance
// (1/8) by far.
func TestSyntheticCloudsSeparable(t *testing.T) {
	train, test := SyntheticClouds(SyntheticCloudsConfig{})
	const bins = 16
	feat := func(c PointCloud) [bins]float64 {
		var h [bins]float64
		for _, p := range c.Points {
			h[min(bins-1, int(p.Norm()*bins))] += 1.0 / float64(len(c.Points))
		}
		return h
	}
	means := make([][bins]float64, len(train.ClassNames))
	for _, c := range train.Clouds {
		f := feat(c)
		for i := range f {
			means[c.Label][i] += f[i] / 40
		}
	}
	correct := 0
	for _, c := range test.Clouds {
		f := feat(c)
		best, bi := math.Inf(1), -1
		for l, m := range means {
			d := 0.0
			for i := range f {
				d += (f[i] - m[i]) * (f[i] - m[i])
			}
			if d < best {
				best, bi = d, l
			}
		}
		if bi == c.Label {
			correct++
		}
	}
	acc := float64(correct) / float64(test.Len())
	t.Logf("nearest-class-mean accuracy on norm histograms: %.3f", acc)
	assert.Greater(t, acc, 0.5)
}
