package datasets

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCloudFixturesUpToDate checks that testdata/clouds holds what the
// generators write (go test -run CloudFixtures -update-clouds rewrites it).
func TestCloudFixturesUpToDate(t *testing.T) {
	for name, want := range cloudFixtures() {
		p := cloudFixture(name)
		if *updateClouds {
			require.NoError(t, os.MkdirAll("../testdata/clouds", 0o755))
			require.NoError(t, os.WriteFile(p, want, 0o644))
			continue
		}
		got, err := os.ReadFile(p)
		require.NoError(t, err, "run go test -run CloudFixtures -update-clouds ./datasets")
		assert.Equal(t, want, got, name)
	}
}

func TestPLYFixtures(t *testing.T) {
	tp, tn, _ := tetra()
	tris := [][3]int{{0, 1, 2}, {0, 3, 1}, {0, 2, 3}, {1, 3, 2}}
	for _, c := range []struct {
		file, format string
		normals      bool
	}{
		{"tetra_ascii.ply", "ascii", true},
		{"tetra_binary_le.ply", "binary_little_endian", true},
		{"tetra_binary_be.ply", "binary_big_endian", false},
	} {
		m, err := ReadPLY(cloudFixture(c.file))
		require.NoError(t, err, c.file)
		assert.Equal(t, c.format, m.Format)
		assert.Equal(t, tp, m.Points, c.file)
		assert.Equal(t, tris, m.Triangles, c.file)
		if c.normals {
			require.Len(t, m.Normals, 4)
			for i := range tn {
				assert.InDelta(t, tn[i].X, m.Normals[i].X, 1e-6, c.file)
				assert.InDelta(t, tn[i].Z, m.Normals[i].Z, 1e-6, c.file)
			}
		} else {
			assert.Nil(t, m.Normals, c.file)
		}
	}
}

// TestPLYRoundTrip writes clouds in every format and coordinate type and
// reads them back, with faces of 3 and 4 vertices (a quad is fanned).
func TestPLYRoundTrip(t *testing.T) {
	pts := []r3.Vector{{X: 1, Y: -2, Z: 3}, {X: 4, Y: 5, Z: -6}, {X: 7, Y: 8, Z: 9}, {X: -10, Y: 11, Z: 12}}
	faces := [][]int{{0, 1, 2}, {0, 1, 2, 3}}
	for _, format := range []string{"ascii", "binary_little_endian", "binary_big_endian"} {
		for _, typ := range []string{"float", "double", "float32", "float64", "int", "int32", "short", "char", "int8"} {
			for _, colour := range []bool{false, true} {
				s := plySpec{format: format, xyzType: typ, pts: pts, faces: faces, colour: colour, prefix: colour}
				m, err := DecodePLY("rt.ply", s.bytes())
				require.NoError(t, err, "%s %s", format, typ)
				assert.Equal(t, pts, m.Points, "%s %s", format, typ)
				assert.Equal(t, [][3]int{{0, 1, 2}, {0, 1, 2}, {0, 2, 3}}, m.Triangles, "%s %s", format, typ)
			}
		}
	}
	// Fractions survive float (as float32) and double exactly.
	frac := []r3.Vector{{X: 0.1, Y: 0.2, Z: 0.3}, {X: 1e-7, Y: -3.5, Z: 2}}
	m, err := DecodePLY("d.ply", plySpec{format: "binary_little_endian", xyzType: "double", pts: frac}.bytes())
	require.NoError(t, err)
	assert.Equal(t, frac, m.Points)
	assert.Nil(t, m.Triangles)
	m, err = DecodePLY("f.ply", plySpec{format: "binary_little_endian", xyzType: "float", pts: frac}.bytes())
	require.NoError(t, err)
	assert.Equal(t, float64(float32(0.1)), m.Points[0].X)
}

