package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// opCase is one finite-difference gradient check of an op.
type opCase struct {
	name   string
	inputs []*tensor.Dense
	build  func(g *Graph, in []*G.Node) (*G.Node, error)
	cfg    GradCheckConfig
}

func runOpCases(t *testing.T, cases []opCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.MaxPerTensor = shortMaxPerTensor()
			res, err := GradCheck(tc.build, tc.inputs, &cfg)
			require.NoError(t, err)
			require.Positive(t, res.Checked)
		})
	}
}

// shortMaxPerTensor samples 6 elements per tensor in -short runs (CI's race
// pass, where each forward run is an order of magnitude slower); full runs
// check every element.
func shortMaxPerTensor() int {
	if testing.Short() {
		return 6
	}
	return 0
}

func rt(seed uint64, lo, hi float64, shape ...int) *tensor.Dense {
	return RandTensor(rand.New(rand.NewPCG(seed, 7)), lo, hi, shape...)
}

// distinctTensor returns a tensor whose values are a shuffled arithmetic
// progression, so max-type ops have unique maxima (finite differences are
// only valid away from ties).
func distinctTensor(seed uint64, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	rng := rand.New(rand.NewPCG(seed, 9))
	d := make([]float64, n)
	for i, p := range rng.Perm(n) {
		d[i] = float64(p)*0.1 - float64(n)*0.05
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
}

func TestCustomOpGradients(t *testing.T) {
	idx := IndicesOf("idx", []int{2, 0, 2, 1, 4, 0, 2})
	runOpCases(t, []opCase{
		{name: "LayerNorm affine", inputs: []*tensor.Dense{rt(1, -2, 2, 3, 4, 5), rt(2, 0.5, 1.5, 5), rt(3, -1, 1, 5)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return LayerNormOp(in[0], in[1], in[2], 1e-5) }},
		{name: "LayerNorm plain", inputs: []*tensor.Dense{rt(4, -2, 2, 6, 7)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return LayerNormOp(in[0], nil, nil, 1e-6) }},
		{name: "GELU", inputs: []*tensor.Dense{rt(5, -3, 3, 4, 6)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return GELU(in[0]) }},
		{name: "GELUTanh", inputs: []*tensor.Dense{rt(6, -3, 3, 4, 6)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return GELUTanh(in[0]) }},
		{name: "ReLU", inputs: []*tensor.Dense{rt(7, -3, 3, 30)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return ReLU(in[0]) }},
		{name: "LeakyReLU", inputs: []*tensor.Dense{rt(8, -3, 3, 30)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return LeakyReLU(in[0], 0.2) }},
		{name: "Cosh", inputs: []*tensor.Dense{rt(9, -3, 3, 12)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return Cosh(in[0]) }},
		{name: "Sinh", inputs: []*tensor.Dense{rt(10, -3, 3, 12)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return Sinh(in[0]) }},
		{name: "Acosh", inputs: []*tensor.Dense{rt(11, 1.2, 5, 12)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return Acosh(in[0]) }},
		{name: "Atanh", inputs: []*tensor.Dense{rt(12, -0.9, 0.9, 12)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return Atanh(in[0]) }},
		{name: "Clamp", inputs: []*tensor.Dense{rt(13, -3, 3, 40)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return Clamp(in[0], -1, 1.5) }},
		{name: "Gather", inputs: []*tensor.Dense{rt(14, -1, 1, 5, 3)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return Gather(in[0], idx) }},
		{name: "ScatterAdd", inputs: []*tensor.Dense{rt(15, -1, 1, 7, 3)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return ScatterAdd(in[0], idx, 6) }},
		{name: "SegmentMean", inputs: []*tensor.Dense{rt(16, -1, 1, 7, 2, 2)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return SegmentMean(in[0], idx, 6) }},
		{name: "SegmentMax", inputs: []*tensor.Dense{distinctTensor(17, 7, 3)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return SegmentMax(in[0], idx, 6) }},
		{name: "Attention", inputs: []*tensor.Dense{rt(18, -1, 1, 2, 3, 4), rt(19, -1, 1, 2, 5, 4), rt(20, -1, 1, 2, 5, 6)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) {
				return AttentionOp(in[0], in[1], in[2], nil, nil, AttentionConfig{Heads: 2})
			}},
		{name: "Attention mask weights", inputs: []*tensor.Dense{rt(21, -1, 1, 2, 4, 6), rt(22, -1, 1, 2, 4, 6), rt(23, -1, 1, 2, 4, 6),
			tensor.New(tensor.WithShape(2, 4), tensor.WithBacking([]float64{1, 1, 0, 1, 1, 0, 0, 0})), rt(24, 0, 3, 2, 4, 4)},
			cfg: GradCheckConfig{NoGrad: []int{3, 4}},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) {
				return AttentionOp(in[0], in[1], in[2], in[3], in[4], AttentionConfig{Heads: 3, Scale: 0.7})
			}},
		{name: "PackedAttention", inputs: []*tensor.Dense{rt(25, -1, 1, 3, 4, 12),
			tensor.New(tensor.WithShape(3, 4), tensor.WithBacking([]float64{1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0}))},
			cfg: GradCheckConfig{NoGrad: []int{1}},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) {
				return PackedAttentionOp(in[0], in[1], nil, AttentionConfig{Heads: 2})
			}},
	})
}

