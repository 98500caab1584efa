package datasets

import (
	"math/rand/v2"

	"github.com/golang/geo/r3"
)

// AnisotropicScale multiplies x, y and z by factors drawn from
// U(Min, Max), one per axis in that order (Point-JEPA's
// PointcloudScaling). The zero value is Point-JEPA's pre-training
// setting: U(0.8, 1.2), one draw shared by the whole batch, which is what
// Point-JEPA does (torch.rand(3) applied to the (B,N,3) tensor). Normals
// are scaled by the inverse factors and renormalised.
type AnisotropicScale struct {
	Min, Max float64 // factor range; both 0 means 0.8, 1.2
	PerCloud bool    // draw a factor triple per cloud in TransformBatch
}

func (t AnisotropicScale) bounds() (float64, float64) {
	if t.Min == 0 && t.Max == 0 {
		return 0.8, 1.2
	}
	return t.Min, t.Max
}

func (t AnisotropicScale) draw(rng *rand.Rand) r3.Vector {
	lo, hi := t.bounds()
	return r3.Vector{X: cloudUniform(rng, lo, hi), Y: cloudUniform(rng, lo, hi), Z: cloudUniform(rng, lo, hi)}
}

// TransformCloud implements CloudTransform (one draw for the cloud).
func (t AnisotropicScale) TransformCloud(c *PointCloud, rng *rand.Rand) error {
	scaleCloud(c, t.draw(rng), r3.Vector{})
	return nil
}

// TransformBatch implements BatchTransform.
func (t AnisotropicScale) TransformBatch(b *PointBatch, rng *rand.Rand) error {
	var s r3.Vector
	for i := range b.B {
		if i == 0 || t.PerCloud {
			s = t.draw(rng)
		}
		scaleBatchCloud(b.Cloud(i), s, r3.Vector{})
	}
	return nil
}

// ScaleTranslate is Point-MAE's PointcloudScaleAndTranslate, the one
// augmentation its pre-training and fine-tuning enable: per cloud, scale
// factors s ~ U(ScaleLow, ScaleHigh)^3 then offsets t ~
// U(−Translate, Translate)^3 (drawn in that order), p ← p·s + t. The zero
// value is Point-MAE's default: 2/3, 3/2, 0.2. Normals are scaled by the
// inverse factors and renormalised.
type ScaleTranslate struct {
	ScaleLow, ScaleHigh float64 // both 0 means 2/3, 3/2
	Translate           float64 // 0 means 0.2
}

func (t ScaleTranslate) draw(rng *rand.Rand) (s, d r3.Vector) {
	lo, hi := t.ScaleLow, t.ScaleHigh
	if lo == 0 && hi == 0 {
		lo, hi = 2.0/3, 3.0/2
	}
	tr := t.Translate
	if tr == 0 {
		tr = 0.2
	}
	s = r3.Vector{X: cloudUniform(rng, lo, hi), Y: cloudUniform(rng, lo, hi), Z: cloudUniform(rng, lo, hi)}
	d = r3.Vector{X: cloudUniform(rng, -tr, tr), Y: cloudUniform(rng, -tr, tr), Z: cloudUniform(rng, -tr, tr)}
	return s, d
}

// TransformCloud implements CloudTransform.
func (t ScaleTranslate) TransformCloud(c *PointCloud, rng *rand.Rand) error {
	s, d := t.draw(rng)
	scaleCloud(c, s, d)
	return nil
}

// TransformBatch implements BatchTransform (one draw per cloud, as
// Point-MAE loops over the batch).
func (t ScaleTranslate) TransformBatch(b *PointBatch, rng *rand.Rand) error {
	for i := range b.B {
		s, d := t.draw(rng)
		scaleBatchCloud(b.Cloud(i), s, d)
	}
	return nil
}

// scaleCloud applies p ← p·s + d to the points and n ← normalize(n / s)
// to the normals of c.
func scaleCloud(c *PointCloud, s, d r3.Vector) {
	for i, p := range c.Points {
		c.Points[i] = r3.Vector{X: p.X*s.X + d.X, Y: p.Y*s.Y + d.Y, Z: p.Z*s.Z + d.Z}
	}
	for i, n := range c.Normals {
		c.Normals[i] = r3.Vector{X: n.X / s.X, Y: n.Y / s.Y, Z: n.Z / s.Z}.Normalize()
	}
}

// scaleBatchCloud applies p ← p·s + d in float32 to one [P,3] cloud.
func scaleBatchCloud(xyz []float32, s, d r3.Vector) {
	sx, sy, sz := float32(s.X), float32(s.Y), float32(s.Z)
	dx, dy, dz := float32(d.X), float32(d.Y), float32(d.Z)
	for p := 0; p+2 < len(xyz); p += 3 {
		xyz[p] = float32(xyz[p]*sx) + dx
		xyz[p+1] = float32(xyz[p+1]*sy) + dy
		xyz[p+2] = float32(xyz[p+2]*sz) + dz
	}
}
