package datasets

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// FuzzOFF feeds arbitrary text to the OFF parser and the surface sampler:
// no input may panic, and an accepted mesh has finite vertices and
// in-range triangles.
//
//	go test -run='^$' -fuzz=FuzzOFF -fuzztime=3m ./datasets
func FuzzOFF(f *testing.F) {
	f.Add([]byte("OFF\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n"))
	f.Add([]byte("OFF4 1 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3 255 0 0\n"))
	f.Add([]byte("OFF\n# comment\n\n3 1 0\n0 0 0 1 1 1\n1 0 0\n0 1 0\n3 0 1 2\n"))
	f.Add([]byte("OFF\n3 1 0\n0 0 0\n0 0 0\n0 0 0\n3 0 1 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseOFF(bytes.NewReader(data), "fuzz.off")
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		for _, v := range m.Vertices {
			if !finite3(v) {
				t.Fatalf("non-finite vertex %v", v)
			}
		}
		for _, tri := range m.Triangles {
			for _, i := range tri {
				if i < 0 || i >= len(m.Vertices) {
					t.Fatalf("triangle %v out of range", tri)
				}
			}
		}
		c, err := m.SamplePoints(8, rand.New(rand.NewPCG(1, 2)), true)
		if err == nil && len(c.Points) != 8 {
			t.Fatalf("%d points sampled", len(c.Points))
		}
	})
}
