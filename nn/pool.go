package nn

import (
	"math/bits"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The buffer pool recycles the output buffers of custom ops between
// programs. A program's first run must otherwise allocate (and the kernel
// must page in) every intermediate of its graph; for models whose graph is
// rebuilt for every batch shape (Graph-JEPA's patch batches) that costs more
// than the step itself. Program.Close returns the buffers; the next graph's
// ops take them back.
//
// Buffers are kept by size class (a power of two times 1, 1.25, 1.5 or
// 1.75), so a batch a little larger or smaller than the last one reuses its
// memory; a buffer wastes at most a quarter of its capacity.
//
// The pool holds at most limit bytes (SetBufferPoolLimit; 4 GiB by
// default): a buffer returned beyond it is left to the garbage collector.
// Without a bound, a process that builds programs for ever-new batch
// shapes (one Graph-JEPA reproduction: 10 folds of random patch batches)
// accumulates buffers in every size class it ever used; two such processes
// grew to 11 GB each.
var pool = struct {
	sync.Mutex
	f32   map[int][][]float32
	f64   map[int][][]float64
	bytes int64 // capacity of the pooled buffers
	limit int64
}{f32: map[int][][]float32{}, f64: map[int][][]float64{}, limit: DefaultBufferPoolLimit}

// DefaultBufferPoolLimit is the pool's bound unless SetBufferPoolLimit
// changes it: 4 GiB.
const DefaultBufferPoolLimit = 4 << 30

// SetBufferPoolLimit bounds the bytes of op buffers kept for reuse between
// programs (0 keeps none) and returns the previous bound. Buffers already
// pooled beyond a lower bound are dropped.
func SetBufferPoolLimit(bytes int64) (previous int64) {
	pool.Lock()
	defer pool.Unlock()
	previous, pool.limit = pool.limit, max(bytes, 0)
	if pool.bytes > pool.limit {
		pool.f32, pool.f64, pool.bytes = map[int][][]float32{}, map[int][][]float64{}, 0
	}
	return previous
}

// sizeClass returns the class of n and the capacity of that class.
func sizeClass(n int) (class, capacity int) {
	if n <= 64 {
		return n, n
	}
	e := bits.Len(uint(n-1)) - 1 // 2^e < n ≤ 2^(e+1)
	step := 1 << (e - 2)         // quarters of 2^e
	q := (n - (1 << e) + step - 1) / step
	return e*4 + q + 64, (1 << e) + q*step
}

// buffer is a tensor together with the full-capacity slice behind it (the
// tensor's own accessors only see its length).
type buffer struct {
	t   *tensor.Dense
	f32 []float32
	f64 []float64
}

// getBuffer returns a tensor of dtype dt and the given shape whose backing
// may come from the pool (its values are then stale).
func getBuffer(dt tensor.Dtype, shape ...int) buffer {
	n := tensor.Shape(shape).TotalSize()
	if len(shape) == 0 {
		n = 1
	}
	class, capacity := sizeClass(n)
	pool.Lock()
	defer pool.Unlock()
	switch dt {
	case tensor.Float32:
		var b []float32
		if l := pool.f32[class]; len(l) > 0 {
			b = l[len(l)-1]
			pool.f32[class] = l[:len(l)-1]
			pool.bytes -= 4 * int64(len(b))
		} else {
			b = make([]float32, capacity)
		}
		return buffer{t: tensor.New(tensor.WithShape(shape...), tensor.WithBacking(b[:n])), f32: b}
	case tensor.Float64:
		var b []float64
		if l := pool.f64[class]; len(l) > 0 {
			b = l[len(l)-1]
			pool.f64[class] = l[:len(l)-1]
			pool.bytes -= 8 * int64(len(b))
		} else {
			b = make([]float64, capacity)
		}
		return buffer{t: tensor.New(tensor.WithShape(shape...), tensor.WithBacking(b[:n])), f64: b}
	}
	return buffer{t: newDense(dt, shape...)}
}

// putBuffer returns b's backing array to the pool. b must not be used
// afterwards.
func putBuffer(b buffer) {
	pool.Lock()
	defer pool.Unlock()
	if n := 4 * int64(len(b.f32)); b.f32 != nil && pool.bytes+n <= pool.limit {
		class, _ := sizeClass(len(b.f32))
		pool.f32[class] = append(pool.f32[class], b.f32)
		pool.bytes += n
	}
	if n := 8 * int64(len(b.f64)); b.f64 != nil && pool.bytes+n <= pool.limit {
		class, _ := sizeClass(len(b.f64))
		pool.f64[class] = append(pool.f64[class], b.f64)
		pool.bytes += n
	}
}

// FreeBuffers drops every pooled buffer, letting the garbage collector
// reclaim the memory (for a long-lived process that is done training).
func FreeBuffers() {
	pool.Lock()
	defer pool.Unlock()
	pool.f32 = map[int][][]float32{}
	pool.f64 = map[int][][]float64{}
	pool.bytes = 0
}

// releaseBuffers returns the buffers of every custom op in g to the pool.
func releaseBuffers(g *G.ExprGraph) {
	seen := map[*gradGroup]bool{}
	for _, n := range g.AllNodes() {
		op, ok := n.Op().(*fusedOp)
		if !ok {
			continue
		}
		if op.out != nil {
			putBuffer(op.outBuf)
			op.out, op.outBuf = nil, buffer{}
		}
		if gg := op.group; gg != nil && !seen[gg] {
			seen[gg] = true
			for _, b := range gg.raw {
				putBuffer(b)
			}
			gg.bufs, gg.raw = nil, nil
		}
	}
}
