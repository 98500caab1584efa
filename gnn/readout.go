package gnn

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// SumPool sums the node rows of each graph, PyG's global_add_pool(x, batch,
// size=numGraphs). A graph without nodes gets 0.
//
// Shapes: x [N, D], batch [N] with values in [0, numGraphs) → [numGraphs, D].
func SumPool(x *G.Node, batch *nn.Indices, numGraphs int) (*G.Node, error) {
	return Pool(x, batch, numGraphs, Sum)
}

// MeanPool averages the node rows of each graph, PyG's global_mean_pool. A
// graph without nodes gets 0.
func MeanPool(x *G.Node, batch *nn.Indices, numGraphs int) (*G.Node, error) {
	return Pool(x, batch, numGraphs, Mean)
}

// MaxPool takes the elementwise maximum of the node rows of each graph,
// PyG's global_max_pool; a graph without nodes gets 0. The gradient flows to
// the first node holding each maximum.
func MaxPool(x *G.Node, batch *nn.Indices, numGraphs int) (*G.Node, error) {
	return Pool(x, batch, numGraphs, Max)
}

// Pool is the readout by node-to-graph vector with the given aggregation
// (nn.ScatterAdd, nn.SegmentMean or nn.SegmentMax: deterministic, in node
// order). A batch index outside [0, numGraphs) makes the run fail with an
// error naming it.
//
// Shapes: x [N, ...], batch [N] → [numGraphs, ...].
func Pool(x *G.Node, batch *nn.Indices, numGraphs int, aggr Aggr) (*G.Node, error) {
	if xs := x.Shape(); xs.Dims() < 1 || xs[0] != batch.Len() {
		return nil, fmt.Errorf("gnn: %v pool: node features shape %v do not match %d batch indices", aggr, xs, batch.Len())
	}
	if numGraphs <= 0 {
		return nil, fmt.Errorf("gnn: %v pool: need at least one graph, got %d", aggr, numGraphs)
	}
	switch aggr {
	case Sum:
		return nn.ScatterAdd(x, batch, numGraphs)
	case Mean:
		return nn.SegmentMean(x, batch, numGraphs)
	case Max:
		return nn.SegmentMax(x, batch, numGraphs)
	}
	return nil, fmt.Errorf("gnn: pool: unknown aggregation %d", int(aggr))
}

// MaskedMean averages over a padded set axis: out[b] = Σ_t m[b,t]·x[b,t] /
// Σ_t m[b,t], and 0 for a row whose mask sums to 0. With a 0/1 mask this is
// Graph-JEPA's evaluation pooling of patch tokens (Σ mask·h / number of
// non-empty patches). The mask is data: it gets no gradient.
//
// Shapes: x [B, T, D], mask [B, T] → [B, D].
func MaskedMean(x, mask *G.Node) (*G.Node, error) {
	xs, ms := x.Shape(), mask.Shape()
	if xs.Dims() != 3 || !ms.Eq(tensor.Shape{xs[0], xs[1]}) {
		return nil, fmt.Errorf("gnn: MaskedMean: shapes x %v and mask %v do not fit [B,T,D] and [B,T]", xs, ms)
	}
	b, t, d := xs[0], xs[1], xs[2]
	op := nn.CustomOp{Name: "MaskedMean", OutShape: tensor.Shape{b, d}, DiffWRT: []bool{true, false},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch y := out.Data().(type) {
			case []float32:
				maskedMean(y, data[float32](in[0]), data[float32](in[1]), b, t, d)
			case []float64:
				maskedMean(y, data[float64](in[0]), data[float64](in[1]), b, t, d)
			}
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			bop := nn.CustomOp{Name: "MaskedMeanGrad", OutShape: xs.Clone(),
				Forward: func(out *tensor.Dense, vals []*tensor.Dense) error {
					switch dx := out.Data().(type) {
					case []float32:
						maskedMeanGrad(dx, data[float32](vals[0]), data[float32](vals[1]), b, t, d)
					case []float64:
						maskedMeanGrad(dx, data[float64](vals[0]), data[float64](vals[1]), b, t, d)
					}
					return nil
				}}
			dx, err := nn.ApplyCustomOp(bop, in[1], grad)
			return G.Nodes{dx, nil}, err
		},
	}
	return nn.ApplyCustomOp(op, x, mask)
}

func maskedMean[T float](y, x, m []T, b, t, d int) {
	for i := 0; i < b; i++ {
		row := y[i*d : (i+1)*d]
		clear(row)
		var cnt T
		for j := 0; j < t; j++ {
			w := m[i*t+j]
			if w == 0 {
				continue
			}
			cnt += w
			axpy(row, w, x[(i*t+j)*d:(i*t+j+1)*d])
		}
		if cnt != 0 {
			for k := range row {
				row[k] /= cnt
			}
		}
	}
}

func maskedMeanGrad[T float](dx, m, dy []T, b, t, d int) {
	for i := 0; i < b; i++ {
		var cnt T
		for j := 0; j < t; j++ {
			cnt += m[i*t+j]
		}
		g := dy[i*d : (i+1)*d]
		for j := 0; j < t; j++ {
			row := dx[(i*t+j)*d : (i*t+j+1)*d]
			w := m[i*t+j]
			if w == 0 || cnt == 0 {
				clear(row)
				continue
			}
			for k, v := range g {
				row[k] = v * w / cnt
			}
		}
	}
}
