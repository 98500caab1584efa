package partition

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/graph/simple"
)

// checkPartition asserts every node has exactly one part in [0, k).
func checkPartition(t *testing.T, part []int, n, k int) {
	t.Helper()
	require.Len(t, part, n)
	for v, q := range part {
		require.Truef(t, q >= 0 && q < k, "node %d in part %d, want [0,%d)", v, q, k)
	}
}

func TestKnownOptimalCuts(t *testing.T) {
	type tc struct {
		name        string
		rowPtr, col []int
		k, cut      int
	}
	var cases []tc
	add := func(name string, g func() ([]int, []int), k, cut int) {
		rp, col := g()
		cases = append(cases, tc{name, rp, col, k, cut})
	}
	add("two K10 joined by an edge", func() ([]int, []int) { return twoCliques(10) }, 2, 1)
	add("two K30 joined by an edge", func() ([]int, []int) { return twoCliques(30) }, 2, 1)
	add("ring 100 in 2", func() ([]int, []int) { return ring(100) }, 2, 2)
	add("ring 100 in 4", func() ([]int, []int) { return ring(100) }, 4, 4)
	add("ring 64 in 32", func() ([]int, []int) { return ring(64) }, 32, 32)
	add("star 20 leaves in 2", func() ([]int, []int) { return star(20) }, 2, 10)
	// A side may exceed its target by one vertex (see Config): 7+5.
	add("K12 in 2", func() ([]int, []int) { return complete(12) }, 2, 35)
	add("K4 in 2", func() ([]int, []int) { return complete(4) }, 2, 4)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := len(c.rowPtr) - 1
			part := make([]int, n)
			for seed := uint64(0); seed < 5; seed++ {
				require.NoError(t, New(Config{Seed: seed}).Partition(c.rowPtr, c.col, c.k, part))
				checkPartition(t, part, n, c.k)
				assert.Equal(t, c.cut, EdgeCut(c.rowPtr, c.col, part), "seed %d", seed)
			}
		})
	}
}

// TestGridBisectionOverSeeds: a multilevel bisection finds a grid's
// optimal cut for most seeds, not all (coarsening can merge across the
// best line), so the grids are checked over 100 seeds instead of relying
// on a few lucky ones. gpmetis -ptype=rb (METIS 5.1.0, -seed 0..99) finds
// the optimum 10 of the 10×10 grid for 78 seeds (worst 15) and the optimum
// 8 of the 8×16 grid for 88 (worst 11); we ask for at least as many.
func TestGridBisectionOverSeeds(t *testing.T) {
	for _, c := range []struct {
		rows, cols, opt, metisShare, worst int
	}{
		{10, 10, 10, 78, 15},
		{8, 16, 8, 88, 11},
	} {
		rp, col := grid(c.rows, c.cols)
		part := make([]int, c.rows*c.cols)
		found := 0
		for seed := uint64(0); seed < 100; seed++ {
			require.NoError(t, New(Config{Seed: seed}).Partition(rp, col, 2, part))
			checkPartition(t, part, c.rows*c.cols, 2)
			cut := EdgeCut(rp, col, part)
			assert.LessOrEqual(t, cut, c.worst, "%dx%d grid, seed %d", c.rows, c.cols, seed)
			if cut == c.opt {
				found++
			}
		}
		assert.GreaterOrEqual(t, found, c.metisShare, "%dx%d grid: optimum found for %d of 100 seeds, gpmetis %d", c.rows, c.cols, found, c.metisShare)
	}
}

// TestGridFourWay: recursive bisection does not always reach the 4-way
// optimum of a grid (32 on 16×16; gpmetis -ptype=rb finds 34); stay within
// a quarter of it.
func TestGridFourWay(t *testing.T) {
	rp, col := grid(16, 16)
	part := make([]int, 256)
	for seed := uint64(0); seed < 5; seed++ {
		require.NoError(t, New(Config{Seed: seed}).Partition(rp, col, 4, part))
		assert.LessOrEqual(t, EdgeCut(rp, col, part), 40)
		assert.LessOrEqual(t, Imbalance(part, 4), 1.03*1.03)
	}
}

