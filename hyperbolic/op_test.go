package hyperbolic

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Tests of the differentiable graph ops: nn.GradCheck (float64 central
// differences through the compiled graph) for every op, float32 graphs
// against float64 ones, the edge-case table through the ops, and shape
// errors.

// opCase is one graph op on fixed float64 inputs.
type opCase struct {
	name   string
	inputs []*tensor.Dense
	build  func(in []*G.Node) (*G.Node, error)
}

// mat wraps a row-major slice as an n×d tensor (a copy).
func mat(v []float64, d int) *tensor.Dense {
	return tensor.New(tensor.WithShape(len(v)/d, d), tensor.WithBacking(slices.Clone(v)))
}

// vec wraps a slice as a vector tensor (a copy).
func vec(v []float64) *tensor.Dense {
	return tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(slices.Clone(v)))
}

const opN, opD = 5, 4

// opCases returns a case for every op (several settings for some), on
// batches of opN rows away from the clamp thresholds, where the
// finite differences are meaningful. Every point stays well inside the
// float32 projection radius too, so float32 and float64 graphs compute
// the same map.
func opCases() []opCase {
	var cases []opCase
	add := func(name string, build func(in []*G.Node) (*G.Node, error), in ...*tensor.Dense) {
		cases = append(cases, opCase{name, in, build})
	}
	for _, c := range []float64{1, 0.7} {
		b := Ball{C: c}
		rng := newRand(uint64(10 * c))
		pts := func(rmax float64) *tensor.Dense { return mat(ballPoints(rng, opN, opD, c, rmax), opD) }
		tan := func(s float64) *tensor.Dense { return mat(gauss(rng, opN*opD, s/math.Sqrt(c)), opD) }
		p := func(s string) string { return fmt.Sprintf("Ball c=%v %s", c, s) }
		one := func(f func(*G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
			return func(in []*G.Node) (*G.Node, error) { return f(in[0]) }
		}
		two := func(f func(_, _ *G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
			return func(in []*G.Node) (*G.Node, error) { return f(in[0], in[1]) }
		}
		three := func(f func(_, _, _ *G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
			return func(in []*G.Node) (*G.Node, error) { return f(in[0], in[1], in[2]) }
		}
		// Projx: some rows beyond the radius (scaled by up to 1.3).
		beyond := ballPoints(rng, opN, opD, c, 1.3)
		// An explicit Eps: by default the radius follows the graph's dtype
		// (TestOpsProjEpsFollowsDtype), and the float32 and float64 graphs
		// are compared below.
		add(p("Projx"), one(Ball{C: c, Eps: 1e-3}.ProjxNode), mat(beyond, opD))
		add(p("Expmap0"), one(b.Expmap0Node), tan(0.4))
		add(p("Logmap0"), one(b.Logmap0Node), pts(0.9))
		add(p("Lambda"), one(b.LambdaNode), pts(0.8))
		add(p("Expmap"), two(b.ExpmapNode), pts(0.5), tan(0.3))
		add(p("Logmap"), two(b.LogmapNode), pts(0.6), pts(0.6))
		add(p("MobiusAdd"), two(b.MobiusAddNode), pts(0.5), pts(0.5))
		add(p("Dist"), two(b.DistNode), pts(0.8), pts(0.8))
		add(p("Dist unclamped"), two(Ball{C: c, Unclamped: true}.DistNode), pts(0.8), pts(0.8))
		add(p("Gyration"), three(b.GyrationNode), pts(0.6), pts(0.6), tan(1))
		add(p("Transp"), three(b.TranspNode), pts(0.6), pts(0.6), tan(1))
		add(p("MobiusScalarMul"), one(func(x *G.Node) (*G.Node, error) { return b.MobiusScalarMulNode(-1.7, x) }), pts(0.5))
		add(p("MobiusMatvec"), two(b.MobiusMatvecNode), mat(gauss(rng, 3*opD, 0.4), opD), pts(0.5))
		// A chain of ops: the distance between exp_0 of two tangent sets.
		add(p("Dist∘Expmap0"), func(in []*G.Node) (*G.Node, error) {
			x, err := b.Expmap0Node(in[0])
			if err != nil {
				return nil, err
			}
			y, err := b.Expmap0Node(in[1])
			if err != nil {
				return nil, err
			}
			return b.DistNode(x, y)
		}, tan(0.4), tan(0.4))
	}
	const k = 1.5
	l := Lorentz{K: k}
	m := opD - 1
	lpts := func(seed uint64) *tensor.Dense { return mat(lorentzPoints(l, seed, opN, m, 1.5), opD) }
	ltan := func(seed uint64) *tensor.Dense {
		x := lorentzPoints(l, seed, opN, m, 1.5)
		return mat(l.Proju(nil, x, gauss(newRand(seed+1), opN*opD, 0.5), opD), opD)
	}
	tan0 := func(seed uint64) *tensor.Dense {
		u := gauss(newRand(seed), opN*opD, 0.6)
		for r := range opN {
			u[r*opD] = 0
		}
		return mat(u, opD)
	}
	add("Lorentz Inner", func(in []*G.Node) (*G.Node, error) { return l.InnerNode(in[0], in[1]) },
		mat(gauss(newRand(1), opN*opD, 1), opD), mat(gauss(newRand(2), opN*opD, 1), opD))
	off := gauss(newRand(3), opN*opD, 1)
	for r := range opN {
		off[r*opD] = 4 // a time coordinate off the sheet, discarded
	}
	add("Lorentz Projx", func(in []*G.Node) (*G.Node, error) { return l.ProjxNode(in[0]) }, mat(off, opD))
	add("Lorentz Proju", func(in []*G.Node) (*G.Node, error) { return l.ProjuNode(in[0], in[1]) },
		lpts(4), mat(gauss(newRand(5), opN*opD, 1), opD))
	add("Lorentz Expmap0", func(in []*G.Node) (*G.Node, error) { return l.Expmap0Node(in[0]) }, tan0(6))
	add("Lorentz Logmap0", func(in []*G.Node) (*G.Node, error) { return l.Logmap0Node(in[0]) }, lpts(7))
	// Expmap at x of a tangent vector at x: x and u from the same seed.
	add("Lorentz Expmap", func(in []*G.Node) (*G.Node, error) { return l.ExpmapNode(in[0], in[1]) }, lpts(8), ltan(8))
	add("Lorentz Logmap", func(in []*G.Node) (*G.Node, error) { return l.LogmapNode(in[0], in[1]) }, lpts(9), lpts(10))
	add("Lorentz Dist", func(in []*G.Node) (*G.Node, error) { return l.DistNode(in[0], in[1]) }, lpts(11), lpts(12))
	add("Lorentz FromBall", func(in []*G.Node) (*G.Node, error) { return l.FromBallNode(in[0]) },
		mat(ballPoints(newRand(13), opN, m, 1/k, 0.8), m))
	add("Lorentz ToBall", func(in []*G.Node) (*G.Node, error) { return l.ToBallNode(in[0]) }, lpts(14))

	for _, h := range []Hyperbola{{}, {Unclamped: true}} {
		p := func(s string) string { return fmt.Sprintf("Hyperbola unclamped=%v %s", h.Unclamped, s) }
		zs := []float64{-1.3, -0.2, 0.4, 1.1, 2.5}
		add(p("FromMean"), func(in []*G.Node) (*G.Node, error) { return h.FromMeanNode(in[0]) },
			mat(gauss(newRand(20), opN*opD, 1), opD))
		add(p("FromScalar"), func(in []*G.Node) (*G.Node, error) { return h.FromScalarNode(in[0]) }, vec(zs))
		pts := h.FromScalar(nil, zs)
		add(p("ToScalar"), func(in []*G.Node) (*G.Node, error) { return h.ToScalarNode(in[0]) }, mat(pts, 2))
		add(p("Projx"), func(in []*G.Node) (*G.Node, error) { return h.ProjxNode(in[0]) },
			mat([]float64{3, -0.4, 0.2, 0.9, 1, 1.5, 7, -2, 0, 0}, 2))
		add(p("Dist"), func(in []*G.Node) (*G.Node, error) { return h.DistNode(in[0], in[1]) },
			mat(pts, 2), mat(h.FromScalar(nil, []float64{0.3, -1.1, 1.4, 0.2, -2}), 2))
	}
	// Graph-JEPA's target and a hyperbola loss between a prediction and it.
	add("HyperbolaFromMean", func(in []*G.Node) (*G.Node, error) { return HyperbolaFromMean(in[0]) },
		mat(gauss(newRand(21), opN*8, 0.7), 8))
	return cases
}

func TestOpsGradCheck(t *testing.T) {
	for _, tc := range opCases() {
		t.Run(tc.name, func(t *testing.T) {
			res, err := nn.GradCheck(func(_ *nn.Graph, in []*G.Node) (*G.Node, error) { return tc.build(in) }, tc.inputs, nil)
			require.NoError(t, err)
			require.Equal(t, totalSize(tc.inputs), res.Checked)
		})
	}
}

func totalSize(ts []*tensor.Dense) int {
	var n int
	for _, t := range ts {
		n += t.Shape().TotalSize()
	}
	return n
}

// runGraph builds tc in a graph of dtype dt on inputs converted to dt,
// runs it once with the loss Σ out ⊙ R (R fixed, or all ones when ones is
// set) and returns the output and the gradient of every input, as
// float64s.
func runGraph(t *testing.T, dt tensor.Dtype, inputs []*tensor.Dense, build func(in []*G.Node) (*G.Node, error), ones bool) (out []float64, grads [][]float64) {
	t.Helper()
	g := nn.NewGraph(nn.GraphConfig{Dtype: dt})
	params := make([]*nn.Param, len(inputs))
	nodes := make([]*G.Node, len(inputs))
	for i, in := range inputs {
		p := nn.NewParam(fmt.Sprintf("in%d", i), dt, in.Shape()...)
		for j, v := range in.Float64s() {
			if dt == nn.Float32 {
				p.Float32s()[j] = float32(v)
			} else {
				p.Float64s()[j] = v
			}
		}
		params[i], nodes[i] = p, g.Param(p)
	}
	o, err := build(nodes)
	require.NoError(t, err)
	r := g.Input("r", o.Shape()...)
	rv := make([]float64, o.Shape().TotalSize())
	for i := range rv {
		rv[i] = 1
		if !ones {
			rv[i] = math.Sin(float64(i) + 0.5)
		}
	}
	require.NoError(t, r.Set(rv))
	read := g.Read(o)
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(o, r.Node))))
	prog, err := nn.Compile(g, loss)
	require.NoError(t, err)
	defer prog.Close()
	require.NoError(t, prog.Run())
	grads = make([][]float64, len(params))
	for i, p := range params {
		if dt == nn.Float32 {
			grads[i] = toF64(p.GradFloat32s())
		} else {
			grads[i] = slices.Clone(p.GradFloat64s())
		}
	}
	return read.Float64s(), grads
}

