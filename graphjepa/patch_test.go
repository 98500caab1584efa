package graphjepa

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/internal/shareddata"
)

var (
	tuOnce sync.Map // name → *datasets.GraphSet
)

// loadTU loads ../shared/data/graphs/tu/NAME once per test binary, or skips.
func loadTU(t testing.TB, name string) *datasets.GraphSet {
	t.Helper()
	dir := shareddata.Dir(t, "graphs", "tu", name)
	if s, ok := tuOnce.Load(name); ok {
		return s.(*datasets.GraphSet)
	}
	s, err := datasets.LoadTU(dir, datasets.TUConfig{})
	require.NoError(t, err)
	tuOnce.Store(name, s)
	return s
}

// denseRWSE is the reference's pe.py RWSE in float64: dense P = D⁻¹A,
// diagonals of P^1..P^k.
func denseRWSE(g *datasets.Graph, k int) []float64 {
	n := g.NumNodes()
	P := make([]float64, n*n)
	for u := range n {
		d := max(g.Degree(u), 1)
		for _, v := range g.Neighbors(u) {
			P[u*n+v] = 1 / float64(d)
		}
	}
	out := make([]float64, n*k)
	M := slices.Clone(P)
	for s := range k {
		for i := range n {
			out[i*k+s] = M[i*n+i]
		}
		next := make([]float64, n*n)
		for i := range n {
			for l := range n {
				a := M[i*n+l]
				if a == 0 {
					continue
				}
				for j := range n {
					next[i*n+j] += a * P[l*n+j]
				}
			}
		}
		M = next
	}
	return out
}

// pathGraph returns the path 0-1-…-(n-1) plus an isolated node n when
// isolated is set, with F = 1 features.
func pathGraph(n int, isolated bool) *datasets.Graph {
	N := n
	if isolated {
		N++
	}
	g := &datasets.Graph{RowPtr: make([]int, N+1), X: make([]float32, N), F: 1, Y: 0}
	for v := range N {
		if v < n {
			if v > 0 {
				g.Col = append(g.Col, v-1)
			}
			if v < n-1 {
				g.Col = append(g.Col, v+1)
			}
		}
		g.RowPtr[v+1] = len(g.Col)
	}
	return g
}

func TestRWSEMatchesDenseMatrixPowers(t *testing.T) {
	graphs := []*datasets.Graph{pathGraph(5, true), pathGraph(2, false), pathGraph(1, false)}
	graphs = append(graphs, datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 3}).Graphs...)
	if !testing.Short() {
		if s := loadTUIfPresent(t, "MUTAG"); s != nil {
			graphs = append(graphs, s.Graphs[:40]...)
		}
	}
	for gi, g := range graphs {
		for _, k := range []int{1, 15} {
			got := RWSE(g, k)
			want := denseRWSE(g, k)
			require.Len(t, got, len(want))
			for i := range want {
				require.InDelta(t, want[i], float64(got[i]), 1e-6, "graph %d k %d entry %d", gi, k, i)
			}
		}
	}
	// Known values: a single edge returns after every even number of steps.
	rw := RWSE(pathGraph(2, false), 4)
	assert.Equal(t, []float32{0, 1, 0, 1, 0, 1, 0, 1}, rw)
	// Isolated node: zeros (degree clamped to 1, no walk).
	rw = RWSE(pathGraph(5, true), 3)
	assert.Equal(t, []float32{0, 0, 0}, rw[5*3:])
}

func loadTUIfPresent(t *testing.T, name string) *datasets.GraphSet {
	t.Helper()
	var s *datasets.GraphSet
	t.Run("load-"+name, func(t *testing.T) { s = loadTU(t, name) })
	return s
}

// slotMembers returns the original node ids (graph-local) of slot q of graph b.
func slotMembers(pb *PatchBatch, b, q int) []int {
	slot := b*pb.P + q
	var out []int
	for c := pb.SlotPtr[slot]; c < pb.SlotPtr[slot+1]; c++ {
		out = append(out, pb.CopyNode[c]-pb.NodePtr[b])
	}
	return out
}

