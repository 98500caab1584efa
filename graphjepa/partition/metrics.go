package partition

import (
	"bufio"
	"fmt"
	"io"
)

// EdgeCut returns the number of undirected edges of the CSR graph whose
// ends lie in different parts (each edge is listed in both directions).
func EdgeCut(rowPtr, col, part []int) int {
	cut := 0
	for v := 0; v+1 < len(rowPtr); v++ {
		for _, u := range col[rowPtr[v]:rowPtr[v+1]] {
			if part[u] != part[v] {
				cut++
			}
		}
	}
	return cut / 2
}

// Imbalance returns the largest part size divided by the average n/k, the
// measure gpmetis reports as "Balance" (1 is perfect). It is 0 for n == 0.
func Imbalance(part []int, k int) float64 {
	if len(part) == 0 || k <= 0 {
		return 0
	}
	sizes := make([]int, k)
	for _, q := range part {
		if q >= 0 && q < k {
			sizes[q]++
		}
	}
	m := 0
	for _, s := range sizes {
		m = max(m, s)
	}
	return float64(m) * float64(k) / float64(len(part))
}

// WriteMETIS writes the CSR graph in the graph-file format of METIS
// (gpmetis): a header "n m" with m undirected edges, then one line per
// vertex listing its neighbours 1-based. Self-loops are left out; the graph
// must be symmetric and without repeated entries, as gpmetis requires.
func WriteMETIS(w io.Writer, rowPtr, col []int) error {
	n := len(rowPtr) - 1
	if n < 0 {
		return fmt.Errorf("partition: WriteMETIS: rowPtr is empty")
	}
	m := 0
	for v := 0; v < n; v++ {
		for _, u := range col[rowPtr[v]:rowPtr[v+1]] {
			if u != v {
				m++
			}
		}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d\n", n, m/2)
	buf := make([]byte, 0, 16)
	for v := 0; v < n; v++ {
		first := true
		for _, u := range col[rowPtr[v]:rowPtr[v+1]] {
			if u == v {
				continue
			}
			if !first {
				bw.WriteByte(' ')
			}
			first = false
			buf = fmt.Appendf(buf[:0], "%d", u+1)
			bw.Write(buf)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
