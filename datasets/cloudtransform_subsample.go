package datasets

import (
	"fmt"
	"math/rand/v2"

	"github.com/golang/geo/r3"
)

// RandomSubsample keeps N points of each cloud chosen uniformly without
// replacement (a partial Fisher–Yates shuffle, in draw order), like
// Point-JEPA's PointcloudSubsampling with strategy "random". The zero
// value keeps 1024 points. A cloud with fewer than N points is an error.
// The batch variant draws independently per cloud. Not safe for
// concurrent use (it keeps scratch space).
type RandomSubsample struct {
	N int // points kept; 0 means 1024

	perm []int
	tmp  []float32
}

func (t *RandomSubsample) n() int {
	if t.N == 0 {
		return 1024
	}
	if t.N < 0 {
		panic("datasets: RandomSubsample.N < 0")
	}
	return t.N
}

// choose leaves in t.perm[:n] n distinct indices of [0,p).
func (t *RandomSubsample) choose(rng *rand.Rand, p, n int) []int {
	t.perm = growInt(t.perm, p)
	for i := range t.perm {
		t.perm[i] = i
	}
	for i := range n {
		j := i + rng.IntN(p-i)
		t.perm[i], t.perm[j] = t.perm[j], t.perm[i]
	}
	return t.perm[:n]
}

// TransformCloud implements CloudTransform.
func (t *RandomSubsample) TransformCloud(c *PointCloud, rng *rand.Rand) error {
	n := t.n()
	if len(c.Points) < n {
		return parseErrorf(c.name(), 0, "", "RandomSubsample: %d points, cannot keep %d", len(c.Points), n)
	}
	gatherCloud(c, t.choose(rng, len(c.Points), n))
	return nil
}

// TransformBatch implements BatchTransform.
func (t *RandomSubsample) TransformBatch(b *PointBatch, rng *rand.Rand) error {
	n := t.n()
	if b.P < n {
		return fmt.Errorf("datasets: RandomSubsample: clouds of %d points, cannot keep %d", b.P, n)
	}
	p := b.P
	for i := range b.B {
		// Cloud i is read from its old place and written to its new
		// one; with n ≤ p the new place never overlaps a later cloud.
		t.tmp = gatherBatchCloud(t.tmp, b.Points[i*p*3:(i+1)*p*3], t.choose(rng, p, n))
		copy(b.Points[i*n*3:(i+1)*n*3], t.tmp)
	}
	b.P = n
	b.Points = b.Points[:b.B*n*3]
	return nil
}

// FPSSubsample keeps N points of each cloud by farthest point sampling,
// in selection order: Point-JEPA's PointcloudSubsampling with its default
// strategy "fps" (pytorch3d sample_farthest_points with
// random_start_point=True, start rng.IntN(P) per cloud). The zero value
// keeps 1024 points from a random start. A cloud with fewer than N points
// is an error. The batch variant draws the start points for clouds 0, 1, …
// in order, then runs FPS in parallel over the batch on persistent workers
// (no allocation in steady state). Not safe for concurrent use (it keeps
// scratch space) and must not be copied after first use.
type FPSSubsample struct {
	N          int  // points kept; 0 means 1024
	FixedStart bool // start at point 0 (random_start_point=False)
	Workers    int  // goroutines for TransformBatch; 0 means GOMAXPROCS

	xyz  []float32
	fps  []FPSScratch // per worker
	idx  []int
	tmp  []float32
	pool *pointPool
	cur  *PointBatch // current TransformBatch call only
	keep int         // current TransformBatch call only
}

func (t *FPSSubsample) n() int {
	if t.N == 0 {
		return 1024
	}
	if t.N < 0 {
		panic("datasets: FPSSubsample.N < 0")
	}
	return t.N
}

func (t *FPSSubsample) start(rng *rand.Rand, p int) int {
	if t.FixedStart {
		return 0
	}
	return rng.IntN(p)
}

// TransformCloud implements CloudTransform. FPS runs on the float32
// rounding of the coordinates, as pytorch3d does on float32 tensors; the
// kept points keep their full precision.
func (t *FPSSubsample) TransformCloud(c *PointCloud, rng *rand.Rand) error {
	n, p := t.n(), len(c.Points)
	if p < n {
		return parseErrorf(c.name(), 0, "", "FPSSubsample: %d points, cannot keep %d", p, n)
	}
	t.xyz = growFloat32(t.xyz, 3*p)
	for i, v := range c.Points {
		t.xyz[3*i], t.xyz[3*i+1], t.xyz[3*i+2] = float32(v.X), float32(v.Y), float32(v.Z)
	}
	if len(t.fps) == 0 {
		t.fps = make([]FPSScratch, 1)
	}
	t.idx = growInt(t.idx, n)
	FPS(t.idx, t.xyz, t.start(rng, p), &t.fps[0])
	gatherCloud(c, t.idx)
	return nil
}

// TransformBatch implements BatchTransform.
func (t *FPSSubsample) TransformBatch(b *PointBatch, rng *rand.Rand) error {
	n, p := t.n(), b.P
	if p < n {
		return fmt.Errorf("datasets: FPSSubsample: clouds of %d points, cannot keep %d", p, n)
	}
	for i, v := range b.Points {
		if !finite32(v) {
			return fmt.Errorf("datasets: FPSSubsample: cloud %d, point %d: non-finite coordinate %v", i/(3*p), i/3%p, v)
		}
	}
	t.idx = growInt(t.idx, b.B*n)
	for i := range b.B {
		t.idx[i*n] = t.start(rng, p)
	}
	if w := pointWorkers(t.Workers, 1<<30); t.pool == nil || t.pool.workers != w {
		t.pool = newPointPool(t, w)
		t.fps = make([]FPSScratch, w)
	}
	t.cur, t.keep = b, n
	t.pool.run(t, b.B)
	t.cur = nil
	for i := range b.B {
		t.tmp = gatherBatchCloud(t.tmp, b.Points[i*p*3:(i+1)*p*3], t.idx[i*n:(i+1)*n])
		copy(b.Points[i*n*3:(i+1)*n*3], t.tmp)
	}
	b.P = n
	b.Points = b.Points[:b.B*n*3]
	return nil
}

// runChunk runs FPS on clouds [lo,hi) of the current batch.
func (t *FPSSubsample) runChunk(worker, lo, hi int) {
	b, n := t.cur, t.keep
	p := b.P
	for i := lo; i < hi; i++ {
		FPS(t.idx[i*n:(i+1)*n], b.Points[i*p*3:(i+1)*p*3], t.idx[i*n], &t.fps[worker])
	}
}

// gatherCloud replaces the points (and normals) of c by those at idx, in
// that order, in new slices.
func gatherCloud(c *PointCloud, idx []int) {
	pts := make([]r3.Vector, len(idx))
	for i, j := range idx {
		pts[i] = c.Points[j]
	}
	c.Points = pts
	if c.Normals != nil {
		nrm := make([]r3.Vector, len(idx))
		for i, j := range idx {
			nrm[i] = c.Normals[j]
		}
		c.Normals = nrm
	}
}

// gatherBatchCloud writes the points of the [P,3] cloud xyz at idx into
// dst (grown as needed) and returns it.
func gatherBatchCloud(dst, xyz []float32, idx []int) []float32 {
	dst = growFloat32(dst, 3*len(idx))
	for i, j := range idx {
		copy(dst[3*i:3*i+3], xyz[3*j:3*j+3])
	}
	return dst
}
