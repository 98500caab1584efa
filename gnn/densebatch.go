package gnn

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ToDenseBatch lays the node rows of a batch out as padded sets, PyG's
// to_dense_batch(x, batch, max_num_nodes=maxNodes): node i of graph b (in
// node order) goes to out[b, i], and unused slots are 0. Use FillDenseMask
// for the matching [B, maxNodes] mask, then the Set Transformer blocks (or
// MaskedMean) read the sets with it. A graph with more than maxNodes nodes
// or a batch index outside [0, numGraphs) makes the run fail with an error.
//
// Shapes: x [N, D], batch [N] → [numGraphs, maxNodes, D].
func ToDenseBatch(x *G.Node, batch *nn.Indices, numGraphs, maxNodes int) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() != 2 || xs[0] != batch.Len() {
		return nil, fmt.Errorf("gnn: ToDenseBatch: node features shape %v do not match %d batch indices", xs, batch.Len())
	}
	if numGraphs <= 0 || maxNodes <= 0 {
		return nil, fmt.Errorf("gnn: ToDenseBatch: need numGraphs and maxNodes ≥ 1, got %d and %d", numGraphs, maxNodes)
	}
	n, d := xs[0], xs[1]
	slot := make([]int, n) // destination row of every node, refreshed each run
	op := nn.CustomOp{Name: "ToDenseBatch", Params: fmt.Sprintf("%d,%d", numGraphs, maxNodes),
		OutShape: tensor.Shape{numGraphs, maxNodes, d}, DiffWRT: []bool{true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			if err := denseSlots(slot, batch.Ints(), numGraphs, maxNodes); err != nil {
				return err
			}
			switch y := out.Data().(type) {
			case []float32:
				scatterSlots(y, data[float32](in[0]), slot, d)
			case []float64:
				scatterSlots(y, data[float64](in[0]), slot, d)
			}
			return nil
		},
		Backward: func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			bop := nn.CustomOp{Name: "ToDenseBatchGrad", OutShape: xs.Clone(),
				Forward: func(out *tensor.Dense, vals []*tensor.Dense) error {
					switch dx := out.Data().(type) {
					case []float32:
						gatherSlots(dx, data[float32](vals[0]), slot, d)
					case []float64:
						gatherSlots(dx, data[float64](vals[0]), slot, d)
					}
					return nil
				}}
			dx, err := nn.ApplyCustomOp(bop, grad)
			return G.Nodes{dx}, err
		},
	}
	return nn.ApplyCustomOp(op, x)
}

// denseSlots assigns every node its padded row b·maxNodes + (its rank
// within graph b).
func denseSlots(slot, batch []int, numGraphs, maxNodes int) error {
	count := make([]int, numGraphs)
	for i, b := range batch {
		if b < 0 || b >= numGraphs {
			return fmt.Errorf("batch[%d] = %d outside [0, %d)", i, b, numGraphs)
		}
		if count[b] == maxNodes {
			return fmt.Errorf("graph %d has more than %d nodes (node %d)", b, maxNodes, i)
		}
		slot[i] = b*maxNodes + count[b]
		count[b]++
	}
	return nil
}

func scatterSlots[T float](y, x []T, slot []int, d int) {
	clear(y)
	for i, s := range slot {
		copy(y[s*d:(s+1)*d], x[i*d:(i+1)*d])
	}
}

func gatherSlots[T float](dx, dy []T, slot []int, d int) {
	for i, s := range slot {
		copy(dx[i*d:(i+1)*d], dy[s*d:(s+1)*d])
	}
}

// FillDenseMask writes the [numGraphs, maxNodes] mask of ToDenseBatch into
// dst (row-major; 1 for a slot holding a node, 0 for padding) and returns
// the largest graph size. It returns an error if a batch index is outside
// [0, numGraphs) or a graph has more than maxNodes nodes.
func FillDenseMask(dst []float32, batch []int, numGraphs, maxNodes int) (int, error) {
	if len(dst) != numGraphs*maxNodes {
		return 0, fmt.Errorf("gnn: FillDenseMask: mask holds %d values, want %d·%d", len(dst), numGraphs, maxNodes)
	}
	clear(dst)
	count := make([]int, numGraphs)
	largest := 0
	for i, b := range batch {
		if b < 0 || b >= numGraphs {
			return 0, fmt.Errorf("gnn: FillDenseMask: batch[%d] = %d outside [0, %d)", i, b, numGraphs)
		}
		if count[b] == maxNodes {
			return 0, fmt.Errorf("gnn: FillDenseMask: graph %d has more than %d nodes (node %d)", b, maxNodes, i)
		}
		dst[b*maxNodes+count[b]] = 1
		count[b]++
		largest = max(largest, count[b])
	}
	return largest, nil
}