// closedNeighbourhood returns core ∪ N_hops(core), sorted.
func closedNeighbourhood(g *datasets.Graph, core []int, hops int) []int {
	in := map[int]bool{}
	front := slices.Clone(core)
	for _, v := range core {
		in[v] = true
	}
	for range hops {
		var next []int
		for _, u := range front {
			for _, v := range g.Neighbors(u) {
				if !in[v] {
					in[v] = true
					next = append(next, v)
				}
			}
		}
		front = next
	}
	out := make([]int, 0, len(in))
	for v := range in {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// checkBatchInvariants checks, for any batch, what must hold whatever the
// partition: shapes, copy ordering, edge membership, overlap = M·Mᵀ, mask,
// PE pooling, top slot p−1 used, context/targets distinct and non-empty.
func checkBatchInvariants(t *testing.T, p *Patcher, pb *PatchBatch, idx []int, train bool) {
	t.Helper()
	P, T, K := pb.P, pb.T, pb.K
	require.Equal(t, len(idx), pb.B)
	require.Len(t, pb.SlotPtr, pb.B*P+1)
	require.Len(t, pb.Overlap, pb.B*P*P)
	require.Len(t, pb.Mask, pb.B*P)
	require.Len(t, pb.PE, pb.B*P*K)
	require.Len(t, pb.Context, pb.B)
	require.Len(t, pb.Targets, pb.B*T)
	require.Equal(t, idx, pb.Graphs)
	require.Len(t, pb.CopySlot, len(pb.CopyNode))
	require.Len(t, pb.CopyDst, len(pb.CopySrc))
	require.Len(t, pb.CopyEdge, len(pb.CopySrc))
	edgeBase := 0
	for b, gi := range idx {
		g := p.Graph(gi)
		n := g.NumNodes()
		require.Equal(t, n, pb.NodePtr[b+1]-pb.NodePtr[b])
		require.Equal(t, g.Y, pb.Y[b])
		member := make([][]bool, P)
		for q := range P {
			slot := b*P + q
			mem := slotMembers(pb, b, q)
			require.True(t, slices.IsSorted(mem), "graph %d slot %d copies sorted by node", gi, q)
			require.Equal(t, len(mem) > 0, pb.Mask[slot], "mask graph %d slot %d", gi, q)
			member[q] = make([]bool, n)
			for c := pb.SlotPtr[slot]; c < pb.SlotPtr[slot+1]; c++ {
				require.Equal(t, slot, pb.CopySlot[c])
				member[q][pb.CopyNode[c]-pb.NodePtr[b]] = true
			}
			// PE pooling.
			pe := pb.PE[slot*K : (slot+1)*K]
			rw := p.NodeRWSE(gi)
			for k := range K {
				want := 0.0
				if len(mem) > 0 {
					useMax := poolFor(p.Config().PEPooling, train)
					if useMax {
						want = math.Inf(-1)
					}
					for _, v := range mem {
						x := float64(rw[v*K+k])
						if useMax {
							want = math.Max(want, x)
						} else {
							want += x / float64(len(mem))
						}
					}
				}
				require.InDelta(t, want, float64(pe[k]), 1e-6, "PE graph %d slot %d k %d", gi, q, k)
			}
		}
		require.True(t, pb.Mask[b*P+P-1], "relabelling: top slot p−1 used (graph %d)", gi)
		// Every node in some slot.
		for v := range n {
			in := false
			for q := range P {
				in = in || member[q][v]
			}
			require.True(t, in, "graph %d node %d in no slot", gi, v)
		}
		// Overlap counts.
		for i := range P {
			for j := range P {
				c := 0
				for v := range n {
					if member[i][v] && member[j][v] {
						c++
					}
				}
				require.Equal(t, float32(c), pb.Overlap[(b*P+i)*P+j], "overlap graph %d (%d,%d)", gi, i, j)
			}
		}
		// Edge membership: exactly the directed rows with both ends inside.
		type key struct{ slot, edge int }
		got := map[key]bool{}
		for e := range pb.CopySrc {
			s, d := pb.CopySrc[e], pb.CopyDst[e]
			if pb.CopySlot[s]/P != b {
				continue
			}
			require.Equal(t, pb.CopySlot[s], pb.CopySlot[d])
			u, v := pb.CopyNode[s]-pb.NodePtr[b], pb.CopyNode[d]-pb.NodePtr[b]
			j := pb.CopyEdge[e] - edgeBase
			require.True(t, j >= 0 && j < len(g.Col))
			require.Equal(t, v, g.Col[j])
			require.True(t, j >= g.RowPtr[u] && j < g.RowPtr[u+1])
			got[key{pb.CopySlot[s] - b*P, j}] = true
		}
		for q := range P {
			for u := range n {
				for j := g.RowPtr[u]; j < g.RowPtr[u+1]; j++ {
					want := member[q][u] && member[q][g.Col[j]]
					require.Equal(t, want, got[key{q, j}], "edge membership graph %d slot %d row %d", gi, q, j)
				}
			}
		}
		// Context and targets.
		sel := append([]int{pb.Context[b]}, pb.Targets[b*T:(b+1)*T]...)
		for _, q := range sel {
			require.True(t, pb.Mask[b*P+q], "selected slot %d of graph %d is empty", q, gi)
		}
		s2 := slices.Clone(sel)
		slices.Sort(s2)
		require.Len(t, slices.Compact(s2), 1+T, "context and targets distinct")
		edgeBase += len(g.Col)
	}
	require.Equal(t, edgeBase*pb.EF, len(pb.EdgeAttr))
	require.Equal(t, pb.NumNodes()*pb.F, len(pb.X))
}

func TestPatcherSmallGraphsOneNodePerSlot(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 4, MinNodes: 6, MaxNodes: 30})
	p, err := NewPatcher(PatchConfig{}, set.Graphs)
	require.NoError(t, err)
	assert.Equal(t, 32, p.Config().Patches)
	assert.False(t, p.NeedsPartitioner())
	idx := []int{0, 5, 3, 11, 7}
	for _, train := range []bool{true, false} {
		var pb PatchBatch
		require.NoError(t, p.Batch(&pb, idx, train, rand.New(rand.NewPCG(1, 2))))
		checkBatchInvariants(t, p, &pb, idx, train)
		for b, gi := range idx {
			g := p.Graph(gi)
			n := g.NumNodes()
			// N < p: n non-empty slots, each the closed 1-hop neighbourhood
			// of exactly one node, every node the core of one slot.
			cores := map[int]bool{}
			nonEmpty := 0
			for q := range pb.P {
				mem := slotMembers(&pb, b, q)
				if len(mem) == 0 {
					continue
				}
				nonEmpty++
				found := false
				for _, v := range mem {
					if !cores[v] && slices.Equal(mem, closedNeighbourhood(g, []int{v}, 1)) {
						cores[v], found = true, true
						break
					}
				}
				require.True(t, found, "graph %d slot %d is not a 1-hop ego net", gi, q)
			}
			assert.Equal(t, n, nonEmpty)
			assert.Len(t, cores, n)
		}
	}
}

