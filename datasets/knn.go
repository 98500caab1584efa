package datasets

import (
	"fmt"
	"math"
)

// KNN finds, for each of the G centers in centers ([G,3] float32,
// row-major), the k points of xyz ([N,3] float32) with the smallest
// squared Euclidean distance. It writes their indices into dst ([G,k]) and
// the squared distances into dist ([G,k]), each row sorted by increasing
// distance with ties broken by the lower index. A center that is itself a
// point of xyz (as FPS centers are) is its own nearest neighbour, at
// distance 0.
//
// This is pytorch3d's knn_points(centers, xyz, K=k) with its CPU kernel's
// numerics (pytorch3d/csrc/knn/knn_cpu.cpp): distances in float32 as
// ((dx²)+dy²)+dz², and the k smallest by (distance, index), which is also
// the order that kernel returns. Point-JEPA's tokenizer calls knn_points
// with return_sorted=False, which lets the CUDA kernel return the same set
// in another order; the patch encoder max-pools over the points of a
// patch, so the order does not change the model's output.
//
// The points are scanned once per block of 4 centers and the k nearest of
// each center are kept in a bounded max-heap of (distance, index) keys
// packed in one uint64 (partial selection, no full sort): O(G·N) distance
// evaluations plus O(G·k·log k·log(N/k)) expected heap work. scratch must
// have length ≥ 4k; pass nil to allocate it. With scratch, KNN does not
// allocate. Coordinates must be finite (the result is unspecified
// otherwise; Grouper.Group checks). KNN panics if the slice lengths do not
// match G, N and k, or if k > N (programmer errors).
func KNN(dst []int, dist []float32, xyz, centers []float32, k int, scratch []uint64) {
	n, g := len(xyz)/3, len(centers)/3
	switch {
	case len(xyz)%3 != 0 || len(centers)%3 != 0:
		panic(fmt.Sprintf("datasets: KNN: coordinate slices of length %d and %d are not multiples of 3", len(xyz), len(centers)))
	case k < 1 || k > n:
		panic(fmt.Sprintf("datasets: KNN: k=%d with %d points", k, n))
	case n > math.MaxUint32:
		panic(fmt.Sprintf("datasets: KNN: %d points exceed 2^32", n))
	case len(dst) != g*k || len(dist) != g*k:
		panic(fmt.Sprintf("datasets: KNN: dst and dist need length %d (G=%d, k=%d), have %d and %d", g*k, g, k, len(dst), len(dist)))
	}
	if scratch == nil {
		scratch = make([]uint64, knnBlock*k)
	}
	if len(scratch) < knnBlock*k {
		panic(fmt.Sprintf("datasets: KNN: scratch of length %d, need %d", len(scratch), knnBlock*k))
	}
	pts := xyz[:3*n]
	c := 0
	for ; c+knnBlock <= g; c += knnBlock {
		knnBlock4(scratch[:knnBlock*k], pts, centers[3*c:3*c+3*knnBlock], k)
		for j := range knnBlock {
			knnEmit(dst[(c+j)*k:(c+j+1)*k], dist[(c+j)*k:(c+j+1)*k], scratch[j*k:(j+1)*k])
		}
	}
	for ; c < g; c++ {
		knnOne(scratch[:k], pts, centers[3*c:3*c+3])
		knnEmit(dst[c*k:(c+1)*k], dist[c*k:(c+1)*k], scratch[:k])
	}
}

// knnBlock is the number of centers that share one pass over the points.
const knnBlock = 4

// knnKey packs a non-negative float32 distance and a point index into one
// uint64 whose integer order is the (distance, index) order: the IEEE bits
// of non-negative floats sort like the floats.
func knnKey(d float32, p int) uint64 {
	return uint64(math.Float32bits(d))<<32 | uint64(p)
}

// knnEmit sorts the heap h increasingly and unpacks it into idx and d.
func knnEmit(idx []int, d []float32, h []uint64) {
	knnHeapSort(h)
	knnUnpack(idx, d, h)
}

