// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package nn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParallelForCovers checks that every item is computed exactly once, in
// chunks of at least minChunk items (but the last), for worker counts above
// and below the number of chunks. Inside fn, which runs on helper goroutines
// too, it uses assert (require's FailNow belongs to the test goroutine).
func TestParallelForCovers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 7, 64, 1000, 4097} {
			for _, minChunk := range []int{0, 1, 3, 64, 5000} {
				seen := make([]atomic.Int32, n)
				var mu sync.Mutex
				var short int
				ParallelFor(n, minChunk, func(lo, hi int) {
					assert.LessOrEqual(t, 0, lo)
					if n > 0 { // an empty range is one call fn(0, 0)
						assert.Less(t, lo, hi)
					}
					assert.LessOrEqual(t, hi, n)
					if n > 0 && hi-lo < max(minChunk, 1) {
						mu.Lock()
						short++
						mu.Unlock()
						assert.Equal(t, n, hi, "only the last chunk may be short")
					}
					for i := lo; i < hi; i++ {
						seen[i].Add(1)
					}
				})
				for i := range seen {
					require.EqualValues(t, 1, seen[i].Load(), "procs %d n %d minChunk %d item %d", procs, n, minChunk, i)
				}
				require.LessOrEqual(t, short, 1)
			}
		}
	}
}

// TestParallelForNested runs calls from several goroutines at once and from
// inside a chunk (run it with -race): pooled runs must not be shared.
func TestParallelForNested(t *testing.T) {
	const n = 300
	var wg sync.WaitGroup
	sums := make([]int64, 6)
	for g := range sums {
		wg.Go(func() {
			var s atomic.Int64
			for range 20 {
				ParallelFor(n, 10, func(lo, hi int) {
					ParallelFor(hi-lo, 2, func(a, b int) {
						for i := lo + a; i < lo+b; i++ {
							s.Add(int64(i))
						}
					})
				})
			}
			sums[g] = s.Load()
		})
	}
	wg.Wait()
	for _, s := range sums {
		require.EqualValues(t, 20*n*(n-1)/2, s)
	}
}
