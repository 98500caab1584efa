package pointjepa

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sliceTokens returns x[:, lo:lo+k, :] of x [N, T, C] as [N, k, C], for every
// k ≥ 1. gorgonia's Slice drops an axis of length 1 (tensor.Shape.S), so
// G.Slice(x, nil, G.S(lo, lo+1)) would give [N, C]; it also materialises a new
// tensor on every run. Here the output and the gradient (zeros outside the
// slice) are preallocated by the graph.
func sliceTokens(x *G.Node, lo, k int) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() != 3 {
		return nil, fmt.Errorf("pointjepa: sliceTokens: input %v, want [N, T, C]", xs)
	}
	N, T, C := xs[0], xs[1], xs[2]
	if lo < 0 || k < 1 || lo+k > T {
		return nil, fmt.Errorf("pointjepa: sliceTokens: tokens %d:%d of %d", lo, lo+k, T)
	}
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     "slice_tokens",
		Params:   fmt.Sprintf("%d:%d", lo, lo+k),
		OutShape: tensor.Shape{N, k, C},
		DiffWRT:  []bool{true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch d := out.Data().(type) {
			case []float32:
				sliceRows(d, in[0].Data().([]float32), N, T, C, lo, k)
			case []float64:
				sliceRows(d, in[0].Data().([]float64), N, T, C, lo, k)
			}
			return nil
		},
		Backward: func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			dx, err := nn.ApplyCustomOp(nn.CustomOp{
				Name:     "slice_tokens_grad",
				Params:   fmt.Sprintf("%d:%d", lo, lo+k),
				OutShape: tensor.Shape{N, T, C},
				Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
					switch d := out.Data().(type) {
					case []float32:
						unsliceRows(d, in[0].Data().([]float32), N, T, C, lo, k)
					case []float64:
						unsliceRows(d, in[0].Data().([]float64), N, T, C, lo, k)
					}
					return nil
				},
			}, grad)
			if err != nil {
				return nil, err
			}
			return G.Nodes{dx}, nil
		},
	}, x)
}

// sliceRows copies tokens lo:lo+k of each of the N samples of x [N, T, C]
// into y [N, k, C].
func sliceRows[T float32 | float64](y, x []T, N, T_, C, lo, k int) {
	for i := 0; i < N; i++ {
		copy(y[i*k*C:(i+1)*k*C], x[(i*T_+lo)*C:(i*T_+lo+k)*C])
	}
}

// unsliceRows is the adjoint of sliceRows: dx [N, T, C] is dy [N, k, C] at
// tokens lo:lo+k and zero elsewhere.
func unsliceRows[T float32 | float64](dx, dy []T, N, T_, C, lo, k int) {
	clear(dx)
	for i := 0; i < N; i++ {
		copy(dx[(i*T_+lo)*C:(i*T_+lo+k)*C], dy[i*k*C:(i+1)*k*C])
	}
}
