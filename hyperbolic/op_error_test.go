package hyperbolic

import (
	"fmt"
	"math"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Wrong shapes, dtypes and settings give errors naming what was wrong (both
// shapes where two disagree), never panics.
func TestOpsShapeErrors(t *testing.T) {
	g := G.NewGraph()
	other := G.NewGraph()
	m := func(dt tensor.Dtype, r, c int) *G.Node { return G.NewMatrix(g, dt, G.WithShape(r, c)) }
	f64 := tensor.Float64
	x34, y34, x35, x44 := m(f64, 3, 4), m(f64, 3, 4), m(f64, 3, 5), m(f64, 4, 4)
	x34f32 := m(tensor.Float32, 3, 4)
	xInt := m(tensor.Int, 3, 4)
	v4 := G.NewVector(g, f64, G.WithShape(4))
	xOther := G.NewMatrix(other, f64, G.WithShape(3, 4))
	b, l, h := Ball{}, Lorentz{}, Hyperbola{}
	for _, tc := range []struct {
		name  string
		call  func() (*G.Node, error)
		wants []string
	}{
		{"vector input", func() (*G.Node, error) { return b.Expmap0Node(v4) }, []string{"PoincareBall.Expmap0Node", "u has shape (4)", "[n, d]"}},
		{"nil input", func() (*G.Node, error) { return b.LogmapNode(x34, nil) }, []string{"PoincareBall.LogmapNode", "y is nil"}},
		{"pair mismatch", func() (*G.Node, error) { return b.DistNode(x34, x35) }, []string{"PoincareBall.DistNode", "(3, 4)", "(3, 5)"}},
		{"rows mismatch", func() (*G.Node, error) { return b.MobiusAddNode(x34, x44) }, []string{"(3, 4)", "(4, 4)"}},
		{"triple mismatch", func() (*G.Node, error) { return b.TranspNode(x34, y34, x35) }, []string{"PoincareBall.TranspNode", "x has shape (3, 4)", "v has shape (3, 5)"}},
		{"matvec width", func() (*G.Node, error) { return b.MobiusMatvecNode(x35, x34) }, []string{"w has shape (3, 5)", "x has shape (3, 4)"}},
		{"dtype mismatch", func() (*G.Node, error) { return b.ExpmapNode(x34, x34f32) }, []string{"x is float64", "u is float32"}},
		{"integer dtype", func() (*G.Node, error) { return b.ProjxNode(xInt) }, []string{"dtype int", "float32 or float64"}},
		{"two graphs", func() (*G.Node, error) { return b.DistNode(x34, xOther) }, []string{"different graphs"}},
		{"negative curvature", func() (*G.Node, error) { return Ball{C: -1}.DistNode(x34, y34) }, []string{"C=-1"}},
		{"bad eps", func() (*G.Node, error) { return Ball{Eps: 2}.Expmap0Node(x34) }, []string{"Eps=2"}},
		{"NaN r", func() (*G.Node, error) { return b.MobiusScalarMulNode(math.NaN(), x34) }, []string{"r=NaN"}},
		{"Lorentz width 1", func() (*G.Node, error) { return l.DistNode(m(f64, 3, 1), m(f64, 3, 1)) }, []string{"Hyperboloid.DistNode", "(3, 1)", "d ≥ 2"}},
		{"Lorentz mismatch", func() (*G.Node, error) { return l.ExpmapNode(x34, x44) }, []string{"(3, 4)", "(4, 4)"}},
		{"Lorentz K", func() (*G.Node, error) { return Lorentz{K: math.Inf(1)}.Logmap0Node(x34) }, []string{"K=+Inf"}},
		{"ToBall width 1", func() (*G.Node, error) { return l.ToBallNode(m(f64, 2, 1)) }, []string{"y has shape (2, 1)"}},
		{"hyperbola width", func() (*G.Node, error) { return h.DistNode(x34, y34) }, []string{"UnitHyperbola.DistNode", "p has shape (3, 4)", "[n, 2]"}},
		{"hyperbola mismatch", func() (*G.Node, error) { return h.DistNode(m(f64, 3, 2), m(f64, 4, 2)) }, []string{"(3, 2)", "(4, 2)"}},
		{"FromScalar matrix", func() (*G.Node, error) { return h.FromScalarNode(m(f64, 3, 1)) }, []string{"z has shape (3, 1)", "vector [n]"}},
		{"ToScalar width", func() (*G.Node, error) { return h.ToScalarNode(x34) }, []string{"(3, 4)"}},
		{"FromMean vector", func() (*G.Node, error) { return HyperbolaFromMean(v4) }, []string{"UnitHyperbola.FromMeanNode", "(4)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out *G.Node
			var err error
			require.NotPanics(t, func() { out, err = tc.call() })
			require.Error(t, err)
			require.Nil(t, out)
			for _, w := range tc.wants {
				require.ErrorContains(t, err, w)
			}
			require.Contains(t, err.Error(), "hyperbolic: ")
		})
	}
}

// A zero Eps means the geoopt projection eps of the graph's dtype, whatever
// the receiver's type parameter.
func TestOpsProjEpsFollowsDtype(t *testing.T) {
	far := mat([]float64{30, 40}, 2)
	for _, tc := range []struct {
		dt   tensor.Dtype
		want float64
	}{{nn.Float32, 1 - ProjEps32}, {nn.Float64, 1 - ProjEps64}} {
		for name, build := range map[string]func(in []*G.Node) (*G.Node, error){
			"Ball":   func(in []*G.Node) (*G.Node, error) { return Ball{}.ProjxNode(in[0]) },
			"Ball32": func(in []*G.Node) (*G.Node, error) { return Ball32{}.ProjxNode(in[0]) },
		} {
			out, _ := runGraph(t, tc.dt, []*tensor.Dense{far}, build, true)
			require.InDeltaf(t, tc.want, math.Hypot(out[0], out[1]), 1e-6, "%s in a %v graph", name, tc.dt)
		}
	}
}

// The ops compute what the kernels compute, and the mean distance is a
// trainable loss.
func TestOpsMatchKernelsAndTrain(t *testing.T) {
	rng := newRand(77)
	const n, d = 6, 8
	enc := gauss(rng, n*d, 0.8)
	// Graph-JEPA's target from the target encoder output, and a loss
	// between a prediction and it.
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	encIn := g.Input("encoder out", n, d)
	require.NoError(t, encIn.Set(enc))
	target, err := HyperbolaFromMean(encIn.Node)
	require.NoError(t, err)
	pred := nn.NewParam("pred", nn.Float64, n, 2)
	copy(pred.Float64s(), Hyperbola{}.FromScalar(nil, gauss(rng, n, 1)))
	dist, err := Hyperbola{}.DistNode(g.Param(pred), target)
	require.NoError(t, err)
	loss, err := G.Mean(dist)
	require.NoError(t, err)
	targetOut := g.Read(target)
	prog, err := nn.Compile(g, loss)
	require.NoError(t, err)
	defer prog.Close()
	require.NoError(t, prog.Run())
	wantTarget := Hyperbola{}.FromMean(nil, enc, d)
	requireClose(t, "target", targetOut.Float64s(), wantTarget, 1e-15, 1e-15)
	wantDist := Hyperbola{}.Dist(nil, pred.Float64s(), wantTarget, 2)
	var mean float64
	for _, v := range wantDist {
		mean += v / n
	}
	require.InDelta(t, mean, prog.Loss(), 1e-14)
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1.0 / n
	}
	wantGrad, _ := Hyperbola{}.DistVJP(nil, nil, pred.Float64s(), wantTarget, ones, 2)
	requireClose(t, "gradient", pred.GradFloat64s(), wantGrad, 1e-15, 1e-14)

	// A few gradient steps on the prediction's y coordinates (then
	// projected back onto the branch) reduce the loss.
	first := prog.Loss()
	for range 20 {
		p, gr := pred.Float64s(), pred.GradFloat64s()
		for i := range p {
			p[i] -= 0.5 * gr[i]
		}
		Hyperbola{}.Projx(p, p, 2)
		pred.ZeroGrad()
		require.NoError(t, prog.Run())
	}
	require.Less(t, prog.Loss(), first/4, fmt.Sprintf("loss %v → %v", first, prog.Loss()))
}
