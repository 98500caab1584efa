package nn

import "runtime"

// paramChunk is the smallest share of elements a worker of a parameter
// sweep takes (Adam, EMA, zeroing gradients): the sweeps are memory-bound,
// and below this the goroutine start costs more than the second core
// saves.
const paramChunk = 1 << 16

// sweepParallel reports whether a sweep over total elements is worth
// splitting; callers run it serially otherwise, without building the
// closure sweepParams needs (so that a serial sweep allocates nothing).
func sweepParallel(total int) bool {
	return total >= 2*paramChunk && runtime.GOMAXPROCS(0) > 1
}

// sweepParams runs fn over the elements of n tensors of the given lengths
// split between the cores as one range of their concatenation: fn(i, lo,
// hi) handles elements lo:hi of tensor i, every element exactly once.
// Boundaries inside a tensor fall on multiples of 64 elements. Element-wise
// updates give the same bits however the range is split.
func sweepParams(lens []int, fn func(i, lo, hi int)) {
	total := 0
	for _, n := range lens {
		total += n
	}
	ParallelFor(total, paramChunk, func(lo, hi int) {
		if lo > 0 {
			lo = (lo + 63) &^ 63
		}
		if hi < total {
			hi = (hi + 63) &^ 63
		}
		off := 0
		for i, n := range lens {
			s, e := max(lo-off, 0), min(hi-off, n)
			if s < e {
				fn(i, s, e)
			}
			off += n
			if off >= hi {
				return
			}
		}
	})
}
