package nn

import (
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
)

// transformerStep is the engine's reference workload (spec/engine.md §2): a
// 4-layer pre-LN transformer, D=128, 4 heads, MLP 4x with tanh-GELU, batch
// 32×16 tokens, MSE to a fixed target, forward + backward + AdamW. The
// PyTorch twin is shared/bench/torch_transformer_step.py.
type transformerStep struct {
	prog *Program
	opt  Optimizer
}

func newTransformerStep(tb testing.TB, depth, dim, heads, batch, tokens int, seed uint64) *transformerStep {
	rng := rand.New(rand.NewPCG(seed, 1))
	tr := NewTransformer("encoder", dim, TransformerConfig{Depth: depth,
		Block: BlockConfig{Heads: heads, Activation: ActGELUTanh}}, rng)
	g := NewGraph(GraphConfig{Train: true, Rand: rng})
	x := g.Input("x", batch, tokens, dim)
	y := g.Input("y", batch, tokens, dim)
	xs := make([]float32, batch*tokens*dim)
	ys := make([]float32, len(xs))
	for i := range xs {
		xs[i] = float32(rng.NormFloat64())
		ys[i] = float32(rng.NormFloat64())
	}
	if err := x.Set(xs); err != nil {
		tb.Fatal(err)
	}
	if err := y.Set(ys); err != nil {
		tb.Fatal(err)
	}
	out, err := tr.Forward(g, x.Node, nil, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(out, y.Node))))))
	prog, err := Compile(g, loss)
	if err != nil {
		tb.Fatal(err)
	}
	return &transformerStep{prog: prog, opt: NewAdamW(tr.Params().Trainable(), AdamConfig{LR: 1e-3})}
}

func (s *transformerStep) run(tb testing.TB) float64 {
	s.opt.ZeroGrad()
	if err := s.prog.Run(); err != nil {
		tb.Fatal(err)
	}
	s.opt.Step()
	return s.prog.Loss()
}

// BenchmarkTransformerStep: go test -run '^$' -bench TransformerStep -benchmem ./nn
func BenchmarkTransformerStep(b *testing.B) {
	s := newTransformerStep(b, 4, 128, 4, 32, 16, 1)
	s.run(b) // warm-up: first-run allocations
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.run(b)
	}
}

// gineStep is one GINE-style message-passing layer as Graph-JEPA's patch
// encoder uses it, h = MLP((1+ε)·x + Σ_{u→v} ReLU(x_u + e_uv)) with
// MLP = Linear → BatchNorm → ReLU → Linear, on N=8192 nodes, E=32768 edges,
// D=256, forward + backward + AdamW. The PyTorch twin is
// shared/bench/torch_gine_step.py.
func newGINEStep(tb testing.TB, n, e, d int, seed uint64) *transformerStep {
	rng := rand.New(rand.NewPCG(seed, 2))
	mlp := NewMLP("gnn.0.nn", []int{d, d, d}, MLPConfig{Norm: NormBatch}, rng)
	eps := NewParam("gnn.0.eps", Float32, 1)
	g := NewGraph(GraphConfig{Train: true, Rand: rng})
	x := g.Input("x", n, d)
	ea := g.Input("edge_attr", e, d)
	src, dst := NewIndices("src", e), NewIndices("dst", e)
	for i := range src.Ints() {
		src.Ints()[i] = rng.IntN(n)
		dst.Ints()[i] = rng.IntN(n)
	}
	xs := make([]float32, n*d)
	es := make([]float32, e*d)
	for i := range xs {
		xs[i] = float32(rng.NormFloat64())
	}
	for i := range es {
		es[i] = float32(rng.NormFloat64())
	}
	if err := x.Set(xs); err != nil {
		tb.Fatal(err)
	}
	if err := ea.Set(es); err != nil {
		tb.Fatal(err)
	}
	msg := G.Must(ReLU(G.Must(G.Add(G.Must(Gather(x.Node, src)), ea.Node))))
	agg := G.Must(ScatterAdd(msg, dst, n))
	onePlusEps := G.Must(G.Add(g.Const(1), G.Must(G.Sum(g.Param(eps)))))
	h := G.Must(G.Add(G.Must(G.Mul(x.Node, onePlusEps)), agg))
	out, err := mlp.Forward(g, h)
	if err != nil {
		tb.Fatal(err)
	}
	loss := G.Must(G.Mean(G.Must(G.Square(out))))
	prog, err := Compile(g, loss)
	if err != nil {
		tb.Fatal(err)
	}
	params := append(mlp.Params().Trainable(), eps)
	return &transformerStep{prog: prog, opt: NewAdamW(params, AdamConfig{LR: 1e-3})}
}

// BenchmarkGINEStep: go test -run '^$' -bench GINEStep -benchmem ./nn
func BenchmarkGINEStep(b *testing.B) {
	s := newGINEStep(b, 8192, 32768, 256, 1)
	s.run(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.run(b)
	}
}
