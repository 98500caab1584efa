package partition

import (
	"fmt"
	"slices"

	gograph "gonum.org/v1/gonum/graph"
)

// PartitionUndirected partitions a gonum undirected graph into k parts and
// returns the part of every node by ID, with the edge cut. Edge weights are
// used when g is a graph.WeightedUndirected (they must be finite and
// non-negative); otherwise every edge weighs 1. It builds a CSR copy of g.
func (p *Partitioner) PartitionUndirected(g gograph.Undirected, k int) (map[int64]int, float64, error) {
	nodes := gograph.NodesOf(g.Nodes())
	ids := make([]int64, len(nodes))
	for i, nd := range nodes {
		ids[i] = nd.ID()
	}
	slices.Sort(ids)
	index := make(map[int64]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	wg, weighted := g.(gograph.WeightedUndirected)
	rowPtr := make([]int, len(ids)+1)
	var col []int
	var ew []float64
	for i, id := range ids {
		to := gograph.NodesOf(g.From(id))
		nb := make([]int, 0, len(to))
		for _, u := range to {
			nb = append(nb, index[u.ID()])
		}
		slices.Sort(nb)
		for _, u := range nb {
			col = append(col, u)
			if weighted {
				e := wg.WeightedEdge(id, ids[u])
				if e == nil {
					return nil, 0, fmt.Errorf("partition: PartitionUndirected: node %d lists %d but has no weighted edge to it", id, ids[u])
				}
				ew = append(ew, e.Weight())
			}
		}
		rowPtr[i+1] = len(col)
	}
	part := make([]int, len(ids))
	cut, err := p.PartitionWeighted(Weighted{RowPtr: rowPtr, Col: col, EdgeWeight: ew}, k, part)
	if err != nil {
		return nil, 0, err
	}
	out := make(map[int64]int, len(ids))
	for i, id := range ids {
		out[id] = part[i]
	}
	return out, cut, nil
}
