package datasets

import (
	"fmt"
	"slices"
)

// edgeList is a list of directed edge entries over n global node ids, as
// read from a file, with optional per-entry float attributes [E, attrW]
// and integer labels [E, labelW].
type edgeList struct {
	src, dst []int
	attr     []float32
	attrW    int
	label    []int
	labelW   int
}

// csr is the coalesced, symmetric adjacency built from an edgeList over
// global node ids.
type csr struct {
	rowPtr []int // [n+1]
	col    []int // neighbours, ascending per row
	attr   []float32
	label  []int

	selfLoops    int // entries u→u dropped
	merged       int // duplicate entries folded into another
	addedReverse int // entries v→u created because only u→v was present
}

// buildCSR removes self-loops, coalesces duplicates and symmetrises, with
// PyTorch Geometric semantics where PyG defines them:
//
//   - remove_self_loops, then coalesce: entries are sorted by (row, col)
//     and duplicates are merged, their attributes summed (coalesce's
//     default reduce="sum"); integer labels keep the first entry's value.
//   - PyG does not symmetrise. Here a pair present only as u→v also gets
//     v→u, carrying the (summed) attributes of the u→v entries, so the
//     result is always a symmetric adjacency; the count is reported in
//     addedReverse (zero for every TU benchmark set, whose files list
//     both directions).
func buildCSR(n int, el *edgeList) (*csr, error) {
	m := len(el.src)
	if m >= 1<<32 || n >= 1<<31 {
		return nil, fmt.Errorf("graph too large: %d nodes, %d edges", n, m)
	}
	out := &csr{rowPtr: make([]int, n+1)}
	// Count candidates per row: every non-loop entry u→v is an original
	// entry of row u and a reverse candidate of row v.
	for e := 0; e < m; e++ {
		u, v := el.src[e], el.dst[e]
		if u == v {
			out.selfLoops++
			continue
		}
		out.rowPtr[u+1]++
		out.rowPtr[v+1]++
	}
	for i := 0; i < n; i++ {
		out.rowPtr[i+1] += out.rowPtr[i]
	}
	// Key layout: col (31 bits) | reverse flag (1 bit) | entry (32 bits).
	// Sorting a row's keys orders by column, originals before reverse
	// candidates, then by file order.
	keys := make([]uint64, out.rowPtr[n])
	fill := make([]int, n)
	copy(fill, out.rowPtr[:n])
	for e := 0; e < m; e++ {
		u, v := el.src[e], el.dst[e]
		if u == v {
			continue
		}
		keys[fill[u]] = uint64(v)<<33 | uint64(e)
		fill[u]++
		keys[fill[v]] = uint64(u)<<33 | 1<<32 | uint64(e)
		fill[v]++
	}
	fill = nil

	aw, lw := el.attrW, el.labelW
	out.col = make([]int, 0, len(keys)/2+1)
	if aw > 0 {
		out.attr = make([]float32, 0, (len(keys)/2+1)*aw)
	}
	if lw > 0 {
		out.label = make([]int, 0, (len(keys)/2+1)*lw)
	}
	start := 0
	for u := 0; u < n; u++ {
		lo, hi := out.rowPtr[u], out.rowPtr[u+1]
		row := keys[lo:hi]
		slices.Sort(row)
		out.rowPtr[u] = start
		for i := 0; i < len(row); {
			c := row[i] >> 33
			j := i + 1
			for j < len(row) && row[j]>>33 == c {
				j++
			}
			// Entries of this (u,c) group: originals first. Use the
			// originals if there are any, else the reverse candidates.
			use := i + 1
			for use < j && row[use]&(1<<32) == row[i]&(1<<32) {
				use++
			}
			if row[i]&(1<<32) == 0 {
				out.merged += use - i - 1
			} else {
				out.addedReverse++
			}
			out.col = append(out.col, int(c))
			if aw > 0 {
				base := len(out.attr)
				for k := 0; k < aw; k++ {
					out.attr = append(out.attr, 0)
				}
				dst := out.attr[base : base+aw]
				for k := i; k < use; k++ {
					e := int(row[k] & (1<<32 - 1))
					for a, x := range el.attr[e*aw : (e+1)*aw] {
						dst[a] += x
					}
				}
			}
			if lw > 0 {
				e := int(row[i] & (1<<32 - 1))
				out.label = append(out.label, el.label[e*lw:(e+1)*lw]...)
			}
			i = j
		}
		start = len(out.col)
	}
	out.rowPtr[n] = start
	return out, nil
}

// splitGraphs cuts a global CSR into graphs whose nodes are the contiguous
// ranges nodePtr[g]:nodePtr[g+1], translating column ids to local ones in
// place. Graph slices share c's arrays (and x, nodeLabel) as backing
// stores; only the []Graph and []*Graph headers are allocated.
func splitGraphs(c *csr, nodePtr []int, x []float32, f int, ef int, nodeLabel []int, labelW int, edgeLabelW int) []*Graph {
	ng := len(nodePtr) - 1
	gs := make([]Graph, ng)
	ptrs := make([]*Graph, ng)
	rowBacking := make([]int, len(c.rowPtr)-1+ng)
	rb := 0
	for g := 0; g < ng; g++ {
		a, b := nodePtr[g], nodePtr[g+1]
		e0, e1 := c.rowPtr[a], c.rowPtr[b]
		rp := rowBacking[rb : rb+(b-a)+1 : rb+(b-a)+1]
		rb += b - a + 1
		for v := a; v <= b; v++ {
			rp[v-a] = c.rowPtr[v] - e0
		}
		col := c.col[e0:e1:e1]
		for k := range col {
			col[k] -= a
		}
		gr := &gs[g]
		gr.RowPtr, gr.Col, gr.F, gr.EF, gr.Y = rp, col, f, ef, -1
		gr.X = x[a*f : b*f : b*f]
		if ef > 0 {
			gr.EdgeAttr = c.attr[e0*ef : e1*ef : e1*ef]
		}
		if labelW > 0 {
			gr.NodeLabel = nodeLabel[a*labelW : b*labelW : b*labelW]
		}
		if edgeLabelW > 0 {
			gr.EdgeLabel = c.label[e0*edgeLabelW : e1*edgeLabelW : e1*edgeLabelW]
		}
		ptrs[g] = gr
	}
	return ptrs
}

// buildNotes describes what buildCSR changed, for GraphSet.Notes.
func (c *csr) notes() []string {
	var s []string
	if c.selfLoops > 0 {
		s = append(s, fmt.Sprintf("removed %d self-loop entries", c.selfLoops))
	}
	if c.merged > 0 {
		s = append(s, fmt.Sprintf("merged %d duplicate edge entries (attributes summed, as PyG coalesce)", c.merged))
	}
	if c.addedReverse > 0 {
		s = append(s, fmt.Sprintf("added %d missing reverse edge entries to make the adjacency symmetric (PyG would keep them one-way)", c.addedReverse))
	}
	return s
}
