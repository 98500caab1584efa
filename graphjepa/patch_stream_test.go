package graphjepa

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
)

// collect drains a stream into deep copies of its batches.
func collect(t *testing.T, s *Stream) ([]PatchBatch, []int) {
	t.Helper()
	var out []PatchBatch
	var epochs []int
	for {
		b, err := s.Next()
		if errors.Is(err, io.EOF) {
			return out, epochs
		}
		require.NoError(t, err)
		out = append(out, cloneBatch(b))
		epochs = append(epochs, s.Epoch())
	}
}

func cloneBatch(b *PatchBatch) PatchBatch {
	c := *b
	c.X, c.NodeLabel, c.EdgeAttr, c.EdgeLabel = slices.Clone(b.X), slices.Clone(b.NodeLabel), slices.Clone(b.EdgeAttr), slices.Clone(b.EdgeLabel)
	c.NodePtr, c.CopyNode, c.CopySlot, c.SlotPtr = slices.Clone(b.NodePtr), slices.Clone(b.CopyNode), slices.Clone(b.CopySlot), slices.Clone(b.SlotPtr)
	c.CopySrc, c.CopyDst, c.CopyEdge = slices.Clone(b.CopySrc), slices.Clone(b.CopyDst), slices.Clone(b.CopyEdge)
	c.Overlap, c.Mask, c.PE = slices.Clone(b.Overlap), slices.Clone(b.Mask), slices.Clone(b.PE)
	c.Context, c.Targets, c.Graphs, c.Y = slices.Clone(b.Context), slices.Clone(b.Targets), slices.Clone(b.Graphs), slices.Clone(b.Y)
	return c
}

func TestStreamDeterministicAcrossWorkers(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 10})
	var runs [][]PatchBatch
	for _, workers := range []int{1, 3} {
		p, err := NewPatcher(PatchConfig{Patches: 16, Workers: workers}, set.Graphs)
		require.NoError(t, err)
		s, err := p.Stream(context.Background(), StreamConfig{BatchSize: 7, Shuffle: true, Train: true, Seed: 5, Epochs: 3, Ahead: 3})
		require.NoError(t, err)
		assert.Equal(t, 5, s.BatchesPerEpoch()) // ⌈30/7⌉
		got, epochs := collect(t, s)
		require.Len(t, got, 15)
		assert.Equal(t, []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, epochs)
		// Every epoch covers every graph once; the last batch holds 2.
		for e := range 3 {
			var seen []int
			for _, b := range got[e*5 : (e+1)*5] {
				seen = append(seen, b.Graphs...)
			}
			assert.Equal(t, 2, got[e*5+4].B)
			slices.Sort(seen)
			for i := range 30 {
				require.Equal(t, i, seen[i])
			}
		}
		assert.NotEqual(t, got[0].Graphs, got[5].Graphs, "a new order every epoch")
		// Batch k equals Batch by hand with BatchSeed.
		var hand PatchBatch
		a, b := BatchSeed(5, 1, 2)
		require.NoError(t, p.Batch(&hand, got[7].Graphs, true, rand.New(rand.NewPCG(a, b))))
		assert.Equal(t, got[7], cloneBatch(&hand))
		runs = append(runs, got)
	}
	assert.Equal(t, runs[0], runs[1], "same seed, same batches with 1 or 3 workers")
}

func TestStreamEvaluationFixedAcrossEpochs(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 4})
	p, err := NewPatcher(PatchConfig{Patches: 16}, set.Graphs)
	require.NoError(t, err)
	s, err := p.Stream(context.Background(), StreamConfig{Indices: []int{4, 2, 9, 0, 11}, BatchSize: 2, Seed: 9, Epochs: 2})
	require.NoError(t, err)
	got, _ := collect(t, s)
	require.Len(t, got, 6)
	assert.Equal(t, []int{4, 2}, got[0].Graphs)
	assert.Equal(t, []int{11}, got[2].Graphs)
	assert.Equal(t, got[:3], got[3:], "held-out batches patched the same every epoch")
	// Training streams repatch every epoch.
	s, err = p.Stream(context.Background(), StreamConfig{Indices: []int{4, 2, 9, 0, 11}, BatchSize: 2, Seed: 9, Epochs: 2, Train: true})
	require.NoError(t, err)
	tr, _ := collect(t, s)
	assert.Equal(t, tr[0].Graphs, tr[3].Graphs)
	assert.NotEqual(t, tr[0].CopyNode, tr[3].CopyNode)
}

