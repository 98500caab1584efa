package datasets

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testCloud(rng *rand.Rand, n int) PointCloud {
	c := PointCloud{Points: make([]r3.Vector, n), Normals: make([]r3.Vector, n), ID: "t"}
	for i := range n {
		c.Points[i] = r3.Vector{X: rng.NormFloat64() + 3, Y: 2 * rng.NormFloat64(), Z: rng.Float64() - 5}
		c.Normals[i] = r3.Vector{X: rng.NormFloat64(), Y: rng.NormFloat64(), Z: rng.NormFloat64()}.Normalize()
	}
	return c
}

func testBatch(t *testing.T, rng *rand.Rand, b, n int) (*PointBatch, []PointCloud) {
	clouds := make([]PointCloud, b)
	for i := range clouds {
		clouds[i] = testCloud(rng, n)
		// float32-exact coordinates so that cloud and batch variants agree closely
		for j, p := range clouds[i].Points {
			clouds[i].Points[j] = r3.Vector{X: float64(float32(p.X)), Y: float64(float32(p.Y)), Z: float64(float32(p.Z))}
		}
	}
	batch, err := Collate(nil, clouds)
	require.NoError(t, err)
	return batch, clouds
}

func TestCenterUnitSphere(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	c := testCloud(rng, 500)
	require.NoError(t, Compose(Center{}, UnitSphere{}).TransformCloud(&c, nil))
	var m r3.Vector
	maxN := 0.0
	for _, p := range c.Points {
		m = m.Add(p)
		maxN = math.Max(maxN, p.Norm())
	}
	assert.InDelta(t, 0, m.Norm()/500, 1e-12)
	assert.InDelta(t, 1, maxN, 1e-12)

	batch, clouds := testBatch(t, rng, 3, 200)
	require.NoError(t, ComposeBatch(Center{}, UnitSphere{}).TransformBatch(batch, nil))
	for i := range clouds {
		require.NoError(t, Compose(Center{}, UnitSphere{}).TransformCloud(&clouds[i], nil))
		for j, p := range clouds[i].Points {
			got := batch.Cloud(i)[3*j : 3*j+3]
			assert.InDelta(t, p.X, got[0], 1e-6)
			assert.InDelta(t, p.Y, got[1], 1e-6)
			assert.InDelta(t, p.Z, got[2], 1e-6)
		}
	}

	zero := PointCloud{Points: make([]r3.Vector, 4), ID: "z"}
	assert.Error(t, UnitSphere{}.TransformCloud(&zero, nil))
	zb := &PointBatch{B: 1, P: 2, Points: make([]float32, 6)}
	assert.Error(t, UnitSphere{}.TransformBatch(zb, nil))
	assert.Error(t, Center{}.TransformCloud(&PointCloud{}, nil))
}

func TestAnisotropicScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	batch, clouds := testBatch(t, rng, 4, 50)
	orig := append([]float32(nil), batch.Points...)

	require.NoError(t, AnisotropicScale{}.TransformBatch(batch, rand.New(rand.NewPCG(9, 9))))
	ref := rand.New(rand.NewPCG(9, 9))
	s := []float32{float32(0.8 + 0.4*ref.Float64()), float32(0.8 + 0.4*ref.Float64()), float32(0.8 + 0.4*ref.Float64())}
	for i := range batch.Points {
		require.Equal(t, orig[i]*s[i%3], batch.Points[i], "one factor triple for the whole batch")
	}

	copy(batch.Points, orig)
	require.NoError(t, AnisotropicScale{Min: 0.5, Max: 2, PerCloud: true}.TransformBatch(batch, rng))
	r0 := batch.Points[0] / orig[0]
	r1 := batch.Points[3*50] / orig[3*50]
	assert.NotEqual(t, r0, r1, "PerCloud draws per cloud")
	assert.True(t, r0 >= 0.5 && r0 <= 2)
	for i := range clouds {
		assert.Len(t, clouds[i].Points, 50)
	}

	// Normals of the plane z = x stay normal to the scaled plane.
	c := PointCloud{Points: []r3.Vector{{X: 1, Y: 2, Z: 1}}, Normals: []r3.Vector{r3.Vector{X: 1, Z: -1}.Normalize()}}
	require.NoError(t, AnisotropicScale{Min: 0.5, Max: 2}.TransformCloud(&c, rng))
	p := c.Points[0]
	n := c.Normals[0]
	// Scaled plane through the origin: z/sz = x/sx with sx = p.X, sz = p.Z.
	assert.InDelta(t, 0, n.Dot(r3.Vector{X: p.X, Z: p.Z}), 1e-12)
	assert.InDelta(t, 1, n.Norm(), 1e-12)
}

