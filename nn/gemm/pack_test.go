// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPackRoutines compares the assembly packing routines of every kernel
// with the Go loops, for complete and edge strips, both orientations and
// depths that are and are not multiples of the vector length.
func TestPackRoutines(t *testing.T) {
	for _, ks := range available {
		t.Run(ks.name+"/float32", func(t *testing.T) { checkPack(t, &ks.s) })
		t.Run(ks.name+"/float64", func(t *testing.T) { checkPack(t, &ks.d) })
	}
}

func checkPack[T float](t *testing.T, k *blockKernel[T]) {
	if k.copyRows == nil && k.transA == nil {
		t.Skip("no packing routines")
	}
	plain := *k
	plain.packRoutines = packRoutines[T]{}
	rng := rand.New(rand.NewPCG(11, 12))
	const rows, cols = 90, 300
	for _, ld := range []int{cols, cols + 3} {
		x := fillRand(rng, make([]T, rows*ld))
		for _, kc := range []int{1, 15, 16, 17, 64, 255} {
			for _, mc := range []int{1, k.mr - 1, k.mr, 2*k.mr + 3, 5 * k.mr} {
				for _, tr := range []bool{false, true} {
					// op(A) is mc×kc at (i0, p0); stored A is rows×ld.
					i0, p0 := 2, 7
					if tr {
						i0, p0 = 7, 2
					}
					if (!tr && (i0+mc > rows || p0+kc > ld)) || (tr && (p0+kc > rows || i0+mc > ld)) {
						continue
					}
					// The packed strips, then the slack the routines may
					// scribble on.
					size := (mc + k.mr - 1) / k.mr * k.mr * kc
					want := fillRand(rng, make([]T, size+packSlack))
					got := append([]T(nil), want...)
					packA(&plain, want, x, ld, tr, i0, mc, p0, kc)
					packA(k, got, x, ld, tr, i0, mc, p0, kc)
					require.Equalf(t, want[:size], got[:size], "packA ld=%d kc=%d mc=%d trans=%v", ld, kc, mc, tr)
				}
			}
			for _, nc := range []int{1, k.nr - 1, k.nr, 2*k.nr + 5} {
				for _, tr := range []bool{false, true} {
					// op(B) is kc×nc at (p0, j0).
					p0, j0 := 3, 5
					if tr {
						p0, j0 = 5, 3
					}
					if (!tr && (p0+kc > rows || j0+nc > ld)) || (tr && (j0+nc > rows || p0+kc > ld)) {
						continue
					}
					size := (nc + k.nr - 1) / k.nr * k.nr * kc
					want := fillRand(rng, make([]T, size+packSlack))
					got := append([]T(nil), want...)
					packB(&plain, want, x, ld, tr, p0, kc, j0, nc)
					packB(k, got, x, ld, tr, p0, kc, j0, nc)
					require.Equalf(t, want[:size], got[:size], "packB ld=%d kc=%d nc=%d trans=%v", ld, kc, nc, tr)
				}
			}
		}
	}
}
