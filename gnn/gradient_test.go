package gnn

import (
	"testing"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestPropagateGradients(t *testing.T) {
	edges := testEdges()
	var cases []gradCase
	for _, aggr := range []Aggr{Sum, Mean, Max} {
		for _, relu := range []bool{false, true} {
			cfg := PropagateConfig{Aggr: aggr, ReLU: relu}
			name := aggr.String()
			if relu {
				name += " relu"
			}
			cases = append(cases,
				gradCase{name: name + " edge term", inputs: []*tensor.Dense{rt(1, -1, 1, 6, 5), rt(2, -1, 1, 10, 5)},
					build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return Propagate(in[0], in[1], edges, cfg) }},
				gradCase{name: name, inputs: []*tensor.Dense{rt(3, -1, 1, 6, 4)},
					build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return Propagate(in[0], nil, edges, cfg) }},
			)
		}
	}
	runGradCases(t, cases)
}

func TestConvGradients(t *testing.T) {
	f64 := nn.Float64
	rng := newRNG(1)
	edges := testEdges()
	gin := NewGIN("conv", nn.NewMLP("conv.nn", []int{4, 5, 3}, nn.MLPConfig{Dtype: f64}, rng), GINConfig{Dtype: f64, Eps: 0.3})
	gine := NewGINE("conv", GraphJEPAMLP("conv.nn", 4, 4, f64, rng), GINConfig{Dtype: f64, Eps: -0.2}, rng)
	gineLin := NewGINE("conv", nn.NewLinear("conv.nn", 4, 3, nn.LinearConfig{Dtype: f64}, rng),
		GINConfig{Dtype: f64, EdgeDim: 2, NodeDim: 4}, rng)
	gcn := NewGCN("conv", 4, 3, GCNConfig{Dtype: f64}, rng)
	nn.FillUniform(gcn.Bias, rng, -1, 1)
	gcnNoLoops := NewGCN("conv", 4, 3, GCNConfig{Dtype: f64, NoSelfLoops: true}, rng)
	nn.FillUniform(gcnNoLoops.Bias, rng, -1, 1)
	block := NewBlock(NewGINE("gnns.0.convs.0", GraphJEPAMLP("gnns.0.convs.0.nn", 4, 4, f64, rng), GINConfig{Dtype: f64}, rng),
		nn.NewBatchNorm("gnns.0.norms.0", 4, nn.BatchNormConfig{Dtype: f64}), BlockConfig{})
	blockGCN := NewBlock(NewGCN("conv", 4, 4, GCNConfig{Dtype: f64}, rng), nil, BlockConfig{})

	x := rt(10, -1, 1, 6, 4)
	e := rt(11, -1, 1, 10, 4)
	conv := func(c Conv, withEdges bool) func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
		return func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
			var ea *G.Node
			if withEdges {
				ea = in[1]
			}
			return c.Forward(g, in[0], edges, ea)
		}
	}
	blk := func(b *Block, withEdges bool) func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
		return func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
			var ea *G.Node
			if withEdges {
				ea = in[1]
			}
			return b.Forward(g, in[0], edges, ea)
		}
	}
	runGradCases(t, []gradCase{
		{name: "GIN", inputs: []*tensor.Dense{x}, params: trainable(gin), build: conv(gin, false)},
		{name: "GINE Graph-JEPA MLP", inputs: []*tensor.Dense{x, e}, params: trainable(gine), train: true, build: conv(gine, true)},
		{name: "GINE edge_dim", inputs: []*tensor.Dense{x, rt(12, -1, 1, 10, 2)}, params: trainable(gineLin), build: conv(gineLin, true)},
		{name: "GCN", inputs: []*tensor.Dense{x}, params: trainable(gcn), build: conv(gcn, false)},
		{name: "GCN no self loops", inputs: []*tensor.Dense{x}, params: trainable(gcnNoLoops), build: conv(gcnNoLoops, false)},
		{name: "Block GINE BN residual", inputs: []*tensor.Dense{x, e}, params: trainable(block), train: true, build: blk(block, true)},
		{name: "Block GCN no norm", inputs: []*tensor.Dense{x}, params: trainable(blockGCN), build: blk(blockGCN, false)},
	})
}

