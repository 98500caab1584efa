package jepa

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/hyperbolic"
	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// lossFn is the signature shared by the loss constructors under test.
type lossFn func(pred, target *G.Node) (*G.Node, error)

// evalLoss runs a loss once with pred as a parameter (whose gradient is
// returned) and target as a graph input (not differentiated).
func evalLoss(t *testing.T, dt tensor.Dtype, f lossFn, pred, target []float64, shape ...int) (float64, []float64) {
	t.Helper()
	g := nn.NewGraph(nn.GraphConfig{Dtype: dt})
	p := nn.NewParam("pred", dt, shape...)
	if dt == nn.Float32 {
		for i, v := range pred {
			p.Float32s()[i] = float32(v)
		}
	} else {
		copy(p.Float64s(), pred)
	}
	in := g.Input("target", shape...)
	require.NoError(t, in.Set(target))
	loss, err := f(g.Param(p), in.Node)
	require.NoError(t, err)
	prog, err := nn.Compile(g, loss)
	require.NoError(t, err)
	defer prog.Close()
	require.NoError(t, prog.Run())
	var grad []float64
	if dt == nn.Float32 {
		for _, v := range p.GradFloat32s() {
			grad = append(grad, float64(v))
		}
	} else {
		grad = append(grad, p.GradFloat64s()...)
	}
	return prog.Loss(), grad
}

var (
	lossPred   = []float64{0.3, -1.2, 2.5, 0.05, -0.4, 1.0}
	lossTarget = []float64{0.1, 0.9, -0.5, 0.0, -0.4, 3.1}
)

// TestSmoothL1AgainstTorch compares value and gradient with torch 1.13 in
// float64, computed by
//
//	p = torch.tensor([[0.3,-1.2,2.5],[0.05,-0.4,1.0]], dtype=torch.float64, requires_grad=True)
//	t = torch.tensor([[0.1,0.9,-0.5],[0.0,-0.4,3.1]], dtype=torch.float64)
//	l = torch.nn.SmoothL1Loss(beta=b)(p, t); g, = torch.autograd.grad(l, p)
//
// (element 4 has d = 0: with β = 0 torch's backward gives −1/n there).
func TestSmoothL1AgainstTorch(t *testing.T) {
	const s = 1.0 / 6
	cases := []struct {
		beta float64
		loss float64
		grad []float64
	}{
		{0, 1.2416666666666667, []float64{s, -s, s, s, -s, -s}},
		{0.5, 1.0820833333333335, []float64{0.06666666666666665, -s, s, 0.016666666666666666, 0, -s}},
		{1, 0.9535416666666667, []float64{0.033333333333333326, -s, s, 0.008333333333333333, 0, -s}},
		{2, 0.7017708333333333, []float64{0.016666666666666663, -s, s, 0.004166666666666667, 0, -s}},
	}
	for _, c := range cases {
		f := func(p, q *G.Node) (*G.Node, error) { return SmoothL1Loss(p, q, c.beta) }
		loss, grad := evalLoss(t, nn.Float64, f, lossPred, lossTarget, 2, 3)
		assert.InDelta(t, c.loss, loss, 1e-15, "beta %v", c.beta)
		assert.InDeltaSlice(t, c.grad, grad, 1e-16, "beta %v", c.beta)
	}
	// float32: torch.nn.SmoothL1Loss(beta=2.0)(p.float(), t.float()) =
	// 0.7017708420753479, one float32 ulp above the correctly rounded
	// 0.7017708 (float64 arithmetic on the float32 differences,
	// numpy: v.sum()/6 = 0.701770801845317) that the float64 accumulation
	// gives.
	f := func(p, q *G.Node) (*G.Node, error) { return SmoothL1Loss(p, q, 2) }
	loss, _ := evalLoss(t, nn.Float32, f, lossPred, lossTarget, 2, 3)
	assert.Equal(t, float32(0.701770801845317), float32(loss))
	assert.InDelta(t, 0.7017708420753479, loss, 6e-8) // one ulp
}

// TestMSEAgainstTorch: torch.nn.MSELoss()(p, t) on the tensors of
// TestSmoothL1AgainstTorch.
func TestMSEAgainstTorch(t *testing.T) {
	loss, grad := evalLoss(t, nn.Float64, MSELoss, lossPred, lossTarget, 2, 3)
	assert.InDelta(t, 2.9770833333333333, loss, 1e-15)
	assert.InDeltaSlice(t, []float64{0.06666666666666665, -0.7, 1.0, 0.016666666666666666, 0, -0.7}, grad, 1e-15)
}

