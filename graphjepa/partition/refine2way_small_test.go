package partition

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSmallFMMatchesHeapFM: without ties in gain, the bit-set FM of small
// graphs and the heap FM make the same moves, so from the same bisection
// they end in the same state (sides, cut, part weights, id/ed, boundary).
// Integer weights drawn from [1, 2^20] make ties unlikely and the float
// arithmetic exact (the heap FM undoes moves by adding back, the bit-set FM
// restores a snapshot); the graphs are rings with random chords, so that no
// two vertices' gains come from the same single edge (an isolated edge would
// give both ends the same gain).
func TestSmallFMMatchesHeapFM(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, n := range []int{6, 17, 40, 64, 65, 100, 128} {
		for trial := 0; trial < 20; trial++ {
			var edges [][2]int
			for v := 0; v < n; v++ {
				edges = append(edges, [2]int{v, (v + 1) % n})
				if u := rng.IntN(n); rng.IntN(2) == 0 && u != v && u != (v+1)%n && (u+1)%n != v {
					edges = append(edges, [2]int{v, u})
				}
			}
			rp, col := csr(n, edges)
			ew := make([]float64, len(col))
			pairW := map[[2]int]float64{}
			for v := 0; v < n; v++ {
				for j := rp[v]; j < rp[v+1]; j++ {
					key := [2]int{min(v, col[j]), max(v, col[j])}
					w, ok := pairW[key]
					if !ok {
						w = float64(1 + rng.IntN(1<<20))
						pairW[key] = w
					}
					ew[j] = w
				}
			}
			vw := make([]float64, n)
			for i := range vw {
				vw[i] = float64(1 + rng.IntN(5))
			}
			start := make([]int, n)
			for i := range start {
				start[i] = rng.IntN(2)
			}
			type state struct {
				where     []int
				id, ed    []float64
				bnd       []int
				pw        [2]float64
				cut       float64
				converged bool
			}
			run := func(small bool) state {
				p := New(Config{Seed: uint64(trial)})
				g := p.inputGraph(Weighted{RowPtr: rp, Col: col, VertexWeight: vw, EdgeWeight: ew})
				p.ensureScratch(n, g.nedges(), 2)
				copy(g.where[:n], start)
				p.setBounds(g, 0.5, false, false)
				p.compute2WayParams(g)
				var conv bool
				if small {
					conv = p.fm2WaySmall(g, 10, 15)
				} else {
					conv = p.fm2WayHeap(g, 10, 15)
				}
				bnd := slices.Clone(g.bndind[:g.nbnd])
				slices.Sort(bnd)
				return state{slices.Clone(g.where[:n]), slices.Clone(g.id[:n]), slices.Clone(g.ed[:n]), bnd, g.pwgts, g.mincut, conv}
			}
			heap, small := run(false), run(true)
			require.Equal(t, heap, small, "n=%d trial %d", n, trial)
		}
	}
}
