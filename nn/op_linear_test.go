package nn

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestLinearOpGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		x    []int
		bias bool
		out  int
	}{
		{"2d bias", []int{5, 4}, true, 3},
		{"3d bias", []int{2, 3, 4}, true, 6},
		{"2d no bias", []int{7, 4}, false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := []*tensor.Dense{RandTensor(rng, -1, 1, tc.x...), RandTensor(rng, -1, 1, tc.out, tc.x[len(tc.x)-1])}
			if tc.bias {
				in = append(in, RandTensor(rng, -1, 1, tc.out))
			}
			res, err := GradCheck(func(g *Graph, n []*G.Node) (*G.Node, error) {
				var b *G.Node
				if tc.bias {
					b = n[2]
				}
				return LinearOp(n[0], n[1], b)
			}, in, nil)
			require.NoError(t, err)
			require.Greater(t, res.Checked, 0)
		})
	}
}
