// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPartitionCovers checks that the parts of every partition cover the
// result exactly once, start on tile boundaries, and that an idle machine
// gets equal shares (the part count is a multiple of the worker count
// whenever there are enough tiles).
func TestPartitionCovers(t *testing.T) {
	for _, p := range []int{1, 2, 3, 4, 8} {
		for _, s := range [][3]int{{1, 1, 1}, {3, 128, 65536}, {65536, 3, 128}, {1024, 1024, 1024}, {7500, 512, 512}, {512, 512, 65536}, {100, 5000, 30}, {14, 32, 9}} {
			m, n, k := s[0], s[1], s[2]
			const mr, nr = 14, 32
			pm, pn := partition(m, n, k, mr, nr, p)
			require.GreaterOrEqual(t, pm, 1)
			require.GreaterOrEqual(t, pn, 1)
			if (m+mr-1)/mr*((n+nr-1)/nr) >= p && pm*pn >= p {
				require.Zerof(t, pm*pn%p, "p=%d %v: %d×%d parts", p, s, pm, pn)
			}
			seen := make([]int, m*n)
			for q := range pm * pn {
				i0, i1 := bandRange(m, mr, pm, q/pn)
				j0, j1 := bandRange(n, nr, pn, q%pn)
				if i0 < i1 {
					require.Zero(t, i0%mr)
				}
				if j0 < j1 {
					require.Zero(t, j0%nr)
				}
				for i := i0; i < i1; i++ {
					for j := j0; j < j1; j++ {
						seen[i*n+j]++
					}
				}
			}
			for x, c := range seen {
				if c != 1 {
					require.Failf(t, "bad cover", "p=%d %v: element %d covered %d times", p, s, x, c)
				}
			}
		}
	}
}
