package partition

import (
	"math/rand/v2"
	"slices"
)

// csr builds a symmetric CSR graph on n nodes from undirected edges
// (parallel edges and self-loops are kept as given).
func csr(n int, edges [][2]int) (rowPtr, col []int) {
	adj := make([][]int, n)
	for _, e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
		if e[0] != e[1] {
			adj[e[1]] = append(adj[e[1]], e[0])
		}
	}
	rowPtr = make([]int, n+1)
	for v, a := range adj {
		slices.Sort(a)
		col = append(col, a...)
		rowPtr[v+1] = len(col)
	}
	return rowPtr, col
}

func grid(r, c int) (rowPtr, col []int) {
	var e [][2]int
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := i*c + j
			if j+1 < c {
				e = append(e, [2]int{v, v + 1})
			}
			if i+1 < r {
				e = append(e, [2]int{v, v + c})
			}
		}
	}
	return csr(r*c, e)
}

func ring(n int) (rowPtr, col []int) {
	var e [][2]int
	for v := 0; v < n; v++ {
		e = append(e, [2]int{v, (v + 1) % n})
	}
	return csr(n, e)
}

func star(leaves int) (rowPtr, col []int) {
	var e [][2]int
	for v := 1; v <= leaves; v++ {
		e = append(e, [2]int{0, v})
	}
	return csr(leaves+1, e)
}

func complete(n int) (rowPtr, col []int) {
	var e [][2]int
	for u := 0; u < n; u++ {
		for v := u + 1; v < n; v++ {
			e = append(e, [2]int{u, v})
		}
	}
	return csr(n, e)
}

// twoCliques is two K_m joined by one edge.
func twoCliques(m int) (rowPtr, col []int) {
	var e [][2]int
	for b := 0; b < 2; b++ {
		for u := 0; u < m; u++ {
			for v := u + 1; v < m; v++ {
				e = append(e, [2]int{b*m + u, b*m + v})
			}
		}
	}
	e = append(e, [2]int{m - 1, m})
	return csr(2*m, e)
}

// randomGraph is a seeded G(n, p) graph with, optionally, isolated nodes,
// self-loops and parallel edges mixed in (as real data has).
func randomGraph(rng *rand.Rand, n int, p float64, messy bool) (rowPtr, col []int) {
	var e [][2]int
	for u := 0; u < n; u++ {
		if messy && rng.IntN(10) == 0 {
			continue // an isolated node (unless others link to it)
		}
		for v := u + 1; v < n; v++ {
			if rng.Float64() < p {
				e = append(e, [2]int{u, v})
				if messy && rng.IntN(20) == 0 {
					e = append(e, [2]int{u, v})
				}
			}
		}
		if messy && rng.IntN(15) == 0 {
			e = append(e, [2]int{u, u})
		}
	}
	return csr(n, e)
}

// relabel returns the graph with node v renamed perm[v].
func relabel(rowPtr, col, perm []int) (rp2, col2 []int) {
	n := len(rowPtr) - 1
	var e [][2]int
	for v := 0; v < n; v++ {
		for _, u := range col[rowPtr[v]:rowPtr[v+1]] {
			if u >= v {
				e = append(e, [2]int{perm[v], perm[u]})
			}
		}
	}
	return csr(n, e)
}
