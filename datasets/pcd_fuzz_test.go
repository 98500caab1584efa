package datasets

import (
	"os"
	"testing"
)

// FuzzPCD feeds arbitrary bytes to the PCD decoder (ascii, binary and
// LZF binary_compressed): no input may panic, every error is a
// *ParseError, and an accepted file has finite points and matching
// normals.
//
//	go test -run='^$' -fuzz=FuzzPCD -fuzztime=2m ./datasets
func FuzzPCD(f *testing.F) {
	for _, n := range []string{"cube_ascii.pcd", "cube_binary.pcd", "cube_binary_compressed.pcd"} {
		b, err := os.ReadFile(cloudFixture(n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	cp, cn := cube8()
	f.Add(pcdSpec{data: "binary_compressed", pts: cp, rgb: true}.bytes())
	f.Add(pcdSpec{data: "binary", pts: cp, nrm: cn, double: true}.bytes())
	f.Add([]byte("# .PCD v.5\nVERSION .5\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 2\nHEIGHT 1\nPOINTS 2\nDATA ascii\n0 0 0\n1 1 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pts, nrm, err := DecodePCD("fuzz.pcd", data)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if len(pts) == 0 {
			t.Fatal("no points and no error")
		}
		for _, p := range pts {
			if !finite3(p) {
				t.Fatalf("non-finite point %v", p)
			}
		}
		if nrm != nil && len(nrm) != len(pts) {
			t.Fatalf("%d normals for %d points", len(nrm), len(pts))
		}
	})
}
