package pointjepa

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestAddRow checks addRow's values and gradients against the definition.
func TestAddRow(t *testing.T) {
	const R, C = 4, 3
	rng := rand.New(rand.NewPCG(3, 3))
	x, r := make([]float64, R*C), make([]float64, C)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for i := range r {
		r[i] = rng.NormFloat64()
	}
	res, err := nn.GradCheck(func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return addRow(in[0], in[1]) },
		[]*tensor.Dense{
			tensor.New(tensor.WithShape(R, C), tensor.WithBacking(append([]float64(nil), x...))),
			tensor.New(tensor.WithShape(C), tensor.WithBacking(append([]float64(nil), r...))),
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Checked != R*C+C {
		t.Errorf("%d derivatives checked, want %d", res.Checked, R*C+C)
	}
	y := make([]float64, R*C)
	addRows(y, x, r, C)
	for i := range y {
		if y[i] != x[i]+r[i%C] {
			t.Fatalf("y[%d] = %v, want %v", i, y[i], x[i]+r[i%C])
		}
	}
	if _, err := addRow(G.NewMatrix(G.NewGraph(), tensor.Float32, G.WithShape(R, C)), G.NewVector(G.NewGraph(), tensor.Float32, G.WithShape(C+1))); err == nil {
		t.Error("mismatched widths: no error")
	}
}
