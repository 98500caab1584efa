package gnn

import (
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The learning tests train small models on toy tasks with AdamW and assert
// a loss drop and a held-out accuracy; a wrong gradient anywhere in the
// layer under test stalls them. Graph task: cycles (label 0) against paths
// (label 1) of 6–14 nodes with constant features, so only structure (paths
// have two degree-1 ends) separates the classes.

func newGraphClassifier(readout Aggr, edgeFeatures bool, conv func(i int) Conv, norm bool, depth, d int, seed uint64) *graphClassifier {
	rng := newRNG(seed)
	m := &graphClassifier{readout: readout, edgeFeatures: edgeFeatures,
		nodeEnc: nn.NewLinear("input_encoder", 1, d, nn.LinearConfig{}, rng),
		edgeEnc: nn.NewLinear("edge_encoder", 1, d, nn.LinearConfig{}, rng),
		head:    nn.NewLinear("head", d, 1, nn.LinearConfig{}, rng)}
	m.params.AddAll(m.nodeEnc.Params(), m.edgeEnc.Params(), m.head.Params())
	for i := 0; i < depth; i++ {
		var bn *nn.BatchNorm
		if norm {
			bn = nn.NewBatchNorm("gnn.norms."+string(rune('0'+i)), d, nn.BatchNormConfig{})
		}
		b := NewBlock(conv(i), bn, BlockConfig{})
		m.blocks = append(m.blocks, b)
		m.params.AddAll(b.Params())
	}
	return m
}

func TestGraphModelsLearnCyclesVsPaths(t *testing.T) {
	const d = 16
	rng := newRNG(40)
	train := cyclesAndPaths(rng, 64, 6, 14)
	test := cyclesAndPaths(rng, 40, 6, 14)
	cases := []struct {
		name  string
		model *graphClassifier
		steps int
		lr    float64
	}{
		{"GIN + sum pool", newGraphClassifier(Sum, false, func(i int) Conv {
			name := "gnn.convs." + string(rune('0'+i))
			return NewGIN(name, nn.NewMLP(name+".nn", []int{d, d, d}, nn.MLPConfig{}, newRNG(uint64(50+i))), GINConfig{})
		}, true, 2, d, 1), 60, 3e-3},
		{"GINE (Graph-JEPA block) + mean pool", newGraphClassifier(Mean, true, func(i int) Conv {
			name := "gnn.convs." + string(rune('0'+i))
			return NewGINE(name, GraphJEPAMLP(name+".nn", d, d, nn.Float32, newRNG(uint64(60+i))), GINConfig{}, nil)
		}, true, 2, d, 2), 40, 1e-2},
		{"GCN + max pool", newGraphClassifier(Max, false, func(i int) Conv {
			return NewGCN("gnn.convs."+string(rune('0'+i)), d, d, GCNConfig{}, newRNG(uint64(70+i)))
		}, true, 2, d, 3), 60, 1e-2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			first, last, acc := trainGraphClassifier(t, tc.model, train, test, tc.steps, tc.lr)
			t.Logf("BCE %.4f → %.4f after %d steps; held-out accuracy %.3f", first, last, tc.steps, acc)
			require.Less(t, last, first/4, "training loss must drop at least 4-fold")
			// Chance is 0.5. The bound leaves room for the BLAS: under
			// -tags openblas rounding differs and GIN + sum reaches 0.925.
			require.GreaterOrEqual(t, acc, 0.9, "held-out accuracy")
		})
	}
}

// TestPointModelsLearnShapes: PointNet and the mini-PointNet tokenizer,
// each with a Linear head, separate sphere from cube surfaces (random
// scale, jitter) of 32 points.
func TestPointModelsLearnShapes(t *testing.T) {
	rng := newRNG(41)
	xtr, ytr := shapeClouds(rng, 64, 32)
	xte, yte := shapeClouds(rng, 40, 32)
	prng := newRNG(42)
	pn := NewPointNet("pn", []int{3, 32, 32}, nn.MLPConfig{Norm: nn.NormBatch, FinalActivation: true}, prng)
	pnHead := nn.NewLinear("head", 32, 1, nn.LinearConfig{}, prng)
	mini := NewMiniPointNet("tok", MiniPointNetConfig{Hidden1: 32, Global: 32, Hidden2: 32, Out: 16}, prng)
	miniHead := nn.NewLinear("head", 16, 1, nn.LinearConfig{}, prng)
	for _, tc := range []struct {
		name string
		enc  interface {
			nn.Module
			Forward(*nn.Graph, *G.Node) (*G.Node, error)
		}
		head *nn.Linear
	}{{"PointNet", pn, pnHead}, {"MiniPointNet", mini, miniHead}} {
		t.Run(tc.name, func(t *testing.T) {
			build := func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
				h, err := tc.enc.Forward(g, in[0])
				if err != nil {
					return nil, err
				}
				return tc.head.Forward(g, h)
			}
			first, last, acc := trainDense(t, trainable(tc.enc, tc.head), build,
				[]*tensor.Dense{xtr}, ytr, []*tensor.Dense{xte}, yte, 40, 1e-2)
			t.Logf("BCE %.4f → %.4f after 40 steps; held-out accuracy %.3f", first, last, acc)
			require.Less(t, last, first/4, "training loss must drop at least 4-fold")
			require.GreaterOrEqual(t, acc, 0.95, "held-out accuracy")
		})
	}
}

// TestSetTransformerLearnsSpread: Linear → SAB or ISAB → PMA → Linear
// separates tight from wide 2-D point blobs with overlapping centres, given
// as padded sets of 8–16 points (key padding masks; padded slots hold large
// garbage values).
func TestSetTransformerLearnsSpread(t *testing.T) {
	const d, maxN = 16, 16
	rng := newRNG(43)
	xtr, mtr, ytr := blobSets(rng, 64, maxN)
	xte, mte, yte := blobSets(rng, 40, maxN)
	for _, tc := range []struct {
		name string
		form SetForm
		isab bool
	}{{"SAB+PMA paper", PaperForm, false}, {"ISAB+PMA official", OfficialForm, true}} {
		t.Run(tc.name, func(t *testing.T) {
			prng := newRNG(44)
			cfg := MABConfig{Heads: 4, Form: tc.form}
			enc := nn.NewLinear("enc.0", 2, d, nn.LinearConfig{}, prng)
			var mid interface {
				nn.Module
				Forward(*nn.Graph, *G.Node, *G.Node) (*G.Node, error)
			} = NewSAB("enc.1", d, d, cfg, prng)
			if tc.isab {
				mid = NewISAB("enc.1", d, d, 4, cfg, prng)
			}
			pma := NewPMA("dec.0", d, 1, cfg, prng)
			head := nn.NewLinear("dec.1", d, 1, nn.LinearConfig{}, prng)
			build := func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
				h, err := enc.Forward(g, in[0])
				if err != nil {
					return nil, err
				}
				if h, err = mid.Forward(g, h, in[1]); err != nil {
					return nil, err
				}
				if h, err = pma.Forward(g, h, in[1]); err != nil {
					return nil, err
				}
				return head.Forward(g, h)
			}
			first, last, acc := trainDense(t, trainable(enc, mid, pma, head), build,
				[]*tensor.Dense{xtr, mtr}, ytr, []*tensor.Dense{xte, mte}, yte, 60, 1e-2)
			t.Logf("BCE %.4f → %.4f after 60 steps; held-out accuracy %.3f", first, last, acc)
			require.Less(t, last, first/4, "training loss must drop at least 4-fold")
			require.GreaterOrEqual(t, acc, 0.9, "held-out accuracy")
		})
	}
}
