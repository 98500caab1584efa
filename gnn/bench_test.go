package gnn

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Benchmarks mirror the PyTorch twins in shared/bench:
//
//	go test -run '^$' -bench . -benchmem ./gnn
//	TT=1 /usr/bin/python3 shared/bench/torch_gine_step.py        (7500 15000 512)
//	TT=1 /usr/bin/python3 shared/bench/torch_minipointnet.py     (32 64 32 384)

// meanSquare adds mean(x²) as one fused op (the twins' .square().mean()).
func meanSquare(x *G.Node) (*G.Node, error) {
	n := x.Shape().TotalSize()
	op := nn.CustomOp{Name: "MeanSquare", OutShape: tensor.Shape{}, DiffWRT: []bool{true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			var s float64
			for _, v := range in[0].Data().([]float32) {
				s += float64(v) * float64(v)
			}
			setScalar(out, s/float64(n))
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			bop := nn.CustomOp{Name: "MeanSquareGrad", OutShape: in[0].Shape().Clone(),
				Forward: func(out *tensor.Dense, vals []*tensor.Dense) error {
					g := 2 * float32(floats(vals[1])[0]) / float32(n)
					x, dx := vals[0].Data().([]float32), out.Data().([]float32)
					nn.ParallelFor(len(x), 1<<15, func(lo, hi int) {
						for i := lo; i < hi; i++ {
							dx[i] = g * x[i]
						}
					})
					return nil
				}}
			d, err := nn.ApplyCustomOp(bop, in[0], grad)
			return G.Nodes{d}, err
		},
	}
	return nn.ApplyCustomOp(op, x)
}

func randInput(tb testing.TB, g *nn.Graph, rng *rand.Rand, name string, shape ...int) *nn.Input {
	in := g.Input(name, shape...)
	if rng == nil { // building only: leave the zeros
		return in
	}
	d := make([]float32, in.Value.Shape().TotalSize())
	for i := range d {
		d[i] = float32(rng.NormFloat64())
	}
	if err := in.Set(d); err != nil {
		tb.Fatal(err)
	}
	return in
}

type step struct {
	prog *nn.Program
	opt  nn.Optimizer
}

func (s *step) run(tb testing.TB) {
	s.opt.ZeroGrad()
	if err := s.prog.Run(); err != nil {
		tb.Fatal(err)
	}
	s.opt.Step()
}

// gineModel is torch_gine_step.py's GINE module: a Graph-JEPA block,
// GINE with Linear(D,D,no bias) → BN → ReLU → Linear(D,D,no bias), then
// BN → ReLU → + x.
func gineModel(d int, rng *rand.Rand) *Block {
	return NewBlock(NewGINE("conv", GraphJEPAMLP("conv.nn", d, d, nn.Float32, rng), GINConfig{}, rng),
		nn.NewBatchNorm("bn", d, nn.BatchNormConfig{}), BlockConfig{})
}

// buildGINEStep builds and compiles one training step (forward, backward)
// of a GINE block on N nodes, E random edges, width D, with Adam. A nil
// data generator leaves the inputs and indices zero (build timing only).
func buildGINEStep(tb testing.TB, blk *Block, n, e, d int, data *rand.Rand) *step {
	g := nn.NewGraph(nn.GraphConfig{Train: true})
	x := randInput(tb, g, data, "x", n, d)
	ea := randInput(tb, g, data, "edge_attr", e, d)
	src, dst := nn.NewIndices("src", e), nn.NewIndices("dst", e)
	if data != nil {
		for k := range src.Ints() {
			src.Ints()[k], dst.Ints()[k] = data.IntN(n), data.IntN(n)
		}
	}
	edges, err := NewEdges(src, dst, n)
	if err != nil {
		tb.Fatal(err)
	}
	out, err := blk.Forward(g, x.Node, edges, ea.Node)
	if err != nil {
		tb.Fatal(err)
	}
	loss, err := meanSquare(out)
	if err != nil {
		tb.Fatal(err)
	}
	prog, err := nn.Compile(g, loss)
	if err != nil {
		tb.Fatal(err)
	}
	return &step{prog: prog, opt: nn.NewAdam(blk.Params().Trainable(), nn.AdamConfig{LR: 1e-3})}
}

// Graph-JEPA's MUTAG batch: ≈ 7,300–7,500 patch-node copies and ≈ 10,000–
// 15,000 patch-edge rows for 128 graphs (spec/graph-jepa.md §13), D = 512.
const gineN, gineE, gineD = 7500, 15000, 512

// BenchmarkGINEStep: one Graph-JEPA GINE block, forward + backward + Adam.
func BenchmarkGINEStep(b *testing.B) {
	rng := newRNG(1)
	s := buildGINEStep(b, gineModel(gineD, rng), gineN, gineE, gineD, rng)
	defer s.prog.Close()
	s.run(b) // first-run allocations
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.run(b)
	}
}

