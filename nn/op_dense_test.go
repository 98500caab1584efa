package nn

import (
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestDenseOpGradients(t *testing.T) {
	runOpCases(t, []opCase{
		{name: "MaxAxis1", inputs: []*tensor.Dense{distinctTensor(90, 3, 4, 5)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return MaxAxis1(in[0]) }},
		{name: "RepeatAxis1", inputs: []*tensor.Dense{rt(91, -1, 1, 3, 4)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return RepeatAxis1(in[0], 5) }},
		{name: "ConcatLast 3d", inputs: []*tensor.Dense{rt(92, -1, 1, 2, 3, 4), rt(93, -1, 1, 2, 3, 1), rt(94, -1, 1, 2, 3, 2)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return ConcatLast(in[0], in[1], in[2]) }},
		{name: "ConcatLast 1d", inputs: []*tensor.Dense{rt(95, -1, 1, 3), rt(96, -1, 1, 2)},
			build: func(g *Graph, in []*G.Node) (*G.Node, error) { return ConcatLast(in[0], in[1]) }},
	})
}

func TestDenseOpValues(t *testing.T) {
	g := NewGraph(GraphConfig{Dtype: Float64})
	x := g.Input("x", 1, 3, 2)
	require.NoError(t, x.Set([]float64{1, 9, 5, 2, 3, 4}))
	mx := g.Read(G.Must(MaxAxis1(x.Node)))
	rep := g.Read(G.Must(RepeatAxis1(G.Must(MaxAxis1(x.Node)), 2)))
	cat := g.Read(G.Must(ConcatLast(x.Node, x.Node)))
	p, err := Compile(g, nil)
	require.NoError(t, err)
	require.NoError(t, p.Run())
	require.Equal(t, []float64{5, 9}, mx.Float64s())
	require.Equal(t, []float64{5, 9, 5, 9}, rep.Float64s())
	require.Equal(t, []float64{1, 9, 1, 9, 5, 2, 5, 2, 3, 4, 3, 4}, cat.Float64s())

	_, err = ConcatLast(x.Node, g.Input("y", 1, 2, 2).Node)
	require.ErrorContains(t, err, "(1, 2, 2)")
	_, err = MaxAxis1(g.Input("z", 3, 2).Node)
	require.ErrorContains(t, err, "[N,K,C]")
}
