package datasets

import (
	"fmt"
	"math"
)

// FPS performs farthest point sampling on the [N,3] float32 cloud xyz
// (row-major, N = len(xyz)/3): it writes len(dst) point indices into dst,
// dst[0] = start, and each next index is the point whose squared Euclidean
// distance to the nearest already selected point is largest. It returns
// dst.
//
// The result is exactly that of pytorch3d's sample_farthest_points (CPU
// kernel, pytorch3d/csrc/sample_farthest_points): distances are squared
// Euclidean in float32, accumulated as ((dx²)+dy²)+dz² without fused
// multiply-add, the running minimum starts at math.MaxFloat32, and ties go
// to the lowest index (std::max_element). If all remaining points coincide
// with selected ones, index 0 is picked again, as in pytorch3d. pytorch3d's
// random_start_point=True corresponds to start = rng.IntN(N).
//
// When at least 256 of at least 512 points are sampled, the points are
// first put in a tree over their Morton order (leaves of at most 16 points, each node with its bounding box and
// the largest running minimum below it); after each selection a subtree is skipped when even the
// nearest point of its box is no closer to the new point than the largest
// running minimum in it, and the next point is read at the root. The
// bound is computed with the same float32 rounding as the distances, so
// skipping never changes the result; it saves most of the O(N·len(dst))
// distance evaluations when many points are sampled.
//
// s holds reusable scratch space (nil allocates); with a reused s, FPS does
// not allocate in steady state. Coordinates must be finite (the result is
// unspecified otherwise; Grouper.Group and FPSSubsample check). FPS panics
// if len(xyz) is not a multiple of 3, if len(dst) > N or if start is out
// of range: these are programmer errors.
func FPS(dst []int, xyz []float32, start int, s *FPSScratch) []int {
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
	if n > math.MaxInt32 {
		panic("datasets: FPS: more than 2^31 points")
	}
	if s == nil {
		s = new(FPSScratch)
	}
	if n < fpsTreeMinPoints || len(dst) < fpsTreeMinSamples {
		s.md = growFloat32(s.md, n)
		return fpsPlain(dst, xyz, start, s.md)
	}
	s.build(xyz)
	return s.sample(dst, xyz, start)
}

// FPS uses the tree for clouds of at least fpsTreeMinPoints points when
// it samples at least fpsTreeMinSamples of them. Measured (GOMAXPROCS=1,
// best of 10): 1024 → 64 and 1024 → 128 are ~1.5× faster with the plain
// loop; 2048 → 1024 is 5× and 8192 → 1024 2.7× faster with the tree.
const (
	fpsTreeMinPoints  = 512
	fpsTreeMinSamples = 256
)

// fpsLeafSize is the largest number of points in a box.
const fpsLeafSize = 16

// FPSScratch is reusable scratch space for FPS. The zero value is ready
// to use; a scratch must not be used by two goroutines at once.
type FPSScratch struct {
	md         []float32 // running minimum, in tree order (original order for fpsPlain)
	px, py, pz []float32 // coordinates in tree order
	orig       []int32   // original index of each point in tree order
	keys, tmp  []uint64  // Morton code << 32 | original index; radix sort buffer
	// The kd-tree, heap-indexed (children of node i are 2i+1 and 2i+2);
	// node i covers tree-order positions lo[i]..hi[i]-1.
	lo, hi  []int32
	box     []float32 // per node: min x, y, z, max x, y, z
	nodeMax []float32 // per node: largest running minimum below it
	nodeArg []int32   // per node: lowest original index attaining nodeMax
}

