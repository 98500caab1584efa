package partition

import (
	"testing"
)

func grid(r, c int) (rowPtr, col []int) {
	rowPtr = []int{0}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if i > 0 {
				col = append(col, (i-1)*c+j)
			}
			if j > 0 {
				col = append(col, i*c+j-1)
			}
			if j+1 < c {
				col = append(col, i*c+j+1)
			}
			if i+1 < r {
				col = append(col, (i+1)*c+j)
			}
			rowPtr = append(rowPtr, len(col))
		}
	}
	return
}

func TestSmoke(t *testing.T) {
	rp, col := grid(20, 25)
	p := New(Config{})
	part := make([]int, 500)
	for _, k := range []int{2, 3, 4, 32} {
		if err := p.Partition(rp, col, k, part); err != nil {
			t.Fatal(err)
		}
		t.Logf("k=%d cut=%d imb=%.3f", k, EdgeCut(rp, col, part), Imbalance(part, k))
	}
}

func BenchmarkSmokeGrid500(b *testing.B) {
	rp, col := grid(20, 25)
	p := New(Config{})
	part := make([]int, 500)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := p.Partition(rp, col, 32, part); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSmokeGrid31(b *testing.B) {
	rp, col := grid(5, 6)
	p := New(Config{})
	part := make([]int, 30)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := p.Partition(rp, col, 2, part); err != nil {
			b.Fatal(err)
		}
	}
}
