package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/golang/geo/r3"
)

// Center subtracts from each cloud the mean of its points (Point-JEPA's
// PointcloudCentering, PyG's Center). The mean is accumulated in float64.
type Center struct{}

// TransformCloud implements CloudTransform.
func (Center) TransformCloud(c *PointCloud, _ *rand.Rand) error {
	if len(c.Points) == 0 {
		return parseErrorf(c.name(), 0, "", "Center: cloud has no points")
	}
	var m r3.Vector
	for _, p := range c.Points {
		m = m.Add(p)
	}
	m = m.Mul(1 / float64(len(c.Points)))
	for i := range c.Points {
		c.Points[i] = c.Points[i].Sub(m)
	}
	return nil
}

// TransformBatch implements BatchTransform.
func (Center) TransformBatch(b *PointBatch, _ *rand.Rand) error {
	if b.P == 0 {
		return nil
	}
	for i := range b.B {
		xyz := b.Cloud(i)
		var sx, sy, sz float64
		for p := 0; p < len(xyz); p += 3 {
			sx += float64(xyz[p])
			sy += float64(xyz[p+1])
			sz += float64(xyz[p+2])
		}
		n := float64(b.P)
		mx, my, mz := float32(sx/n), float32(sy/n), float32(sz/n)
		for p := 0; p < len(xyz); p += 3 {
			xyz[p] -= mx
			xyz[p+1] -= my
			xyz[p+2] -= mz
		}
	}
	return nil
}

// UnitSphere divides each cloud by the largest Euclidean norm of its
// points, so that it fits in the unit ball (Point-JEPA's
// PointcloudUnitSphere; Point-MAE's pc_normalize after centering). A cloud
// whose points are all at the origin is an error.
type UnitSphere struct{}

// TransformCloud implements CloudTransform.
func (UnitSphere) TransformCloud(c *PointCloud, _ *rand.Rand) error {
	m := 0.0
	for _, p := range c.Points {
		m = math.Max(m, p.Norm())
	}
	if !(m > 0) || math.IsInf(m, 0) {
		return parseErrorf(c.name(), 0, "", "UnitSphere: largest point norm is %v", m)
	}
	for i := range c.Points {
		c.Points[i] = c.Points[i].Mul(1 / m)
	}
	return nil
}

// TransformBatch implements BatchTransform.
func (UnitSphere) TransformBatch(b *PointBatch, _ *rand.Rand) error {
	for i := range b.B {
		xyz := b.Cloud(i)
		m := 0.0
		for p := 0; p < len(xyz); p += 3 {
			x, y, z := float64(xyz[p]), float64(xyz[p+1]), float64(xyz[p+2])
			m = math.Max(m, math.Sqrt(x*x+y*y+z*z))
		}
		if !(m > 0) || math.IsInf(m, 0) {
			return fmt.Errorf("datasets: UnitSphere: cloud %d of the batch has largest point norm %v", i, m)
		}
		s := float32(m)
		for p := range xyz {
			xyz[p] /= s
		}
	}
	return nil
}