func TestScaleTranslate(t *testing.T) {
	c := PointCloud{Points: []r3.Vector{{X: 1, Y: -2, Z: 0.5}}}
	require.NoError(t, ScaleTranslate{}.TransformCloud(&c, rand.New(rand.NewPCG(4, 4))))
	ref := rand.New(rand.NewPCG(4, 4))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*ref.Float64() }
	sx, sy, sz := u(2.0/3, 1.5), u(2.0/3, 1.5), u(2.0/3, 1.5)
	tx, ty, tz := u(-0.2, 0.2), u(-0.2, 0.2), u(-0.2, 0.2)
	assert.Equal(t, r3.Vector{X: 1*sx + tx, Y: -2*sy + ty, Z: 0.5*sz + tz}, c.Points[0])

	batch := &PointBatch{B: 2, P: 1, Points: []float32{1, 1, 1, 1, 1, 1}}
	require.NoError(t, ScaleTranslate{}.TransformBatch(batch, ref))
	assert.NotEqual(t, batch.Points[:3], batch.Points[3:], "per-cloud draws")
}

func TestRotateAxis(t *testing.T) {
	// pytorch3d euler_angles_to_matrix([0, θ, 0], "XYZ") at θ = π/2 maps x to −z.
	r := RotateAxis{}.Matrix(math.Pi / 2)
	p := rotateVec(r, r3.Vector{X: 1})
	assert.InDelta(t, 0, p.X, 1e-15)
	assert.InDelta(t, -1, p.Z, 1e-15)
	p = rotateVec(RotateAxis{Axis: AxisZ}.Matrix(math.Pi/2), r3.Vector{X: 1})
	assert.InDelta(t, 1, p.Y, 1e-15)
	p = rotateVec(RotateAxis{Axis: AxisX}.Matrix(math.Pi/2), r3.Vector{Y: 1})
	assert.InDelta(t, 1, p.Z, 1e-15)

	rng := rand.New(rand.NewPCG(5, 5))
	c := testCloud(rng, 100)
	before := c.Clone()
	require.NoError(t, RotateAxis{}.TransformCloud(&c, rng))
	for i := range c.Points {
		assert.Equal(t, before.Points[i].Y, c.Points[i].Y, "rotation about y keeps y")
		assert.InDelta(t, before.Points[i].Norm(), c.Points[i].Norm(), 1e-12)
		assert.InDelta(t, before.Points[i].Dot(before.Normals[i]), c.Points[i].Dot(c.Normals[i]), 1e-12)
	}

	batch, _ := testBatch(t, rng, 3, 20)
	orig := append([]float32(nil), batch.Points...)
	require.NoError(t, RotateAxis{}.TransformBatch(batch, rand.New(rand.NewPCG(6, 6))))
	theta := -math.Pi + 2*math.Pi*rand.New(rand.NewPCG(6, 6)).Float64()
	for i := 0; i < len(orig); i += 3 {
		want := rotateVec(RotateAxis{}.Matrix(theta), r3.Vector{X: float64(orig[i]), Y: float64(orig[i+1]), Z: float64(orig[i+2])})
		assert.InDelta(t, want.X, batch.Points[i], 1e-5, "one angle for the batch")
		assert.Equal(t, orig[i+1], batch.Points[i+1])
		assert.InDelta(t, want.Z, batch.Points[i+2], 1e-5)
	}
}

func TestJitter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	batch := &PointBatch{B: 4, P: 5000, Points: make([]float32, 4*5000*3)}
	require.NoError(t, Jitter{}.TransformBatch(batch, rng))
	var ss float64
	for _, v := range batch.Points {
		require.LessOrEqual(t, math.Abs(float64(v)), 0.05+1e-9)
		ss += float64(v) * float64(v)
	}
	assert.InDelta(t, 0.01, math.Sqrt(ss/float64(len(batch.Points))), 2e-4)

	c := PointCloud{Points: make([]r3.Vector, 1000)}
	require.NoError(t, Jitter{Sigma: 1, Clip: 0.5}.TransformCloud(&c, rng))
	atClip := 0
	for _, p := range c.Points {
		for _, v := range []float64{p.X, p.Y, p.Z} {
			require.LessOrEqual(t, math.Abs(v), 0.5)
			if math.Abs(v) == 0.5 {
				atClip++
			}
		}
	}
	// P(|N(0,1)| > 0.5) ≈ 0.617 of 3000 values.
	assert.InDelta(t, 0.617*3000, atClip, 120)
}

