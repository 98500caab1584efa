// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelMinMACs is the number of multiply-adds below which a product runs
// on the calling goroutine: handing work to another core costs a few
// microseconds, about the time of a 2^18-MAC product.
const parallelMinMACs = 1 << 18

// Over-decomposition for load balance: when the split dimension is long, it
// is cut into up to maxPartsPerWorker parts per worker (a multiple of the
// worker count, so that an idle machine still gets equal shares), each at
// least minPartLen rows or columns long so that the operand each part packs
// again stays a small fraction of its work. Workers claim parts in turn, so a
// worker slowed by another process does fewer.
const (
	maxPartsPerWorker = 4
	minPartLen        = 1024
)

// job is one GEMM call: its arguments and its partition of C over workers.
type job[T float] struct {
	eng    *engine[T]
	k      *blockKernel[T]
	aT, bT bool
	cT     bool // C is stored transposed (see swapOperands)
	m, n   int
	kk     int
	alpha  T
	a      []T
	lda    int
	b      []T
	ldb    int
	beta   T
	c      []T
	ldc    int

	// The rows of C are cut into pm bands and the columns into pn bands;
	// part q computes band (q/pn, q%pn). Workers claim parts through next.
	pm, pn int
	next   atomic.Int64
	wg     sync.WaitGroup
}

// run computes the job, splitting it over GOMAXPROCS workers when it is large
// enough.
func (j *job[T]) run() {
	p := runtime.GOMAXPROCS(0)
	if p > 1 && j.m*j.n*j.kk >= parallelMinMACs {
		j.pm, j.pn = partition(j.m, j.n, j.kk, j.k.mr, j.k.nr, p)
	} else {
		j.pm, j.pn = 1, 1
	}
	parts := j.pm * j.pn
	helpers := min(p, parts) - 1
	if helpers > 0 {
		startWorkers(helpers)
		j.wg.Add(helpers)
		for range helpers {
			tasks <- task{r: j}
		}
	}
	j.work()
	j.wg.Wait()
}

// work computes parts of C until none is left.
func (j *job[T]) work() {
	parts := int64(j.pm * j.pn)
	var w *workspace[T]
	for q := j.next.Add(1) - 1; q < parts; q = j.next.Add(1) - 1 {
		i0, i1 := bandRange(j.m, j.k.mr, j.pm, int(q)/j.pn)
		j0, j1 := bandRange(j.n, j.k.nr, j.pn, int(q)%j.pn)
		if i0 >= i1 || j0 >= j1 {
			continue
		}
		if w == nil {
			w = j.eng.workspace(j.k)
		}
		j.block(w, i0, i1, j0, j1)
	}
	if w != nil {
		j.eng.workspaces.Put(w)
	}
}

func (j *job[T]) done() { j.wg.Done() }

// bandRange returns the bounds of band q of p bands over n indices, the
// bands being made of whole tiles of size t as far as possible.
func bandRange(n, t, p, q int) (lo, hi int) {
	tiles := (n + t - 1) / t
	lo = min(n, (tiles*q/p)*t)
	hi = min(n, (tiles*(q+1)/p)*t)
	return lo, hi
}

// partition chooses the grid pm×pn of parts over the m×n result for p
// workers: first the grid of at most p parts that minimises the estimated
// time of the slowest worker (its multiply-adds plus the cost of packing its
// operands: the A rows are packed once per column band and the B columns once
// per row band, so splitting one dimension duplicates the packing of the other
// operand), then the longer side is cut further for load balance (see
// maxPartsPerWorker).
func partition(m, n, k, mr, nr, p int) (pm, pn int) {
	pm, pn = grid(m, n, k, mr, nr, p)
	if pm*pn != p {
		return pm, pn
	}
	if m >= n {
		f := min(maxPartsPerWorker, m/pm/minPartLen)
		pm *= max(f, 1)
	} else {
		f := min(maxPartsPerWorker, n/pn/minPartLen)
		pn *= max(f, 1)
	}
	return pm, pn
}

// grid returns the grid of at most p parts that minimises the estimated time
// of the slowest worker.
func grid(m, n, k, mr, nr, p int) (pm, pn int) {
	mt, nt := (m+mr-1)/mr, (n+nr-1)/nr
	const macsPerPacked = 16 // a packed element costs about as much as 16 MACs
	best := -1.0
	for q := p; q >= 1; q-- {
		for a := 1; a <= q; a++ {
			if q%a != 0 {
				continue
			}
			b := q / a
			if a > mt || b > nt {
				continue
			}
			mw := float64((mt + a - 1) / a * mr) // rows of the largest band
			nw := float64((nt + b - 1) / b * nr)
			mw, nw = min(mw, float64(m)), min(nw, float64(n))
			cost := mw*nw*float64(k) + macsPerPacked*(mw+nw)*float64(k)
			if best < 0 || cost < best {
				best, pm, pn = cost, a, b
			}
		}
	}
	return pm, pn
}

// The worker pool: long-lived goroutines that run parts of jobs, so that a
// call neither starts goroutines nor allocates.
type runner interface {
	work()
	done()
}

type task struct{ r runner }

var (
	tasks       = make(chan task, 64)
	workersMu   sync.Mutex
	workersLive int
)

// startWorkers makes sure at least n pool goroutines exist.
func startWorkers(n int) {
	workersMu.Lock()
	for workersLive < n {
		workersLive++
		go worker()
	}
	workersMu.Unlock()
}

func worker() {
	for t := range tasks {
		t.r.work()
		t.r.done()
	}
}
