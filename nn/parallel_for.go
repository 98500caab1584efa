// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package nn

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ParallelFor runs fn over [0,n) split into contiguous chunks of at least
// minChunk items on up to GOMAXPROCS goroutines, and returns when every
// chunk is done. Kernels use it only where every item is computed
// independently, so results do not depend on the number of workers or on
// which worker ran which chunk.
//
// The calling goroutine works too, and waits only for chunks a helper has
// started: it cuts the range into up to parallelForParts chunks per worker,
// and every goroutine claims the next chunk until none is left. Waking an
// idle core costs 9–23 µs on a 2-vCPU virtual machine (AMD EPYC Zen 5,
// 2026-12-06, BenchmarkParallelForWake: after 5–500 µs of serial work; 1.5
// µs back to back), as long as a small kernel's whole work, so with a fixed
// split such kernels waited for the wake-up and ran slower on two cores than
// on one; with claiming, a helper that starts late finds nothing left and
// the caller never waits for it (after gaps of 5–20 µs the call now costs
// 1–1.4 µs; after longer ones the caller still pays the runtime's wake-up
// of an idle thread, 9–23 µs).
func ParallelFor(n, minChunk int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if minChunk < 1 {
		minChunk = 1
	}
	if w := n / minChunk; w < workers {
		workers = w
	}
	if workers <= 1 {
		fn(0, n)
		return
	}
	parts := min(workers*parallelForParts, n/minChunk)
	r := parallelRuns.Get().(*parallelRun)
	r.fn, r.n, r.chunk = fn, n, (n+parts-1)/parts
	r.parts = int64((n + r.chunk - 1) / r.chunk)
	r.next.Store(0)
	r.done.Store(0)
	r.refs.Store(int32(workers))
	for range workers - 1 {
		go r.help()
	}
	r.work()
	<-r.finished
	r.release()
}

// parallelForParts is the number of chunks per worker: enough that a
// helper that starts late still gets a share, few enough that each chunk
// stays long.
const parallelForParts = 4

// parallelRun is one ParallelFor call, pooled so that a call allocates
// nothing but its helpers' goroutines.
type parallelRun struct {
	fn       func(lo, hi int)
	n, chunk int
	parts    int64
	next     atomic.Int64 // next chunk to claim
	done     atomic.Int64 // chunks finished
	refs     atomic.Int32 // goroutines still holding the run
	finished chan struct{}
}

var parallelRuns = sync.Pool{New: func() any { return &parallelRun{finished: make(chan struct{}, 1)} }}

// work computes chunks until none is left; the goroutine that finishes the
// last one signals the caller.
func (r *parallelRun) work() {
	for q := r.next.Add(1) - 1; q < r.parts; q = r.next.Add(1) - 1 {
		lo := int(q) * r.chunk
		r.fn(lo, min(lo+r.chunk, r.n))
		if r.done.Add(1) == r.parts {
			r.finished <- struct{}{}
		}
	}
}

func (r *parallelRun) help() {
	r.work()
	r.release()
}

// release drops one goroutine's reference; the last one returns the run to
// the pool (a late helper may still be reading next after the caller has
// returned, so the caller cannot recycle it alone).
func (r *parallelRun) release() {
	if r.refs.Add(-1) == 0 {
		r.fn = nil
		parallelRuns.Put(r)
	}
}
