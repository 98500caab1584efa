package partition

import (
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/internal/shareddata"
)

// realGraphs loads the graphs of a shared data set with at least minNodes
// nodes (at most limit of them), or skips.
func realGraphs(tb testing.TB, rel string, minNodes, limit int) []*datasets.Graph {
	tb.Helper()
	dir := shareddata.Dir(tb, "graphs")
	s, err := datasets.LoadGraphs(dir+"/"+rel, datasets.GraphLoadConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	var gs []*datasets.Graph
	for _, g := range s.Graphs {
		if g.NumNodes() >= minNodes && (limit == 0 || len(gs) < limit) {
			gs = append(gs, g)
		}
	}
	return gs
}

func benchSet(b *testing.B, gs []*datasets.Graph, k int) {
	p := New(Config{})
	part := make([]int, 0, 1<<13)
	nodes := 0
	for _, g := range gs {
		nodes += g.NumNodes()
	}
	for _, g := range gs { // warm the scratch
		part = part[:g.NumNodes()]
		_ = p.Partition(g.RowPtr, g.Col, k, part)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuNanos()
	for i := 0; i < b.N; i++ {
		for _, g := range gs {
			part = part[:g.NumNodes()]
			if err := p.Partition(g.RowPtr, g.Col, k, part); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(gs)), "ns/graph")
	reportCPU(b, cpu0, b.N*len(gs), "cpu-ns/graph")
}

// reportCPU reports the process CPU time since cpu0 per unit (run the
// benchmarks with GOMAXPROCS=1 so that it is the partitioner's time).
func reportCPU(b *testing.B, cpu0 int64, units int, name string) {
	if cpu1 := cpuNanos(); cpu0 >= 0 && cpu1 >= 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(units), name)
	}
}

func BenchmarkPROTEINS32(b *testing.B) { benchSet(b, realGraphs(b, "tu/PROTEINS", 32, 0), 32) }
func BenchmarkDD32(b *testing.B)       { benchSet(b, realGraphs(b, "gin_format/DD.zip", 32, 200), 32) }
func BenchmarkREDDIT128(b *testing.B) {
	benchSet(b, realGraphs(b, "gin_format/REDDIT-BINARY.zip", 128, 50), 128)
}

// BenchmarkGrid500 is the yardstick: a 500-node graph (a 20×25
// grid) into 32 parts with a warm Partitioner.
func BenchmarkGrid500(b *testing.B) {
	rp, col := grid(20, 25)
	p := New(Config{})
	part := make([]int, 500)
	_ = p.Partition(rp, col, 32, part)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuNanos()
	for i := 0; i < b.N; i++ {
		if err := p.Partition(rp, col, 32, part); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0, b.N, "cpu-ns/op")
}