// BenchmarkGINEBuild: building and compiling the graph of that step (paid
// once per batch shape; the inputs are allocated, not filled).
func BenchmarkGINEBuild(b *testing.B) {
	blk := gineModel(gineD, newRNG(1))
	b.ReportAllocs()
	for range b.N {
		s := buildGINEStep(b, blk, gineN, gineE, gineD, nil)
		s.prog.Close()
	}
}

// BenchmarkPropagate: the fused GINE aggregation alone (forward +
// backward), N=7500, E=15000, D=512.
func BenchmarkPropagate(b *testing.B) {
	for _, aggr := range []Aggr{Sum, Mean, Max} {
		b.Run(aggr.String(), func(b *testing.B) {
			rng := newRNG(2)
			g := nn.NewGraph(nn.GraphConfig{Train: true})
			x := randInput(b, g, rng, "x", gineN, gineD)
			ea := randInput(b, g, rng, "edge_attr", gineE, gineD)
			p := &nn.Param{Name: "x", Value: x.Value, Grad: tensor.New(tensor.WithShape(gineN, gineD), tensor.WithBacking(make([]float32, gineN*gineD)))}
			src, dst := nn.NewIndices("src", gineE), nn.NewIndices("dst", gineE)
			for k := range src.Ints() {
				src.Ints()[k], dst.Ints()[k] = rng.IntN(gineN), rng.IntN(gineN)
			}
			edges, _ := NewEdges(src, dst, gineN)
			out, err := Propagate(g.Param(p), ea.Node, edges, PropagateConfig{Aggr: aggr, ReLU: true})
			if err != nil {
				b.Fatal(err)
			}
			loss, _ := meanSquare(out)
			prog, err := nn.Compile(g, loss)
			if err != nil {
				b.Fatal(err)
			}
			defer prog.Close()
			if err := prog.Run(); err != nil { // first-run allocations
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := prog.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Point-JEPA-sized tokenizer batch: 32 clouds × 64 patches × 32 points,
// 384-d tokens.
const mpB, mpG, mpK, mpC = 32, 64, 32, 384

func buildMiniPointNet(tb testing.TB, m *MiniPointNet, train bool, data *rand.Rand) (*nn.Program, nn.Optimizer) {
	g := nn.NewGraph(nn.GraphConfig{Train: true})
	x := randInput(tb, g, data, "patches", mpB*mpG, mpK, 3)
	tok, err := m.Forward(g, x.Node)
	if err != nil {
		tb.Fatal(err)
	}
	var loss *G.Node
	if train {
		if loss, err = meanSquare(tok); err != nil {
			tb.Fatal(err)
		}
	} else {
		g.Read(tok)
	}
	prog, err := nn.Compile(g, loss)
	if err != nil {
		tb.Fatal(err)
	}
	return prog, nn.NewAdamW(m.Params().Trainable(), nn.AdamConfig{LR: 1e-3, WeightDecay: 0.05})
}

// BenchmarkMiniPointNetStep: forward + backward + AdamW (torch_minipointnet.py "train").
func BenchmarkMiniPointNetStep(b *testing.B) {
	rng := newRNG(3)
	prog, opt := buildMiniPointNet(b, NewMiniPointNet("tok", MiniPointNetConfig{Out: mpC}, rng), true, rng)
	defer prog.Close()
	s := &step{prog: prog, opt: opt}
	s.run(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.run(b)
	}
	b.ReportMetric(float64(b.N*mpB)/b.Elapsed().Seconds(), "clouds/s")
}

// BenchmarkMiniPointNetForward: forward only, BatchNorm on batch statistics
// (torch_minipointnet.py "forward", under no_grad).
func BenchmarkMiniPointNetForward(b *testing.B) {
	rng := newRNG(4)
	prog, _ := buildMiniPointNet(b, NewMiniPointNet("tok", MiniPointNetConfig{Out: mpC}, rng), false, rng)
	defer prog.Close()
	if err := prog.Run(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := prog.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMiniPointNetBuild: building and compiling the training graph.
func BenchmarkMiniPointNetBuild(b *testing.B) {
	m := NewMiniPointNet("tok", MiniPointNetConfig{Out: mpC}, newRNG(5))
	b.ReportAllocs()
	for range b.N {
		prog, _ := buildMiniPointNet(b, m, true, nil)
		prog.Close()
	}
}

// BenchmarkGINEBuildFirstRun: building, compiling and the first run, which
// allocates every op's output buffer (later runs reuse them).
func BenchmarkGINEBuildFirstRun(b *testing.B) {
	blk := gineModel(gineD, newRNG(1))
	b.ReportAllocs()
	for range b.N {
		s := buildGINEStep(b, blk, gineN, gineE, gineD, nil)
		s.run(b)
		s.prog.Close()
	}
}

// BenchmarkMiniPointNetBuildFirstRun: the same for the tokenizer step.
func BenchmarkMiniPointNetBuildFirstRun(b *testing.B) {
	m := NewMiniPointNet("tok", MiniPointNetConfig{Out: mpC}, newRNG(5))
	b.ReportAllocs()
	for range b.N {
		prog, opt := buildMiniPointNet(b, m, true, nil)
		(&step{prog: prog, opt: opt}).run(b)
		prog.Close()
	}
}
