package nn

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 11)) }

// layerCase checks the gradients of a layer with respect to its input and
// every trainable parameter.
type layerCase struct {
	name   string
	module Module
	input  *tensor.Dense
	train  bool
	build  func(g *Graph, x *G.Node) (*G.Node, error)
}

func TestLayerGradients(t *testing.T) {
	f64 := Float64
	rng := newRNG(1)
	lin := NewLinear("lin", 4, 3, LinearConfig{Dtype: f64}, rng)
	ln := NewLayerNorm("ln", 5, LayerNormConfig{Dtype: f64})
	FillUniform(ln.Weight, rng, 0.5, 1.5)
	FillUniform(ln.Bias, rng, -0.5, 0.5)
	bn := NewBatchNorm("bn", 3, BatchNormConfig{Dtype: f64})
	FillUniform(bn.Weight, rng, 0.5, 1.5)
	FillUniform(bn.Bias, rng, -0.5, 0.5)
	bnEval := NewBatchNorm("bne", 3, BatchNormConfig{Dtype: f64})
	FillUniform(bnEval.RunningMean, rng, -0.5, 0.5)
	FillUniform(bnEval.RunningVar, rng, 0.5, 2)
	mlpBN := NewMLP("mlp", []int{4, 6, 2}, MLPConfig{Dtype: f64, Norm: NormBatch}, rng)
	mlpLN := NewMLP("mlpln", []int{4, 5, 5, 3}, MLPConfig{Dtype: f64, Norm: NormLayer, Activation: ActGELU, FinalActivation: true}, rng)
	mhaSep := NewMultiHeadAttention("att", 6, MultiHeadAttentionConfig{Dtype: f64, Heads: 2}, rng)
	qkvInit, outInit := GraphJEPAAttentionInit()
	mhaGJ := NewMultiHeadAttention("attgj", 6, MultiHeadAttentionConfig{Dtype: f64, Heads: 3, QKVInit: qkvInit, OutInit: outInit}, rng)
	mhaPacked := NewMultiHeadAttention("attp", 6, MultiHeadAttentionConfig{Dtype: f64, Heads: 3, Packed: true}, rng)
	block := NewBlock("blk", 6, BlockConfig{Dtype: f64, Heads: 2, Activation: ActGELU, Attention: MultiHeadAttentionConfig{Packed: true}}, rng)
	stack := NewTransformer("enc", 4, TransformerConfig{Depth: 2, Block: BlockConfig{Dtype: f64, Heads: 2, MLPRatio: 2}, FinalNorm: true, PosEveryBlock: true}, rng)
	pos := rt(99, -1, 1, 2, 3, 4)
	emb := NewEmbedding("emb", 5, 3, EmbeddingConfig{Dtype: f64}, rng)
	ids := IndicesOf("ids", []int{4, 0, 0, 2})

	cases := []layerCase{
		{name: "Linear", module: lin, input: rt(1, -1, 1, 2, 5, 4),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return lin.Forward(g, x) }},
		{name: "LayerNorm", module: ln, input: rt(2, -1, 1, 3, 5),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return ln.Forward(g, x) }},
		{name: "BatchNorm train", module: bn, input: rt(3, -1, 1, 2, 4, 3), train: true,
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return bn.Forward(g, x) }},
		{name: "BatchNorm eval", module: bnEval, input: rt(4, -1, 1, 5, 3),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return bnEval.Forward(g, x) }},
		{name: "MLP BatchNorm", module: mlpBN, input: rt(5, -1, 1, 7, 4), train: true,
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return mlpBN.Forward(g, x) }},
		{name: "MLP LayerNorm GELU", module: mlpLN, input: rt(6, -1, 1, 3, 4),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return mlpLN.Forward(g, x) }},
		{name: "Attention separate", module: mhaSep, input: rt(7, -1, 1, 2, 3, 6),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return mhaSep.Forward(g, x, nil, nil) }},
		{name: "Attention Graph-JEPA init", module: mhaGJ, input: rt(8, -1, 1, 2, 4, 6),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return mhaGJ.Forward(g, x, nil, nil) }},
		{name: "Attention packed", module: mhaPacked, input: rt(9, -1, 1, 2, 3, 6),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return mhaPacked.Forward(g, x, nil, nil) }},
		{name: "Block", module: block, input: rt(10, -1, 1, 2, 3, 6),
			build: func(g *Graph, x *G.Node) (*G.Node, error) { return block.Forward(g, x, nil, nil) }},
		{name: "Transformer pos every block", module: stack, input: rt(11, -1, 1, 2, 3, 4),
			build: func(g *Graph, x *G.Node) (*G.Node, error) {
				p := g.Param(&Param{Name: "pos", Value: pos, Buffer: true})
				return stack.Forward(g, x, p, nil, nil)
			}},
		{name: "Embedding", module: emb, input: rt(12, -1, 1, 4, 3),
			build: func(g *Graph, x *G.Node) (*G.Node, error) {
				e, err := emb.Forward(g, ids)
				if err != nil {
					return nil, err
				}
				return G.Add(e, x)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := GradCheck(func(g *Graph, in []*G.Node) (*G.Node, error) { return tc.build(g, in[0]) },
				[]*tensor.Dense{tc.input}, &GradCheckConfig{Params: tc.module.Params().Trainable(), Train: tc.train, Tol: 2e-6,
					MaxPerTensor: shortMaxPerTensor()})
			require.NoError(t, err)
			require.Positive(t, res.Checked)
			if !testing.Short() {
				require.Greater(t, res.Checked, tc.input.Shape().TotalSize())
			}
		})
	}
}