func TestStreamErrorsAndCancel(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 4})
	p, err := NewPatcher(PatchConfig{Patches: 8}, set.Graphs)
	require.NoError(t, err)
	for _, tc := range []struct {
		cfg  StreamConfig
		want string
	}{
		{StreamConfig{Indices: []int{}}, "no graphs"},
		{StreamConfig{Indices: []int{0, 12}}, "graph index 12 out of range [0,12)"},
		{StreamConfig{BatchSize: -1}, "BatchSize = -1"},
		{StreamConfig{Epochs: -1}, "Epochs = -1"},
		{StreamConfig{Ahead: -1}, "Ahead = -1"},
	} {
		_, err := p.Stream(context.Background(), tc.cfg)
		require.ErrorContains(t, err, tc.want)
	}
	// A patching error stops the stream and names the graph.
	bad, err := NewPatcher(PatchConfig{Patches: 8, Targets: 3, Partitioner: func(uint64) Partitioner { return onePart{} }, PartitionerName: "one-part"}, set.Graphs)
	require.NoError(t, err)
	s, err := bad.Stream(context.Background(), StreamConfig{Indices: []int{3, 4}, BatchSize: 1})
	require.NoError(t, err)
	_, err = s.Next()
	require.ErrorContains(t, err, "graph 3: 1 non-empty patch slots")
	_, err2 := s.Next()
	assert.Equal(t, err, err2)
	// Cancel and Close stop the producers early.
	ctx, cancel := context.WithCancel(context.Background())
	s, err = p.Stream(ctx, StreamConfig{BatchSize: 1, Epochs: 100, Train: true})
	require.NoError(t, err)
	_, err = s.Next()
	require.NoError(t, err)
	cancel()
	for range 10 {
		if _, err = s.Next(); err != nil {
			break
		}
	}
	require.ErrorIs(t, err, context.Canceled)
	s, err = p.Stream(context.Background(), StreamConfig{BatchSize: 1, Epochs: 100})
	require.NoError(t, err)
	s.Close()
	s.Close()
	_, err = s.Next()
	require.ErrorContains(t, err, "after Close")
}

// benchBatch times Batch on a fixed batch of graphs after a warm-up, the
// allocations per batch reported by -benchmem.
func benchBatch(b *testing.B, set *datasets.GraphSet, cfg PatchConfig, idx []int) {
	p, err := NewPatcher(cfg, set.Graphs)
	require.NoError(b, err)
	var pb PatchBatch
	rng := rand.New(rand.NewPCG(1, 1))
	require.NoError(b, p.Batch(&pb, idx, true, rng))
	nodes := 0
	for _, i := range idx {
		nodes += set.Graphs[i].NumNodes()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := p.Batch(&pb, idx, true, rng); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(idx))/b.Elapsed().Seconds(), "graphs/s")
	b.ReportMetric(float64(nodes), "nodes/batch")
}

// BenchmarkPatcherMUTAG: one training batch of 128 MUTAG graphs (no
// partitioning: every graph has < 32 nodes).
func BenchmarkPatcherMUTAG(b *testing.B) {
	set := loadTU(b, "MUTAG")
	idx := make([]int, 128)
	for i := range idx {
		idx[i] = i
	}
	benchBatch(b, set, PatchConfig{}, idx)
}

// BenchmarkPatcherPROTEINS: the 128 largest PROTEINS graphs (up to 620
// nodes), partitioned by the BFS placeholder after the edge drop.
func BenchmarkPatcherPROTEINS(b *testing.B) {
	set := loadTU(b, "PROTEINS")
	idx := make([]int, len(set.Graphs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return set.Graphs[j].NumNodes() - set.Graphs[i].NumNodes() })
	benchBatch(b, set, PatchConfig{RWDim: 20, Targets: 2}, idx[:128])
}

// BenchmarkStreamMUTAG: a training epoch of 169 MUTAG graphs in batches of
// 128 through the producer pool.
func BenchmarkStreamMUTAG(b *testing.B) {
	set := loadTU(b, "MUTAG")
	p, err := NewPatcher(PatchConfig{}, set.Graphs)
	require.NoError(b, err)
	idx := make([]int, 169)
	for i := range idx {
		idx[i] = i
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s, err := p.Stream(context.Background(), StreamConfig{Indices: idx, Shuffle: true, Train: true, Seed: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := s.Next(); err != nil {
				break
			}
		}
	}
}
