package datasets

import (
	"fmt"
	"math"
)

// FPS performs farthest point sampling on the [N,3] float32 cloud xyz
// (row-major, N = len(xyz)/3): it writes len(dst) point indices into dst,
// dst[0] = start, and each next index is the point whose squared Euclidean
// distance to the nearest already selected point is largest. It returns
// dst. O(N·len(dst)) time.
//
// The numerics are those of pytorch3d's sample_farthest_points (CPU
// kernel, pytorch3d/csrc/sample_farthest_points): distances are squared
// Euclidean in float32, accumulated as ((dx²)+dy²)+dz² without fused
// multiply-add, the running minimum starts at math.MaxFloat32, and ties go
// to the lowest index (std::max_element). If all remaining points coincide
// with selected ones, index 0 is picked again, as in pytorch3d. pytorch3d's
// random_start_point=True corresponds to start = rng.IntN(N).
//
// minDist is scratch space of length ≥ N; pass nil to allocate it. With a
// scratch slice FPS does not allocate. Coordinates must be finite (the
// result is unspecified otherwise; Grouper.Group checks). FPS panics if
// len(xyz) is not a multiple of 3, if len(dst) > N or if start is out of
// range: these are programmer errors.
func FPS(dst []int, xyz []float32, start int, minDist []float32) []int {
	n := len(xyz) / 3
	if len(xyz)%3 != 0 {
		panic(fmt.Sprintf("datasets: FPS: len(xyz)=%d is not a multiple of 3", len(xyz)))
	}
	if len(dst) > n {
		panic(fmt.Sprintf("datasets: FPS: %d samples from %d points", len(dst), n))
	}
	if len(dst) == 0 {
		return dst
	}
	if start < 0 || start >= n {
		panic(fmt.Sprintf("datasets: FPS: start %d out of range [0,%d)", start, n))
	}
	if minDist == nil {
		minDist = make([]float32, n)
	}
	if len(minDist) < n {
		panic(fmt.Sprintf("datasets: FPS: scratch of length %d for %d points", len(minDist), n))
	}
	md := minDist[:n]
	for i := range md {
		md[i] = math.MaxFloat32
	}
	pts := xyz[:3*n]
	last := start
	dst[0] = last
	for k := 1; k < len(dst); k++ {
		c := pts[3*last : 3*last+3 : 3*last+3]
		cx, cy, cz := c[0], c[1], c[2]
		best, bestIdx := float32(-1), 0
		for p := range md {
			q := pts[3*p : 3*p+3 : 3*p+3]
			dx := cx - q[0]
			dy := cy - q[1]
			dz := cz - q[2]
			// Explicit float32 conversions forbid FMA fusion (Go spec,
			// "Arithmetic operators"), keeping pytorch3d's rounding.
			d := float32(dx*dx) + float32(dy*dy)
			d = d + float32(dz*dz)
			m := md[p]
			if d < m {
				m = d
				md[p] = d
			}
			if m > best {
				best, bestIdx = m, p
			}
		}
		last = bestIdx
		dst[k] = last
	}
	return dst
}