func TestLossErrors(t *testing.T) {
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	a := g.Input("a", 2, 3).Node
	b := g.Input("b", 3, 2).Node
	_, err := SmoothL1Loss(a, b, 1)
	require.ErrorContains(t, err, "differs from target shape")
	_, err = SmoothL1Loss(a, a, -1)
	require.ErrorContains(t, err, "beta")
	_, err = SmoothL1Loss(a, a, math.NaN())
	require.ErrorContains(t, err, "beta")
	_, err = MSELoss(a, b)
	require.ErrorContains(t, err, "differs")
	_, err = HyperbolicDistLoss(a, a, HyperbolicLossConfig{Geometry: Hyperbola})
	require.ErrorContains(t, err, "2 coordinates")
	_, err = HyperbolicDistLoss(a, a, HyperbolicLossConfig{RowDim: 4})
	require.ErrorContains(t, err, "rows of 4")
	_, err = HyperbolicDistLoss(a, a, HyperbolicLossConfig{Curvature: -1})
	require.ErrorContains(t, err, "curvature")
}

func TestLossGradCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	in := func(lo, hi float64, shape ...int) []*tensor.Dense {
		return []*tensor.Dense{nn.RandTensor(rng, lo, hi, shape...), nn.RandTensor(rng, lo, hi, shape...)}
	}
	cases := []struct {
		name   string
		f      lossFn
		inputs []*tensor.Dense
	}{
		{"smoothl1-beta0.5", func(p, q *G.Node) (*G.Node, error) { return SmoothL1Loss(p, q, 0.5) }, in(-1, 1, 3, 4, 5)},
		{"smoothl1-beta1", func(p, q *G.Node) (*G.Node, error) { return SmoothL1Loss(p, q, 1) }, in(-1, 1, 4, 6)},
		{"smoothl1-beta2", func(p, q *G.Node) (*G.Node, error) { return SmoothL1Loss(p, q, 2) }, in(-3, 3, 2, 3, 4)},
		{"smoothl1-beta0", func(p, q *G.Node) (*G.Node, error) { return SmoothL1Loss(p, q, 0) }, in(-1, 1, 7)},
		{"mse", MSELoss, in(-2, 2, 3, 5)},
		{"poincare", func(p, q *G.Node) (*G.Node, error) {
			return HyperbolicDistLoss(p, q, HyperbolicLossConfig{})
		}, in(-0.3, 0.3, 2, 3, 3)},
		{"poincare-c2-unclamped-flat", func(p, q *G.Node) (*G.Node, error) {
			return HyperbolicDistLoss(p, q, HyperbolicLossConfig{Curvature: 2, Unclamped: true, RowDim: 6})
		}, in(-0.15, 0.15, 2, 3, 2)},
		{"lorentz", func(p, q *G.Node) (*G.Node, error) {
			return HyperbolicDistLoss(p, q, HyperbolicLossConfig{Geometry: Lorentz})
		}, lorentzInputs(rng, 4, 3)},
		{"hyperbola", func(p, q *G.Node) (*G.Node, error) {
			return HyperbolicDistLoss(p, q, HyperbolicLossConfig{Geometry: Hyperbola})
		}, in(-1, 1, 3, 2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := nn.GradCheck(func(g *nn.Graph, n []*G.Node) (*G.Node, error) { return c.f(n[0], n[1]) }, c.inputs, nil)
			require.NoError(t, err)
			require.Equal(t, 2*c.inputs[0].Shape().TotalSize(), res.Checked)
		})
	}
}

// lorentzInputs returns two n×d sets of points on the hyperboloid k = 1.
func lorentzInputs(rng *rand.Rand, n, d int) []*tensor.Dense {
	out := make([]*tensor.Dense, 2)
	for k := range out {
		x := nn.RandTensor(rng, -0.8, 0.8, n, d)
		v := x.Float64s()
		for r := 0; r < n; r++ {
			row := v[r*d : (r+1)*d]
			var s float64
			for _, e := range row[1:] {
				s += e * e
			}
			row[0] = math.Sqrt(1 + s)
		}
		out[k] = x
	}
	return out
}