// TestBalancePerLevel checks every bisection of the recursion against the
// issue's bound: no side above 1.03 times its target, or its target plus
// one vertex weight (the granularity of unit weights).
func TestBalancePerLevel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := New(Config{})
	levels := 0
	p.levelHook = func(pw, target [2]float64, maxvwgt float64) {
		levels++
		for s := 0; s < 2; s++ {
			bound := math.Max(1.03*target[s], target[s]+maxvwgt)
			if pw[s] > bound+1e-9 {
				t.Errorf("side %d weighs %v, target %v, bound %v", s, pw[s], target[s], bound)
			}
		}
	}
	for trial := 0; trial < 40; trial++ {
		n := 30 + rng.IntN(600)
		rp, col := randomGraph(rng, n, 3/float64(n), trial%2 == 0)
		for _, k := range []int{2, 3, 5, 7, 32} {
			part := make([]int, n)
			require.NoError(t, p.Partition(rp, col, k, part))
			checkPartition(t, part, n, k)
		}
	}
	assert.Greater(t, levels, 1000)
	// Real-like grid: final parts within the compounded bound.
	rp, col := grid(20, 25)
	part := make([]int, 500)
	require.NoError(t, p.Partition(rp, col, 32, part))
	assert.LessOrEqual(t, Imbalance(part, 32), 1.1)
}

func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rp, col := randomGraph(rng, 400, 0.01, true)
	a, b := make([]int, 400), make([]int, 400)
	p := New(Config{Seed: 7})
	require.NoError(t, p.Partition(rp, col, 32, a))
	// another graph in between must not change the next result
	rp2, col2 := grid(9, 9)
	require.NoError(t, p.Partition(rp2, col2, 5, make([]int, 81)))
	require.NoError(t, p.Partition(rp, col, 32, b))
	assert.Equal(t, a, b)
	require.NoError(t, New(Config{Seed: 7}).Partition(rp, col, 32, b))
	assert.Equal(t, a, b)
	require.NoError(t, New(Config{Seed: 8}).Partition(rp, col, 32, b))
	assert.NotEqual(t, a, b, "another seed should give another partition")
}

// TestIndependentOfHistory: a reused Partitioner gives every graph the
// partition a fresh one gives it, whatever it partitioned before and however
// large that left its scratch. Graphs of many sizes in two orders make the
// scratch grow at different points; at k = 32 the recursion bottoms out on
// subgraphs of a few vertices, where the growing tries skip repeated starts.
func TestIndependentOfHistory(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	type input struct{ rp, col []int }
	var gs []input
	for _, n := range []int{40, 600, 90, 33, 300, 150, 64, 1000, 48} {
		rp, col := randomGraph(rng, n, 4/float64(n), true)
		gs = append(gs, input{rp, col})
	}
	want := make([][]int, len(gs))
	for i, g := range gs {
		want[i] = make([]int, len(g.rp)-1)
		require.NoError(t, New(Config{Seed: 11}).Partition(g.rp, g.col, 32, want[i]))
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, 6, 5, 4, 3, 2, 1, 0}, {3, 7, 0, 5, 1, 8, 2, 6, 4}} {
		p := New(Config{Seed: 11})
		for _, i := range order {
			got := make([]int, len(gs[i].rp)-1)
			require.NoError(t, p.Partition(gs[i].rp, gs[i].col, 32, got))
			assert.Equalf(t, want[i], got, "graph %d (%d nodes) after graphs %v", i, len(got), order)
		}
	}
}

// TestRelabelInvariance: the cut, not the labels, is what must not depend
// on node numbering. On graphs with a robust optimum it is the same after
// any relabelling; on random graphs its average over relabellings stays
// within a few percent of the unrelabelled one.
func TestRelabelInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, g := range []struct {
		name        string
		rowPtr, col []int
		k, cut      int
	}{
		{"cliques", nil, nil, 2, 1},
		{"ring", nil, nil, 4, 4},
		{"K12", nil, nil, 2, 35},
		{"star", nil, nil, 2, 15},
	} {
		switch g.name {
		case "cliques":
			g.rowPtr, g.col = twoCliques(12)
		case "ring":
			g.rowPtr, g.col = ring(80)
		case "K12":
			g.rowPtr, g.col = complete(12)
		case "star":
			g.rowPtr, g.col = star(30)
		}
		n := len(g.rowPtr) - 1
		for r := 0; r < 5; r++ {
			perm := rng.Perm(n)
			rp, col := relabel(g.rowPtr, g.col, perm)
			part := make([]int, n)
			require.NoError(t, New(Config{}).Partition(rp, col, g.k, part))
			assert.Equal(t, g.cut, EdgeCut(rp, col, part), g.name)
		}
	}
	rp, col := randomGraph(rng, 300, 0.015, false)
	mean := func(relabelled bool) float64 {
		s := 0
		for r := 0; r < 20; r++ {
			rp2, col2 := rp, col
			if relabelled {
				rp2, col2 = relabel(rp, col, rng.Perm(300))
			}
			part := make([]int, 300)
			require.NoError(t, New(Config{Seed: uint64(r)}).Partition(rp2, col2, 16, part))
			s += EdgeCut(rp2, col2, part)
		}
		return float64(s) / 20
	}
	base, rel := mean(false), mean(true)
	assert.InEpsilon(t, base, rel, 0.05, "mean cut %v vs %v after relabelling", base, rel)
}

func TestRandomGraphProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	p := New(Config{})
	for trial := 0; trial < 200; trial++ {
		n := rng.IntN(120)
		rp, col := randomGraph(rng, n, rng.Float64()*0.2, true)
		k := 1 + rng.IntN(n+10)
		part := make([]int, n)
		cut, err := p.PartitionWeighted(Weighted{RowPtr: rp, Col: col}, k, part)
		require.NoError(t, err)
		checkPartition(t, part, n, k)
		// the returned cut is the cut of the result (self-loops never count)
		assert.Equal(t, float64(EdgeCut(rp, col, part)), cut)
		switch {
		case n > 0 && k == 1:
			assert.Equal(t, make([]int, n), part)
		case n <= k:
			for v := range part {
				assert.Equal(t, v, part[v])
			}
		default:
			// no part is empty when n is at least twice k (balance)
			if n >= 2*k {
				sizes := make([]int, k)
				for _, q := range part {
					sizes[q]++
				}
				assert.NotContains(t, sizes, 0, "n=%d k=%d", n, k)
			}
		}
	}
}

func TestDisconnectedAndIsolated(t *testing.T) {
	// 8 components: K5s and isolated nodes, k = 4: whole components fill parts.
	var e [][2]int
	for c := 0; c < 4; c++ {
		for u := 0; u < 5; u++ {
			for v := u + 1; v < 5; v++ {
				e = append(e, [2]int{c*5 + u, c*5 + v})
			}
		}
	}
	rp, col := csr(20+4, e) // nodes 20..23 isolated
	part := make([]int, 24)
	require.NoError(t, New(Config{}).Partition(rp, col, 4, part))
	checkPartition(t, part, 24, 4)
	assert.Equal(t, 0, EdgeCut(rp, col, part))
	assert.LessOrEqual(t, Imbalance(part, 4), 1.0+1e-9)

	// only isolated nodes
	rp, col = csr(50, nil)
	part = make([]int, 50)
	require.NoError(t, New(Config{}).Partition(rp, col, 8, part))
	checkPartition(t, part, 50, 8)
	assert.LessOrEqual(t, Imbalance(part, 8), 7*8/50.0+1e-9)

	// empty graph
	require.NoError(t, New(Config{}).Partition([]int{0}, nil, 3, nil))
}

func TestSelfLoopsAndMultiEdges(t *testing.T) {
	// two K6 joined by one edge, with self-loops everywhere and the bridge doubled
	rp, col := twoCliques(6)
	var e [][2]int
	for v := 0; v < 12; v++ {
		for _, u := range col[rp[v]:rp[v+1]] {
			if u > v {
				e = append(e, [2]int{v, u})
			}
		}
		e = append(e, [2]int{v, v})
	}
	e = append(e, [2]int{5, 6})
	rp, col = csr(12, e)
	part := make([]int, 12)
	cut, err := New(Config{}).PartitionWeighted(Weighted{RowPtr: rp, Col: col}, 2, part)
	require.NoError(t, err)
	assert.Equal(t, 2.0, cut) // the doubled bridge
	assert.Equal(t, 2, EdgeCut(rp, col, part))
}

func TestWeighted(t *testing.T) {
	// ring of 40 with one heavy node weighing 10: balance counts weights
	rp, col := ring(40)
	vw := make([]float64, 40)
	for i := range vw {
		vw[i] = 1
	}
	vw[0] = 11
	ew := make([]float64, len(col))
	for i := range ew {
		ew[i] = 2
	}
	part := make([]int, 40)
	cut, err := New(Config{}).PartitionWeighted(Weighted{RowPtr: rp, Col: col, VertexWeight: vw, EdgeWeight: ew}, 2, part)
	require.NoError(t, err)
	assert.Equal(t, 4.0, cut)
	var pw [2]float64
	for v, q := range part {
		pw[q] += vw[v]
	}
	assert.InDelta(t, 25, pw[0], 1.1)
}

