package hyperbolic

import (
	"testing"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
)

// Benchmarks of the graph ops, forward and backward (one Program.Run with
// the loss Σ out), on 4096×64 batches in float32 graphs (the training
// dtype). Each has a *Kernels baseline doing the same arithmetic by calling
// the kernel and its VJP directly on slices, so the ratio of the two is the
// cost of the graph (op dispatch, gorgonia's Sum and its gradient, the
// accumulation into Param.Grad).

// benchProgram compiles loss(build(params)) over float32 copies of the
// inputs and returns the program.
func benchProgram(b *testing.B, build func(in []*G.Node) (*G.Node, error), mean bool, inputs ...[]float64) *nn.Program {
	b.Helper()
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float32})
	nodes := make([]*G.Node, len(inputs))
	for i, in := range inputs {
		d := benchD
		if len(in) == 2*benchN {
			d = 2
		}
		p := nn.NewParam("in", nn.Float32, len(in)/d, d)
		copy(p.Float32s(), toF32(in))
		nodes[i] = g.Param(p)
	}
	out, err := build(nodes)
	if err != nil {
		b.Fatal(err)
	}
	var loss *G.Node
	if mean {
		loss, err = G.Mean(out)
	} else {
		loss, err = G.Sum(out)
	}
	if err != nil {
		b.Fatal(err)
	}
	prog, err := nn.Compile(g, loss)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { prog.Close() })
	return prog
}

func runBench(b *testing.B, prog *nn.Program) {
	b.Helper()
	if err := prog.Run(); err != nil { // warm-up: buffers allocated once
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := prog.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBallDistNode(b *testing.B) {
	x, y, _ := benchInputs()
	runBench(b, benchProgram(b, func(in []*G.Node) (*G.Node, error) { return Ball{}.DistNode(in[0], in[1]) }, false, x, y))
}

func BenchmarkBallDistKernels(b *testing.B) {
	x, y, _ := benchInputs()
	x32, y32 := toF32(x), toF32(y)
	dst, g := make([]float32, benchN), make([]float32, benchN)
	dx, dy := make([]float32, benchN*benchD), make([]float32, benchN*benchD)
	for i := range g {
		g[i] = 1
	}
	for b.Loop() {
		Ball32{}.Dist(dst, x32, y32, benchD)
		Ball32{}.DistVJP(dx, dy, x32, y32, g, benchD)
	}
}

func BenchmarkBallExpmap0Node(b *testing.B) {
	_, _, u := benchInputs()
	runBench(b, benchProgram(b, func(in []*G.Node) (*G.Node, error) { return Ball{}.Expmap0Node(in[0]) }, false, u))
}

func BenchmarkBallExpmap0Kernels(b *testing.B) {
	_, _, u := benchInputs()
	u32 := toF32(u)
	dst, du, g := make([]float32, benchN*benchD), make([]float32, benchN*benchD), make([]float32, benchN*benchD)
	for i := range g {
		g[i] = 1
	}
	for b.Loop() {
		Ball32{}.Expmap0(dst, u32, benchD)
		Ball32{}.Expmap0VJP(du, u32, g, benchD)
	}
}

// Dist(Expmap(x, u), y): two ops chained, with a GradGroup each.
func BenchmarkBallExpmapDistNode(b *testing.B) {
	x, y, u := benchInputs()
	runBench(b, benchProgram(b, func(in []*G.Node) (*G.Node, error) {
		p, err := Ball{}.ExpmapNode(in[0], in[1])
		if err != nil {
			return nil, err
		}
		return Ball{}.DistNode(p, in[2])
	}, false, x, u, y))
}

func BenchmarkLorentzDistNode(b *testing.B) {
	x, y, _ := benchInputs()
	l := Lorentz{}
	runBench(b, benchProgram(b, func(in []*G.Node) (*G.Node, error) { return l.DistNode(in[0], in[1]) }, false,
		l.Projx(nil, x, benchD), l.Projx(nil, y, benchD)))
}

// Graph-JEPA's target and a hyperbola-distance loss: FromMean over the
// 64 channels of 4096 target patches, the distance to 4096 predicted
// points, mean.
func BenchmarkHyperbolaTargetLossNode(b *testing.B) {
	x, _, _ := benchInputs()
	pred := Hyperbola{}.FromScalar(nil, gauss(newRand(5), benchN, 1))
	runBench(b, benchProgram(b, func(in []*G.Node) (*G.Node, error) {
		t, err := HyperbolaFromMean(in[0])
		if err != nil {
			return nil, err
		}
		return Hyperbola{}.DistNode(in[1], t)
	}, true, x, pred))
}

func BenchmarkHyperbolaTargetLossKernels(b *testing.B) {
	x, _, _ := benchInputs()
	x32 := toF32(x)
	pred := toF32(Hyperbola{}.FromScalar(nil, gauss(newRand(5), benchN, 1)))
	h := Hyperbola32{}
	t, dist := make([]float32, 2*benchN), make([]float32, benchN)
	g, dp, dt := make([]float32, benchN), make([]float32, 2*benchN), make([]float32, 2*benchN)
	dx := make([]float32, benchN*benchD)
	for i := range g {
		g[i] = 1.0 / benchN
	}
	for b.Loop() {
		h.FromMean(t, x32, benchD)
		h.Dist(dist, pred, t, 2)
		h.DistVJP(dp, dt, pred, t, g, 2)
		h.FromMeanVJP(dx, x32, dt, benchD)
	}
}
