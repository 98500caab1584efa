// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPartitionCovers checks that the parts of every partition cover the
// product exactly once (every element of C over the whole inner dimension),
// start on tile boundaries, and that an idle machine gets equal shares (the
// part count is a multiple of the worker count whenever there are enough
// tiles).
func TestPartitionCovers(t *testing.T) {
	for _, p := range []int{1, 2, 3, 4, 8} {
		for _, s := range [][3]int{{1, 1, 1}, {3, 128, 65536}, {65536, 3, 128}, {1024, 1024, 1024}, {7500, 512, 512}, {512, 384, 65536}, {100, 5000, 30}, {14, 32, 9}} {
			m, n, k := s[0], s[1], s[2]
			const mr, nr = 14, 32
			pm, pn, pk := partition(m, n, k, mr, nr, p)
			require.GreaterOrEqual(t, pm, 1)
			require.GreaterOrEqual(t, pn, 1)
			require.GreaterOrEqual(t, pk, 1)
			if (m+mr-1)/mr*((n+nr-1)/nr) >= p && pm*pn*pk >= p {
				require.Zerof(t, pm*pn*pk%p, "p=%d %v: %d×%d×%d parts", p, s, pm, pn, pk)
			}
			seen := make([]int, m*n)
			for q := range pm * pn * pk {
				i0, i1 := bandRange(m, mr, pm, q/pn%pm)
				j0, j1 := bandRange(n, nr, pn, q%pn)
				k0, k1 := bandRange(k, 1, pk, q/pn/pm)
				if i0 < i1 {
					require.Zero(t, i0%mr)
				}
				if j0 < j1 {
					require.Zero(t, j0%nr)
				}
				for i := i0; i < i1; i++ {
					for j := j0; j < j1; j++ {
						seen[i*n+j] += k1 - k0
					}
				}
			}
			for x, c := range seen {
				if c != k {
					require.Failf(t, "bad cover", "p=%d %v: element %d covered over %d of %d inner indices", p, s, x, c, k)
				}
			}
		}
	}
}

// TestPartitionChoices pins the partitions of the benchmark shapes for two
// workers: the weight-gradient shapes (small C, long inner dimension) split
// the inner dimension, the others split the longer side of C.
func TestPartitionChoices(t *testing.T) {
	for _, c := range []struct {
		m, n, k    int
		pm, pn, pk int
	}{
		{512, 384, 65536, 1, 1, 2},
		{3, 128, 65536, 1, 1, 2},
		{512, 512, 7500, 1, 1, 2},
		{65536, 512, 512, 8, 1, 1},
		{7500, 512, 512, 6, 1, 1},
		{128, 512, 512, 1, 2, 1},
	} {
		pm, pn, pk := partition(c.m, c.n, c.k, 14, 32, 2)
		require.Equalf(t, [3]int{c.pm, c.pn, c.pk}, [3]int{pm, pn, pk}, "%d×%d×%d", c.m, c.n, c.k)
	}
}
