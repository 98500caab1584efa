package datasets

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/golang/geo/r3"
)

// SamplePoints draws n points uniformly on the surface of m: a triangle is
// chosen with probability proportional to its area, then a point uniformly
// inside it (barycentric (r1, r2) with (r1, r2) → (1−r1, 1−r2) when
// r1+r2 > 1, as PyG's SamplePoints does). With normals, each point gets
// the unit normal of its triangle (right-hand rule on the vertex order).
// The same rng state gives the same cloud.
//
// It returns an error if n < 1, if the mesh has no triangle or if its
// total area is zero or overflows. The cloud's Label is -1.
func (m *TriMesh) SamplePoints(n int, rng *rand.Rand, normals bool) (PointCloud, error) {
	if n < 1 {
		return PointCloud{}, errors.New("datasets: SamplePoints: need at least 1 point")
	}
	if len(m.Triangles) == 0 {
		return PointCloud{}, errors.New("datasets: SamplePoints: mesh has no triangles")
	}
	cum := make([]float64, len(m.Triangles))
	total := 0.0
	for i, t := range m.Triangles {
		a, b, c := m.Vertices[t[0]], m.Vertices[t[1]], m.Vertices[t[2]]
		total += 0.5 * b.Sub(a).Cross(c.Sub(a)).Norm()
		cum[i] = total
	}
	if math.IsInf(total, 0) || math.IsNaN(total) {
		return PointCloud{}, errors.New("datasets: SamplePoints: surface area overflows float64")
	}
	if !(total > 0) {
		return PointCloud{}, errors.New("datasets: SamplePoints: mesh has zero surface area")
	}
	out := PointCloud{Points: make([]r3.Vector, n), Label: -1}
	if normals {
		out.Normals = make([]r3.Vector, n)
	}
	for i := range n {
		u := rng.Float64() * total
		// The first triangle whose cumulative area exceeds u; zero-area
		// triangles are never chosen.
		ti := sort.SearchFloat64s(cum, u)
		for ti < len(cum)-1 && cum[ti] <= u {
			ti++
		}
		ti = min(ti, len(cum)-1)
		t := m.Triangles[ti]
		a, b, c := m.Vertices[t[0]], m.Vertices[t[1]], m.Vertices[t[2]]
		r1, r2 := rng.Float64(), rng.Float64()
		if r1+r2 > 1 {
			r1, r2 = 1-r1, 1-r2
		}
		ab, ac := b.Sub(a), c.Sub(a)
		out.Points[i] = a.Add(ab.Mul(r1)).Add(ac.Mul(r2))
		if normals {
			out.Normals[i] = ab.Cross(ac).Normalize()
		}
	}
	return out, nil
}
