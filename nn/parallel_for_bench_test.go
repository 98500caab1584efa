// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package nn

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkParallelForWake measures what a two-item ParallelFor costs after
// the given stretch of serial work, the pattern of a training step (a
// serial kernel, then a parallel one): back to back the other worker is
// still awake; after a gap its core may have gone idle and must be woken.
// The fork-ns metric is the ParallelFor call alone. Run with GOMAXPROCS ≥ 2:
//
//	go test -run '^$' -bench ParallelForWake -benchtime 2000x ./nn
func BenchmarkParallelForWake(b *testing.B) {
	for _, gap := range []time.Duration{0, 5 * time.Microsecond, 20 * time.Microsecond, 100 * time.Microsecond, 500 * time.Microsecond} {
		b.Run(fmt.Sprint(gap), func(b *testing.B) {
			var items [2]int
			var fork time.Duration
			for range b.N {
				for t0 := time.Now(); time.Since(t0) < gap; {
				}
				t0 := time.Now()
				ParallelFor(2, 1, func(lo, hi int) { items[lo]++ })
				fork += time.Since(t0)
			}
			if items[0]+items[1] != 2*b.N {
				b.Fatalf("items computed %d times, want %d", items[0]+items[1], 2*b.N)
			}
			b.ReportMetric(float64(fork.Nanoseconds())/float64(b.N), "fork-ns")
		})
	}
}
