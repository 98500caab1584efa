package pointjepa

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestSliceTokens checks sliceTokens' shape (the length-1 token axis is
// kept), values and gradient for slices of one and of several tokens.
func TestSliceTokens(t *testing.T) {
	const N, T, C = 3, 5, 2
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, N*T*C)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for _, c := range []struct{ lo, k int }{{4, 1}, {0, 1}, {2, 3}, {0, 5}} {
		res, err := nn.GradCheck(func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
			y, err := sliceTokens(in[0], c.lo, c.k)
			if err == nil {
				if want := (tensor.Shape{N, c.k, C}); !y.Shape().Eq(want) {
					t.Errorf("%d:%d: shape %v, want %v", c.lo, c.lo+c.k, y.Shape(), want)
				}
			}
			return y, err
		}, []*tensor.Dense{tensor.New(tensor.WithShape(N, T, C), tensor.WithBacking(append([]float64(nil), x...)))}, nil)
		if err != nil {
			t.Errorf("%d:%d: %v", c.lo, c.lo+c.k, err)
			continue
		}
		if res.Checked != N*T*C {
			t.Errorf("%d:%d: %d derivatives checked, want %d", c.lo, c.lo+c.k, res.Checked, N*T*C)
		}
		y := make([]float64, N*c.k*C)
		sliceRows(y, x, N, T, C, c.lo, c.k)
		for i := 0; i < N; i++ {
			for j := 0; j < c.k; j++ {
				for d := 0; d < C; d++ {
					if w := x[(i*T+c.lo+j)*C+d]; y[(i*c.k+j)*C+d] != w {
						t.Fatalf("%d:%d: y[%d,%d,%d] = %v, want %v", c.lo, c.lo+c.k, i, j, d, y[(i*c.k+j)*C+d], w)
					}
				}
			}
		}
	}
	if _, err := sliceTokens(G.NewTensor(G.NewGraph(), tensor.Float32, 3, G.WithShape(N, T, C)), 4, 2); err == nil {
		t.Error("tokens 4:6 of 5: no error")
	}
}
