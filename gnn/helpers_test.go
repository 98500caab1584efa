package gnn

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 17)) }

// rt returns a float64 tensor with values uniform in [lo, hi).
func rt(seed uint64, lo, hi float64, shape ...int) *tensor.Dense {
	return nn.RandTensor(newRNG(seed), lo, hi, shape...)
}

// testEdges is a small directed multigraph over 6 nodes with a duplicate
// edge (0→2 twice), a self loop (3→3), a node without incoming edges (5)
// and a node without outgoing edges (4).
func testEdges() *Edges {
	src := []int{0, 1, 2, 0, 3, 2, 1, 0, 4, 5}
	tgt := []int{2, 2, 0, 2, 3, 1, 4, 1, 0, 4}
	e, err := EdgesOf([2][]int{src, tgt}, 6)
	if err != nil {
		panic(err)
	}
	return e
}

// gradCase is one finite-difference check of a layer with respect to its
// inputs and its trainable parameters.
type gradCase struct {
	name   string
	inputs []*tensor.Dense
	noGrad []int
	params []*nn.Param
	train  bool
	tol    float64
	build  func(g *nn.Graph, in []*G.Node) (*G.Node, error)
}

func runGradCases(t *testing.T, cases []gradCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tol := tc.tol
			if tol == 0 {
				tol = 1e-6
			}
			res, err := nn.GradCheck(tc.build, tc.inputs, &nn.GradCheckConfig{
				NoGrad: tc.noGrad, Params: tc.params, Train: tc.train, Tol: tol})
			require.NoError(t, err)
			n := 0
			for i, x := range tc.inputs {
				if !contains(tc.noGrad, i) {
					n += x.Shape().TotalSize()
				}
			}
			for _, p := range tc.params {
				n += p.Len()
			}
			require.Equal(t, n, res.Checked, "every input and parameter element is checked")
		})
	}
}

func contains(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// trainable returns the trainable parameters of modules.
func trainable(ms ...nn.Module) []*nn.Param {
	var out []*nn.Param
	for _, m := range ms {
		out = append(out, m.Params().Trainable()...)
	}
	return out
}

// runForward builds a float64 evaluation (or training) graph with one input
// per tensor, adds build and returns the output values after one run.
func runForward(t *testing.T, train bool, inputs []*tensor.Dense, build func(g *nn.Graph, in []*G.Node) (*G.Node, error)) []float64 {
	t.Helper()
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64, Train: train})
	nodes := make([]*G.Node, len(inputs))
	for i, x := range inputs {
		in := g.Input("in", x.Shape()...)
		require.NoError(t, in.Set(x.Data().([]float64)))
		nodes[i] = in.Node
	}
	out, err := build(g, nodes)
	require.NoError(t, err)
	o := g.Read(out)
	p, err := nn.Compile(g, nil)
	require.NoError(t, err)
	defer p.Close()
	require.NoError(t, p.Run())
	return o.Float64s()
}
