package datasets

import (
	"path/filepath"
	"testing"
)

// BenchmarkLoadGINDD loads DD (1178 graphs, 334925 nodes, 82 one-hot tag
// columns) straight from its zip:
//
//	go test -run '^$' -bench LoadGINDD -benchmem ./datasets
func BenchmarkLoadGINDD(b *testing.B) {
	p := filepath.Join(graphDataDir(b), "gin_format", "DD.zip")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadGIN(p, GINConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}
