package datasets

import (
	"testing"
)

// FuzzXYZ feeds arbitrary text to the plain-text cloud decoder: no input
// may panic, every error is a *ParseError, and an accepted file has
// finite points and, with six columns, one normal per point.
//
//	go test -run='^$' -fuzz=FuzzXYZ -fuzztime=1m ./datasets
func FuzzXYZ(f *testing.F) {
	cp, cn := cube8()
	f.Add(xyzBytes(cp, cn, " "))
	f.Add(xyzBytes(cp, nil, ","))
	f.Add([]byte("# c\n1,2,3\n\n4 , 5 ,6 # x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pts, nrm, err := DecodeXYZ("fuzz.xyz", data)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if len(pts) == 0 || len(pts) > len(data)/5 {
			t.Fatalf("%d points from %d bytes", len(pts), len(data))
		}
		for i, p := range pts {
			if !finite3(p) || (nrm != nil && !finite3(nrm[i])) {
				t.Fatalf("non-finite point %d", i)
			}
		}
		if nrm != nil && len(nrm) != len(pts) {
			t.Fatalf("%d normals for %d points", len(nrm), len(pts))
		}
	})
}
