package gnn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// testEdgeRows gives the 10 edges of testEdges three shared feature rows.
var testEdgeRows = []int{0, 1, 2, 0, 1, 1, 2, 0, 2, 0}

func sharedTestEdges(t *testing.T) *Edges {
	t.Helper()
	e, err := testEdges().WithEdgeRows(nn.IndicesOf("edge_row", testEdgeRows), 3)
	require.NoError(t, err)
	return e
}

// Finite differences through the shared rows: every aggregation, with and
// without ReLU, and GINE with its edge Linear on the shared rows.
func TestSharedEdgeRowsGradients(t *testing.T) {
	edges := sharedTestEdges(t)
	var cases []gradCase
	for _, aggr := range []Aggr{Sum, Mean, Max} {
		for _, relu := range []bool{false, true} {
			cfg := PropagateConfig{Aggr: aggr, ReLU: relu}
			cases = append(cases, gradCase{name: aggr.String() + map[bool]string{false: "", true: " relu"}[relu],
				inputs: []*tensor.Dense{rt(1, -1, 1, 6, 5), rt(2, -1, 1, 3, 5)},
				build:  func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return Propagate(in[0], in[1], edges, cfg) }})
		}
	}
	rng := newRNG(5)
	gine := NewGINE("conv", GraphJEPAMLP("conv.nn", 4, 4, nn.Float64, rng), GINConfig{Dtype: nn.Float64, Eps: 0.2, EdgeDim: 2, NodeDim: 4}, rng)
	cases = append(cases, gradCase{name: "GINE edge Linear", inputs: []*tensor.Dense{rt(3, -1, 1, 6, 4), rt(4, -1, 1, 3, 2)},
		params: trainable(gine), train: true,
		build: func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return gine.Forward(g, in[0], edges, in[1]) }})
	runGradCases(t, cases)
}

// The shared rows compute what the rows gathered to every edge compute:
// outputs and the gradients of x and of the rows, on a graph big enough to
// split the backward pass between workers.
func TestSharedEdgeRowsMatchGathered(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	const n, m, rows, d = 3000, 12000, 4, 24
	rng := rand.New(rand.NewPCG(7, 8))
	src, dst, er := make([]int, m), make([]int, m), make([]int, m)
	for k := range m {
		src[k], dst[k], er[k] = rng.IntN(n), rng.IntN(n), rng.IntN(rows)
	}
	for _, dt := range []struct {
		t   tensor.Dtype
		tol float64
	}{{nn.Float64, 1e-12}, {nn.Float32, 1e-5}} {
		for _, aggr := range []Aggr{Sum, Mean, Max} {
			run := func(shared bool) (out, dx, de []float64) {
				g := nn.NewGraph(nn.GraphConfig{Dtype: dt.t, Train: true})
				x, e := nn.NewParam("x", dt.t, n, d), nn.NewParam("e", dt.t, rows, d)
				r := rand.New(rand.NewPCG(1, 2))
				nn.FillUniform(x, r, -1, 1)
				nn.FillUniform(e, r, -1, 1)
				edges, err := NewEdges(nn.IndicesOf("src", src), nn.IndicesOf("dst", dst), n)
				require.NoError(t, err)
				ea := g.Param(e)
				if shared {
					edges, err = edges.WithEdgeRows(nn.IndicesOf("row", er), rows)
					require.NoError(t, err)
				} else {
					ea = G.Must(nn.Gather(ea, nn.IndicesOf("row", er)))
				}
				y, err := Propagate(g.Param(x), ea, edges, PropagateConfig{Aggr: aggr, ReLU: true})
				require.NoError(t, err)
				o := g.Read(y)
				w := &nn.Param{Name: "w", Value: rt(9, -1, 1, n, d), Buffer: true}
				if dt.t == nn.Float32 {
					w = nn.NewBuffer("w", nn.Float32, n, d)
					nn.FillUniform(w, r, -1, 1)
				}
				p, err := nn.Compile(g, G.Must(G.Sum(G.Must(G.HadamardProd(y, g.Param(w))))))
				require.NoError(t, err)
				defer p.Close()
				require.NoError(t, p.Run())
				return o.Float64s(), floatsOf(x.Grad), floatsOf(e.Grad)
			}
			o0, dx0, de0 := run(false)
			o1, dx1, de1 := run(true)
			name := dt.t.String() + " " + aggr.String()
			assertClose(t, name+" output", o0, o1, dt.tol)
			assertClose(t, name+" dx", dx0, dx1, dt.tol)
			assertClose(t, name+" de", de0, de1, dt.tol*float64(m)/float64(rows)/10)
		}
	}
}

func TestSharedEdgeRowsErrors(t *testing.T) {
	e := testEdges()
	_, err := e.WithEdgeRows(nn.IndicesOf("r", []int{0, 1}), 3)
	require.ErrorContains(t, err, "2 rows for 10 edges")
	_, err = e.WithEdgeRows(nn.IndicesOf("r", testEdgeRows), 0)
	require.ErrorContains(t, err, "0 rows")
	_, err = e.WithEdgeRows(nil, 3)
	require.ErrorContains(t, err, "nil indices")

	// A row outside the table is an error of the run naming the edge.
	bad := append([]int(nil), testEdgeRows...)
	bad[6] = 3
	shared, err := e.WithEdgeRows(nn.IndicesOf("r", bad), 3)
	require.NoError(t, err)
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	x, ea := g.Input("x", 6, 5), g.Input("e", 3, 5)
	y, err := Propagate(x.Node, ea.Node, shared, PropagateConfig{ReLU: true})
	require.NoError(t, err)
	g.Read(y)
	p, err := nn.Compile(g, nil)
	require.NoError(t, err)
	defer p.Close()
	require.ErrorContains(t, p.Run(), "edge 6: edge-feature row 3 outside [0, 3)")

	// Edge features must have the shared row count.
	g = nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	_, err = Propagate(g.Input("x", 6, 5).Node, g.Input("e", 10, 5).Node, sharedTestEdges(t), PropagateConfig{})
	require.ErrorContains(t, err, "3 shared edge rows (want [3 5])")
}

func floatsOf(x *tensor.Dense) []float64 {
	switch v := x.Data().(type) {
	case []float64:
		return append([]float64(nil), v...)
	case []float32:
		out := make([]float64, len(v))
		for i, f := range v {
			out[i] = float64(f)
		}
		return out
	}
	return nil
}

func assertClose(t *testing.T, name string, want, got []float64, tol float64) {
	t.Helper()
	require.Len(t, got, len(want), name)
	worst, at := 0.0, 0
	for i := range want {
		if e := math.Abs(want[i]-got[i]) / math.Max(1, math.Abs(want[i])); e > worst {
			worst, at = e, i
		}
	}
	assert.LessOrEqual(t, worst, tol, "%s: worst error %.3g at %d (want %v, got %v)", name, worst, at, want[at], got[at])
}
