package probe

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// TestDotManyMatchesFloatsDot checks dotMany against floats.Dot to the bit,
// for lengths with and without a tail and row counts with and without a
// remainder.
func TestDotManyMatchesFloatsDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 3, 4, 5, 7, 8, 31, 512, 1801} {
		for _, count := range []int{1, 3, 4, 5, 10} {
			ld := n + rng.IntN(3)
			shared := make([]float64, n)
			rows := make([]float64, (count-1)*ld+n)
			for i := range shared {
				shared[i] = rng.NormFloat64() * 100
			}
			for i := range rows {
				rows[i] = rng.NormFloat64()
			}
			out := make([]float64, count)
			dotMany(shared, rows, ld, out)
			for r := range count {
				if want := floats.Dot(shared, rows[r*ld:r*ld+n]); out[r] != want {
					t.Fatalf("n=%d count=%d row %d: dotMany %v, floats.Dot %v", n, count, r, out[r], want)
				}
			}
		}
	}
}
