package datasets

import (
	"errors"
	"fmt"
	"math"
)

// PointBatch is a dense batch of B clouds with P points each, the
// [B,P,3] tensor layout of Point-MAE and Point-JEPA.
type PointBatch struct {
	Points []float32 // [B,P,3] row-major: point p of cloud b is Points[(b*P+p)*3 : (b*P+p)*3+3]
	Labels []int     // [B] class labels (-1 when unknown)
	B, P   int       // batch size and points per cloud
}

// Cloud returns the [P,3] coordinates of cloud b, a sub-slice of
// Points (not a copy).
func (b *PointBatch) Cloud(i int) []float32 {
	n := b.P * 3
	return b.Points[i*n : (i+1)*n : (i+1)*n]
}

// resize sets the shape of b to [nb,np,3], reusing its buffers when they
// are large enough.
func (b *PointBatch) resize(nb, np int) {
	b.B, b.P = nb, np
	b.Points = growFloat32(b.Points, nb*np*3)
	if cap(b.Labels) < nb {
		b.Labels = make([]int, nb)
	}
	b.Labels = b.Labels[:nb]
}

// Collate copies clouds into dst as a [B,P,3] float32 batch, reusing
// dst's buffers when they are large enough (dst may be nil: a new batch is
// allocated). It returns dst.
//
// All clouds must have the same number of points and finite coordinates
// that fit in float32; otherwise Collate returns a *ParseError naming the
// first offending cloud, and dst is left in an unspecified state. An empty
// clouds slice is an error. Normals are not collated.
func Collate(dst *PointBatch, clouds []PointCloud) (*PointBatch, error) {
	if len(clouds) == 0 {
		return dst, errors.New("datasets: Collate: no clouds")
	}
	np := len(clouds[0].Points)
	if np == 0 {
		return dst, parseErrorf(clouds[0].name(), 0, "", "Collate: cloud 0 has no points")
	}
	for i := range clouds {
		if n := len(clouds[i].Points); n != np {
			return dst, parseErrorf(clouds[i].name(), 0, "", "Collate: cloud %d has %d points, cloud 0 has %d", i, n, np)
		}
	}
	if dst == nil {
		dst = new(PointBatch)
	}
	dst.resize(len(clouds), np)
	for i := range clouds {
		c := &clouds[i]
		dst.Labels[i] = c.Label
		out := dst.Cloud(i)
		for p, v := range c.Points {
			x, y, z := float32(v.X), float32(v.Y), float32(v.Z)
			if !finite32(x) || !finite32(y) || !finite32(z) {
				return dst, parseErrorf(c.name(), 0, fmt.Sprintf("point[%d]", p), "Collate: coordinate %v is not a finite float32", v)
			}
			out[3*p], out[3*p+1], out[3*p+2] = x, y, z
		}
	}
	return dst, nil
}

// finite32 reports whether x is neither NaN nor ±Inf.
func finite32(x float32) bool {
	return math.Abs(float64(x)) <= math.MaxFloat32
}

// growFloat32 returns s resliced to length n, reallocated if its capacity
// is too small. The contents are not preserved when it grows.
func growFloat32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// growInt is growFloat32 for ints.
func growInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