// TestHyperbolicDistLossValues checks closed forms: on the ball
// d(0, x) = 2·artanh(‖x‖) (= ln 3 for ‖x‖ = ½); on the hyperboloid
// d(o, (cosh a, sinh a, 0)) = a; on the hyperbola |z₁ − z₂|. The float32
// op agrees with the float64 one to float32 precision.
func TestHyperbolicDistLossValues(t *testing.T) {
	for _, dt := range []tensor.Dtype{nn.Float64, nn.Float32} {
		tol := 1e-14
		if dt == nn.Float32 {
			tol = 1e-6
		}
		ball := func(p, q *G.Node) (*G.Node, error) { return HyperbolicDistLoss(p, q, HyperbolicLossConfig{}) }
		loss, _ := evalLoss(t, dt, ball, []float64{0, 0, 0, 0}, []float64{0.3, 0.4, 0, -0.5}, 2, 2)
		assert.InDelta(t, math.Log(3), loss, tol, "%v ball", dt)

		lor := func(p, q *G.Node) (*G.Node, error) {
			return HyperbolicDistLoss(p, q, HyperbolicLossConfig{Geometry: Lorentz})
		}
		a, b := 0.7, 1.3
		loss, _ = evalLoss(t, dt, lor, []float64{1, 0, 0, 1, 0, 0},
			[]float64{math.Cosh(a), math.Sinh(a), 0, math.Cosh(b), 0, math.Sinh(b)}, 2, 3)
		assert.InDelta(t, (a+b)/2, loss, 100*tol, "%v lorentz", dt)

		hyp := func(p, q *G.Node) (*G.Node, error) {
			return HyperbolicDistLoss(p, q, HyperbolicLossConfig{Geometry: Hyperbola})
		}
		z := hyperbolic.Hyperbola{}.FromScalar(nil, []float64{0.3, -1, 2})
		w := hyperbolic.Hyperbola{}.FromScalar(nil, []float64{-0.2, -1, 0.5})
		loss, grad := evalLoss(t, dt, hyp, z, w, 3, 2)
		assert.InDelta(t, (0.5+0+1.5)/3, loss, 10*tol, "%v hyperbola", dt)
		assert.Equal(t, 0.0, grad[2]+grad[3], "%v hyperbola: zero-safe gradient at equal points", dt)
	}
}

// TestLossesCompose: the losses are proper scalar nodes, so gorgonia's
// scalar arithmetic combines them (SmoothL1 + ½·MSE, both torch values of
// TestSmoothL1AgainstTorch / TestMSEAgainstTorch).
func TestLossesCompose(t *testing.T) {
	f := func(p, q *G.Node) (*G.Node, error) {
		a, err := SmoothL1Loss(p, q, 1)
		if err != nil {
			return nil, err
		}
		b, err := MSELoss(p, q)
		if err != nil {
			return nil, err
		}
		return G.Add(a, G.Must(G.Mul(b, G.NewConstant(0.5))))
	}
	loss, grad := evalLoss(t, nn.Float64, f, lossPred, lossTarget, 2, 3)
	assert.InDelta(t, 0.9535416666666667+0.5*2.9770833333333333, loss, 1e-15)
	assert.InDelta(t, 0.033333333333333326+0.5*0.06666666666666665, grad[0], 1e-16)
}

// TestHyperbolicDistLossGraphJEPA reproduces Graph-JEPA's hyperbolic_dist
// (jepa.dist=2): rows flattened to T·D, acosh(1 + 2‖x−y‖²/((1−‖x‖²)(1−‖y‖²)))
// unguarded, mean over the batch. numpy, for x_i = 0.1 sin(i+1) and
// y_i = 0.1 cos(2i+0.5) reshaped to (2, 6): 0.511594293002.
func TestHyperbolicDistLossGraphJEPA(t *testing.T) {
	x, y := make([]float64, 12), make([]float64, 12)
	for i := range x {
		x[i] = 0.1 * math.Sin(float64(i)+1)
		y[i] = 0.1 * math.Cos(2*float64(i)+0.5)
	}
	f := func(p, q *G.Node) (*G.Node, error) {
		return HyperbolicDistLoss(p, q, HyperbolicLossConfig{Unclamped: true, RowDim: 3 * 2})
	}
	loss, _ := evalLoss(t, nn.Float64, f, x, y, 2, 3, 2)
	assert.InDelta(t, 0.511594293002, loss, 1e-12)
}
