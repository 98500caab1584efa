package pointjepa

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestCrossEntropyGradCheck(t *testing.T) {
	labels := []int{2, 0, 1, 2}
	for _, eps := range []float64{0, 0.1, 0.2} {
		x := nn.RandTensor(rand.New(rand.NewPCG(1, 1)), -2, 2, 4, 3)
		x = x.Clone().(*tensor.Dense)
		_, err := nn.GradCheck(func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
			return crossEntropy(in[0], labels, eps)
		}, []*tensor.Dense{x}, &nn.GradCheckConfig{})
		if err != nil {
			t.Errorf("eps %v: %v", eps, err)
		}
	}
}

// TestCrossEntropyValue checks one value by hand: logits (0, ln 3) and label
// 1 give p = (1/4, 3/4); with ε = 0.2 (q = 0.8·onehot + 0.1) the loss is
// −0.8·ln(3/4) − 0.1·(ln(1/4) + ln(3/4)).
func TestCrossEntropyValue(t *testing.T) {
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	in := g.Input("x", 1, 2)
	in.Set([]float64{0, math.Log(3)})
	l, err := crossEntropy(in.Node, []int{1}, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	out := g.Read(l)
	p, err := nn.Compile(g, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Run(); err != nil {
		t.Fatal(err)
	}
	want := -0.8*math.Log(0.75) - 0.1*(math.Log(0.25)+math.Log(0.75))
	if got := out.Scalar(); math.Abs(got-want) > 1e-12 {
		t.Errorf("loss %v, want %v", got, want)
	}
}
