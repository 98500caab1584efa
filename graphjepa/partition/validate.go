package partition

import (
	"fmt"
	"math"
)

// validate checks the input of PartitionWeighted: k, the CSR arrays, the
// weights and the symmetry of the adjacency (as a multiset of weighted
// entries per node pair). It runs in O(n + m) with the Partitioner's scratch.
func (p *Partitioner) validate(w Weighted, k int, part []int) error {
	if k <= 0 {
		return fmt.Errorf("partition: k = %d parts, want k >= 1", k)
	}
	if len(w.RowPtr) == 0 {
		return fmt.Errorf("partition: rowPtr is empty, want n+1 offsets for n nodes")
	}
	n := len(w.RowPtr) - 1
	if len(part) != n {
		return fmt.Errorf("partition: len(part) = %d, want n = %d (one entry per node)", len(part), n)
	}
	if w.RowPtr[0] != 0 {
		return fmt.Errorf("partition: rowPtr[0] = %d, want 0", w.RowPtr[0])
	}
	for v := 0; v < n; v++ {
		if w.RowPtr[v+1] < w.RowPtr[v] {
			return fmt.Errorf("partition: rowPtr decreases at node %d (%d > %d)", v, w.RowPtr[v], w.RowPtr[v+1])
		}
	}
	m := w.RowPtr[n]
	if m != len(w.Col) {
		return fmt.Errorf("partition: rowPtr[n] = %d but len(col) = %d, want equal", m, len(w.Col))
	}
	for j, u := range w.Col {
		if u < 0 || u >= n {
			return fmt.Errorf("partition: col[%d] = %d, want a node in [0, %d)", j, u, n)
		}
	}
	if w.VertexWeight != nil {
		if len(w.VertexWeight) != n {
			return fmt.Errorf("partition: len(VertexWeight) = %d, want n = %d", len(w.VertexWeight), n)
		}
		for v, x := range w.VertexWeight {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				return fmt.Errorf("partition: VertexWeight[%d] = %v, want a finite weight >= 0", v, x)
			}
		}
	}
	if w.EdgeWeight != nil {
		if len(w.EdgeWeight) != m {
			return fmt.Errorf("partition: len(EdgeWeight) = %d, want len(col) = %d", len(w.EdgeWeight), m)
		}
		for j, x := range w.EdgeWeight {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				return fmt.Errorf("partition: EdgeWeight[%d] = %v (edge %d-%d), want a finite weight >= 0", j, x, rowOf(w.RowPtr, j), w.Col[j])
			}
		}
	}
	return p.checkSymmetric(w)
}

// checkSymmetric builds the transpose by counting sort and compares, row by
// row, the weight of u→v entries with the weight of v→u entries.
func (p *Partitioner) checkSymmetric(w Weighted) error {
	n := len(w.RowPtr) - 1
	m := len(w.Col)
	p.vcnt = grow(p.vcnt, n+1)
	p.vcol = grow(p.vcol, m)
	p.vw = grow(p.vw, m)
	p.vacc = grow(p.vacc, n)
	p.vmult = grow(p.vmult, n)
	cnt, tcol, tw, acc, mult := p.vcnt, p.vcol, p.vw, p.vacc, p.vmult
	for i := range cnt {
		cnt[i] = 0
	}
	for _, u := range w.Col {
		cnt[u+1]++
	}
	for i := 0; i < n; i++ {
		cnt[i+1] += cnt[i]
	}
	weight := func(j int) float64 {
		if w.EdgeWeight == nil {
			return 1
		}
		return w.EdgeWeight[j]
	}
	for v := 0; v < n; v++ {
		for j := w.RowPtr[v]; j < w.RowPtr[v+1]; j++ {
			u := w.Col[j]
			tcol[cnt[u]] = v
			tw[cnt[u]] = weight(j)
			cnt[u]++
		}
	}
	// cnt[u] now ends row u of the transpose; row u starts at cnt[u-1].
	for i := range acc {
		acc[i] = 0
		mult[i] = 0
	}
	start := 0
	for u := 0; u < n; u++ {
		end := cnt[u]
		if end-start != w.RowPtr[u+1]-w.RowPtr[u] {
			return fmt.Errorf("partition: adjacency is not symmetric: node %d lists %d neighbours but is listed by %d entries", u, w.RowPtr[u+1]-w.RowPtr[u], end-start)
		}
		for j := w.RowPtr[u]; j < w.RowPtr[u+1]; j++ {
			acc[w.Col[j]] += weight(j)
			mult[w.Col[j]]++
		}
		for t := start; t < end; t++ {
			acc[tcol[t]] -= tw[t]
			mult[tcol[t]]--
		}
		for j := w.RowPtr[u]; j < w.RowPtr[u+1]; j++ {
			v := w.Col[j]
			if mult[v] != 0 {
				return fmt.Errorf("partition: adjacency is not symmetric: node %d lists %d but %d does not list %d as often", u, v, v, u)
			}
			if a := acc[v]; math.Abs(a) > 1e-9*(1+math.Abs(weight(j))) {
				return fmt.Errorf("partition: adjacency is not symmetric: edge %d-%d has weight %v one way and %v the other", u, v, forward(w, u, v), forward(w, v, u))
			}
			acc[v] = 0
		}
		for t := start; t < end; t++ {
			v := tcol[t]
			if mult[v] != 0 {
				return fmt.Errorf("partition: adjacency is not symmetric: node %d lists %d but %d does not list %d", v, u, u, v)
			}
		}
		start = end
	}
	return nil
}

// forward returns the total weight of the u→v entries.
func forward(w Weighted, u, v int) float64 {
	var s float64
	for j := w.RowPtr[u]; j < w.RowPtr[u+1]; j++ {
		if w.Col[j] == v {
			if w.EdgeWeight == nil {
				s++
			} else {
				s += w.EdgeWeight[j]
			}
		}
	}
	return s
}

// rowOf returns the node whose row holds entry j.
func rowOf(rowPtr []int, j int) int {
	lo, hi := 0, len(rowPtr)-1
	for lo < hi-1 {
		mid := (lo + hi) / 2
		if rowPtr[mid] <= j {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
