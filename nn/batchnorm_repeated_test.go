package nn

import (
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// repeatIndex expands counts into the index list that repeats row r
// counts[r] times, in an interleaved order (not grouped by row).
func repeatIndex(counts []int) []int {
	var idx []int
	for round := 0; ; round++ {
		added := false
		for r, n := range counts {
			if round < n {
				idx = append(idx, r)
				added = true
			}
		}
		if !added {
			return idx
		}
	}
}

// bnRun is one training-mode pass of a BatchNorm: the output, the
// gradients of Σ out ⊙ R with respect to x, γ and β, and the running
// statistics afterwards.
type bnRun struct {
	out, dx, dgamma, dbeta, rm, rv []float64
}

func runRepeatedBN(t *testing.T, dt tensor.Dtype, xs []float64, rows, c int, counts []int, repeated bool, weight []float64) bnRun {
	t.Helper()
	bn := NewBatchNorm("bn", c, BatchNormConfig{Dtype: dt})
	for j, v := range weight {
		setFloat(bn.Weight, j, v)
		setFloat(bn.Bias, j, 0.1*float64(j)-0.2)
	}
	g := NewGraph(GraphConfig{Dtype: dt, Train: true})
	x := NewParam("x", dt, rows, c)
	for i, v := range xs {
		setFloat(x, i, v)
	}
	idx := IndicesOf("idx", repeatIndex(counts))
	var y *G.Node
	var err error
	if repeated {
		y, err = bn.ForwardRepeated(g, g.Param(x), counts)
		require.NoError(t, err)
		y = G.Must(Gather(y, idx))
	} else {
		y, err = bn.Forward(g, G.Must(Gather(g.Param(x), idx)))
		require.NoError(t, err)
	}
	n := len(idx.Ints())
	rp := NewBuffer("R", dt, n, c)
	for i := range n * c {
		setFloat(rp, i, float64((i*7)%11)/5-1)
	}
	o := g.Read(y)
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(y, g.Param(rp)))))
	p, err := Compile(g, loss)
	require.NoError(t, err)
	require.NoError(t, p.Run())
	return bnRun{out: denseFloats(o.Value()), dx: denseFloats(x.Grad), dgamma: denseFloats(bn.Weight.Grad),
		dbeta: denseFloats(bn.Bias.Grad), rm: denseFloats(bn.RunningMean.Value), rv: denseFloats(bn.RunningVar.Value)}
}

func setFloat(p *Param, i int, v float64) {
	switch p.Value.Dtype() {
	case tensor.Float32:
		p.Value.Float32s()[i] = float32(v)
	default:
		p.Value.Float64s()[i] = v
	}
}

func denseFloats(d *tensor.Dense) []float64 {
	switch d.Dtype() {
	case tensor.Float32:
		out := make([]float64, 0, d.Shape().TotalSize())
		for _, v := range d.Float32s()[:d.Shape().TotalSize()] {
			out = append(out, float64(v))
		}
		return out
	default:
		return append([]float64(nil), d.Float64s()[:d.Shape().TotalSize()]...)
	}
}

// TestBatchNormRepeatedMatchesExpanded: BatchNorm over distinct rows with
// counts equals BatchNorm over the expanded batch, gathered: outputs, the
// gradients reaching x (summed over each row's repeats by the gather), γ
// and β, and the running statistics. Zero counts included; more rows than
// one reduction block.
func TestBatchNormRepeatedMatchesExpanded(t *testing.T) {
	for _, tc := range []struct {
		name string
		dt   tensor.Dtype
		tol  float64
	}{{"float64", Float64, 1e-11}, {"float32", Float32, 2e-4}} {
		t.Run(tc.name, func(t *testing.T) {
			rows, c := 300, 3
			counts := make([]int, rows)
			for r := range counts {
				counts[r] = (r * 5) % 4 // 0, 1, 2, 3
			}
			xs := denseFloats(rt(21, -2, 2, rows, c))
			w := []float64{0.7, 1.3, -0.4}
			want := runRepeatedBN(t, tc.dt, xs, rows, c, counts, false, w)
			got := runRepeatedBN(t, tc.dt, xs, rows, c, counts, true, w)
			require.InDeltaSlice(t, want.out, got.out, tc.tol, "output")
			require.InDeltaSlice(t, want.dx, got.dx, tc.tol, "dx")
			require.InDeltaSlice(t, want.dgamma, got.dgamma, tc.tol*float64(rows), "dγ")
			require.InDeltaSlice(t, want.dbeta, got.dbeta, tc.tol*float64(rows), "dβ")
			require.InDeltaSlice(t, want.rm, got.rm, tc.tol, "running mean")
			require.InDeltaSlice(t, want.rv, got.rv, tc.tol, "running var")
			for r, n := range counts {
				if n == 0 {
					for j := range c {
						require.Zero(t, got.dx[r*c+j], "row %d has no repeats: no gradient", r)
					}
				}
			}
		})
	}
}

// TestBatchNormRepeatedGradient: finite differences in float64 through
// ForwardRepeated alone, a function of the distinct rows whose statistics
// weight row r by counts[r].
func TestBatchNormRepeatedGradient(t *testing.T) {
	bn := NewBatchNorm("bn", 2, BatchNormConfig{Dtype: Float64})
	FillUniform(bn.Weight, newRNG(4), 0.5, 1.5)
	FillUniform(bn.Bias, newRNG(5), -0.5, 0.5)
	counts := []int{2, 0, 1, 3, 1, 4}
	res, err := GradCheck(func(g *Graph, in []*G.Node) (*G.Node, error) {
		return bn.ForwardRepeated(g, in[0], counts)
	}, []*tensor.Dense{rt(22, -2, 2, len(counts), 2)}, &GradCheckConfig{Train: true, Params: bn.Params().Trainable(), Tol: 1e-6})
	require.NoError(t, err)
	require.Greater(t, res.Checked, 12)
}

func TestBatchNormRepeatedErrors(t *testing.T) {
	bn := NewBatchNorm("bn", 2, BatchNormConfig{})
	g := NewGraph(GraphConfig{Train: true})
	x := g.Input("x", 3, 2)
	_, err := bn.ForwardRepeated(g, x.Node, []int{1, 2})
	require.ErrorContains(t, err, "2 row counts for 3 rows")
	_, err = bn.ForwardRepeated(g, x.Node, []int{1, -1, 2})
	require.ErrorContains(t, err, "row 1 has count -1")
	_, err = bn.ForwardRepeated(g, x.Node, []int{0, 1, 0})
	require.ErrorContains(t, err, "more than 1 value per channel")
	x3 := g.Input("x3", 1, 3, 2)
	_, err = bn.ForwardRepeated(g, x3.Node, []int{2})
	require.ErrorContains(t, err, "needs input [rows, 2]")
	// Evaluation mode ignores the counts (running statistics).
	ge := NewGraph(GraphConfig{})
	xe := ge.Input("x", 3, 2)
	_, err = bn.ForwardRepeated(ge, xe.Node, []int{0, 1, 0})
	require.NoError(t, err)
}
