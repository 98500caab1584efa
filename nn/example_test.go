package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// A Linear layer in PyTorch layout: weight [out, in], applied to [..., in].
func ExampleLinear() {
	rng := rand.New(rand.NewPCG(1, 1))
	lin := nn.NewLinear("proj", 3, 2, nn.LinearConfig{Dtype: nn.Float64}, rng)
	copy(lin.Weight.Float64s(), []float64{1, 0, 0, 0, 1, 1}) // [[1 0 0] [0 1 1]]
	copy(lin.Bias.Float64s(), []float64{0.5, -1})

	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	x := g.Input("x", 2, 3)
	_ = x.Set([]float64{1, 2, 3, 4, 5, 6})
	y, err := lin.Forward(g, x.Node)
	if err != nil {
		fmt.Println(err)
		return
	}
	out := g.Read(y)
	prog, _ := nn.Compile(g, nil)
	if err := prog.Run(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(lin.Weight.Name, lin.Weight.Shape(), out.Float64s())

	// A wrong input width is an error naming both shapes, not a panic.
	bad := g.Input("bad", 2, 4)
	_, err = lin.Forward(g, bad.Node)
	fmt.Println(err)
	// Output:
	// proj.weight [2 3] [1.5 4 4.5 10]
	// nn: LinearOp: input shape (2, 4) does not match weight proj.weight shape (2, 3) (want last dimension 3)
}

// One training step: build a graph with a loss, compile it once, then run,
// clip and step the optimizer as often as needed.
func ExampleCompile() {
	rng := rand.New(rand.NewPCG(1, 1))
	mlp := nn.NewMLP("mlp", []int{2, 8, 1}, nn.MLPConfig{}, rng)
	g := nn.NewGraph(nn.GraphConfig{Train: true, Rand: rng})
	x := g.Input("x", 4, 2)
	y := g.Input("y", 4, 1)
	_ = x.Set([]float32{0, 0, 0, 1, 1, 0, 1, 1})
	_ = y.Set([]float32{0, 1, 1, 0}) // XOR
	out, _ := mlp.Forward(g, x.Node)
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(out, y.Node))))))
	prog, err := nn.Compile(g, loss)
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := nn.NewAdamW(mlp.Params().Trainable(), nn.AdamConfig{LR: 0.05})
	var first float64
	for step := range 300 {
		opt.ZeroGrad()
		if err := prog.Run(); err != nil {
			fmt.Println(err)
			return
		}
		opt.Step()
		if step == 0 {
			first = prog.Loss()
		}
	}
	fmt.Printf("loss fell below 1%% of its start: %v\n", prog.Loss() < first/100)
	// Output:
	// loss fell below 1% of its start: true
}

// GradCheck compares symbolic gradients with central finite differences.
func ExampleGradCheck() {
	rng := rand.New(rand.NewPCG(2, 2))
	x := nn.RandTensor(rng, -1, 1, 2, 5)
	res, err := nn.GradCheck(func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
		return nn.LayerNormOp(in[0], nil, nil, 1e-5)
	}, []*tensor.Dense{x}, nil)
	fmt.Println(res.Checked, err)
	// Output:
	// 10 <nil>
}