func TestPatcherMUTAG(t *testing.T) {
	set := loadTU(t, "MUTAG")
	p, err := NewPatcher(PatchConfig{}, set.Graphs)
	require.NoError(t, err)
	assert.False(t, p.NeedsPartitioner(), "MUTAG: every graph has < 32 nodes")
	idx := make([]int, 128)
	for i := range idx {
		idx[i] = (i * 7) % len(set.Graphs)
	}
	var pb PatchBatch
	require.NoError(t, p.Batch(&pb, idx, true, rand.New(rand.NewPCG(3, 4))))
	checkBatchInvariants(t, p, &pb, idx, true)
	assert.Equal(t, 7, pb.F)
	assert.Equal(t, 4, pb.EF)
	assert.Equal(t, 15, pb.K)
	// Spec §13: 17.8 non-empty slots and 57.1 copies per graph over MUTAG.
	all := make([]int, len(set.Graphs))
	for i := range all {
		all[i] = i
	}
	require.NoError(t, p.Batch(&pb, all, false, rand.New(rand.NewPCG(5, 6))))
	nonEmpty := 0
	for _, m := range pb.Mask {
		if m {
			nonEmpty++
		}
	}
	assert.InDelta(t, 17.9, float64(nonEmpty)/float64(len(all)), 0.1)
	assert.InDelta(t, 57.1, float64(pb.NumCopies())/float64(len(all)), 0.5)
	assert.InDelta(t, 78.6, float64(len(pb.CopySrc))/float64(len(all)), 1)
}

