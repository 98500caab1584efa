package gnn

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// reluResidual adds y = max(h, 0) + x (x may be nil: y = max(h, 0)) as one
// fused op: F.relu followed by the residual add of Graph-JEPA's GNN blocks,
// in one pass over the data. The gradient is dh = dy·[h > 0] (PyTorch's
// ReLU convention at 0) and dx = dy.
func reluResidual(h, x *G.Node) (*G.Node, error) {
	hs := h.Shape()
	inputs := G.Nodes{h}
	if x != nil {
		if !x.Shape().Eq(hs) {
			return nil, fmt.Errorf("residual shape %v does not match layer output shape %v", x.Shape(), hs)
		}
		inputs = append(inputs, x)
	}
	diff := make([]bool, len(inputs))
	for i := range diff {
		diff[i] = true
	}
	op := nn.CustomOp{Name: "ReLUResidual", Params: fmt.Sprint(len(inputs)), OutShape: hs.Clone(), DiffWRT: diff,
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch y := out.Data().(type) {
			case []float32:
				reluAddForward(y, in)
			case []float64:
				reluAddForward(y, in)
			}
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			bop := nn.CustomOp{Name: "ReLUResidualGrad", OutShape: hs.Clone(),
				Forward: func(out *tensor.Dense, vals []*tensor.Dense) error {
					switch dh := out.Data().(type) {
					case []float32:
						reluMask(dh, data[float32](vals[0]), data[float32](vals[1]))
					case []float64:
						reluMask(dh, data[float64](vals[0]), data[float64](vals[1]))
					}
					return nil
				}}
			dh, err := nn.ApplyCustomOp(bop, in[0], grad)
			if err != nil {
				return nil, err
			}
			if x == nil {
				return G.Nodes{dh}, nil
			}
			return G.Nodes{dh, grad}, nil
		},
	}
	return nn.ApplyCustomOp(op, inputs...)
}

func reluAddForward[T float](y []T, in []*tensor.Dense) {
	h := data[T](in[0])
	var x []T
	if len(in) > 1 {
		x = data[T](in[1])
	}
	nn.ParallelFor(len(y), 1<<15, func(lo, hi int) {
		var r []T
		if x != nil {
			r = x[lo:hi]
		}
		reluInto(y[lo:hi], h[lo:hi], r)
	})
}

func reluMask[T float](dh, h, dy []T) {
	nn.ParallelFor(len(dh), 1<<15, func(lo, hi int) {
		maskInto(dh[lo:hi], dy[lo:hi], h[lo:hi])
	})
}
