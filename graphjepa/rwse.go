package graphjepa

import "github.com/nongrid/jepa/datasets"

// RWSE returns the random-walk structural encoding of every node of g
// (spec graph-jepa.md §2, the reference's core/data_utils/pe.py RWSE):
//
//	rw[i, k] = ((D⁻¹A)^(k+1))_ii,  k = 0..steps-1,
//
// the probability that a simple random walk from node i is back at i after
// 1..steps steps, on the full graph (A the 0/1 adjacency, D its row sums
// clamped to at least 1, so an isolated node gets zeros). The result is
// row-major [N, steps] float32, computed in float64 (the reference computes
// in float32).
//
// It walks one probability vector per source node over the CSR adjacency,
// touching only the nodes the walk has reached: O(N·steps·E_r) time with
// E_r the edges within reach, instead of the reference's dense matrix
// powers (O(steps·N³)).
func RWSE(g *datasets.Graph, steps int) []float32 {
	var w rwseScratch
	return w.rwse(nil, g, steps)
}

// rwseScratch holds the per-source walk buffers of RWSE.
type rwseScratch struct {
	cur, next    []float64
	active, nact []int
	seen         []bool
}

func (w *rwseScratch) grow(n int) {
	if cap(w.cur) < n {
		w.cur = make([]float64, n)
		w.next = make([]float64, n)
		w.active = make([]int, 0, n)
		w.nact = make([]int, 0, n)
		w.seen = make([]bool, n)
	}
	w.cur, w.next, w.seen = w.cur[:n], w.next[:n], w.seen[:n]
}

// rwse writes the [N, steps] encoding of g into dst (grown when short).
func (w *rwseScratch) rwse(dst []float32, g *datasets.Graph, steps int) []float32 {
	n := g.NumNodes()
	if cap(dst) < n*steps {
		dst = make([]float32, n*steps)
	}
	dst = dst[:n*steps]
	w.grow(n)
	cur, next := w.cur, w.next
	clear(cur)
	clear(next)
	for i := range n {
		row := dst[i*steps : (i+1)*steps]
		if g.RowPtr[i] == g.RowPtr[i+1] {
			clear(row)
			continue
		}
		active := append(w.active[:0], i)
		cur[i] = 1
		for k := range steps {
			nact := w.nact[:0]
			for _, u := range active {
				lo, hi := g.RowPtr[u], g.RowPtr[u+1]
				x := cur[u] / float64(hi-lo)
				cur[u] = 0
				for _, v := range g.Col[lo:hi] {
					if !w.seen[v] {
						w.seen[v] = true
						nact = append(nact, v)
					}
					next[v] += x
				}
			}
			for _, v := range nact {
				w.seen[v] = false
			}
			row[k] = float32(next[i])
			cur, next = next, cur
			active, w.nact = nact, active
		}
		for _, u := range active {
			cur[u] = 0
		}
		w.active = active
	}
	w.cur, w.next = cur, next
	return dst
}