func TestPatcherPartitionedGraphs(t *testing.T) {
	// Synthetic graphs up to 40 nodes and p = 8: every graph is partitioned
	// (by the default recursive bisection); eval batches (no edge drop) can be
	// recomputed by hand.
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 4})
	cfg := PatchConfig{Patches: 8, Targets: 2}
	p, err := NewPatcher(cfg, set.Graphs)
	require.NoError(t, err)
	assert.True(t, p.NeedsPartitioner())
	assert.Equal(t, DefaultPartitionerName, p.PartitionerName())
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	var pb PatchBatch
	require.NoError(t, p.Batch(&pb, idx, false, rand.New(rand.NewPCG(7, 8))))
	checkBatchInvariants(t, p, &pb, idx, false)
	for b, gi := range idx {
		g := p.Graph(gi)
		part := make([]int, g.NumNodes())
		require.NoError(t, recursiveBisection(0).Partition(g.RowPtr, g.Col, 8, part))
		shift := 8 - (slices.Max(part) + 1)
		for q := range 8 {
			var core []int
			for v, x := range part {
				if x+shift == q {
					core = append(core, v)
				}
			}
			want := []int(nil)
			if len(core) > 0 {
				want = closedNeighbourhood(g, core, 1)
			}
			assert.Equal(t, want, slotMembers(&pb, b, q), "graph %d slot %d", gi, q)
		}
	}
	// Training batches drop edges before partitioning: invariants still hold
	// (expansion on the original edges), and the partition differs from the
	// undropped one for some graph.
	var tb PatchBatch
	require.NoError(t, p.Batch(&tb, idx, true, rand.New(rand.NewPCG(7, 8))))
	checkBatchInvariants(t, p, &tb, idx, true)
	assert.NotEqual(t, pb.CopyNode, tb.CopyNode)

	// NoExpansion: slots are the bare parts, disjoint (overlap diagonal only).
	p2, err := NewPatcher(PatchConfig{Patches: 8, Targets: 2, NoExpansion: true}, set.Graphs)
	require.NoError(t, err)
	require.NoError(t, p2.Batch(&tb, idx, false, rand.New(rand.NewPCG(1, 1))))
	assert.Equal(t, tb.NumNodes(), tb.NumCopies())
	for b := range tb.B {
		for i := range 8 {
			for j := range 8 {
				if i != j {
					assert.Zero(t, tb.Overlap[(b*8+i)*8+j])
				}
			}
		}
	}
}

func TestPatcherProteinsPlaceholder(t *testing.T) {
	if testing.Short() {
		t.Skip("PROTEINS")
	}
	set := loadTU(t, "PROTEINS")
	p, err := NewPatcher(PatchConfig{RWDim: 20, Targets: 2}, set.Graphs)
	require.NoError(t, err)
	assert.True(t, p.NeedsPartitioner())
	var idx []int
	for i, g := range set.Graphs {
		if g.NumNodes() >= 32 && len(idx) < 6 {
			idx = append(idx, i)
		}
	}
	idx = append(idx, 0, 1)
	for _, train := range []bool{true, false} {
		var pb PatchBatch
		require.NoError(t, p.Batch(&pb, idx, train, rand.New(rand.NewPCG(9, 9))))
		checkBatchInvariants(t, p, &pb, idx, train)
		assert.Equal(t, 3, pb.F)
		assert.Equal(t, 1, pb.EF, "no edge features: zeros(E,1)")
	}
}

func TestPatcherDeterminism(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 5})
	p, err := NewPatcher(PatchConfig{Patches: 16}, set.Graphs)
	require.NoError(t, err)
	idx := []int{3, 1, 4, 1, 5, 9, 2, 6}
	var a, b, c PatchBatch
	require.NoError(t, p.Batch(&a, idx, true, rand.New(rand.NewPCG(11, 0))))
	require.NoError(t, p.Batch(&b, idx, true, rand.New(rand.NewPCG(11, 0))))
	require.NoError(t, p.Batch(&c, idx, true, rand.New(rand.NewPCG(12, 0))))
	assert.Equal(t, a, b, "same seed, same batch")
	assert.NotEqual(t, a.CopyNode, c.CopyNode, "another seed, another batch")
	// Reusing a dst gives the same content as a fresh one.
	require.NoError(t, p.Batch(&c, idx, true, rand.New(rand.NewPCG(11, 0))))
	assert.Equal(t, a, c)
}