func TestBadInput(t *testing.T) {
	rp, col := ring(5)
	part := make([]int, 5)
	p := New(Config{})
	nan := math.NaN()
	cases := []struct {
		name string
		w    Weighted
		k    int
		part []int
		want string
	}{
		{"k zero", Weighted{RowPtr: rp, Col: col}, 0, part, "k = 0"},
		{"k negative", Weighted{RowPtr: rp, Col: col}, -3, part, "k = -3"},
		{"empty rowPtr", Weighted{}, 2, nil, "rowPtr is empty"},
		{"part length", Weighted{RowPtr: rp, Col: col}, 2, make([]int, 4), "len(part) = 4"},
		{"rowPtr start", Weighted{RowPtr: []int{1, 2}, Col: []int{0, 0}}, 2, make([]int, 1), "rowPtr[0] = 1"},
		{"rowPtr decreasing", Weighted{RowPtr: []int{0, 2, 1}, Col: []int{1, 0}}, 2, make([]int, 2), "decreases at node 1"},
		{"rowPtr end", Weighted{RowPtr: []int{0, 1, 2}, Col: []int{1, 0, 0}}, 2, make([]int, 2), "len(col) = 3"},
		{"col range", Weighted{RowPtr: []int{0, 1, 2}, Col: []int{1, 7}}, 2, make([]int, 2), "col[1] = 7"},
		{"col negative", Weighted{RowPtr: []int{0, 1, 2}, Col: []int{-1, 0}}, 2, make([]int, 2), "col[0] = -1"},
		{"asymmetric", Weighted{RowPtr: []int{0, 1, 1, 2}, Col: []int{1, 0}}, 2, make([]int, 3), "not symmetric"},
		{"asymmetric multiplicity", Weighted{RowPtr: []int{0, 2, 3}, Col: []int{1, 1, 0}}, 2, make([]int, 2), "not symmetric"},
		{"asymmetric weights", Weighted{RowPtr: []int{0, 1, 2}, Col: []int{1, 0}, EdgeWeight: []float64{1, 2}}, 2, make([]int, 2), "weight 1 one way and 2 the other"},
		{"NaN edge weight", Weighted{RowPtr: []int{0, 1, 2}, Col: []int{1, 0}, EdgeWeight: []float64{nan, nan}}, 2, make([]int, 2), "EdgeWeight[0] = NaN"},
		{"negative edge weight", Weighted{RowPtr: []int{0, 1, 2}, Col: []int{1, 0}, EdgeWeight: []float64{-1, -1}}, 2, make([]int, 2), "EdgeWeight[0] = -1"},
		{"edge weight length", Weighted{RowPtr: rp, Col: col, EdgeWeight: []float64{1}}, 2, part, "len(EdgeWeight) = 1"},
		{"negative vertex weight", Weighted{RowPtr: rp, Col: col, VertexWeight: []float64{1, 1, -2, 1, 1}}, 2, part, "VertexWeight[2] = -2"},
		{"NaN vertex weight", Weighted{RowPtr: rp, Col: col, VertexWeight: []float64{1, nan, 1, 1, 1}}, 2, part, "VertexWeight[1] = NaN"},
		{"infinite vertex weight", Weighted{RowPtr: rp, Col: col, VertexWeight: []float64{1, 1, 1, 1, math.Inf(1)}}, 2, part, "VertexWeight[4] = +Inf"},
		{"vertex weight length", Weighted{RowPtr: rp, Col: col, VertexWeight: []float64{1}}, 2, part, "len(VertexWeight) = 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := p.PartitionWeighted(c.w, c.k, c.part)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	for _, cfg := range []Config{{UFactor: -1}, {NCuts: -1}, {NIter: -2}, {Method: Method(9)}} {
		err := New(cfg).Partition(rp, col, 2, part)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Config.")
	}
}

func TestZeroAllocsWhenWarm(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	rp, col := randomGraph(rng, 500, 0.008, true)
	p := New(Config{})
	part := make([]int, 500)
	require.NoError(t, p.Partition(rp, col, 32, part))
	allocs := testing.AllocsPerRun(20, func() {
		if err := p.Partition(rp, col, 32, part); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
	// a smaller graph reuses the same scratch
	rp2, col2 := grid(12, 12)
	part2 := make([]int, 144)
	allocs = testing.AllocsPerRun(20, func() { _ = p.Partition(rp2, col2, 32, part2) })
	assert.Zero(t, allocs)
}

func TestNCutsAndUFactor(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	rp, col := randomGraph(rng, 300, 0.02, false)
	part := make([]int, 300)
	base := 0
	for s := uint64(0); s < 5; s++ {
		require.NoError(t, New(Config{Seed: s}).Partition(rp, col, 8, part))
		base += EdgeCut(rp, col, part)
	}
	more := 0
	for s := uint64(0); s < 5; s++ {
		require.NoError(t, New(Config{Seed: s, NCuts: 4}).Partition(rp, col, 8, part))
		more += EdgeCut(rp, col, part)
	}
	assert.LessOrEqual(t, float64(more), 1.02*float64(base), "ncuts 4 should not be worse than 1")
	loose := 0
	maxImb := 0.0
	for s := uint64(0); s < 5; s++ {
		require.NoError(t, New(Config{Seed: s, UFactor: 100}).Partition(rp, col, 8, part))
		loose += EdgeCut(rp, col, part)
		maxImb = math.Max(maxImb, Imbalance(part, 8))
	}
	assert.LessOrEqual(t, maxImb, 1.1*1.1*1.1+0.05)
	assert.NotEqual(t, base, loose)
}

func TestKWayRefine(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for trial := 0; trial < 10; trial++ {
		rp, col := randomGraph(rng, 400, 0.01, true)
		a, b := make([]int, 400), make([]int, 400)
		require.NoError(t, New(Config{Seed: uint64(trial)}).Partition(rp, col, 32, a))
		require.NoError(t, New(Config{Seed: uint64(trial), KWayRefine: true}).Partition(rp, col, 32, b))
		checkPartition(t, b, 400, 32)
		assert.LessOrEqual(t, EdgeCut(rp, col, b), EdgeCut(rp, col, a))
		assert.LessOrEqual(t, Imbalance(b, 32), math.Max(1.03, Imbalance(a, 32))+1e-9)
	}
}

func TestLouvain(t *testing.T) {
	rp, col := twoCliques(10)
	part := make([]int, 20)
	p := New(Config{Method: Louvain})
	require.NoError(t, p.Partition(rp, col, 2, part))
	assert.Equal(t, 1, EdgeCut(rp, col, part))
	// more parts than communities: split; fewer: merge
	rng := rand.New(rand.NewPCG(15, 16))
	rp, col = randomGraph(rng, 200, 0.03, true)
	for _, k := range []int{2, 5, 40} {
		part = make([]int, 200)
		require.NoError(t, p.Partition(rp, col, k, part))
		checkPartition(t, part, 200, k)
		seen := map[int]bool{}
		for _, q := range part {
			seen[q] = true
		}
		assert.Len(t, seen, k)
	}
}

func TestPartitionUndirected(t *testing.T) {
	g := simple.NewWeightedUndirectedGraph(0, 0)
	// two triangles {10,11,12} and {20,21,22} with heavy edges, light bridge
	for _, e := range [][3]float64{{10, 11, 5}, {11, 12, 5}, {10, 12, 5}, {20, 21, 5}, {21, 22, 5}, {20, 22, 5}, {12, 20, 1}} {
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(e[0]), simple.Node(e[1]), e[2]))
	}
	parts, cut, err := New(Config{}).PartitionUndirected(g, 2)
	require.NoError(t, err)
	assert.Equal(t, 1.0, cut)
	assert.Equal(t, parts[10], parts[11])
	assert.Equal(t, parts[10], parts[12])
	assert.Equal(t, parts[20], parts[22])
	assert.NotEqual(t, parts[10], parts[20])

	bad := simple.NewWeightedUndirectedGraph(0, 0)
	bad.SetWeightedEdge(bad.NewWeightedEdge(simple.Node(1), simple.Node(2), math.NaN()))
	_, _, err = New(Config{}).PartitionUndirected(bad, 2)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "NaN")
}

func TestPartitionGraphReal(t *testing.T) {
	gs := realGraphs(t, "tu/PROTEINS", 32, 50)
	p := New(Config{})
	for _, g := range gs {
		part := make([]int, g.NumNodes())
		cut, err := p.PartitionGraph(g, 32, part)
		require.NoError(t, err)
		checkPartition(t, part, g.NumNodes(), 32)
		assert.Equal(t, EdgeCut(g.RowPtr, g.Col, part), cut)
		// Graph-JEPA uses the labels as patch slots: all 32 are used
		seen := slices.Compact(slices.Sorted(slices.Values(part)))
		assert.Len(t, seen, 32)
	}
}

func TestMethodParse(t *testing.T) {
	for _, s := range []string{"rb", "recursive", "louvain"} {
		m, err := ParseMethod(s)
		require.NoError(t, err)
		assert.Contains(t, []string{"rb", "louvain"}, m.String())
	}
	_, err := ParseMethod("kway")
	assert.ErrorContains(t, err, `"kway"`)
}
