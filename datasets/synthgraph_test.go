package datasets

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSyntheticGraphsDefault(t *testing.T) {
	s := SyntheticGraphs(SyntheticConfig{})
	require.NoError(t, s.Validate())
	assert.Equal(t, 180, s.Len())
	assert.Equal(t, []int{60, 60, 60}, s.ClassCounts())
	assert.Equal(t, 4, s.F)
	assert.Equal(t, 3, s.EF)
	st := s.Stats()
	assert.GreaterOrEqual(t, st.MinNodes, 10)
	assert.LessOrEqual(t, st.MaxNodes, 40)
	for i, g := range s.Graphs {
		assert.Equal(t, i%3, g.Y)
		assert.Equal(t, argmaxRows(g.X, 4), g.NodeLabel)
		assert.Equal(t, argmaxRows(g.EdgeAttr, 3), g.EdgeLabel)
		assert.True(t, isConnected(g), "graph %d (class %d) is connected", i, g.Y)
	}
}

func TestSyntheticGraphsDeterministic(t *testing.T) {
	a := SyntheticGraphs(SyntheticConfig{Seed: 7, GraphsPerClass: 10})
	b := SyntheticGraphs(SyntheticConfig{Seed: 7, GraphsPerClass: 10})
	c := SyntheticGraphs(SyntheticConfig{Seed: 8, GraphsPerClass: 10})
	require.Equal(t, a.Graphs, b.Graphs)
	assert.NotEqual(t, a.Graphs, c.Graphs)
	assert.Panics(t, func() { SyntheticGraphs(SyntheticConfig{MinNodes: 3}) })
}

// TestSyntheticGraphsNeedStructure checks the design goal: sizes do not
// separate the classes, structure does. Accuracy of a nearest-centroid
// rule (fit and scored on the set itself) on (nodes, edges) versus on
// structural statistics (fraction of leaves, of degree-2 nodes, triangles
// and 4-cycles per node).
func TestSyntheticGraphsNeedStructure(t *testing.T) {
	s := SyntheticGraphs(SyntheticConfig{Seed: 1})
	size := func(g *Graph) []float64 { return []float64{float64(g.NumNodes()), float64(g.NumEdges())} }
	structure := func(g *Graph) []float64 {
		n := float64(g.NumNodes())
		var leaves, deg2 float64
		for v := 0; v < g.NumNodes(); v++ {
			switch g.Degree(v) {
			case 1:
				leaves++
			case 2:
				deg2++
			}
		}
		tri, sq := smallCycles(g)
		return []float64{leaves / n, deg2 / n, tri / n, sq / n}
	}
	accSize := centroidAccuracy(s, size)
	accStruct := centroidAccuracy(s, structure)
	t.Logf("nearest-centroid accuracy: size %.2f, structure %.2f", accSize, accStruct)
	assert.Less(t, accSize, 0.55, "sizes alone should not separate the classes")
	assert.Greater(t, accStruct, 0.85, "structure should")
}

func centroidAccuracy(s *GraphSet, feat func(*Graph) []float64) float64 {
	var feats [][]float64
	for _, g := range s.Graphs {
		feats = append(feats, feat(g))
	}
	d := len(feats[0])
	// Standardise each feature.
	for j := 0; j < d; j++ {
		var m, v float64
		for _, f := range feats {
			m += f[j]
		}
		m /= float64(len(feats))
		for _, f := range feats {
			v += (f[j] - m) * (f[j] - m)
		}
		sd := math.Sqrt(v/float64(len(feats))) + 1e-12
		for _, f := range feats {
			f[j] = (f[j] - m) / sd
		}
	}
	cent := make([][]float64, s.NumClasses)
	cnt := make([]float64, s.NumClasses)
	for i, g := range s.Graphs {
		if cent[g.Y] == nil {
			cent[g.Y] = make([]float64, d)
		}
		for j, x := range feats[i] {
			cent[g.Y][j] += x
		}
		cnt[g.Y]++
	}
	for c := range cent {
		for j := range cent[c] {
			cent[c][j] /= cnt[c]
		}
	}
	right := 0
	for i, g := range s.Graphs {
		best, bestD := -1, math.Inf(1)
		for c := range cent {
			var dd float64
			for j, x := range feats[i] {
				dd += (x - cent[c][j]) * (x - cent[c][j])
			}
			if dd < bestD {
				best, bestD = c, dd
			}
		}
		if best == g.Y {
			right++
		}
	}
	return float64(right) / float64(len(s.Graphs))
}

// smallCycles counts triangles and 4-cycles of g.
func smallCycles(g *Graph) (tri, sq float64) {
	n := g.NumNodes()
	for u := 0; u < n; u++ {
		for _, v := range g.Neighbors(u) {
			for _, w := range g.Neighbors(v) {
				if w != u && g.HasEdge(u, w) {
					tri++
				}
			}
		}
	}
	for u := 0; u < n; u++ {
		for w := u + 1; w < n; w++ {
			common := 0.0
			for _, v := range g.Neighbors(u) {
				if g.HasEdge(v, w) {
					common++
				}
			}
			sq += common * (common - 1) / 2
		}
	}
	return tri / 6, sq / 2
}

func isConnected(g *Graph) bool {
	seen := make([]bool, g.NumNodes())
	stack := []int{0}
	seen[0] = true
	cnt := 1
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, w := range g.Neighbors(v) {
			if !seen[w] {
				seen[w] = true
				cnt++
				stack = append(stack, w)
			}
		}
	}
	return cnt == g.NumNodes()
}
