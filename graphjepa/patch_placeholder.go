package graphjepa

import "fmt"

// BFSPlaceholder is the partitioner named PlaceholderPartitionerName, kept
// for comparison with the default (graphjepa/partition's recursive
// bisection). It is a PLACEHOLDER, not METIS: it lists
// the nodes in breadth-first order (each connected component from its
// lowest-numbered node, neighbours in ascending order) and cuts that order
// into k contiguous runs of ⌊n/k⌋ or ⌈n/k⌉ nodes. Parts are balanced and
// mostly connected but their cuts are far from METIS' minimum; no reported
// number may come from it (outputs name it PlaceholderPartitionerName). It
// ignores seed and is deterministic given the graph.
func BFSPlaceholder(seed uint64) Partitioner { return &bfsPartitioner{} }

type bfsPartitioner struct {
	order []int
	seen  []bool
}

// Partition implements Partitioner.
func (b *bfsPartitioner) Partition(rowPtr, col []int, k int, part []int) error {
	n := len(rowPtr) - 1
	switch {
	case n < 0:
		return fmt.Errorf("graphjepa: bfs-placeholder partitioner: empty rowPtr")
	case k < 1:
		return fmt.Errorf("graphjepa: bfs-placeholder partitioner: k = %d parts, want ≥ 1", k)
	case len(part) != n:
		return fmt.Errorf("graphjepa: bfs-placeholder partitioner: len(part) = %d, want %d nodes", len(part), n)
	}
	if cap(b.order) < n {
		b.order = make([]int, 0, n)
		b.seen = make([]bool, n)
	}
	order, seen := b.order[:0], b.seen[:n]
	clear(seen)
	for s := range n {
		if seen[s] {
			continue
		}
		seen[s] = true
		head := len(order)
		order = append(order, s)
		for head < len(order) {
			u := order[head]
			head++
			for _, v := range col[rowPtr[u]:rowPtr[u+1]] {
				if v < 0 || v >= n {
					return fmt.Errorf("graphjepa: bfs-placeholder partitioner: node %d: neighbour %d out of range [0,%d)", u, v, n)
				}
				if !seen[v] {
					seen[v] = true
					order = append(order, v)
				}
			}
		}
	}
	// Position i of the order goes to part ⌊i·k/n⌋: k runs of balanced size.
	for i, v := range order {
		part[v] = i * k / n
	}
	b.order = order
	return nil
}
