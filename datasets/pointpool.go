package datasets

import (
	"runtime"
)

// pointJob is work split into index ranges, run by a pointPool.
type pointJob interface {
	runChunk(worker, lo, hi int)
}

// pointTask is one chunk handed to a pool worker.
type pointTask struct {
	job            pointJob
	worker, lo, hi int
}

// pointPool runs chunks of a job on persistent goroutines, so that a
// steady-state batch computation (Grouper.Group) does not allocate: a
// goroutine started per call would allocate its closure every time.
//
// The owner (e.g. a Grouper) creates the pool on first use with
// newPointPool(owner, w); the workers stop when the owner becomes
// unreachable (runtime.AddCleanup closes the task channel). Workers never
// keep a reference to the owner between calls.
type pointPool struct {
	workers int
	tasks   chan pointTask
	done    chan struct{}
}

// newPointPool starts w-1 worker goroutines (the caller runs chunk 0
// itself) that stop when owner is garbage collected.
func newPointPool[T any](owner *T, w int) *pointPool {
	p := &pointPool{workers: w, tasks: make(chan pointTask, w), done: make(chan struct{}, w)}
	for range w - 1 {
		go p.loop(p.tasks, p.done)
	}
	runtime.AddCleanup(owner, func(tasks chan pointTask) { close(tasks) }, p.tasks)
	return p
}

// loop takes only the channels, not p, so a worker holds nothing that
// could keep the owner alive.
func (*pointPool) loop(tasks <-chan pointTask, done chan<- struct{}) {
	for t := range tasks {
		t.job.runChunk(t.worker, t.lo, t.hi)
		done <- struct{}{}
	}
}

// run splits [0,n) into p.workers contiguous chunks (boundaries depend
// only on n and the worker count) and runs job on them concurrently,
// returning when all are done.
func (p *pointPool) run(job pointJob, n int) {
	w := min(p.workers, n)
	if w <= 1 {
		job.runChunk(0, 0, n)
		return
	}
	for k := 1; k < w; k++ {
		p.tasks <- pointTask{job: job, worker: k, lo: k * n / w, hi: (k + 1) * n / w}
	}
	job.runChunk(0, 0, n/w)
	for k := 1; k < w; k++ {
		<-p.done
	}
}