// TestRandomOpGradients replays the same random masks in every forward run
// by reseeding the graph's generator.
func TestRandomOpGradients(t *testing.T) {
	src := rand.NewPCG(3, 4)
	rng := rand.New(src)
	reseed := func() { src.Seed(3, 4) }
	cfg := GradCheckConfig{Train: true, Rand: rng, BeforeRun: reseed}
	runOpCases(t, []opCase{
		{name: "Dropout", inputs: []*tensor.Dense{rt(30, -1, 1, 6, 5)}, cfg: cfg,
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return Dropout{P: 0.4}.Forward(g, in[0]) }},
		{name: "DropPath", inputs: []*tensor.Dense{rt(31, -1, 1, 6, 2, 3)}, cfg: cfg,
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return DropPath{P: 0.5}.Forward(g, in[0]) }},
		{name: "Attention dropout", inputs: []*tensor.Dense{rt(32, -1, 1, 2, 4, 6)}, cfg: cfg,
			build: func(g *Graph, in []*G.Node) (*G.Node, error) {
				return PackedAttentionOp(in[0], nil, nil, AttentionConfig{Heads: 1, Dropout: 0.3, Rand: g.Rand()})
			}},
	})
}

// TestBuiltinOpGradients checks the gorgonia ops the layers and models rely
// on (spec/engine.md lists which ones are wrong in v0.9.18; none of those is
// used).
func TestBuiltinOpGradients(t *testing.T) {
	runOpCases(t, []opCase{
		{name: "Add", inputs: []*tensor.Dense{rt(40, -1, 1, 3, 4), rt(41, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Add(in[0], in[1]) }},
		{name: "Sub", inputs: []*tensor.Dense{rt(42, -1, 1, 3, 4), rt(43, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Sub(in[0], in[1]) }},
		{name: "HadamardProd", inputs: []*tensor.Dense{rt(44, -1, 1, 3, 4), rt(45, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.HadamardProd(in[0], in[1]) }},
		{name: "Mul matmul", inputs: []*tensor.Dense{rt(46, -1, 1, 3, 4), rt(47, -1, 1, 4, 5)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Mul(in[0], in[1]) }},
		{name: "Mul scalar", inputs: []*tensor.Dense{rt(48, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Mul(in[0], g.Const(0.3)) }},
		{name: "Square", inputs: []*tensor.Dense{rt(49, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Square(in[0]) }},
		{name: "Exp", inputs: []*tensor.Dense{rt(50, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Exp(in[0]) }},
		{name: "Log", inputs: []*tensor.Dense{rt(51, 0.5, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Log(in[0]) }},
		{name: "Tanh", inputs: []*tensor.Dense{rt(52, -2, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Tanh(in[0]) }},
		{name: "Sqrt", inputs: []*tensor.Dense{rt(53, 0.5, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Sqrt(in[0]) }},
		{name: "Abs", inputs: []*tensor.Dense{rt(54, -2, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Abs(in[0]) }},
		{name: "Sum all", inputs: []*tensor.Dense{rt(55, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Sum(in[0]) }},
		{name: "Sum axis 1 of 3d", inputs: []*tensor.Dense{rt(56, -1, 1, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Sum(in[0], 1) }},
		{name: "Mean axis 1", inputs: []*tensor.Dense{rt(57, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Mean(in[0], 1) }},
		{name: "Mean all", inputs: []*tensor.Dense{rt(58, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Mean(in[0]) }},
		{name: "Reshape", inputs: []*tensor.Dense{rt(59, -1, 1, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Reshape(in[0], tensor.Shape{6, 4}) }},
		{name: "Concat axis 1", inputs: []*tensor.Dense{rt(60, -1, 1, 3, 2), rt(61, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Concat(1, in[0], in[1]) }},
		{name: "Concat axis 0", inputs: []*tensor.Dense{rt(62, -1, 1, 2, 3), rt(63, -1, 1, 4, 3)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Concat(0, in[0], in[1]) }},
		{name: "Slice", inputs: []*tensor.Dense{rt(64, -1, 1, 4, 5)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Slice(in[0], nil, G.S(1, 3)) }},
		{name: "Transpose", inputs: []*tensor.Dense{rt(65, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Transpose(in[0]) }},
		{name: "SoftMax", inputs: []*tensor.Dense{rt(66, -2, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.SoftMax(in[0]) }},
		{name: "Rectify", inputs: []*tensor.Dense{rt(67, -2, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Rectify(in[0]) }},
		{name: "Neg", inputs: []*tensor.Dense{rt(68, -2, 2, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.Neg(in[0]) }},
		{name: "BroadcastAdd row", inputs: []*tensor.Dense{rt(69, -2, 2, 3, 4), rt(70, -2, 2, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return G.BroadcastAdd(in[0], in[1], nil, []byte{0}) }},
		{name: "BroadcastHadamardProd col", inputs: []*tensor.Dense{rt(71, -2, 2, 3, 4), rt(72, -2, 2, 3)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) {
				return G.BroadcastHadamardProd(in[0], in[1], nil, []byte{1})
			}},
	})
}

func TestIndexOpValues(t *testing.T) {
	g := NewGraph(GraphConfig{Dtype: Float64})
	x := g.Input("x", 4, 2)
	require.NoError(t, x.Set([]float64{1, 2, 3, 4, 5, 6, 7, 8}))
	idx := IndicesOf("seg", []int{1, 1, 3, 1})
	sum := g.Read(G.Must(ScatterAdd(x.Node, idx, 4)))
	mean := g.Read(G.Must(SegmentMean(x.Node, idx, 4)))
	max := g.Read(G.Must(SegmentMax(x.Node, idx, 4)))
	gat := g.Read(G.Must(Gather(x.Node, IndicesOf("g", []int{3, 3, 0}))))
	p, err := Compile(g, nil)
	require.NoError(t, err)
	require.NoError(t, p.Run())
	require.Equal(t, []float64{0, 0, 1 + 3 + 7, 2 + 4 + 8, 0, 0, 5, 6}, sum.Float64s())
	require.InDeltaSlice(t, []float64{0, 0, 11.0 / 3, 14.0 / 3, 0, 0, 5, 6}, mean.Float64s(), 1e-12)
	require.Equal(t, []float64{0, 0, 7, 8, 0, 0, 5, 6}, max.Float64s())
	require.Equal(t, []float64{7, 8, 7, 8, 1, 2}, gat.Float64s())

	// An index out of range fails the run with an error naming the indices.
	idx.Ints()[2] = 9
	err = p.Run()
	require.ErrorContains(t, err, `indices "seg"`)
}

func TestAttentionMatchesReference(t *testing.T) {
	// One head, no mask: compare with a direct evaluation of
	// softmax(q·kᵀ/√d)·v.
	q, k, v := rt(80, -1, 1, 1, 3, 2), rt(81, -1, 1, 1, 4, 2), rt(82, -1, 1, 1, 4, 2)
	g := NewGraph(GraphConfig{Dtype: Float64})
	qi, ki, vi := g.Input("q", 1, 3, 2), g.Input("k", 1, 4, 2), g.Input("v", 1, 4, 2)
	require.NoError(t, qi.Set(q.Data()))
	require.NoError(t, ki.Set(k.Data()))
	require.NoError(t, vi.Set(v.Data()))
	mask := g.Input("mask", 1, 4)
	require.NoError(t, mask.Set([]float64{1, 0, 1, 1}))
	out := g.Read(G.Must(AttentionOp(qi.Node, ki.Node, vi.Node, mask.Node, nil, AttentionConfig{Heads: 1})))
	p, err := Compile(g, nil)
	require.NoError(t, err)
	require.NoError(t, p.Run())
	qd, kd, vd := q.Float64s(), k.Float64s(), v.Float64s()
	want := make([]float64, 0, 6)
	for i := 0; i < 3; i++ {
		var w [4]float64
		var z float64
		for j := 0; j < 4; j++ {
			if j == 1 {
				continue
			}
			w[j] = math.Exp((qd[2*i]*kd[2*j] + qd[2*i+1]*kd[2*j+1]) / math.Sqrt2)
			z += w[j]
		}
		for c := 0; c < 2; c++ {
			var s float64
			for j := 0; j < 4; j++ {
				s += w[j] / z * vd[2*j+c]
			}
			want = append(want, s)
		}
	}
	require.InDeltaSlice(t, want, out.Float64s(), 1e-12)
}

func TestCustomOpAPI(t *testing.T) {
	// y = 2·x with a hand-written backward, through the exported API.
	double := func(x *G.Node) (*G.Node, error) {
		return ApplyCustomOp(CustomOp{Name: "Double", OutShape: x.Shape(), DiffWRT: []bool{true},
			Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
				for i, v := range in[0].Float64s() {
					out.Float64s()[i] = 2 * v
				}
				return nil
			},
			Backward: func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
				d, err := G.Mul(grad, G.NewConstant(2.0))
				return G.Nodes{d}, err
			}}, x)
	}
	res, err := GradCheck(func(g *Graph, in []*G.Node) (*G.Node, error) { return double(in[0]) },
		[]*tensor.Dense{rt(100, -1, 1, 3, 2)}, nil)
	require.NoError(t, err)
	require.Equal(t, 6, res.Checked)
	sq := func(g *Graph, in []*G.Node) (*G.Node, error) {
		return Elementwise(in[0], "Cube", func(v float64) float64 { return v * v * v }, func(v float64) float64 { return 3 * v * v })
	}
	_, err = GradCheck(sq, []*tensor.Dense{rt(101, -1, 1, 4)}, nil)
	require.NoError(t, err)
	// A wrong derivative must be caught.
	bad := func(g *Graph, in []*G.Node) (*G.Node, error) {
		return Elementwise(in[0], "BadCube", func(v float64) float64 { return v * v * v }, func(v float64) float64 { return 2 * v * v })
	}
	_, err = GradCheck(bad, []*tensor.Dense{rt(101, -1, 1, 4)}, nil)
	require.ErrorContains(t, err, "gradient mismatch")
}

// TestScalarCustomOp: a custom op with a 0-dim output composes with
// gorgonia's scalar arithmetic (a loss scaled and added) and passes GradCheck.
func TestScalarCustomOp(t *testing.T) {
	sumSq := func(x *G.Node) (*G.Node, error) {
		return ApplyCustomOp(CustomOp{Name: "SumSq", OutShape: tensor.Shape{}, DiffWRT: []bool{true},
			Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
				var s float64
				for _, v := range in[0].Float64s() {
					s += v * v
				}
				out.Float64s()[0] = s
				return nil
			},
			Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
				d, err := G.Mul(in[0], G.Must(G.Mul(grad, G.NewConstant(2.0))))
				return G.Nodes{d}, err
			}}, x)
	}
	res, err := GradCheck(func(g *Graph, in []*G.Node) (*G.Node, error) {
		l, err := sumSq(in[0])
		if err != nil {
			return nil, err
		}
		return G.Add(G.Must(G.Mul(l, g.Const(3))), g.Const(1))
	}, []*tensor.Dense{rt(102, -1, 1, 2, 3)}, nil)
	require.NoError(t, err)
	require.Equal(t, 6, res.Checked)
}

func TestReLUValuesAtZero(t *testing.T) {
	for _, dt := range []tensor.Dtype{Float32, Float64} {
		g := NewGraph(GraphConfig{Dtype: dt})
		x := NewParam("x", dt, 6)
		vals := []float64{-1, 0, math.Copysign(0, -1), 2, 1e-40, -1e-40}
		for i, v := range vals {
			if dt == Float32 {
				x.Float32s()[i] = float32(v)
			} else {
				x.Float64s()[i] = v
			}
		}
		y, err := ReLU(g.Param(x))
		require.NoError(t, err)
		out := g.Read(y)
		p, err := Compile(g, G.Must(G.Sum(y)))
		require.NoError(t, err)
		require.NoError(t, p.Run())
		want := []float64{0, 0, 0, 2, 1e-40, 0}
		if dt == Float32 {
			want[4] = float64(float32(1e-40))
			grad := x.GradFloat32s()
			require.Equal(t, []float32{0, 0, 0, 1, 1, 0}, grad, "float32 gradient")
		} else {
			require.Equal(t, []float64{0, 0, 0, 1, 1, 0}, x.GradFloat64s(), "float64 gradient")
		}
		require.Equal(t, want, out.Float64s())
	}
}

// TestGradCheckSampledCatchesErrors: the sampled mode still finds a wrong
// derivative and checks exactly the requested number of elements.
func TestGradCheckSampledCatchesErrors(t *testing.T) {
	bad := func(g *Graph, in []*G.Node) (*G.Node, error) {
		return Elementwise(in[0], "BadSquare", func(v float64) float64 { return v * v }, func(v float64) float64 { return 2.1 * v })
	}
	res, err := GradCheck(bad, []*tensor.Dense{rt(103, 0.5, 1, 50)}, &GradCheckConfig{MaxPerTensor: 5})
	require.ErrorContains(t, err, "gradient mismatch")
	require.Equal(t, 5, res.Checked)
}
