package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// runBoth evaluates build on the same input in float32 and float64 and
// returns the outputs and the input gradients of Σ out ⊙ R.
func runBoth(t *testing.T, x64 *tensor.Dense, build func(g *Graph, x *G.Node) (*G.Node, error)) (out32, out64, grad32, grad64 []float64) {
	t.Helper()
	for _, dt := range []tensor.Dtype{Float32, Float64} {
		g := NewGraph(GraphConfig{Dtype: dt})
		p := NewParam("x", dt, x64.Shape()...)
		for i, v := range x64.Float64s() {
			if dt == Float32 {
				p.Float32s()[i] = float32(v)
			} else {
				p.Float64s()[i] = v
			}
		}
		out, err := build(g, g.Param(p))
		require.NoError(t, err)
		r := g.Input("r", out.Shape()...)
		rv := make([]float64, out.Shape().TotalSize())
		for i := range rv {
			rv[i] = math.Sin(float64(i) + 0.5)
		}
		require.NoError(t, r.Set(rv))
		o := g.Read(out)
		loss := G.Must(G.Sum(G.Must(G.HadamardProd(out, r.Node))))
		prog, err := Compile(g, loss)
		require.NoError(t, err)
		require.NoError(t, prog.Run())
		var gr []float64
		if dt == Float32 {
			for _, v := range p.GradFloat32s() {
				gr = append(gr, float64(v))
			}
			out32, grad32 = o.Float64s(), gr
		} else {
			out64, grad64 = o.Float64s(), append(gr, p.GradFloat64s()...)
		}
	}
	return
}

// TestFloat32AgreesWithFloat64 covers the float32 kernels, which the float64
// gradient checks do not reach (fast tanh/erf/exp approximations, BLAS
// sgemm paths).
func TestFloat32AgreesWithFloat64(t *testing.T) {
	cases := []struct {
		name  string
		x     *tensor.Dense
		tol   float64
		build func(g *Graph, x *G.Node) (*G.Node, error)
	}{
		{"GELU", rt(1, -6, 6, 400), 1e-6, func(g *Graph, x *G.Node) (*G.Node, error) { return GELU(x) }},
		{"GELUTanh", rt(2, -6, 6, 400), 3e-6, func(g *Graph, x *G.Node) (*G.Node, error) { return GELUTanh(x) }},
		{"ReLU", rt(3, -6, 6, 400), 1e-6, func(g *Graph, x *G.Node) (*G.Node, error) { return ReLU(x) }},
		{"LayerNorm", rt(4, -3, 3, 7, 16), 1e-5, func(g *Graph, x *G.Node) (*G.Node, error) { return LayerNormOp(x, nil, nil, 1e-5) }},
		{"Attention", rt(5, -1, 1, 2, 5, 12), 1e-5, func(g *Graph, x *G.Node) (*G.Node, error) {
			return PackedAttentionOp(x, nil, nil, AttentionConfig{Heads: 2})
		}},
		{"Attention masked", rt(6, -2, 2, 2, 5, 12), 1e-5, func(g *Graph, x *G.Node) (*G.Node, error) {
			m := g.Input("mask", 2, 5)
			if err := m.Set([]float64{1, 0, 1, 1, 0, 0, 0, 0, 0, 0}); err != nil { // second sample fully padded
				return nil, err
			}
			return PackedAttentionOp(x, m.Node, nil, AttentionConfig{Heads: 2})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o32, o64, g32, g64 := runBoth(t, tc.x, tc.build)
			require.InDeltaSlice(t, o64, o32, tc.tol)
			require.InDeltaSlice(t, g64, g32, tc.tol)
		})
	}
}
