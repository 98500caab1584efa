package datasets

import (
	"os"
	"testing"
)

// FuzzPLY feeds arbitrary bytes to the PLY decoder: no input may panic,
// every error is a *ParseError, and an accepted file has finite vertices,
// matching normals, in-range triangles, and no more vertices than bytes.
//
//	go test -run='^$' -fuzz=FuzzPLY -fuzztime=2m ./datasets
func FuzzPLY(f *testing.F) {
	for _, n := range []string{"tetra_ascii.ply", "tetra_binary_le.ply", "tetra_binary_be.ply"} {
		b, err := os.ReadFile(cloudFixture(n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	tp, tn, tf := tetra()
	f.Add(plySpec{format: "ascii", xyzType: "uchar", pts: tp[:1], colour: true, prefix: true}.bytes())
	f.Add(plySpec{format: "binary_little_endian", xyzType: "short", pts: tp, nrm: tn, faces: tf, colour: true, prefix: true}.bytes())
	f.Add([]byte("ply\r\nformat ascii 1.0\r\nelement vertex 1\r\nproperty double x\r\nproperty double y\r\nproperty double z\r\nend_header\r\n1 2 3\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodePLY("fuzz.ply", data)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if len(m.Points) == 0 || len(m.Points) > len(data) {
			t.Fatalf("%d vertices from %d bytes", len(m.Points), len(data))
		}
		for _, p := range m.Points {
			if !finite3(p) {
				t.Fatalf("non-finite vertex %v", p)
			}
		}
		if m.Normals != nil && len(m.Normals) != len(m.Points) {
			t.Fatalf("%d normals for %d vertices", len(m.Normals), len(m.Points))
		}
		for _, tri := range m.Triangles {
			for _, i := range tri {
				if i < 0 || i >= len(m.Points) {
					t.Fatalf("triangle %v out of range", tri)
				}
			}
		}
	})
}
