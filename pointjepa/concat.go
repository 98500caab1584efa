package pointjepa

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// concatTokens joins a [N, n, C] and b [N, k, C] along the token axis into
// [N, n+k, C]; a nil b stands for k zero tokens (the predictor's target
// slots). It replaces G.Concat(1, a, b), which allocates its output on every
// run and whose gradient (gorgonia slices) drops a length-1 token axis: here
// the output and the gradients are preallocated by the graph.
func concatTokens(a, b *G.Node, k int) (*G.Node, error) {
	as := a.Shape()
	if as.Dims() != 3 {
		return nil, fmt.Errorf("pointjepa: concatTokens: first input %v, want [N, n, C]", as)
	}
	N, n, C := as[0], as[1], as[2]
	if b != nil && !b.Shape().Eq(tensor.Shape{N, k, C}) {
		return nil, fmt.Errorf("pointjepa: concatTokens: second input %v, want [%d, %d, %d]", b.Shape(), N, k, C)
	}
	if k < 1 {
		return nil, fmt.Errorf("pointjepa: concatTokens: %d appended tokens, want ≥ 1", k)
	}
	inputs, diff := G.Nodes{a}, []bool{true}
	shapes := []tensor.Shape{{N, n, C}}
	if b != nil {
		inputs, diff = append(inputs, b), append(diff, true)
		shapes = append(shapes, tensor.Shape{N, k, C})
	}
	T := n + k
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     "concat_tokens",
		Params:   fmt.Sprintf("%d+%d", n, k),
		OutShape: tensor.Shape{N, T, C},
		DiffWRT:  diff,
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch d := out.Data().(type) {
			case []float32:
				joinTokens(d, in, N, n, k, C)
			case []float64:
				joinTokens(d, in, N, n, k, C)
			}
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			gg := nn.NewGradGroup("concat_tokens_grad", shapes, func(outs, vals []*tensor.Dense) error {
				dy := vals[len(vals)-1]
				switch d := dy.Data().(type) {
				case []float32:
					splitTokens(outs, d, N, n, k, C)
				case []float64:
					splitTokens(outs, d, N, n, k, C)
				}
				return nil
			})
			return gg.Pieces(append(append(G.Nodes{}, in...), grad)...)
		},
	}, inputs...)
}

// joinTokens writes in[0] [N, n, C] and in[1] [N, k, C] (zeros when absent)
// into y [N, n+k, C].
func joinTokens[T float32 | float64](y []T, in []*tensor.Dense, N, n, k, C int) {
	a := in[0].Data().([]T)
	var b []T
	if len(in) > 1 {
		b = in[1].Data().([]T)
	}
	T_ := n + k
	for i := 0; i < N; i++ {
		row := y[i*T_*C : (i+1)*T_*C]
		copy(row[:n*C], a[i*n*C:(i+1)*n*C])
		if b != nil {
			copy(row[n*C:], b[i*k*C:(i+1)*k*C])
		} else {
			clear(row[n*C:])
		}
	}
}

// splitTokens is the adjoint of joinTokens: outs[0] [N, n, C] (and outs[1]
// [N, k, C] when present) from dy [N, n+k, C].
func splitTokens[T float32 | float64](outs []*tensor.Dense, dy []T, N, n, k, C int) {
	da := outs[0].Data().([]T)
	var db []T
	if len(outs) > 1 {
		db = outs[1].Data().([]T)
	}
	T_ := n + k
	for i := 0; i < N; i++ {
		row := dy[i*T_*C : (i+1)*T_*C]
		copy(da[i*n*C:(i+1)*n*C], row[:n*C])
		if db != nil {
			copy(db[i*k*C:(i+1)*k*C], row[n*C:])
		}
	}
}
