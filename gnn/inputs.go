package gnn

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
)

// GraphInputs are the graph inputs of one batch shape: node features, edge
// features and the index vectors that message passing and readouts read.
// Build them once per batch shape with NewGraphInputs, compile, then Set
// every batch of that shape before each run.
//
//	X          [N, F]    node features
//	EdgeAttr   [M, EF]   edge features (nil when the batch has none)
//	Edges      Source → Target, M directed edges over N nodes (PyG edge_index)
//	Batch      [N]       graph of every node (PyG batch), for the readouts
//	NumGraphs  B
type GraphInputs struct {
	X         *nn.Input
	EdgeAttr  *nn.Input
	Edges     *Edges
	Batch     *nn.Indices
	NumGraphs int
}

// NewGraphInputs adds inputs shaped like b to g ("x", "edge_attr") and fills
// them with b. It returns an error if b is malformed (see Set).
func NewGraphInputs(g *nn.Graph, b *datasets.GraphBatch) (*GraphInputs, error) {
	if b == nil {
		return nil, fmt.Errorf("gnn: NewGraphInputs: nil batch")
	}
	n, m := b.NumNodes(), b.NumDirected()
	in := &GraphInputs{
		X:         g.Input("x", n, b.F),
		Edges:     &Edges{Source: nn.NewIndices("edge_index[0]", m), Target: nn.NewIndices("edge_index[1]", m), NumNodes: n},
		Batch:     nn.NewIndices("batch", n),
		NumGraphs: b.B,
	}
	if b.EF > 0 {
		if m == 0 {
			// nn cannot hold empty tensors (their Data panics).
			return nil, fmt.Errorf("gnn: NewGraphInputs: the batch has %d edge features but no edges; drop the edge features for an edge-free batch", b.EF)
		}
		in.EdgeAttr = g.Input("edge_attr", m, b.EF)
	}
	if err := in.Set(b); err != nil {
		return nil, err
	}
	return in, nil
}

// Set copies batch b into the inputs. b must have the shape the inputs were
// built for (N nodes, M directed edges, B graphs, F and EF feature widths);
// Set returns an error naming the first field that differs, an edge or
// batch index out of range, or a non-finite feature.
func (in *GraphInputs) Set(b *datasets.GraphBatch) error {
	n, m := b.NumNodes(), b.NumDirected()
	xs := in.X.Shape()
	switch {
	case n != xs[0] || b.F != xs[1]:
		return fmt.Errorf("gnn: GraphInputs: batch has %d nodes × %d features, inputs were built for %v", n, b.F, xs)
	case m != in.Edges.Len() || len(b.EdgeIndex[1]) != m:
		return fmt.Errorf("gnn: GraphInputs: batch has %d/%d edge sources/targets, inputs were built for %d edges", m, len(b.EdgeIndex[1]), in.Edges.Len())
	case b.B != in.NumGraphs:
		return fmt.Errorf("gnn: GraphInputs: batch has %d graphs, inputs were built for %d", b.B, in.NumGraphs)
	case (in.EdgeAttr == nil) != (b.EF == 0):
		return fmt.Errorf("gnn: GraphInputs: batch has %d edge features, inputs were built with edge_attr %v", b.EF, in.EdgeAttr != nil)
	case in.EdgeAttr != nil && b.EF != in.EdgeAttr.Shape()[1]:
		return fmt.Errorf("gnn: GraphInputs: batch has %d edge features, inputs were built for %v", b.EF, in.EdgeAttr.Shape())
	case len(b.X) != n*b.F:
		return fmt.Errorf("gnn: GraphInputs: X holds %d values, want N·F = %d·%d", len(b.X), n, b.F)
	case len(b.EdgeAttr) != m*b.EF:
		return fmt.Errorf("gnn: GraphInputs: EdgeAttr holds %d values, want M·EF = %d·%d", len(b.EdgeAttr), m, b.EF)
	}
	for k := 0; k < m; k++ {
		if s, t := b.EdgeIndex[0][k], b.EdgeIndex[1][k]; s < 0 || s >= n || t < 0 || t >= n {
			return fmt.Errorf("gnn: GraphInputs: edge %d (%d → %d) outside [0, %d)", k, s, t, n)
		}
	}
	for i, v := range b.Batch {
		if v < 0 || v >= b.B {
			return fmt.Errorf("gnn: GraphInputs: batch[%d] = %d outside [0, %d)", i, v, b.B)
		}
	}
	if i := firstNonFinite(b.X); i >= 0 {
		return fmt.Errorf("gnn: GraphInputs: X[%d, %d] is %v", i/b.F, i%b.F, b.X[i])
	}
	if i := firstNonFinite(b.EdgeAttr); i >= 0 {
		return fmt.Errorf("gnn: GraphInputs: EdgeAttr[%d, %d] is %v", i/b.EF, i%b.EF, b.EdgeAttr[i])
	}
	if err := in.X.Set(b.X); err != nil {
		return err
	}
	if in.EdgeAttr != nil {
		if err := in.EdgeAttr.Set(b.EdgeAttr); err != nil {
			return err
		}
	}
	copy(in.Edges.Source.Ints(), b.EdgeIndex[0])
	copy(in.Edges.Target.Ints(), b.EdgeIndex[1])
	copy(in.Batch.Ints(), b.Batch)
	return nil
}

func firstNonFinite(x []float32) int {
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return i
		}
	}
	return -1
}
