// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzSgemm compares Sgemm with gonum's for fuzzed shapes (each dimension
// up to 160, past the register blocks of every kernel and the KC block of
// the portable one), transposes, leading-dimension padding, scalars and
// kernels. Dgemm is checked on the same case.
//
//	go test -run XXX -fuzz FuzzSgemm -fuzztime 3m ./nn/gemm
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(1), uint8(0), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(14), uint8(32), uint8(16), uint8(3), uint8(2), uint8(1), uint64(2))
	f.Add(uint8(67), uint8(33), uint8(129), uint8(1), uint8(5), uint8(2), uint64(3))
	f.Add(uint8(160), uint8(3), uint8(7), uint8(2), uint8(0), uint8(3), uint64(4))
	scalars := [][2]float64{{1, 0}, {1, 1}, {-0.5, 2}, {0, 0.5}, {2, 0}, {0.25, -1}}
	f.Fuzz(func(t *testing.T, m, n, k, flags, pad, sc uint8, seed uint64) {
		mm, nn, kk := int(m)%161, int(n)%161, int(k)%161
		ab := scalars[int(sc)%len(scalars)]
		g := padded(tight(transposes[flags&1], transposes[flags>>1&1], mm, nn, kk, ab[0], ab[1]), int(pad)%7)
		g.nanC = flags&4 != 0 && ab[1] == 0
		names := Kernels()
		name := names[int(flags>>3)%len(names)]
		def := Kernel()
		require.NoError(t, SetKernel(name))
		defer SetKernel(def)
		rng := rand.New(rand.NewPCG(seed, 99))
		if mm == 0 || nn == 0 {
			// Empty products must return without touching anything; the
			// checker needs non-empty matrices.
			f, _ := sgemm()
			require.NotPanics(t, func() {
				f(g.tA, g.tB, mm, nn, kk, 1, nil, g.lda, nil, g.ldb, 0, nil, g.ldc)
			})
			return
		}
		sf, sref := sgemm()
		checkAgainstGonum(t, rng, g, sf, sref)
		df, dref := dgemm()
		checkAgainstGonum(t, rng, g, df, dref)
	})
}