func TestPLYMalformed(t *testing.T) {
	tp, tn, tf := tetra()
	ascii := string(plySpec{format: "ascii", xyzType: "float", pts: tp, nrm: tn, faces: tf}.bytes())
	bin := plySpec{format: "binary_little_endian", xyzType: "float", pts: tp, faces: tf}.bytes()
	binNoFaces := plySpec{format: "binary_little_endian", xyzType: "double", pts: tp}.bytes()
	// Line numbers of the ascii fixture: 1 ply, 2 format, 3 comment, 4
	// element vertex, 5-10 properties, 11 element face, 12 list, 13
	// end_header, 14-17 vertices, 18-21 faces.
	rep := func(old, new string) []byte { return []byte(strings.Replace(ascii, old, new, 1)) }
	for _, c := range []struct {
		name  string
		in    []byte
		line  int
		field string
		msg   string
	}{
		{"empty", nil, 1, "", "not a PLY file"},
		{"not ply", []byte("OFF\n3 1 0\n"), 1, "", "not a PLY file"},
		{"unknown format", rep("format ascii 1.0", "format binary_middle_endian 1.0"), 2, "format", "unknown format"},
		{"bad version", rep("format ascii 1.0", "format ascii 2.0"), 2, "format", "version"},
		{"no format", rep("format ascii 1.0\n", ""), 3, "format", "element before the format line"},
		{"no end_header", []byte("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"), 4, "", "no end_header"},
		{"unknown keyword", rep("comment", "remark"), 3, "", "unknown header keyword"},
		{"bad count", rep("element vertex 4", "element vertex -4"), 4, "element vertex", "count"},
		{"unknown type", rep("property float y", "property real y"), 6, "element vertex property", "unknown type"},
		{"float list count", rep("property list uchar int", "property list float int"), 12, "element face property", "count type"},
		{"duplicate property", rep("property float y", "property float x"), 6, "element vertex property", "duplicate"},
		{"property first", []byte("ply\nformat ascii 1.0\nproperty float x\nend_header\n"), 3, "property", "before any element"},
		{"missing z", rep("property float z\n", ""), 4, "element vertex", "no property z"},
		{"list x", rep("property float x", "property list uchar float x"), 4, "element vertex property x", "is a list"},
		{"no vertex element", []byte("ply\nformat ascii 1.0\nelement face 0\nproperty list uchar int vertex_indices\nend_header\n"), 0, "element vertex", "no vertex element"},
		{"zero vertices", []byte("ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\nproperty float y\nproperty float z\nend_header\n"), 3, "element vertex", "no vertices"},
		{"bad number", rep("-1 -1 1 -0.57735", "-1 -1 1e -0.57735"), 17, "vertex property z", `"1e" is not a number`},
		{"nan", rep("-1 -1 1 -0.57735", "-1 nan 1 -0.57735"), 17, "vertex", "non-finite"},
		{"short vertex line", rep("1 -1 -1 0.5773502691896258 -0.5773502691896258 -0.5773502691896258\n", "1 -1\n"), 15, "vertex property z", "missing value"},
		{"long vertex line", rep("1 -1 -1 0.5773502691896258 -0.5773502691896258 -0.5773502691896258\n", "1 -1 -1 0 0 0 9\n"), 15, "element vertex", "left over"},
		{"vertex count too large", rep("element vertex 4", "element vertex 5"), 18, "vertex property", ""},
		{"vertex count too small", rep("element vertex 4", "element vertex 3"), 17, "face property vertex_indices", "list length"},
		{"truncated ascii", []byte(ascii[:len(ascii)-8]), 20, "element face", "3 of the 4 face lines"},
		{"extra data", append([]byte(ascii), "3 0 1 2\n"...), 22, "", "unexpected data after"},
		{"face index range", rep("3 1 3 2", "3 1 3 4"), 0, "face triangle[3]", "out of range"},
		{"face index negative", rep("3 1 3 2", "3 1 -3 2"), 21, "face property vertex_indices", "non-negative integer"},
		{"face of 2", rep("3 1 3 2", "2 1 3"), 21, "face property vertex_indices", "at least 3"},
		{"list too long", rep("3 1 3 2", "9 1 3 2"), 21, "face property vertex_indices", "list length"},
		{"truncated binary vertex", bin[:len(bin)-60], 0, "element vertex", "truncated data"},
		{"truncated binary face", bin[:len(bin)-3], 0, "face[3].vertex_indices", "truncated data"},
		{"binary trailing bytes", append(append([]byte(nil), binNoFaces...), 0, 0), 0, "", "2 bytes after the elements"},
		{"binary header count", bytes.Replace(binNoFaces, []byte("element vertex 4"), []byte("element vertex 5"), 1), 0, "element vertex", "truncated data"},
		{"binary huge count", bytes.Replace(binNoFaces, []byte("element vertex 4"), []byte("element vertex 2147483647"), 1), 0, "element vertex", "truncated data"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodePLY("bad.ply", c.in)
			require.Error(t, err)
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "%v", err)
			assert.Equal(t, "bad.ply", pe.File)
			assert.Equal(t, c.line, pe.Line, "%v", err)
			assert.Contains(t, pe.Field, c.field, "%v", err)
			assert.Contains(t, pe.Error(), c.msg)
		})
	}
}

// TestPLYBinaryNaNNamesVertex checks a NaN in binary data names the vertex and byte.
func TestPLYBinaryNaNNamesVertex(t *testing.T) {
	tp, _, _ := tetra()
	pts := append([]r3.Vector(nil), tp...)
	pts[2].Y = nanF64()
	_, err := DecodePLY("nan.ply", plySpec{format: "binary_little_endian", xyzType: "float", pts: pts}.bytes())
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "vertex[2]", pe.Field)
	assert.Contains(t, err.Error(), "at byte")
}

func TestReadPLYMissingFile(t *testing.T) {
	_, err := ReadPLY("../testdata/clouds/absent.ply")
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
