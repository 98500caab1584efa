package datasets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/golang/geo/r3"
)

// TriMesh is a triangle mesh: vertex coordinates and triangles as vertex
// index triples.
type TriMesh struct {
	Vertices  []r3.Vector
	Triangles [][3]int
}

// offMaxCount bounds the vertex and face counts of an OFF header, so that
// a corrupt header cannot make the parser reserve absurd amounts of memory.
const offMaxCount = 1 << 28

// ParseOFF parses a mesh in the Object File Format used by ModelNet and
// Princeton's shape benchmark:
//
//	OFF
//	<vertices> <faces> <edges>
//	x y z                  (one line per vertex)
//	n i1 i2 … in           (one line per face, 0-based vertex indices)
//
// It also accepts the variant found in many ModelNet files, where the
// counts are glued to the keyword on the first line ("OFF490 518 0").
// Comments ("#" to the end of a line) and blank lines are ignored. A
// vertex line may carry up to 4 extra values (a colour) and so may a face
// line after its indices. Polygons with n > 3 are split into a triangle
// fan (i1, ij, ij+1). The edge count is ignored.
//
// Errors are *ParseError values with the 1-based line and, where useful,
// the field ("vertex count", "column 2", "index 3").
func ParseOFF(r io.Reader, name string) (*TriMesh, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	var fields [][]byte
	// next returns the fields of the next non-blank, non-comment line.
	next := func() bool {
		for sc.Scan() {
			line++
			b := sc.Bytes()
			if i := bytes.IndexByte(b, '#'); i >= 0 {
				b = b[:i]
			}
			fields = bytes.Fields(b)
			if len(fields) > 0 {
				return true
			}
		}
		return false
	}
	eof := func(what string) error {
		if err := sc.Err(); err != nil {
			return parseErrorf(name, line+1, "", "%v", err)
		}
		return parseErrorf(name, line, "", "unexpected end of file: want %s", what)
	}
	if !next() {
		return nil, eof("the OFF keyword")
	}
	first := fields[0]
	if !bytes.HasPrefix(first, []byte("OFF")) {
		return nil, parseErrorf(name, line, "", "file does not start with OFF (found %q; COFF, NOFF and binary OFF are not supported)", offClip(first))
	}
	counts := fields[1:]
	if len(first) > 3 {
		// "OFF490 518 0": the vertex count is glued to the keyword.
		counts = append([][]byte{first[3:]}, counts...)
	}
	if len(counts) == 0 {
		if !next() {
			return nil, eof("the vertex, face and edge counts")
		}
		counts = fields
	}
	if len(counts) < 2 || len(counts) > 3 {
		return nil, parseErrorf(name, line, "", "%d values on the counts line, want 3 (vertices faces edges)", len(counts))
	}
	nv, err := offCount(counts[0])
	if err != nil {
		return nil, parseErrorf(name, line, "vertex count", "%v", err)
	}
	nf, err := offCount(counts[1])
	if err != nil {
		return nil, parseErrorf(name, line, "face count", "%v", err)
	}
	if len(counts) == 3 {
		if _, err := offCount(counts[2]); err != nil {
			return nil, parseErrorf(name, line, "edge count", "%v", err)
		}
	}
	if nv == 0 {
		return nil, parseErrorf(name, line, "vertex count", "no vertices")
	}
	m := &TriMesh{
		Vertices:  make([]r3.Vector, 0, min(nv, 1<<16)),
		Triangles: make([][3]int, 0, min(nf, 1<<16)),
	}
	for range nv {
		if !next() {
			return nil, eof(fmt.Sprintf("%d vertices, got %d", nv, len(m.Vertices)))
		}
		if len(fields) < 3 || len(fields) > 7 {
			return nil, parseErrorf(name, line, "", "vertex line with %d values, want 3 (x y z), optionally followed by a colour", len(fields))
		}
		var v [3]float64
		for j := range 3 {
			x, err := strconv.ParseFloat(string(fields[j]), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, parseErrorf(name, line, fmt.Sprintf("column %d", j+1), "%q is not a finite number", offClip(fields[j]))
			}
			v[j] = x
		}
		m.Vertices = append(m.Vertices, r3.Vector{X: v[0], Y: v[1], Z: v[2]})
	}
	for range nf {
		if !next() {
			return nil, eof(fmt.Sprintf("%d faces, got %d", nf, len(m.Triangles)))
		}
		k, err := strconv.Atoi(string(fields[0]))
		if err != nil || k < 3 {
			return nil, parseErrorf(name, line, "column 1", "polygon size %q: want an integer ≥ 3", offClip(fields[0]))
		}
		if len(fields) < k+1 || len(fields) > k+5 {
			return nil, parseErrorf(name, line, "", "face of %d vertices with %d values, want %d (optionally followed by a colour)", k, len(fields), k+1)
		}
		var i0, prev int
		for j := 1; j <= k; j++ {
			idx, err := strconv.Atoi(string(fields[j]))
			if err != nil || idx < 0 || idx >= nv {
				return nil, parseErrorf(name, line, fmt.Sprintf("index %d", j), "vertex index %q out of range [0,%d)", offClip(fields[j]), nv)
			}
			switch {
			case j == 1:
				i0 = idx
			case j >= 3:
				m.Triangles = append(m.Triangles, [3]int{i0, prev, idx})
			}
			prev = idx
		}
	}
	if next() {
		return nil, parseErrorf(name, line, "", "unexpected data after the %d faces announced in the header", nf)
	}
	if err := sc.Err(); err != nil {
		return nil, parseErrorf(name, line+1, "", "%v", err)
	}
	return m, nil
}

// offCount parses a non-negative count of an OFF header.
func offCount(b []byte) (int, error) {
	n, err := strconv.Atoi(string(b))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a non-negative integer", offClip(b))
	}
	if n > offMaxCount {
		return 0, fmt.Errorf("%d exceeds the limit of %d", n, offMaxCount)
	}
	return n, nil
}

// offClip shortens b for an error message.
func offClip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
