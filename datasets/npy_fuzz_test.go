package datasets

import (
	"bytes"
	"testing"
)

// FuzzNpy feeds arbitrary bytes to the .npy header parser and decoder: no
// input may panic, and an accepted array must be a non-empty finite cloud.
//
//	go test -run='^$' -fuzz=FuzzNpy -fuzztime=3m ./datasets
func FuzzNpy(f *testing.F) {
	var b bytes.Buffer
	_ = WriteNpy(&b, []float32{1, 2, 3, 4, 5, 6}, 2, 3)
	f.Add(b.Bytes())
	f.Add(npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 6), }", 2, f64bytes(1, 2, 3, 0, 0, 1)))
	f.Add(npyFile("{'shape': (2L, 3L), 'fortran_order': True, 'descr': '<f4'}", 3, f32bytes(1, 2, 3, 4, 5, 6)))
	f.Add([]byte("\x93NUMPY\x01\x00\x05\x00{'de"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseNpyHeader("fuzz.npy", data)
		for _, cfg := range []NpyConfig{{}, {Columns: []int{2, 1, 0}, NormalColumns: []int{3, 4, 5}}} {
			pts, nrm, err := DecodeNpyPoints("fuzz.npy", data, cfg, nil, nil)
			if err != nil {
				if _, ok := err.(*ParseError); !ok {
					t.Fatalf("error %v is not a *ParseError", err)
				}
				continue
			}
			if len(pts) == 0 || (cfg.NormalColumns != nil && len(nrm) != len(pts)) {
				t.Fatalf("accepted %d points, %d normals", len(pts), len(nrm))
			}
			for _, p := range pts {
				if !finite3(p) {
					t.Fatalf("accepted non-finite point %v", p)
				}
			}
		}
	})
}