func TestRandomSubsample(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	c := testCloud(rng, 300)
	orig := c.Clone()
	sub := &RandomSubsample{N: 100}
	require.NoError(t, sub.TransformCloud(&c, rng))
	require.Len(t, c.Points, 100)
	require.Len(t, c.Normals, 100)
	index := map[r3.Vector]int{}
	for i, p := range orig.Points {
		index[p] = i
	}
	seen := map[int]bool{}
	for i, p := range c.Points {
		j, ok := index[p]
		require.True(t, ok)
		require.False(t, seen[j])
		seen[j] = true
		assert.Equal(t, orig.Normals[j], c.Normals[i])
	}
	require.Error(t, sub.TransformCloud(&PointCloud{Points: make([]r3.Vector, 99)}, rng))

	batch, clouds := testBatch(t, rng, 3, 150)
	require.NoError(t, sub.TransformBatch(batch, rng))
	assert.Equal(t, 100, batch.P)
	assert.Len(t, batch.Points, 300*3)
	for i := range 3 {
		set := map[[3]float32]bool{}
		for _, p := range clouds[i].Points {
			set[[3]float32{float32(p.X), float32(p.Y), float32(p.Z)}] = true
		}
		got := batch.Cloud(i)
		for j := 0; j < len(got); j += 3 {
			require.True(t, set[[3]float32{got[j], got[j+1], got[j+2]}], "cloud %d keeps its own points", i)
		}
	}
	assert.Error(t, (&RandomSubsample{N: 101}).TransformBatch(batch, rng), "too few points")
}

func TestFPSSubsample(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	batch, clouds := testBatch(t, rng, 5, 256)
	orig := append([]float32(nil), batch.Points...)
	sub := &FPSSubsample{N: 64, Workers: 2}
	require.NoError(t, sub.TransformBatch(batch, rand.New(rand.NewPCG(3, 3))))
	assert.Equal(t, 64, batch.P)
	ref := rand.New(rand.NewPCG(3, 3))
	starts := make([]int, 5)
	for i := range starts {
		starts[i] = ref.IntN(256)
	}
	for i := range 5 {
		idx := FPS(make([]int, 64), orig[i*256*3:(i+1)*256*3], starts[i], nil)
		want := gatherBatchCloud(nil, orig[i*256*3:(i+1)*256*3], idx)
		require.Equal(t, want, batch.Cloud(i))

		// The cloud variant picks the same points from the same start.
		c := clouds[i].Clone()
		one := &FPSSubsample{N: 64}
		require.NoError(t, one.TransformCloud(&c, rand.New(rand.NewPCG(0, 0))))
		c2 := clouds[i].Clone()
		fixed := &FPSSubsample{N: 64, FixedStart: true}
		require.NoError(t, fixed.TransformCloud(&c2, nil))
		assert.Equal(t, clouds[i].Points[0], c2.Points[0])
		idx0 := FPS(make([]int, 64), orig[i*256*3:(i+1)*256*3], 0, nil)
		for j, k := range idx0 {
			require.Equal(t, clouds[i].Points[k], c2.Points[j])
			require.Equal(t, clouds[i].Normals[k], c2.Normals[j])
		}
	}
	require.Error(t, (&FPSSubsample{N: 65}).TransformBatch(batch, rng))
	batch.Points[7] = float32(math.Inf(1))
	require.Error(t, (&FPSSubsample{N: 8}).TransformBatch(batch, rng))
}

type failing struct{}

func (failing) TransformCloud(*PointCloud, *rand.Rand) error { return errors.New("boom") }
func (failing) TransformBatch(*PointBatch, *rand.Rand) error { return errors.New("boom") }

func TestComposeOrderAndErrors(t *testing.T) {
	c := PointCloud{Points: []r3.Vector{{X: 1}, {X: 3}}}
	// Center then scale ×2 on x ≠ scale then center only by the order of the mean.
	require.NoError(t, Compose(Center{}, ScaleTranslate{ScaleLow: 2, ScaleHigh: 2, Translate: 1e-300}).TransformCloud(&c, rand.New(rand.NewPCG(1, 1))))
	assert.InDelta(t, -2, c.Points[0].X, 1e-12)
	assert.EqualError(t, Compose(Center{}, failing{}, Center{}).TransformCloud(&c, nil), "boom")
	assert.EqualError(t, ComposeBatch(Center{}, failing{}).TransformBatch(&PointBatch{}, nil), "boom")
}

func TestFPSSubsampleSteadyStateAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	src, _ := testBatch(t, rng, 8, 300)
	work := &PointBatch{}
	sub := &FPSSubsample{N: 64, Workers: 2}
	run := func() {
		work.B, work.P = src.B, src.P
		work.Points = append(work.Points[:0], src.Points...)
		require.NoError(t, sub.TransformBatch(work, rng))
	}
	run()
	assert.Equal(t, 0.0, testing.AllocsPerRun(5, run))
}
