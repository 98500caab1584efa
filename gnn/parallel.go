package gnn

import (
	"runtime"
	"sync"

	"gorgonia.org/tensor"
)

// float is the set of element types the kernels support.
type float interface{ ~float32 | ~float64 }

// data returns the backing slice of t as []T (nil for an empty tensor,
// whose Data method would panic).
func data[T float](t *tensor.Dense) []T {
	if t.Shape().TotalSize() == 0 {
		return nil
	}
	return t.Data().([]T)
}

// parallelFor runs fn over [0,n) split into at most GOMAXPROCS contiguous
// chunks of at least minChunk items and waits for all of them. Kernels only
// use it where every item is computed independently, so results do not
// depend on the number of workers.
func parallelFor(n, minChunk int, fn func(lo, hi int)) {
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
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, hi)
	}
	wg.Wait()
}

// rowGrain returns a minimum chunk (in rows of width w) worth a goroutine:
// about 16k elements.
func rowGrain(w int) int {
	if w <= 0 {
		return 1 << 14
	}
	return max(1, (1<<14)/w)
}