func TestLayerShapeErrors(t *testing.T) {
	rng := newRNG(2)
	g := NewGraph(GraphConfig{})
	x := g.Input("x", 2, 7)
	_, err := NewLinear("enc.0", 8, 3, LinearConfig{}, rng).Forward(g, x.Node)
	require.ErrorContains(t, err, "enc.0.weight")
	require.ErrorContains(t, err, "(2, 7)")
	require.ErrorContains(t, err, "(3, 8)")

	_, err = NewLayerNorm("ln", 8, LayerNormConfig{}).Forward(g, x.Node)
	require.ErrorContains(t, err, "(2, 7)")
	require.ErrorContains(t, err, "[8]")

	_, err = NewBatchNorm("bn", 8, BatchNormConfig{}).Forward(g, x.Node)
	require.ErrorContains(t, err, "(2, 7)")

	x3 := g.Input("x3", 2, 3, 8)
	_, err = NewMultiHeadAttention("att", 6, MultiHeadAttentionConfig{Heads: 2}, rng).Forward(g, x3.Node, nil, nil)
	require.ErrorContains(t, err, "(2, 3, 8)")

	_, err = NewTransformer("t", 8, TransformerConfig{Depth: 1, Block: BlockConfig{Heads: 2}}, rng).Forward(g, x3.Node, x.Node, nil, nil)
	require.ErrorContains(t, err, "positional input shape (2, 7)")

	require.ErrorContains(t, x.Set([]float32{1, 2}), `input "x" has shape [2 7]`)
}

func TestBatchNormRunningStats(t *testing.T) {
	// PyTorch semantics: running_mean ← 0.9·rm + 0.1·mean, running_var with
	// the unbiased batch variance; num_batches_tracked counts train runs.
	bn := NewBatchNorm("bn", 2, BatchNormConfig{Dtype: Float64})
	g := NewGraph(GraphConfig{Dtype: Float64, Train: true})
	x := g.Input("x", 4, 2)
	require.NoError(t, x.Set([]float64{1, 10, 2, 20, 3, 30, 6, 40}))
	y := g.Read(G.Must(bn.Forward(g, x.Node)))
	p, err := Compile(g, nil)
	require.NoError(t, err)
	require.NoError(t, p.Run())
	// channel 0: mean 3, biased var (4+1+0+9)/4 = 3.5, unbiased 14/3.
	require.InDeltaSlice(t, []float64{0.3, 2.5}, bn.RunningMean.Float64s(), 1e-12)
	require.InDeltaSlice(t, []float64{0.9 + 0.1*14.0/3, 0.9 + 0.1*(225+25+25+225)/3.0}, bn.RunningVar.Float64s(), 1e-12)
	require.Equal(t, int64(1), bn.NumBatchesTracked.Value.Data())
	out := y.Float64s()
	require.InDelta(t, (1-3)/sqrtF(3.5+1e-5), out[0], 1e-12)

	// Evaluation mode uses the running statistics.
	ge := NewGraph(GraphConfig{Dtype: Float64})
	xe := ge.Input("x", 1, 2)
	require.NoError(t, xe.Set([]float64{1, 10}))
	ye := ge.Read(G.Must(bn.Forward(ge, xe.Node)))
	pe, err := Compile(ge, nil)
	require.NoError(t, err)
	require.NoError(t, pe.Run())
	rm, rv := bn.RunningMean.Float64s(), bn.RunningVar.Float64s()
	require.InDeltaSlice(t, []float64{(1 - rm[0]) / sqrtF(rv[0]+1e-5), (10 - rm[1]) / sqrtF(rv[1]+1e-5)}, ye.Float64s(), 1e-12)
	require.Equal(t, int64(1), bn.NumBatchesTracked.Value.Data(), "eval must not count batches")
}

// TestBatchNormDeterministicAcrossWorkers: the channel reductions use fixed
// blocks, so 1 and 2 workers give the same bits (several blocks here).
func TestBatchNormDeterministicAcrossWorkers(t *testing.T) {
	run := func(procs int) (out, grad []float32) {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		bn := NewBatchNorm("bn", 5, BatchNormConfig{})
		g := NewGraph(GraphConfig{Train: true})
		x := NewParam("x", Float32, 1000, 5)
		FillNormal(x, newRNG(9), 0.3, 2)
		y, err := bn.Forward(g, g.Param(x))
		require.NoError(t, err)
		o := g.Read(y)
		loss := G.Must(G.Sum(G.Must(G.Square(y))))
		p, err := Compile(g, loss)
		require.NoError(t, err)
		require.NoError(t, p.Run())
		return o.Value().Float32s(), append([]float32(nil), x.GradFloat32s()...)
	}
	o1, g1 := run(1)
	o2, g2 := run(2)
	require.Equal(t, o1, o2)
	require.Equal(t, g1, g2)
}

func TestBatchNormGradientManyBlocks(t *testing.T) {
	bn := NewBatchNorm("bn", 2, BatchNormConfig{Dtype: Float64})
	FillUniform(bn.Weight, newRNG(3), 0.5, 1.5)
	_, err := GradCheck(func(g *Graph, in []*G.Node) (*G.Node, error) { return bn.Forward(g, in[0]) },
		[]*tensor.Dense{rt(13, -2, 2, 3*bnBlockRows/2, 2)}, &GradCheckConfig{Train: true, Params: bn.Params().Trainable(), Tol: 1e-5})
	require.NoError(t, err)
}
