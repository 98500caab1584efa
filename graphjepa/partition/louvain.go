package partition

import (
	"cmp"
	"slices"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"
)

// louvain partitions w by gonum's Louvain modularity optimisation
// (community.Modularize at resolution 1), then turns the communities into
// exactly k parts: with more than k communities, heaviest first into the
// currently lightest part; with fewer, the heaviest part is split in two
// halves of its breadth-first order until there are k. It allocates (gonum
// builds its own graph) and is meant for comparison, not for the hot path.
func (p *Partitioner) louvain(w Weighted, k int, part []int) (float64, error) {
	n := len(w.RowPtr) - 1
	g := simple.NewWeightedUndirectedGraph(0, 0)
	for v := 0; v < n; v++ {
		g.AddNode(simple.Node(v))
	}
	for v := 0; v < n; v++ {
		for j := w.RowPtr[v]; j < w.RowPtr[v+1]; j++ {
			u := w.Col[j]
			if u <= v {
				continue // each edge once, self-loops dropped
			}
			wt := 1.0
			if w.EdgeWeight != nil {
				wt = w.EdgeWeight[j]
			}
			if e := g.WeightedEdge(int64(v), int64(u)); e != nil {
				wt += e.Weight()
			}
			g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(v), simple.Node(u), wt))
		}
	}
	vw := func(v int) float64 {
		if w.VertexWeight != nil {
			return w.VertexWeight[v]
		}
		return 1
	}
	comms := community.Modularize(g, 1, &p.src).Communities()
	groups := make([][]int, len(comms))
	for i, c := range comms {
		ids := make([]int, len(c))
		for j, nd := range c {
			ids[j] = int(nd.ID())
		}
		slices.Sort(ids)
		groups[i] = ids
	}
	weight := func(ids []int) float64 {
		var s float64
		for _, v := range ids {
			s += vw(v)
		}
		return s
	}
	byWeight := func(a, b []int) int {
		if c := cmp.Compare(weight(b), weight(a)); c != 0 {
			return c
		}
		return cmp.Compare(a[0], b[0])
	}
	slices.SortFunc(groups, byWeight)
	parts := make([][]int, 0, k)
	if len(groups) >= k {
		pw := make([]float64, k)
		parts = parts[:k]
		for _, gr := range groups {
			best := 0
			for q := 1; q < k; q++ {
				if pw[q] < pw[best] {
					best = q
				}
			}
			parts[best] = append(parts[best], gr...)
			pw[best] += weight(gr)
		}
	} else {
		parts = append(parts, groups...)
		for len(parts) < k {
			slices.SortFunc(parts, byWeight)
			a, b := bfsHalves(w, parts[0], vw)
			parts[0] = a
			parts = append(parts, b)
		}
	}
	for q, ids := range parts {
		for _, v := range ids {
			part[v] = q
		}
	}
	return cutOf(w, part), nil
}

// bfsHalves splits the node set ids into a first half of its breadth-first
// order (within the set, from its smallest node, restarting in unreached
// components) weighing about half, and the rest.
func bfsHalves(w Weighted, ids []int, vw func(int) float64) (a, b []int) {
	in := make(map[int]bool, len(ids))
	var total float64
	for _, v := range ids {
		in[v] = true
		total += vw(v)
	}
	seen := make(map[int]bool, len(ids))
	order := make([]int, 0, len(ids))
	for _, s := range ids {
		if seen[s] {
			continue
		}
		seen[s] = true
		order = append(order, s)
		for h := len(order) - 1; h < len(order); h++ {
			v := order[h]
			for _, u := range w.Col[w.RowPtr[v]:w.RowPtr[v+1]] {
				if in[u] && !seen[u] {
					seen[u] = true
					order = append(order, u)
				}
			}
		}
	}
	var acc float64
	cut := 0
	for cut < len(order)-1 && acc+vw(order[cut]) <= total/2 {
		acc += vw(order[cut])
		cut++
	}
	if cut == 0 {
		cut = 1
	}
	return order[:cut], order[cut:]
}
