package datasets

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Loading all of NCI1 (4110 graphs, 122747 nodes, 265506 A lines) with
// LoadTU, against two baselines measured in the same run:
//
//	go test -run '^$' -bench 'NCI1' -benchmem ./datasets
//
// BenchmarkReadFilesNCI1 only reads the four files into memory (the I/O
// floor); BenchmarkNaiveSplitNCI1 parses them the common way (ReadFile,
// strings.Split per line and per field, strconv.Atoi) without building
// any graph. LoadTU does strictly more work than the naive parse
// (validation, one-hot features, coalescing, CSR) in less time.
func BenchmarkLoadTUNCI1(b *testing.B) {
	dir := filepath.Join(graphDataDir(b), "tu", "NCI1")
	b.ReportAllocs()
	for b.Loop() {
		s, err := LoadTU(dir, TUConfig{})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Graphs) != 4110 {
			b.Fatal("wrong graph count")
		}
	}
}

var nci1Files = []string{"NCI1_A.txt", "NCI1_graph_indicator.txt", "NCI1_graph_labels.txt", "NCI1_node_labels.txt"}

func BenchmarkReadFilesNCI1(b *testing.B) {
	dir := filepath.Join(graphDataDir(b), "tu", "NCI1")
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, f := range nci1Files {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				b.Fatal(err)
			}
			n += len(data)
		}
		if n == 0 {
			b.Fatal("empty")
		}
	}
}

func BenchmarkNaiveSplitNCI1(b *testing.B) {
	dir := filepath.Join(graphDataDir(b), "tu", "NCI1")
	b.ReportAllocs()
	for b.Loop() {
		var ints []int
		for _, f := range nci1Files {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				b.Fatal(err)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				for _, field := range strings.Split(line, ",") {
					v, err := strconv.Atoi(strings.TrimSpace(field))
					if err != nil {
						b.Fatal(err)
					}
					ints = append(ints, v)
				}
			}
		}
		if len(ints) == 0 {
			b.Fatal("empty")
		}
	}
}

// BenchmarkCollateGraphsMUTAG collates MUTAG in batches of 128 into a
// reused GraphBatch (Graph-JEPA's MUTAG batch size).
func BenchmarkCollateGraphsMUTAG(b *testing.B) {
	s, err := LoadTU(filepath.Join(graphDataDir(b), "tu", "MUTAG"), TUConfig{})
	if err != nil {
		b.Fatal(err)
	}
	var batch *GraphBatch
	b.ReportAllocs()
	for b.Loop() {
		for lo := 0; lo < len(s.Graphs); lo += 128 {
			if batch, err = CollateGraphs(batch, s.Graphs[lo:min(lo+128, len(s.Graphs))]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
