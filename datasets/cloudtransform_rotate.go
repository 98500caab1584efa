package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/golang/geo/r3"
)

// RotationAxis names the axis of RotateAxis. The zero value is the y
// axis, the up axis of ShapeNet and of PointNet++'s ModelNet files.
type RotationAxis int

const (
	AxisY RotationAxis = iota // default
	AxisX
	AxisZ
)

// RotateAxis rotates each cloud about one coordinate axis by an angle
// θ ~ U(Min, Max): p ← R p with R the right-handed rotation of pytorch3d's
// euler_angles_to_matrix (about y: x' = x cos θ + z sin θ, z' = −x sin θ +
// z cos θ). The zero value is Point-JEPA's PointcloudRotation with dims
// [1]: about y, θ ~ U(−π, π), one angle shared by the whole batch.
// Point-MAE's PointcloudRotate draws U(0, 2π) per cloud about y, which is
// the same distribution: use PerCloud for it. Normals are rotated too.
type RotateAxis struct {
	Axis     RotationAxis
	Min, Max float64 // angle range in radians; both 0 means −π, π
	PerCloud bool    // draw an angle per cloud in TransformBatch
}

// Matrix returns the row-major 3×3 rotation by theta about t.Axis.
func (t RotateAxis) Matrix(theta float64) [9]float64 {
	c, s := math.Cos(theta), math.Sin(theta)
	switch t.Axis {
	case AxisX:
		return [9]float64{1, 0, 0, 0, c, -s, 0, s, c}
	case AxisY:
		return [9]float64{c, 0, s, 0, 1, 0, -s, 0, c}
	case AxisZ:
		return [9]float64{c, -s, 0, s, c, 0, 0, 0, 1}
	}
	panic(fmt.Sprintf("datasets: RotateAxis: unknown axis %d", t.Axis))
}

func (t RotateAxis) draw(rng *rand.Rand) [9]float64 {
	lo, hi := t.Min, t.Max
	if lo == 0 && hi == 0 {
		lo, hi = -math.Pi, math.Pi
	}
	return t.Matrix(cloudUniform(rng, lo, hi))
}

// TransformCloud implements CloudTransform.
func (t RotateAxis) TransformCloud(c *PointCloud, rng *rand.Rand) error {
	r := t.draw(rng)
	for i, p := range c.Points {
		c.Points[i] = rotateVec(r, p)
	}
	for i, n := range c.Normals {
		c.Normals[i] = rotateVec(r, n)
	}
	return nil
}

// TransformBatch implements BatchTransform; the products are computed in
// float32 like the reference's p Rᵀ in float32.
func (t RotateAxis) TransformBatch(b *PointBatch, rng *rand.Rand) error {
	var r [9]float32
	for i := range b.B {
		if i == 0 || t.PerCloud {
			for j, v := range t.draw(rng) {
				r[j] = float32(v)
			}
		}
		xyz := b.Cloud(i)
		for p := 0; p < len(xyz); p += 3 {
			x, y, z := xyz[p], xyz[p+1], xyz[p+2]
			xyz[p] = float32(float32(r[0]*x)+float32(r[1]*y)) + float32(r[2]*z)
			xyz[p+1] = float32(float32(r[3]*x)+float32(r[4]*y)) + float32(r[5]*z)
			xyz[p+2] = float32(float32(r[6]*x)+float32(r[7]*y)) + float32(r[8]*z)
		}
	}
	return nil
}

func rotateVec(r [9]float64, p r3.Vector) r3.Vector {
	return r3.Vector{
		X: r[0]*p.X + r[1]*p.Y + r[2]*p.Z,
		Y: r[3]*p.X + r[4]*p.Y + r[5]*p.Z,
		Z: r[6]*p.X + r[7]*p.Y + r[8]*p.Z,
	}
}
