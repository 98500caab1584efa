package pointjepa

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestConcatTokens checks concatTokens' values and gradients with a second
// input and with zero slots, for one and for several appended tokens.
func TestConcatTokens(t *testing.T) {
	const N, n, C = 2, 3, 2
	rng := rand.New(rand.NewPCG(2, 2))
	randT := func(s ...int) *tensor.Dense {
		d := make([]float64, tensor.Shape(s).TotalSize())
		for i := range d {
			d[i] = rng.NormFloat64()
		}
		return tensor.New(tensor.WithShape(s...), tensor.WithBacking(d))
	}
	for _, k := range []int{1, 2} {
		for _, zeros := range []bool{false, true} {
			in := []*tensor.Dense{randT(N, n, C)}
			if !zeros {
				in = append(in, randT(N, k, C))
			}
			a := append([]float64(nil), in[0].Float64s()...)
			var b []float64
			if !zeros {
				b = append([]float64(nil), in[1].Float64s()...)
			}
			res, err := nn.GradCheck(func(g *nn.Graph, x []*G.Node) (*G.Node, error) {
				var bn *G.Node
				if len(x) > 1 {
					bn = x[1]
				}
				return concatTokens(x[0], bn, k)
			}, in, nil)
			if err != nil {
				t.Errorf("k=%d zeros=%v: %v", k, zeros, err)
				continue
			}
			if want := N*n*C + len(b); res.Checked != want { // every input element
				t.Errorf("k=%d zeros=%v: %d derivatives checked, want %d", k, zeros, res.Checked, want)
			}
			vals := []*tensor.Dense{tensor.New(tensor.WithShape(N, n, C), tensor.WithBacking(a))}
			if b != nil {
				vals = append(vals, tensor.New(tensor.WithShape(N, k, C), tensor.WithBacking(b)))
			}
			y := make([]float64, N*(n+k)*C)
			joinTokens(y, vals, N, n, k, C)
			for i := 0; i < N; i++ {
				for j := 0; j < n+k; j++ {
					for d := 0; d < C; d++ {
						var w float64
						switch {
						case j < n:
							w = a[(i*n+j)*C+d]
						case b != nil:
							w = b[(i*k+j-n)*C+d]
						}
						if got := y[(i*(n+k)+j)*C+d]; got != w {
							t.Fatalf("k=%d zeros=%v: y[%d,%d,%d] = %v, want %v", k, zeros, i, j, d, got, w)
						}
					}
				}
			}
		}
	}
}
