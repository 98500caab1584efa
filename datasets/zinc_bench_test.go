package datasets

import (
	"path/filepath"
	"testing"
)

// BenchmarkLoadZINCVal decodes the 1000-graph ZINC validation pickle:
//
//	go test -run '^$' -bench LoadZINCVal -benchmem ./datasets
func BenchmarkLoadZINCVal(b *testing.B) {
	p := filepath.Join(graphDataDir(b), "zinc12k_partial", "ZINC_Val.pkl")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadZINC(p, ZINCConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}
