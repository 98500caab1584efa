package partition

import "testing"

// FuzzPartition builds a symmetric graph from arbitrary bytes (pairs of
// node ids, self-loops and repeats included) and checks that partitioning
// it never panics and always returns a valid assignment.
func FuzzPartition(f *testing.F) {
	f.Add([]byte{0, 1, 1, 2, 2, 0, 3, 3}, uint8(2))
	f.Add([]byte{}, uint8(1))
	f.Add([]byte{5, 5, 5, 5, 1, 2, 1, 2}, uint8(40))
	p := New(Config{})
	f.Fuzz(func(t *testing.T, b []byte, kb uint8) {
		n := 0
		var e [][2]int
		for i := 0; i+1 < len(b); i += 2 {
			u, v := int(b[i]%64), int(b[i+1]%64)
			e = append(e, [2]int{u, v})
			n = max(n, u+1, v+1)
		}
		rp, col := csr(n, e)
		k := int(kb%70) + 1
		part := make([]int, n)
		if err := p.Partition(rp, col, k, part); err != nil {
			t.Fatal(err)
		}
		for v, q := range part {
			if q < 0 || q >= k {
				t.Fatalf("node %d in part %d of %d", v, q, k)
			}
		}
	})
}
