// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// A product runs on the calling goroutine unless one core would take at least
// parallelMinSeconds for it: waking another worker costs a fixed time, not a
// number of multiply-adds. On a 2-vCPU virtual machine (AMD EPYC Zen 5,
// 2026-12-06, `GEMM_BENCH_IMPLS=gemm go test -bench 'Sgemm/(Small|Tfm)'
// ./nn/gemm` at GOMAXPROCS 1 and 2; the wake-up alone: nn's
// BenchmarkParallelForWake) the split cost 25–50 µs: 128³ took 30 µs
// on one core and 55 µs on two, 512×128×128 (90 µs) 106 µs, while
// 512×512×128 (350 µs) gained 1.2× and 7500×512×512 1.7×. The threshold in
// multiply-adds is this time at the calibrated one-core rate of the kernel
// in use (see calibrate.go), rounded to a power of two so that noise in the
// rate seldom moves it (it decides where the inner dimension is split, and
// so the rounding), and never below fallbackParallelMinMACs, which is also
// the threshold when no rate was measured (NN_GEMM_KERNEL=features).
const (
	parallelMinSeconds      = 200e-6
	fallbackParallelMinMACs = 1 << 20
)

// parallelMinMACs is the current threshold, set once by the kernel
// selection (and by tests).
var parallelMinMACs atomic.Int64

func init() { parallelMinMACs.Store(fallbackParallelMinMACs) }

// parallelThreshold returns the threshold in multiply-adds for a kernel
// that runs at gflops GFLOP/s on one core.
func parallelThreshold(gflops float64) int64 {
	macs := gflops * 1e9 / 2 * parallelMinSeconds
	if !(macs > fallbackParallelMinMACs) { // also NaN, 0
		return fallbackParallelMinMACs
	}
	return 1 << int64(math.Round(math.Log2(macs)))
}

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

// Cost model of partition, in multiply-add equivalents: packing one element
// (a strided read, usually from memory, and a write) costs about as much as
// macsPerPacked multiply-adds of the micro-kernel, and adding one element of
// a split-K partial result into C about macsPerReduced. Both were measured on
// the Zen 5 machine the kernels were tuned on (AVX-512: about 30 MACs per
// cycle per core against about 1.7 cycles per packed element streamed from
// memory).
const (
	macsPerPacked  = 48
	macsPerReduced = 64
)

// job is one GEMM call: its arguments and its partition over workers.
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

	// The rows of C are cut into pm bands, the columns into pn bands and
	// the inner dimension into pk bands; part q = (kq·pm + iq)·pn + jq
	// computes band (iq, jq) of the product over inner band kq. Inner band
	// 0 goes to C, band kq > 0 to partial[kq-1] (m×n, row-major), which run
	// adds into C at the end. Workers claim parts through next.
	pm, pn, pk int
	partial    []T
	next       atomic.Int64

	// Completion: the worker that finishes the last part signals finished.
	// A helper that starts late finds no part left and only drops its
	// reference, so the caller never waits for a goroutine that has not
	// been scheduled; the job goes back to the pool when the last of the
	// caller and the helpers drops its reference.
	done     atomic.Int64
	finished chan struct{}
	refs     atomic.Int32
}

// run computes the job, splitting it over GOMAXPROCS workers when it is large
// enough.
func (j *job[T]) run() {
	p := runtime.GOMAXPROCS(0)
	if p > 1 && int64(j.m)*int64(j.n)*int64(j.kk) >= parallelMinMACs.Load() {
		j.pm, j.pn, j.pk = partition(j.m, j.n, j.kk, j.k.mr, j.k.nr, p)
	} else {
		j.pm, j.pn, j.pk = 1, 1, 1
	}
	var partial *[]T
	if j.pk > 1 {
		partial = j.eng.partial((j.pk - 1) * j.m * j.n)
		j.partial = *partial
	}
	parts := j.pm * j.pn * j.pk
	helpers := min(p, parts) - 1
	j.refs.Store(int32(1 + helpers))
	if helpers > 0 {
		startWorkers(helpers)
		for range helpers {
			tasks <- task{r: j}
		}
	}
	j.work()
	<-j.finished
	if partial != nil {
		j.reduce()
		j.partial = nil
		j.eng.partials.Put(partial)
	}
}

