package gnn

import (
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// permRows returns y with y[perm[i]] = x[i] for the rows of x (first axis).
func permRows(x *tensor.Dense, perm []int) *tensor.Dense {
	s := x.Shape()
	w := s.TotalSize() / s[0]
	src := x.Data().([]float64)
	dst := make([]float64, len(src))
	for i, p := range perm {
		copy(dst[p*w:(p+1)*w], src[i*w:(i+1)*w])
	}
	return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dst))
}

// permAxis1 permutes axis 1 of x [B, T, ...] within every b: y[b, perm[b][t]] = x[b, t].
func permAxis1(x *tensor.Dense, perm [][]int) *tensor.Dense {
	s := x.Shape()
	b, t := s[0], s[1]
	w := s.TotalSize() / (b * t)
	src := x.Data().([]float64)
	dst := make([]float64, len(src))
	for i := 0; i < b; i++ {
		for j, p := range perm[i] {
			copy(dst[(i*t+p)*w:(i*t+p+1)*w], src[(i*t+j)*w:(i*t+j+1)*w])
		}
	}
	return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dst))
}

// permuteValues applies y[perm[i]] = x[i] to row blocks of width w of a flat slice.
func permuteValues(x []float64, perm []int, w int) []float64 {
	y := make([]float64, len(x))
	for i, p := range perm {
		copy(y[p*w:(p+1)*w], x[i*w:(i+1)*w])
	}
	return y
}

// randomGraph returns random edges over n nodes (duplicates and self loops
// possible) as index slices.
func randomGraph(seed uint64, n, m int) (src, tgt []int) {
	rng := newRNG(seed)
	src, tgt = make([]int, m), make([]int, m)
	for k := range src {
		src[k], tgt[k] = rng.IntN(n), rng.IntN(n)
	}
	return src, tgt
}

// TestMessagePassingEquivariance relabels the nodes with a permutation π
// and shuffles the edge list with σ; every layer's output must be the
// original output with rows permuted by π.
func TestMessagePassingEquivariance(t *testing.T) {
	const n, m, d = 9, 24, 4
	f64 := nn.Float64
	rng := newRNG(5)
	src, tgt := randomGraph(6, n, m)
	pi, sigma := rng.Perm(n), rng.Perm(m)
	psrc, ptgt := make([]int, m), make([]int, m)
	for k := range src {
		psrc[sigma[k]], ptgt[sigma[k]] = pi[src[k]], pi[tgt[k]]
	}
	x, e := rt(7, -1, 1, n, d), rt(8, -1, 1, m, d)
	px, pe := permRows(x, pi), permRows(e, sigma)

	gin := NewGIN("gin", nn.NewMLP("gin.nn", []int{d, 5, 3}, nn.MLPConfig{Dtype: f64, Norm: nn.NormBatch}, rng), GINConfig{Dtype: f64, Eps: 0.1})
	gine := NewBlock(NewGINE("gine", GraphJEPAMLP("gine.nn", d, d, f64, rng), GINConfig{Dtype: f64}, rng),
		nn.NewBatchNorm("norm", d, nn.BatchNormConfig{Dtype: f64}), BlockConfig{})
	gcn := NewGCN("gcn", d, 3, GCNConfig{Dtype: f64}, rng)
	nn.FillUniform(gcn.Bias, rng, -1, 1)
	type layer struct {
		name  string
		width int
		run   func(g *nn.Graph, x, e *G.Node, edges *Edges) (*G.Node, error)
	}
	layers := []layer{
		{"GIN train BN", 3, func(g *nn.Graph, x, e *G.Node, ed *Edges) (*G.Node, error) { return gin.Forward(g, x, ed, nil) }},
		{"GINE block", d, func(g *nn.Graph, x, e *G.Node, ed *Edges) (*G.Node, error) { return gine.Forward(g, x, ed, e) }},
		{"GCN", 3, func(g *nn.Graph, x, e *G.Node, ed *Edges) (*G.Node, error) { return gcn.Forward(g, x, ed, nil) }},
	}
	for _, a := range []Aggr{Sum, Mean, Max} {
		cfg := PropagateConfig{Aggr: a, ReLU: true}
		layers = append(layers, layer{"Propagate " + a.String(), d, func(g *nn.Graph, x, e *G.Node, ed *Edges) (*G.Node, error) {
			return Propagate(x, e, ed, cfg)
		}})
	}
	for _, l := range layers {
		t.Run(l.name, func(t *testing.T) {
			run := func(x, e *tensor.Dense, s, tg []int) []float64 {
				ed, err := EdgesOf([2][]int{s, tg}, n)
				require.NoError(t, err)
				return runForward(t, true, []*tensor.Dense{x, e}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
					return l.run(g, in[0], in[1], ed)
				})
			}
			want := permuteValues(run(x, e, src, tgt), pi, l.width)
			got := run(px, pe, psrc, ptgt)
			require.InDeltaSlice(t, want, got, 1e-12)
			require.NotEqual(t, run(x, e, src, tgt), got, "the permutation must move something")
		})
	}
}