func TestReadoutGradients(t *testing.T) {
	batch := nn.IndicesOf("batch", []int{0, 0, 2, 2, 2, 0, 3})
	mask := tensor.New(tensor.WithShape(3, 4), tensor.WithBacking([]float64{1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1}))
	pool := func(a Aggr) func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
		return func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return Pool(in[0], batch, 5, a) }
	}
	runGradCases(t, []gradCase{
		{name: "SumPool", inputs: []*tensor.Dense{rt(1, -1, 1, 7, 3)}, build: pool(Sum)},
		{name: "MeanPool", inputs: []*tensor.Dense{rt(2, -1, 1, 7, 3)}, build: pool(Mean)},
		{name: "MaxPool", inputs: []*tensor.Dense{rt(3, -1, 1, 7, 3)}, build: pool(Max)},
		{name: "MaskedMean", inputs: []*tensor.Dense{rt(4, -1, 1, 3, 4, 2), mask}, noGrad: []int{1},
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return MaskedMean(in[0], in[1]) }},
		{name: "ToDenseBatch", inputs: []*tensor.Dense{rt(5, -1, 1, 7, 3)},
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return ToDenseBatch(in[0], batch, 4, 3) }},
	})
}

func TestSetEncoderGradients(t *testing.T) {
	f64 := nn.Float64
	rng := newRNG(2)
	pn := NewPointNet("pn", []int{3, 6, 5}, nn.MLPConfig{Dtype: f64, Norm: nn.NormBatch, FinalActivation: true}, rng)
	mini := NewMiniPointNet("tok", MiniPointNetConfig{Dtype: f64, Hidden1: 6, Global: 4, Hidden2: 5, Out: 3}, rng)
	runGradCases(t, []gradCase{
		{name: "PointNet", inputs: []*tensor.Dense{rt(1, -1, 1, 3, 5, 3)}, params: trainable(pn), train: true,
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return pn.Forward(g, in[0]) }},
		{name: "MiniPointNet", inputs: []*tensor.Dense{rt(2, -1, 1, 4, 5, 3)}, params: trainable(mini), train: true,
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return mini.Forward(g, in[0]) }},
	})
}

func TestSetTransformerGradients(t *testing.T) {
	f64 := nn.Float64
	rng := newRNG(3)
	paper := MABConfig{Dtype: f64, Heads: 2, FFHidden: 5}
	official := MABConfig{Dtype: f64, Heads: 2, Form: OfficialForm}
	officialLN := MABConfig{Dtype: f64, Heads: 2, Form: OfficialForm, LayerNorm: SwitchOn}
	mabP := NewMAB("mab", 4, 3, 4, paper, rng)
	mabO := NewMAB("mab", 3, 5, 4, official, rng)
	mabOLN := NewMAB("mab", 3, 5, 4, officialLN, rng)
	sab := NewSAB("sab", 4, 4, paper, rng)
	isabP := NewISAB("isab", 4, 4, 2, paper, rng)
	isabO := NewISAB("isab", 3, 4, 3, officialLN, rng)
	pmaP := NewPMA("pma", 4, 2, paper, rng)
	pmaO := NewPMA("pma", 4, 1, official, rng)
	mask := tensor.New(tensor.WithShape(2, 5), tensor.WithBacking([]float64{1, 1, 1, 0, 0, 1, 1, 1, 1, 1}))
	x4 := rt(1, -1, 1, 2, 5, 4)
	x3 := rt(2, -1, 1, 2, 5, 3)
	runGradCases(t, []gradCase{
		{name: "MAB paper masked", inputs: []*tensor.Dense{rt(3, -1, 1, 2, 3, 4), rt(4, -1, 1, 2, 5, 3), mask}, noGrad: []int{2},
			params: trainable(mabP), build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return mabP.Forward(g, in[0], in[1], in[2]) }},
		{name: "MAB official", inputs: []*tensor.Dense{rt(5, -1, 1, 2, 3, 3), rt(6, -1, 1, 2, 5, 5), mask}, noGrad: []int{2},
			params: trainable(mabO), build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return mabO.Forward(g, in[0], in[1], in[2]) }},
		{name: "MAB official ln", inputs: []*tensor.Dense{rt(7, -1, 1, 2, 3, 3), rt(8, -1, 1, 2, 5, 5)},
			params: trainable(mabOLN), build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return mabOLN.Forward(g, in[0], in[1], nil) }},
		{name: "SAB masked", inputs: []*tensor.Dense{x4, mask}, noGrad: []int{1}, params: trainable(sab),
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return sab.Forward(g, in[0], in[1]) }},
		{name: "ISAB paper masked", inputs: []*tensor.Dense{x4, mask}, noGrad: []int{1}, params: trainable(isabP),
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return isabP.Forward(g, in[0], in[1]) }},
		{name: "ISAB official ln", inputs: []*tensor.Dense{x3, mask}, noGrad: []int{1}, params: trainable(isabO),
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return isabO.Forward(g, in[0], in[1]) }},
		{name: "PMA paper masked", inputs: []*tensor.Dense{x4, mask}, noGrad: []int{1}, params: trainable(pmaP),
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return pmaP.Forward(g, in[0], in[1]) }},
		{name: "PMA official", inputs: []*tensor.Dense{x4}, params: trainable(pmaO),
			build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return pmaO.Forward(g, in[0], nil) }},
	})
}
