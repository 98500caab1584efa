package hyperbolic_test

import (
	"fmt"

	"github.com/nongrid/jepa/hyperbolic"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
)

// Graph-JEPA's target and a hyperbola-distance loss as graph ops: the
// target encoder's output (2 target patches × 4 channels) is averaged per
// patch to z and placed at (cosh z, sinh z); the loss is the mean distance
// along the hyperbola between the predicted points and the targets, and
// Run fills the prediction's gradient.
func ExampleHyperbolaFromMean() {
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	enc := g.Input("target encoder output", 2, 4)
	_ = enc.Set([]float64{
		0.5, -0.5, 1.0, 1.0, // z = 0.5
		-2.0, 0.0, -1.0, -1.0, // z = -1
	})
	target, err := hyperbolic.HyperbolaFromMean(enc.Node) // [2, 2]
	if err != nil {
		panic(err)
	}
	h := hyperbolic.Hyperbola{}
	pred := nn.NewParam("pred", nn.Float64, 2, 2)
	h.FromScalar(pred.Float64s(), []float64{0.2, -0.5}) // predicted points
	dist, err := h.DistNode(g.Param(pred), target)      // [2]
	if err != nil {
		panic(err)
	}
	loss := G.Must(G.Mean(dist))
	tgt := g.Read(target)
	prog, err := nn.Compile(g, loss)
	if err != nil {
		panic(err)
	}
	defer prog.Close()
	if err := prog.Run(); err != nil {
		panic(err)
	}
	fmt.Printf("target %.4f\n", tgt.Float64s())
	fmt.Printf("loss %.4f\n", prog.Loss())
	fmt.Printf("d loss/d pred %.4f\n", pred.GradFloat64s())
	// Output:
	// target [1.1276 0.5211 1.5431 -1.1752]
	// loss 0.4000
	// d loss/d pred [0.0000 -0.4902 0.0000 0.4434]
}

// A Poincaré-ball pipeline in a float32 graph: tangent vectors mapped onto
// the ball at the origin, then the geodesic distance between the two sets.
func ExamplePoincareBall_DistNode() {
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float32})
	u := g.Input("u", 2, 2)
	v := g.Input("v", 2, 2)
	_ = u.Set([]float32{0, 0, 0.5, 0})
	_ = v.Set([]float32{0.5, 0, -0.5, 0})
	b := hyperbolic.Ball{C: 1}
	x, _ := b.Expmap0Node(u.Node)
	y, _ := b.Expmap0Node(v.Node)
	d, err := b.DistNode(x, y)
	if err != nil {
		panic(err)
	}
	out := g.Read(d)
	prog, _ := nn.Compile(g, nil)
	defer prog.Close()
	if err := prog.Run(); err != nil {
		panic(err)
	}
	// d(exp_0 u, exp_0 v) = 2‖u − v‖ for u, v on one line through 0.
	fmt.Printf("%.4f\n", out.Float64s())
	// Output:
	// [1.0000 2.0000]
}
