package datasets

import (
	"errors"
	"fmt"
)

// GraphBatch is a mini-batch of B graphs collated into one disconnected
// graph, the layout of PyTorch Geometric's Batch.from_data_list:
//
//	X          [N, F]      node features of all graphs, concatenated
//	EdgeIndex  [2, M]      directed edges (source row, target row), node ids
//	                       offset by Ptr[b]; both directions of every
//	                       undirected edge, graph by graph, in CSR order
//	EdgeAttr   [M, EF]     edge features aligned with EdgeIndex (nil when EF == 0)
//	NodeLabel  [N, L]      integer node labels (nil unless every graph has them)
//	EdgeLabel  [M, LE]     integer edge labels (nil unless every graph has them)
//	Batch      [N]         graph index 0..B-1 of every node (PyG batch)
//	Ptr        [B+1]       node offsets: graph b owns nodes Ptr[b]:Ptr[b+1] (PyG ptr)
//	EdgePtr    [B+1]       directed-edge offsets: graph b owns columns EdgePtr[b]:EdgePtr[b+1]
//	Y          [B]         classes (-1 when unlabelled)
//	Target     [B, T]      regression targets (nil unless every graph has T of them)
//
// N = Ptr[B], M = 2·(undirected edges). Readouts such as mean pooling take
// (X, Batch) or (X, Ptr).
type GraphBatch struct {
	B  int // number of graphs
	F  int // node feature width
	EF int // edge feature width

	X         []float32
	EdgeIndex [2][]int
	EdgeAttr  []float32
	NodeLabel []int
	EdgeLabel []int
	Batch     []int
	Ptr       []int
	EdgePtr   []int
	Y         []int
	Target    []float32
}

// NumNodes returns N, the total number of nodes in the batch.
func (b *GraphBatch) NumNodes() int { return len(b.Batch) }

// NumDirected returns M, the number of directed edge entries.
func (b *GraphBatch) NumDirected() int { return len(b.EdgeIndex[0]) }

// CollateGraphs collates graphs into dst, reusing dst's buffers when they
// are large enough (dst may be nil: a new batch is allocated), and returns
// dst. Once dst's buffers have grown to the largest batch, collation
// allocates nothing. It is PyG's Batch.from_data_list for the fields of
// Graph (see GraphBatch for the layout).
//
// All graphs must share F and EF (graphs of one GraphSet always do);
// otherwise CollateGraphs returns an error naming the first graph that
// differs. NodeLabel, EdgeLabel and Target are collated only when every
// graph has them with the same width; otherwise they are nil in dst.
func CollateGraphs(dst *GraphBatch, graphs []*Graph) (*GraphBatch, error) {
	if len(graphs) == 0 {
		return dst, errors.New("datasets: CollateGraphs: no graphs")
	}
	if dst == nil {
		dst = new(GraphBatch)
	}
	g0 := graphs[0]
	f, ef := g0.F, g0.EF
	labelW, edgeLabelW, targetW := -1, -1, len(g0.Target)
	if n := g0.NumNodes(); n > 0 && g0.NodeLabel != nil {
		labelW = len(g0.NodeLabel) / n
	}
	for _, g := range graphs {
		if m := len(g.Col); m > 0 {
			if g.EdgeLabel != nil {
				edgeLabelW = len(g.EdgeLabel) / m
			}
			break
		}
	}
	nodes, edges := 0, 0
	for i, g := range graphs {
		if g.F != f || g.EF != ef {
			return dst, fmt.Errorf("datasets: CollateGraphs: graph %d has feature widths (%d,%d), graph 0 has (%d,%d)", i, g.F, g.EF, f, ef)
		}
		n, m := g.NumNodes(), len(g.Col)
		if len(g.X) != n*f || len(g.EdgeAttr) != m*ef {
			return dst, fmt.Errorf("datasets: CollateGraphs: graph %d: X or EdgeAttr does not match N=%d, 2E=%d", i, n, m)
		}
		nodes += n
		edges += m
		if labelW > 0 && (g.NodeLabel == nil || len(g.NodeLabel) != n*labelW) {
			labelW = -1
		}
		if edgeLabelW > 0 && m > 0 && (g.EdgeLabel == nil || len(g.EdgeLabel) != m*edgeLabelW) {
			edgeLabelW = -1
		}
		if len(g.Target) != targetW {
			targetW = 0
		}
	}
	nb := len(graphs)
	dst.B, dst.F, dst.EF = nb, f, ef
	dst.X = growGraphFloats(dst.X, nodes*f)
	dst.EdgeIndex[0] = growGraphInts(dst.EdgeIndex[0], edges)
	dst.EdgeIndex[1] = growGraphInts(dst.EdgeIndex[1], edges)
	dst.EdgeAttr = growGraphFloats(dst.EdgeAttr, edges*ef)
	dst.Batch = growGraphInts(dst.Batch, nodes)
	dst.Ptr = growGraphInts(dst.Ptr, nb+1)
	dst.EdgePtr = growGraphInts(dst.EdgePtr, nb+1)
	dst.Y = growGraphInts(dst.Y, nb)
	if labelW > 0 {
		dst.NodeLabel = growGraphInts(dst.NodeLabel, nodes*labelW)
	} else {
		dst.NodeLabel = nil
	}
	if edgeLabelW > 0 {
		dst.EdgeLabel = growGraphInts(dst.EdgeLabel, edges*edgeLabelW)
	} else {
		dst.EdgeLabel = nil
	}
	if targetW > 0 {
		dst.Target = growGraphFloats(dst.Target, nb*targetW)
	} else {
		dst.Target = nil
	}
	if ef == 0 {
		dst.EdgeAttr = nil
	}

	off, eoff := 0, 0
	src, tgt := dst.EdgeIndex[0], dst.EdgeIndex[1]
	for i, g := range graphs {
		n, m := g.NumNodes(), len(g.Col)
		dst.Ptr[i], dst.EdgePtr[i] = off, eoff
		dst.Y[i] = g.Y
		copy(dst.X[off*f:], g.X)
		for v := 0; v < n; v++ {
			dst.Batch[off+v] = i
			for k := g.RowPtr[v]; k < g.RowPtr[v+1]; k++ {
				src[eoff+k] = off + v
				tgt[eoff+k] = off + g.Col[k]
			}
		}
		if ef > 0 {
			copy(dst.EdgeAttr[eoff*ef:], g.EdgeAttr)
		}
		if labelW > 0 {
			copy(dst.NodeLabel[off*labelW:], g.NodeLabel)
		}
		if edgeLabelW > 0 {
			copy(dst.EdgeLabel[eoff*edgeLabelW:], g.EdgeLabel)
		}
		if targetW > 0 {
			copy(dst.Target[i*targetW:], g.Target)
		}
		off += n
		eoff += m
	}
	dst.Ptr[nb], dst.EdgePtr[nb] = off, eoff
	return dst, nil
}
