package graphjepa

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartGraphs(t *testing.T) {
	s := QuickstartGraphs(QuickstartConfig{})
	require.NoError(t, s.Validate())
	require.Len(t, s.Graphs, 180)
	assert.Equal(t, []int{60, 60, 60}, s.ClassCounts())
	assert.Equal(t, 4, s.F)
	assert.Equal(t, 0, s.EF)
	// Same-label edge fraction per class: assortative ≫ independent (≈ 1/4)
	// ≫ disassortative; label frequencies about uniform in every class.
	same := make([]float64, 3)
	total := make([]float64, 3)
	freq := make([][4]float64, 3)
	for _, g := range s.Graphs {
		assert.Less(t, g.NumNodes(), 32, "no graph needs a partitioner")
		for u := range g.NumNodes() {
			freq[g.Y][g.NodeLabel[u]]++
			for _, v := range g.Neighbors(u) {
				total[g.Y]++
				if g.NodeLabel[u] == g.NodeLabel[v] {
					same[g.Y]++
				}
			}
		}
	}
	assert.Greater(t, same[0]/total[0], 0.6)
	assert.InDelta(t, 0.25, same[2]/total[2], 0.05)
	assert.Less(t, same[1]/total[1], 0.08)
	for c := range 3 {
		n := freq[c][0] + freq[c][1] + freq[c][2] + freq[c][3]
		for l := range 4 {
			assert.InDelta(t, 0.25, freq[c][l]/n, 0.06, "class %d label %d", c, l)
		}
	}
	// Seeded: same seed, same set; another seed, another set.
	assert.Equal(t, s.Graphs[7].X, QuickstartGraphs(QuickstartConfig{}).Graphs[7].X)
	assert.NotEqual(t, s.Graphs[7].X, QuickstartGraphs(QuickstartConfig{Seed: 1}).Graphs[7].X)
	assert.Len(t, QuickstartGraphs(QuickstartConfig{GraphsPerClass: 20}).Graphs, 60)
}