// TestReadoutInvariance permutes the nodes (rows of x and entries of the
// batch vector together): graph-level outputs must not change.
func TestReadoutInvariance(t *testing.T) {
	batch := []int{0, 1, 1, 0, 2, 1, 0, 0, 2}
	x := rt(1, -1, 1, len(batch), 3)
	pi := newRNG(2).Perm(len(batch))
	pb := make([]int, len(batch))
	for i, b := range batch {
		pb[pi[i]] = b
	}
	for _, a := range []Aggr{Sum, Mean, Max} {
		t.Run(a.String(), func(t *testing.T) {
			run := func(x *tensor.Dense, b []int) []float64 {
				return runForward(t, false, []*tensor.Dense{x}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
					return Pool(in[0], nn.IndicesOf("batch", b), 4, a)
				})
			}
			want := run(x, batch)
			require.InDeltaSlice(t, want, run(permRows(x, pi), pb), 1e-12)
			require.Equal(t, []float64{0, 0, 0}, want[9:], "graph 3 has no nodes")
		})
	}
	t.Run("MaskedMean", func(t *testing.T) {
		x := rt(3, -1, 1, 2, 4, 3)
		mask := []float64{1, 0, 1, 1, 0, 1, 1, 0}
		perm := [][]int{{2, 0, 3, 1}, {1, 3, 0, 2}}
		mt := tensor.New(tensor.WithShape(2, 4), tensor.WithBacking(mask))
		run := func(x, m *tensor.Dense) []float64 {
			return runForward(t, false, []*tensor.Dense{x, m}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
				return MaskedMean(in[0], in[1])
			})
		}
		require.InDeltaSlice(t, run(x, mt), run(permAxis1(x, perm), permAxis1(mt, perm)), 1e-12)
	})
}

// TestSetInvariance: PointNet, MiniPointNet and PMA outputs do not depend
// on the order of the points (PMA also not on padded values); SAB and ISAB
// outputs follow the permutation.
func TestSetInvariance(t *testing.T) {
	f64 := nn.Float64
	rng := newRNG(9)
	const b, p = 3, 6
	perm := [][]int{rng.Perm(p), rng.Perm(p), rng.Perm(p)}
	pts := rt(10, -1, 1, b, p, 3)
	ppts := permAxis1(pts, perm)
	pn := NewPointNet("pn", []int{3, 8, 8}, nn.MLPConfig{Dtype: f64, Norm: nn.NormBatch, FinalActivation: true}, rng)
	mini := NewMiniPointNet("tok", MiniPointNetConfig{Dtype: f64, Hidden1: 8, Global: 6, Hidden2: 8, Out: 5}, rng)
	for _, tc := range []struct {
		name  string
		build func(g *nn.Graph, x *G.Node) (*G.Node, error)
	}{
		{"PointNet", pn.Forward},
		{"MiniPointNet", mini.Forward},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := func(x *tensor.Dense) []float64 {
				return runForward(t, true, []*tensor.Dense{x}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return tc.build(g, in[0]) })
			}
			require.InDeltaSlice(t, run(pts), run(ppts), 1e-12)
		})
	}

	const d = 4
	maskVals := []float64{1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}
	mask := tensor.New(tensor.WithShape(b, p), tensor.WithBacking(maskVals))
	x := rt(11, -1, 1, b, p, d)
	// Keep the padding at the end so that the permuted input has the same
	// mask; permute only the valid elements of each set.
	vperm := [][]int{permPrefix(rng, p, 4), permPrefix(rng, p, 6), permPrefix(rng, p, 3)}
	px := permAxis1(x, vperm)
	// Change the padded values: they must not matter.
	pxd := px.Data().([]float64)
	for i, m := range maskVals {
		if m == 0 {
			for k := 0; k < d; k++ {
				pxd[i*d+k] = 100 * float64(k+1)
			}
		}
	}
	for _, form := range []SetForm{PaperForm, OfficialForm} {
		cfg := MABConfig{Dtype: f64, Heads: 2, Form: form}
		pma := NewPMA("pma", d, 2, cfg, rng)
		sab := NewSAB("sab", d, d, cfg, rng)
		isab := NewISAB("isab", d, d, 3, cfg, rng)
		name := map[SetForm]string{PaperForm: "paper", OfficialForm: "official"}[form]
		run := func(build func(g *nn.Graph, x, m *G.Node) (*G.Node, error), x *tensor.Dense) []float64 {
			return runForward(t, false, []*tensor.Dense{x, mask}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
				return build(g, in[0], in[1])
			})
		}
		t.Run("PMA "+name, func(t *testing.T) {
			require.InDeltaSlice(t, run(pma.Forward, x), run(pma.Forward, px), 1e-12)
		})
		for _, eq := range []struct {
			name  string
			build func(g *nn.Graph, x, m *G.Node) (*G.Node, error)
		}{{"SAB", sab.Forward}, {"ISAB", isab.Forward}} {
			t.Run(eq.name+" "+name, func(t *testing.T) {
				want := permAxis1(tensor.New(tensor.WithShape(b, p, d), tensor.WithBacking(run(eq.build, x))), vperm).Data().([]float64)
				got := run(eq.build, px)
				for i, m := range maskVals {
					if m == 1 {
						require.InDeltaSlice(t, want[i*d:(i+1)*d], got[i*d:(i+1)*d], 1e-12, "set element %d", i)
					}
				}
			})
		}
	}
}

// permPrefix returns a permutation of [0, n) that shuffles the first k
// positions and fixes the rest.
func permPrefix(rng interface{ Perm(int) []int }, n, k int) []int {
	p := rng.Perm(k)
	for i := k; i < n; i++ {
		p = append(p, i)
	}
	return p
}