func TestPatcherEdgeDropRate(t *testing.T) {
	// On a complete graph every undirected edge survives unless both rows
	// drop: survival 1 − 0.3² = 0.91.
	n := 40
	g := &datasets.Graph{RowPtr: make([]int, n+1), X: make([]float32, n), F: 1}
	for u := range n {
		for v := range n {
			if u != v {
				g.Col = append(g.Col, v)
			}
		}
		g.RowPtr[u+1] = len(g.Col)
	}
	var s patchScratch
	s.keep = make([]bool, len(g.Col))
	s.dropPtr = make([]int, n+1)
	rng := rand.New(rand.NewPCG(1, 1))
	kept, total := 0, 0
	for range 200 {
		_, col := s.dropEdges(g, 0.3, rng)
		kept += len(col)
		total += len(g.Col)
	}
	assert.InDelta(t, 0.91, float64(kept)/float64(total), 0.005)
}

func TestPatcherBadInput(t *testing.T) {
	good := pathGraph(6, false)
	nan := pathGraph(6, false)
	nan.X = slices.Clone(nan.X)
	nan.X[3] = float32(math.NaN())
	empty := &datasets.Graph{RowPtr: []int{0}, F: 1}
	tiny := pathGraph(3, false)
	wide := pathGraph(6, false)
	wide.F, wide.X = 2, make([]float32, 12)
	cases := []struct {
		name   string
		cfg    PatchConfig
		graphs []*datasets.Graph
		want   []string
	}{
		{"empty", PatchConfig{}, []*datasets.Graph{good, empty}, []string{"graph 1", "empty graph"}},
		{"nan", PatchConfig{}, []*datasets.Graph{good, good, nan}, []string{"graph 2", "non-finite", "node 3"}},
		{"too few slots", PatchConfig{}, []*datasets.Graph{good, tiny}, []string{"graph 1", "3 nodes", "1 context + 3 targets"}},
		{"widths", PatchConfig{}, []*datasets.Graph{good, wide}, []string{"graph 1", "2 node features"}},
		{"nil", PatchConfig{}, []*datasets.Graph{good, nil}, []string{"graph 1: nil"}},
		{"none", PatchConfig{}, nil, []string{"no graphs"}},
		{"patches", PatchConfig{Patches: 1}, []*datasets.Graph{good}, []string{"Patches = 1"}},
		{"targets", PatchConfig{Patches: 4, Targets: 4}, []*datasets.Graph{good}, []string{"Targets = 4"}},
		{"drop", PatchConfig{DropRate: 1}, []*datasets.Graph{good}, []string{"DropRate = 1"}},
		{"drop nan", PatchConfig{DropRate: math.NaN()}, []*datasets.Graph{good}, []string{"DropRate = NaN"}},
		{"rw", PatchConfig{RWDim: -1}, []*datasets.Graph{good}, []string{"RWDim = -1"}},
		{"hops", PatchConfig{Hops: -2}, []*datasets.Graph{good}, []string{"Hops = -2"}},
		{"pool", PatchConfig{PEPooling: 7}, []*datasets.Graph{good}, []string{"PEPooling = 7"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPatcher(tc.cfg, tc.graphs)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	// RepeatTargets lets the tiny graph through: targets repeat.
	p, err := NewPatcher(PatchConfig{RepeatTargets: true}, []*datasets.Graph{good, tiny, pathGraph(1, false)})
	require.NoError(t, err)
	var pb PatchBatch
	require.NoError(t, p.Batch(&pb, []int{1, 2}, true, rand.New(rand.NewPCG(1, 1))))
	for _, q := range append([]int{pb.Context[0]}, pb.Targets[:3]...) {
		assert.True(t, pb.Mask[q])
	}
	assert.NotContains(t, pb.Targets[:3], pb.Context[0], "3 slots: targets avoid the context")
	assert.Equal(t, []int{pb.Context[1], pb.Context[1], pb.Context[1]}, pb.Targets[3:], "1 slot: target = context")

	// Index out of range and a partitioner producing too few parts.
	p, err = NewPatcher(PatchConfig{Patches: 4, Targets: 3, Partitioner: func(uint64) Partitioner { return onePart{} }, PartitionerName: "one-part"}, []*datasets.Graph{good})
	require.NoError(t, err)
	err = p.Batch(&pb, []int{1}, false, rand.New(rand.NewPCG(1, 1)))
	require.ErrorContains(t, err, "graph index 1 out of range")
	err = p.Batch(&pb, []int{0}, false, rand.New(rand.NewPCG(1, 1)))
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "graph 0") && strings.Contains(err.Error(), "fewer than 1 context + 3 targets"), err.Error())
	p, err = NewPatcher(PatchConfig{Patches: 4, Targets: 1, Partitioner: func(uint64) Partitioner { return badPart{} }}, []*datasets.Graph{good})
	require.NoError(t, err)
	err = p.Batch(&pb, []int{0}, false, rand.New(rand.NewPCG(1, 1)))
	require.ErrorContains(t, err, "graph 0: partitioner custom put node 0 in part 9")
}

type onePart struct{}

func (onePart) Partition(rowPtr, col []int, k int, part []int) error {
	clear(part)
	return nil
}

type badPart struct{}

func (badPart) Partition(rowPtr, col []int, k int, part []int) error {
	for i := range part {
		part[i] = 9
	}
	return nil
}

func TestBFSPlaceholderBalanced(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 3})
	for gi, g := range set.Graphs {
		n := g.NumNodes()
		for _, k := range []int{2, 7, n} {
			part := make([]int, n)
			require.NoError(t, BFSPlaceholder(0).Partition(g.RowPtr, g.Col, k, part))
			sizes := make([]int, k)
			for _, q := range part {
				sizes[q]++
			}
			assert.LessOrEqual(t, slices.Max(sizes)-slices.Min(sizes), 1, "graph %d k %d sizes %v", gi, k, sizes)
		}
	}
}