// fpsPlain is the direct O(N·len(dst)) loop over all points; md is
// scratch of length N.
func fpsPlain(dst []int, xyz []float32, start int, md []float32) []int {
	for i := range md {
		md[i] = math.MaxFloat32
	}
	pts := xyz[:3*len(md)]
	last := start
	dst[0] = last
	for k := 1; k < len(dst); k++ {
		c := pts[3*last : 3*last+3 : 3*last+3]
		cx, cy, cz := c[0], c[1], c[2]
		best, bestIdx := float32(-1), 0
		for p := range md {
			q := pts[3*p : 3*p+3 : 3*p+3]
			d := sqDist32(cx-q[0], cy-q[1], cz-q[2])
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

// build lays the points of xyz out as a tree over their Morton (Z-order)
// sequence: points are sorted by the interleaved bits of their quantised
// coordinates, and node ranges are halved down to leaves of at most
// fpsLeafSize points, so every node holds a spatially coherent run.
func (s *FPSScratch) build(xyz []float32) {
	n := len(xyz) / 3
	var mn, mx [3]float32
	for a := range 3 {
		mn[a], mx[a] = xyz[a], xyz[a]
	}
	for p := 3; p < len(xyz); p += 3 {
		for a := range 3 {
			mn[a], mx[a] = min(mn[a], xyz[p+a]), max(mx[a], xyz[p+a])
		}
	}
	ext := max(mx[0]-mn[0], mx[1]-mn[1], mx[2]-mn[2])
	scale := float32(0)
	if ext > 0 {
		scale = 1023 / ext
	}
	s.keys = growUint64(s.keys, n)
	for i := range n {
		var q [3]uint64
		for a := range 3 {
			q[a] = uint64(min(1023, max(0, (xyz[3*i+a]-mn[a])*scale)))
		}
		s.keys[i] = (spreadBits10(q[0])|spreadBits10(q[1])<<1|spreadBits10(q[2])<<2)<<32 | uint64(i)
	}
	s.tmp = growUint64(s.tmp, n)
	radixSortMorton(s.keys, s.tmp)
	s.orig = growInt32(s.orig, n)
	for j, k := range s.keys {
		s.orig[j] = int32(k & math.MaxUint32)
	}
	depth := 0
	for size := n; size > fpsLeafSize; size = (size + 1) / 2 {
		depth++
	}
	nodes := 1<<(depth+1) - 1
	s.lo, s.hi = growInt32(s.lo, nodes), growInt32(s.hi, nodes)
	s.box = growFloat32(s.box, 6*nodes)
	s.nodeMax, s.nodeArg = growFloat32(s.nodeMax, nodes), growInt32(s.nodeArg, nodes)
	s.px, s.py, s.pz = growFloat32(s.px, n), growFloat32(s.py, n), growFloat32(s.pz, n)
	s.md = growFloat32(s.md, n)
	for j, o := range s.orig {
		s.px[j], s.py[j], s.pz[j] = xyz[3*o], xyz[3*o+1], xyz[3*o+2]
		s.md[j] = math.MaxFloat32
	}
	s.split(0, 0, n)
	s.summarize(0)
}

// radixSortMorton sorts keys (30-bit Morton code << 32 | index, indices
// increasing) by code with a stable 3-pass LSD radix sort, so equal codes
// stay in index order: the result equals sorting the whole keys. tmp must
// have the length of keys.
func radixSortMorton(keys, tmp []uint64) {
	var count [1 << 10]int
	src, dst := keys, tmp
	for shift := uint(32); shift < 62; shift += 10 {
		clear(count[:])
		for _, k := range src {
			count[(k>>shift)&0x3ff]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, k := range src {
			b := (k >> shift) & 0x3ff
			dst[count[b]] = k
			count[b]++
		}
		src, dst = dst, src
	}
	copy(keys, src) // after 3 passes the data is in tmp
}

// spreadBits10 spreads the low 10 bits of v to every third bit.
func spreadBits10(v uint64) uint64 {
	v &= 0x3ff
	v = (v | v<<16) & 0x30000ff
	v = (v | v<<8) & 0x300f00f
	v = (v | v<<4) & 0x30c30c3
	v = (v | v<<2) & 0x9249249
	return v
}

// split sets the ranges of node i and its descendants over tree-order
// positions lo..hi-1.
func (s *FPSScratch) split(i, lo, hi int) {
	s.lo[i], s.hi[i] = int32(lo), int32(hi)
	if hi-lo <= fpsLeafSize {
		return
	}
	mid := (lo + hi) / 2
	s.split(2*i+1, lo, mid)
	s.split(2*i+2, mid, hi)
}

// summarize computes the bounding box and the lowest original index of
// node i and its descendants, and resets their maxima.
func (s *FPSScratch) summarize(i int) {
	bx := s.box[6*i : 6*i+6 : 6*i+6]
	s.nodeMax[i] = math.MaxFloat32
	lo, hi := int(s.lo[i]), int(s.hi[i])
	if hi-lo <= fpsLeafSize {
		bx[0], bx[1], bx[2] = s.px[lo], s.py[lo], s.pz[lo]
		bx[3], bx[4], bx[5] = bx[0], bx[1], bx[2]
		arg := s.orig[lo]
		for j := lo + 1; j < hi; j++ {
			bx[0], bx[3] = min(bx[0], s.px[j]), max(bx[3], s.px[j])
			bx[1], bx[4] = min(bx[1], s.py[j]), max(bx[4], s.py[j])
			bx[2], bx[5] = min(bx[2], s.pz[j]), max(bx[5], s.pz[j])
			arg = min(arg, s.orig[j])
		}
		s.nodeArg[i] = arg
		return
	}
	l, r := 2*i+1, 2*i+2
	s.summarize(l)
	s.summarize(r)
	bl, br := s.box[6*l:6*l+6:6*l+6], s.box[6*r:6*r+6:6*r+6]
	for a := range 3 {
		bx[a], bx[3+a] = min(bl[a], br[a]), max(bl[3+a], br[3+a])
	}
	s.nodeArg[i] = min(s.nodeArg[l], s.nodeArg[r])
}

// sample runs FPS over the tree built by build.
func (s *FPSScratch) sample(dst []int, xyz []float32, start int) []int {
	last := start
	dst[0] = last
	for k := 1; k < len(dst); k++ {
		s.visit(0, xyz[3*last], xyz[3*last+1], xyz[3*last+2])
		last = int(s.nodeArg[0])
		dst[k] = last
	}
	return dst
}

// visit lowers the running minima below node i with the distances to the
// new center (cx, cy, cz), skipping every subtree whose box is no closer
// to the center than its largest running minimum, and updates the
// maxima on the way back.
func (s *FPSScratch) visit(i int, cx, cy, cz float32) {
	bx := s.box[6*i : 6*i+6 : 6*i+6]
	if sqDist32(boxGap(cx, bx[0], bx[3]), boxGap(cy, bx[1], bx[4]), boxGap(cz, bx[2], bx[5])) >= s.nodeMax[i] {
		return
	}
	lo, hi := int(s.lo[i]), int(s.hi[i])
	if hi-lo <= fpsLeafSize {
		s.updateLeaf(i, lo, hi, cx, cy, cz)
		return
	}
	l, r := 2*i+1, 2*i+2
	s.visit(l, cx, cy, cz)
	s.visit(r, cx, cy, cz)
	ml, mr := s.nodeMax[l], s.nodeMax[r]
	switch {
	case ml > mr:
		s.nodeMax[i], s.nodeArg[i] = ml, s.nodeArg[l]
	case mr > ml:
		s.nodeMax[i], s.nodeArg[i] = mr, s.nodeArg[r]
	default:
		s.nodeMax[i], s.nodeArg[i] = ml, min(s.nodeArg[l], s.nodeArg[r])
	}
}

// boxGap returns the signed float32 difference between c and the nearest
// point of [lo,hi] (0 inside). Rounding is monotone, so for every point q
// of the box |fl(c−q)| ≥ |boxGap(c, lo, hi)|, and the squared distance
// bound built from it never exceeds a point's computed distance.
func boxGap(c, lo, hi float32) float32 {
	switch {
	case c < lo:
		return lo - c
	case c > hi:
		return c - hi
	}
	return 0
}

// updateLeaf lowers the running minimum of the points of leaf i
// (tree-order positions lo..hi-1) with their distance to (cx, cy, cz) and
// recomputes the leaf's maximum.
func (s *FPSScratch) updateLeaf(i, lo, hi int, cx, cy, cz float32) {
	md := s.md[lo:hi:hi]
	px, py, pz, orig := s.px[lo:hi:hi], s.py[lo:hi:hi], s.pz[lo:hi:hi], s.orig[lo:hi:hi]
	best, arg := float32(-1), int32(0)
	for j := range md {
		d := sqDist32(cx-px[j], cy-py[j], cz-pz[j])
		m := md[j]
		if d < m {
			m = d
			md[j] = d
		}
		if m > best || m == best && orig[j] < arg {
			best, arg = m, orig[j]
		}
	}
	s.nodeMax[i], s.nodeArg[i] = best, arg
}

// growUint64 returns s resliced to length n, reallocated when too small.
func growUint64(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	return s[:n]
}

// growInt32 returns s resliced to length n, reallocated when too small.
func growInt32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
