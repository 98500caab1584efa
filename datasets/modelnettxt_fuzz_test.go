package datasets

import (
	"bytes"
	"testing"
)

// FuzzModelNetTxt feeds arbitrary text to the ModelNet txt parser: no
// input may panic, and an accepted shape has finite points and either no
// normals or one per point.
//
//	go test -run='^$' -fuzz=FuzzModelNetTxt -fuzztime=3m ./datasets
func FuzzModelNetTxt(f *testing.F) {
	f.Add([]byte("-0.068510,-0.087520,0.187900,-0.639100,0.768900,0.020190\n0.001472,-0.212300,-0.977300,0.062650,-0.204900,-0.976800\n"))
	f.Add([]byte("1,2,3\n4,5,6\n"))
	f.Add([]byte("1, 2 ,3,0,0,1\r\n\n1e-3,2,3,0,1,0"))
	f.Add([]byte("1,2,3,4,5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pts, nrm, err := ParseModelNetTxt(bytes.NewReader(data), "fuzz.txt")
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if len(pts) == 0 || (nrm != nil && len(nrm) != len(pts)) {
			t.Fatalf("%d points, %d normals", len(pts), len(nrm))
		}
		for i := range pts {
			if !finite3(pts[i]) || (nrm != nil && !finite3(nrm[i])) {
				t.Fatalf("non-finite value at point %d", i)
			}
		}
	})
}