func TestPatchConfigPartitionerName(t *testing.T) {
	d0 := PatchConfig{}.WithDefaults()
	assert.Equal(t, DefaultPartitionerName, d0.PartitionerName)
	assert.NotNil(t, d0.Partitioner)
	// A known name read back from JSON brings its factory back.
	for _, name := range PartitionerNames() {
		c := PatchConfig{PartitionerName: name}.WithDefaults()
		assert.Equal(t, name, c.PartitionerName)
		assert.NotNil(t, c.Partitioner, name)
		assert.NoError(t, c.Validate())
	}
	// An unknown one without a factory is an error naming the known ones.
	assert.EqualError(t, PatchConfig{PartitionerName: "metis"}.Validate(),
		`graphjepa: PatchConfig.PartitionerName: partitioner "metis": unknown; known: recursive-bisection, louvain, bfs-placeholder (or set PatchConfig.Partitioner)`)
	assert.Equal(t, "custom", PatchConfig{Partitioner: BFSPlaceholder}.WithDefaults().PartitionerName)
	assert.Equal(t, "metis", PatchConfig{Partitioner: BFSPlaceholder, PartitionerName: "metis"}.WithDefaults().PartitionerName)
	d := PatchConfig{}.WithDefaults()
	assert.Equal(t, []any{32, 3, 0.3, 15, 1}, []any{d.Patches, d.Targets, d.DropRate, d.RWDim, d.Hops})
}

// FuzzPatcherBatch builds a graph from bytes (node count, then edge pairs)
// and checks that patching either fails with an error or yields a batch
// with every invariant, never a panic.
func FuzzPatcherBatch(f *testing.F) {
	f.Add([]byte{12, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 0, 6, 7, 8, 9, 10, 11}, uint8(4), uint8(1), true)
	f.Add([]byte{40, 0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(8), uint8(3), false)
	f.Add([]byte{3}, uint8(4), uint8(1), true)
	f.Fuzz(func(t *testing.T, data []byte, patches, targets uint8, train bool) {
		if len(data) == 0 {
			return
		}
		n := int(data[0])%64 + 1
		adj := make([]map[int]bool, n)
		for i := range adj {
			adj[i] = map[int]bool{}
		}
		for i := 1; i+1 < len(data); i += 2 {
			u, v := int(data[i])%n, int(data[i+1])%n
			if u != v {
				adj[u][v], adj[v][u] = true, true
			}
		}
		g := &datasets.Graph{RowPtr: make([]int, n+1), X: make([]float32, n), F: 1}
		for u := range n {
			nb := make([]int, 0, len(adj[u]))
			for v := range adj[u] {
				nb = append(nb, v)
			}
			slices.Sort(nb)
			g.Col = append(g.Col, nb...)
			g.RowPtr[u+1] = len(g.Col)
		}
		cfg := PatchConfig{Patches: int(patches)%20 + 2, Targets: int(targets)%4 + 1, RWDim: 3}
		p, err := NewPatcher(cfg, []*datasets.Graph{g})
		if err != nil {
			return
		}
		var pb PatchBatch
		if err := p.Batch(&pb, []int{0}, train, rand.New(rand.NewPCG(uint64(n), 1))); err != nil {
			return
		}
		checkBatchInvariants(t, p, &pb, []int{0}, train)
	})
}