// work computes parts until none is left.
func (j *job[T]) work() {
	parts := int64(j.pm * j.pn * j.pk)
	var w *workspace[T]
	for q := j.next.Add(1) - 1; q < parts; q = j.next.Add(1) - 1 {
		jq := int(q) % j.pn
		iq := int(q) / j.pn % j.pm
		kq := int(q) / j.pn / j.pm
		i0, i1 := bandRange(j.m, j.k.mr, j.pm, iq)
		j0, j1 := bandRange(j.n, j.k.nr, j.pn, jq)
		k0, k1 := bandRange(j.kk, 1, j.pk, kq)
		if i0 >= i1 || j0 >= j1 || k0 >= k1 {
			j.partDone(parts)
			continue
		}
		if w == nil {
			w = j.eng.workspace(j.k)
		}
		t := target[T]{c: j.c, ldc: j.ldc, beta: j.beta, cT: j.cT}
		if kq > 0 {
			t = target[T]{c: j.partial[(kq-1)*j.m*j.n : kq*j.m*j.n], ldc: j.n}
		}
		j.block(w, t, i0, i1, j0, j1, k0, k1)
		j.partDone(parts)
	}
	if w != nil {
		j.eng.workspaces.Put(w)
	}
}

// partDone counts a finished (or empty) part and signals the caller after the
// last one.
func (j *job[T]) partDone(parts int64) {
	if j.done.Add(1) == parts {
		j.finished <- struct{}{}
	}
}

// reduce adds the partial products of inner bands 1..pk-1 into C, in band
// order (so the result does not depend on which worker finished first).
func (j *job[T]) reduce() {
	for kq := 1; kq < j.pk; kq++ {
		part := j.partial[(kq-1)*j.m*j.n : kq*j.m*j.n]
		for i := range j.m {
			src := part[i*j.n : i*j.n+j.n]
			if j.cT {
				for q, v := range src {
					j.c[q*j.ldc+i] += v
				}
				continue
			}
			dst := j.c[i*j.ldc : i*j.ldc+j.n]
			for q, v := range src {
				dst[q] += v
			}
		}
	}
}

// release drops a reference to the job and returns it to the pool after the
// last one.
func (j *job[T]) release() {
	if j.refs.Add(-1) == 0 {
		j.eng.jobs.Put(j)
	}
}

// bandRange returns the bounds of band q of p bands over n indices, the
// bands being made of whole tiles of size t as far as possible.
func bandRange(n, t, p, q int) (lo, hi int) {
	tiles := (n + t - 1) / t
	lo = min(n, (tiles*q/p)*t)
	hi = min(n, (tiles*(q+1)/p)*t)
	return lo, hi
}

// partition chooses the parts for p workers: first the grid pm×pn×pk of at
// most p parts that minimises the estimated time of the slowest worker (see
// grid), then, for a grid over C alone, the longer side is cut further for
// load balance (see maxPartsPerWorker).
func partition(m, n, k, mr, nr, p int) (pm, pn, pk int) {
	pm, pn, pk = grid(m, n, k, mr, nr, p)
	if pm*pn != p {
		return pm, pn, pk
	}
	if m >= n {
		f := min(maxPartsPerWorker, m/pm/minPartLen)
		pm *= max(f, 1)
	} else {
		f := min(maxPartsPerWorker, n/pn/minPartLen)
		pn *= max(f, 1)
	}
	return pm, pn, pk
}

// grid returns the grid of at most p parts, pm row bands × pn column bands of
// C × pk bands of the inner dimension, that minimises the estimated time of
// the slowest worker: its multiply-adds, plus packing its operands (the A
// rows are packed once per column band and the B columns once per row band,
// so splitting one dimension of C duplicates the packing of the other
// operand; splitting the inner dimension duplicates nothing), plus, for
// pk > 1, adding the partial results into C.
func grid(m, n, k, mr, nr, p int) (pm, pn, pk int) {
	mt, nt := (m+mr-1)/mr, (n+nr-1)/nr
	best := -1.0
	for q := p; q >= 1; q-- {
		for c := 1; c <= q; c++ { // inner bands
			if q%c != 0 || c > k {
				continue
			}
			for a := 1; a <= q/c; a++ {
				if q/c%a != 0 {
					continue
				}
				b := q / c / a
				if a > mt || b > nt {
					continue
				}
				mw := min(float64((mt+a-1)/a*mr), float64(m)) // rows of the largest band
				nw := min(float64((nt+b-1)/b*nr), float64(n))
				kw := float64((k + c - 1) / c)
				cost := mw*nw*kw + macsPerPacked*(mw+nw)*kw
				if c > 1 {
					cost += macsPerReduced * float64(c-1) * float64(m) * float64(n)
				}
				if best < 0 || cost < best {
					best, pm, pn, pk = cost, a, b, c
				}
			}
		}
	}
	return pm, pn, pk
}

// The worker pool: long-lived goroutines that run parts of jobs, so that a
// call neither starts goroutines nor allocates.
type runner interface {
	work()
	release()
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
		t.r.release()
	}
}