// knnOne leaves in h (length k) a max-heap of the keys of the k nearest
// points of pts to the center c.
func knnOne(h []uint64, pts, c []float32) {
	cx, cy, cz := c[0], c[1], c[2]
	k := len(h)
	n := len(pts) / 3
	for p := range k {
		q := pts[3*p : 3*p+3 : 3*p+3]
		h[p] = knnKey(sqDist32(cx-q[0], cy-q[1], cz-q[2]), p)
	}
	knnHeapify(h)
	top := knnTop(h)
	for p := k; p < n; p++ {
		q := pts[3*p : 3*p+3 : 3*p+3]
		// p exceeds every index in the heap, so (e, p) precedes the top
		// key iff e is strictly smaller than the top distance.
		if e := sqDist32(cx-q[0], cy-q[1], cz-q[2]); e < top {
			h[0] = knnKey(e, p)
			knnSiftDown(h, 0)
			top = knnTop(h)
		}
	}
}

// knnTop returns the distance of the top (largest) key of the heap h.
func knnTop(h []uint64) float32 { return math.Float32frombits(uint32(h[0] >> 32)) }

// knnBlock4 is knnOne for 4 centers at once (h holds 4 heaps of length
// k): each point is loaded once for the 4 distance computations.
func knnBlock4(h []uint64, pts, c []float32, k int) {
	c = c[:12:12]
	n := len(pts) / 3
	h0, h1, h2, h3 := h[0:k:k], h[k:2*k:2*k], h[2*k:3*k:3*k], h[3*k:4*k:4*k]
	for p := range k {
		q := pts[3*p : 3*p+3 : 3*p+3]
		x, y, z := q[0], q[1], q[2]
		h0[p] = knnKey(sqDist32(c[0]-x, c[1]-y, c[2]-z), p)
		h1[p] = knnKey(sqDist32(c[3]-x, c[4]-y, c[5]-z), p)
		h2[p] = knnKey(sqDist32(c[6]-x, c[7]-y, c[8]-z), p)
		h3[p] = knnKey(sqDist32(c[9]-x, c[10]-y, c[11]-z), p)
	}
	knnHeapify(h0)
	knnHeapify(h1)
	knnHeapify(h2)
	knnHeapify(h3)
	t0, t1, t2, t3 := knnTop(h0), knnTop(h1), knnTop(h2), knnTop(h3)
	for p := k; p < n; p++ {
		q := pts[3*p : 3*p+3 : 3*p+3]
		x, y, z := q[0], q[1], q[2]
		if e := sqDist32(c[0]-x, c[1]-y, c[2]-z); e < t0 {
			h0[0] = knnKey(e, p)
			knnSiftDown(h0, 0)
			t0 = knnTop(h0)
		}
		if e := sqDist32(c[3]-x, c[4]-y, c[5]-z); e < t1 {
			h1[0] = knnKey(e, p)
			knnSiftDown(h1, 0)
			t1 = knnTop(h1)
		}
		if e := sqDist32(c[6]-x, c[7]-y, c[8]-z); e < t2 {
			h2[0] = knnKey(e, p)
			knnSiftDown(h2, 0)
			t2 = knnTop(h2)
		}
		if e := sqDist32(c[9]-x, c[10]-y, c[11]-z); e < t3 {
			h3[0] = knnKey(e, p)
			knnSiftDown(h3, 0)
			t3 = knnTop(h3)
		}
	}
}

// sqDist32 returns ((dx²)+dy²)+dz² rounded to float32 after every
// operation (the explicit conversions forbid fused multiply-add).
func sqDist32(dx, dy, dz float32) float32 {
	s := float32(dx*dx) + float32(dy*dy)
	return s + float32(dz*dz)
}

// knnHeapify arranges h as a max-heap.
func knnHeapify(h []uint64) {
	for i := len(h)/2 - 1; i >= 0; i-- {
		knnSiftDown(h[:], i)
	}
}

// knnSiftDown restores the max-heap property of h below i.
func knnSiftDown(h []uint64, i int) {
	n := len(h)
	v := h[i]
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h[r] > h[l] {
			m = r
		}
		if h[m] <= v {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = v
}

// knnHeapSort sorts the max-heap h increasingly.
func knnHeapSort(h []uint64) {
	for end := len(h) - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		knnSiftDown(h[:end], 0)
	}
}

// knnUnpack writes the sorted keys h into idx and d.
func knnUnpack(idx []int, d []float32, h []uint64) {
	for i, key := range h {
		idx[i] = int(key & math.MaxUint32)
		d[i] = math.Float32frombits(uint32(key >> 32))
	}
}