func TestOpsFloat32MatchFloat64(t *testing.T) {
	for _, tc := range opCases() {
		t.Run(tc.name, func(t *testing.T) {
			// Round the inputs to float32 so both graphs see the same values.
			in := make([]*tensor.Dense, len(tc.inputs))
			for i, x := range tc.inputs {
				in[i] = tensor.New(tensor.WithShape(x.Shape()...), tensor.WithBacking(toF64(toF32(x.Float64s()))))
			}
			o32, g32 := runGraph(t, nn.Float32, in, tc.build, false)
			o64, g64 := runGraph(t, nn.Float64, in, tc.build, false)
			// float32 storage of values computed in float64: agreement to
			// a few float32 ulps of the largest magnitude in play.
			requireClose(t, "output", o32, o64, 2e-6*maxAbs(o64), 2e-6)
			for i := range g64 {
				requireClose(t, fmt.Sprintf("gradient of input %d", i), g32[i], g64[i], 1e-5*maxAbs(g64[i]), 1e-5)
			}
		})
	}
}

func maxAbs(v []float64) float64 {
	m := 1.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// requireOpFinite runs build on the inputs in float32 and float64 graphs
// with the loss Σ out and checks that the output and every gradient are
// finite.
func requireOpFinite(t *testing.T, name string, build func(in []*G.Node) (*G.Node, error), inputs ...*tensor.Dense) {
	t.Helper()
	for _, dt := range []tensor.Dtype{nn.Float32, nn.Float64} {
		requireOpFiniteIn(t, dt, name, build, inputs...)
	}
}

// requireOpFiniteIn is requireOpFinite for one dtype.
func requireOpFiniteIn(t *testing.T, dt tensor.Dtype, name string, build func(in []*G.Node) (*G.Node, error), inputs ...*tensor.Dense) {
	t.Helper()
	out, grads := runGraph(t, dt, inputs, build, true)
	requireFinite(t, fmt.Sprintf("%s %v output", name, dt), out)
	for i, g := range grads {
		requireFinite(t, fmt.Sprintf("%s %v gradient of input %d", name, dt, i), g)
	}
}

// edgePairs returns every ordered pair of the named rows as two n×d
// batches (n = len(rows)²), and a third batch, the y rows reversed, for
// three-input ops.
func edgePairs(rows map[string][]float64, d int) (x, y, z *tensor.Dense) {
	names := make([]string, 0, len(rows))
	for k := range rows {
		names = append(names, k)
	}
	slices.Sort(names)
	var xs, ys []float64
	for _, a := range names {
		for _, b := range names {
			xs = append(xs, rows[a]...)
			ys = append(ys, rows[b]...)
		}
	}
	zs := slices.Clone(ys)
	for i, j := 0, len(zs)/d-1; i < j; i, j = i+1, j-1 {
		for k := range d {
			zs[i*d+k], zs[j*d+k] = zs[j*d+k], zs[i*d+k]
		}
	}
	return mat(xs, d), mat(ys, d), mat(zs, d)
}

func TestOpsEdgeCases(t *testing.T) {
	for _, c := range []float64{1, 0.3, 4} {
		b := Ball{C: c}
		x, y, z := edgePairs(ballEdgeRows(c), edgeD)
		name := func(op string) string { return fmt.Sprintf("Ball c=%v %s", c, op) }
		one := func(f func(*G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
			return func(in []*G.Node) (*G.Node, error) { return f(in[0]) }
		}
		two := func(f func(_, _ *G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
			return func(in []*G.Node) (*G.Node, error) { return f(in[0], in[1]) }
		}
		three := func(f func(_, _, _ *G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
			return func(in []*G.Node) (*G.Node, error) { return f(in[0], in[1], in[2]) }
		}
		requireOpFinite(t, name("Projx"), one(b.ProjxNode), x)
		requireOpFinite(t, name("Expmap0"), one(b.Expmap0Node), x)
		requireOpFinite(t, name("Logmap0"), one(b.Logmap0Node), x)
		requireOpFinite(t, name("Lambda"), one(b.LambdaNode), x)
		requireOpFinite(t, name("Expmap"), two(b.ExpmapNode), x, y)
		requireOpFinite(t, name("Logmap"), two(b.LogmapNode), x, y)
		requireOpFinite(t, name("MobiusAdd"), two(b.MobiusAddNode), x, y)
		requireOpFinite(t, name("Dist"), two(b.DistNode), x, y)
		requireOpFinite(t, name("Gyration"), three(b.GyrationNode), x, y, z)
		requireOpFinite(t, name("Transp"), three(b.TranspNode), x, y, z)
		for _, r := range []float64{-3, 0, 1e6} {
			requireOpFinite(t, name(fmt.Sprintf("MobiusScalarMul r=%v", r)),
				one(func(x *G.Node) (*G.Node, error) { return b.MobiusScalarMulNode(r, x) }), x)
		}
		w := mat([]float64{1, 2, 3, -4, 0.5, 6}, edgeD)
		requireOpFinite(t, name("MobiusMatvec"), two(b.MobiusMatvecNode), w, x)
		// Composition: the distance between exp_0 of edge tangent vectors.
		requireOpFinite(t, name("Dist∘Expmap0"), func(in []*G.Node) (*G.Node, error) {
			p, err := b.Expmap0Node(in[0])
			if err != nil {
				return nil, err
			}
			q, err := b.Expmap0Node(in[1])
			if err != nil {
				return nil, err
			}
			return b.DistNode(p, q)
		}, x, y)
	}

	for _, k := range []float64{1, 0.3, 4} {
		l := Lorentz{K: k}
		const d = 4
		rk := math.Sqrt(k)
		for _, dt := range []tensor.Dtype{nn.Float32, nn.Float64} {
			// The far point is what the dtype's own Expmap0 makes of a
			// 1e6-sized tangent vector: cosh(15)-sized in float32
			// (MaxCoshArg32), cosh(50)-sized in float64.
			far := l.Expmap0(nil, []float64{0, 1e6, 0, 0}, d)
			if dt == nn.Float32 {
				far = toF64(Lorentz32{K: k}.Expmap0(nil, []float32{0, 1e6, 0, 0}, d))
			}
			rows := map[string][]float64{
				"zero":     make([]float64, d),
				"origin":   {rk, 0, 0, 0},
				"moderate": l.Expmap0(nil, []float64{0, 0.3, -0.2, 0.1}, d),
				"far":      far,
				"huge raw": {1e6, -1e6, 2e6, 0},
				"negative": {-3, 1, 1, 1},
				"tangent":  {0, 1e-12, 0, 0},
			}
			x, y, _ := edgePairs(rows, d)
			name := func(op string) string { return fmt.Sprintf("Lorentz k=%v %s", k, op) }
			check := func(op string, build func(in []*G.Node) (*G.Node, error), in ...*tensor.Dense) {
				requireOpFiniteIn(t, dt, name(op), build, in...)
			}
			check("Inner", func(in []*G.Node) (*G.Node, error) { return l.InnerNode(in[0], in[1]) }, x, y)
			check("Projx", func(in []*G.Node) (*G.Node, error) { return l.ProjxNode(in[0]) }, x)
			check("Proju", func(in []*G.Node) (*G.Node, error) { return l.ProjuNode(in[0], in[1]) }, x, y)
			check("Expmap0", func(in []*G.Node) (*G.Node, error) { return l.Expmap0Node(in[0]) }, x)
			check("Logmap0", func(in []*G.Node) (*G.Node, error) { return l.Logmap0Node(in[0]) }, x)
			check("Expmap", func(in []*G.Node) (*G.Node, error) { return l.ExpmapNode(in[0], in[1]) }, x, y)
			check("Logmap", func(in []*G.Node) (*G.Node, error) { return l.LogmapNode(in[0], in[1]) }, x, y)
			check("Dist", func(in []*G.Node) (*G.Node, error) { return l.DistNode(in[0], in[1]) }, x, y)
			check("ToBall", func(in []*G.Node) (*G.Node, error) { return l.ToBallNode(in[0]) }, x)
			bx, _, _ := edgePairs(ballEdgeRows(1/k), edgeD)
			check("FromBall", func(in []*G.Node) (*G.Node, error) { return l.FromBallNode(in[0]) }, bx)
		}
	}

	// The unit hyperbola with its clamp (Unclamped reproduces Graph-JEPA's
	// overflow to Inf on purpose).
	{
		h := Hyperbola{}
		z := vec([]float64{0, 1e-300, 1e6, -1e6, 49.9, -60})
		requireOpFinite(t, "Hyperbola FromScalar", func(in []*G.Node) (*G.Node, error) { return h.FromScalarNode(in[0]) }, z)
		x := mat([]float64{1e6, 1e6, 0, 0, -1e6, 3}, 3)
		requireOpFinite(t, "Hyperbola FromMean", func(in []*G.Node) (*G.Node, error) { return h.FromMeanNode(in[0]) }, x)
		q := mat([]float64{0, 0, -5, 1e6, 1e30, -1e30}, 2)
		p := mat([]float64{1, 0, math.Cosh(50), -math.Sinh(50), 3, 1e6}, 2)
		requireOpFinite(t, "Hyperbola ToScalar", func(in []*G.Node) (*G.Node, error) { return h.ToScalarNode(in[0]) }, q)
		requireOpFinite(t, "Hyperbola Projx", func(in []*G.Node) (*G.Node, error) { return h.ProjxNode(in[0]) }, q)
		requireOpFinite(t, "Hyperbola Dist", func(in []*G.Node) (*G.Node, error) { return h.DistNode(in[0], in[1]) }, q, p)
		requireOpFinite(t, "HyperbolaFromMean", func(in []*G.Node) (*G.Node, error) { return HyperbolaFromMean(in[0]) }, x)
	}
}
