package datasets

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPCDFixtures(t *testing.T) {
	cp, cn := cube8()
	for _, c := range []struct {
		file    string
		normals bool
	}{
		{"cube_ascii.pcd", true},
		{"cube_binary.pcd", false},
		{"cube_binary_compressed.pcd", true},
	} {
		cl, err := ReadPCD(cloudFixture(c.file))
		require.NoError(t, err, c.file)
		assert.Equal(t, cp, cl.Points, c.file)
		assert.Equal(t, -1, cl.Label)
		if !c.normals {
			assert.Nil(t, cl.Normals, c.file)
			continue
		}
		require.Len(t, cl.Normals, 8, c.file)
		for i := range cn {
			assert.InDelta(t, cn[i].Y, cl.Normals[i].Y, 1e-6, c.file)
		}
	}
}

// TestPCDRoundTrip writes every data layout, float and double, with and
// without extra fields, and reads it back; a larger random cloud checks
// the LZF decoder on real back references.
func TestPCDRoundTrip(t *testing.T) {
	pts := []r3.Vector{{X: 0.25, Y: -1.5, Z: 3}, {X: 4, Y: 0.5, Z: -6}, {X: 0.25, Y: -1.5, Z: 3.5}}
	for _, data := range []string{"ascii", "binary", "binary_compressed"} {
		for _, double := range []bool{false, true} {
			for _, rgb := range []bool{false, true} {
				got, nrm, err := DecodePCD("rt.pcd", pcdSpec{data: data, double: double, rgb: rgb, pts: pts}.bytes())
				require.NoError(t, err, "%s double=%v rgb=%v", data, double, rgb)
				assert.Equal(t, pts, got, data)
				assert.Nil(t, nrm)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 0))
	big := make([]r3.Vector, 2000)
	for i := range big {
		// Coarse values so that the field-major bytes repeat a lot.
		big[i] = r3.Vector{X: float64(rng.IntN(8)) / 4, Y: float64(rng.IntN(4)), Z: -1}
	}
	raw := pcdSpec{data: "binary_compressed", pts: big}.bytes()
	got, _, err := DecodePCD("big.pcd", raw)
	require.NoError(t, err)
	assert.Equal(t, big, got)
	assert.Less(t, len(raw), 2000*12/2, "the test compressor should have found back references")
}

func TestPCDMalformed(t *testing.T) {
	cp, _ := cube8()
	ascii := string(pcdSpec{data: "ascii", pts: cp}.bytes())
	bin := pcdSpec{data: "binary", pts: cp}.bytes()
	comp := pcdSpec{data: "binary_compressed", pts: cp}.bytes()
	// Lines: 1 comment, 2 VERSION, 3 FIELDS, 4 SIZE, 5 TYPE, 6 COUNT, 7
	// WIDTH, 8 HEIGHT, 9 VIEWPOINT, 10 POINTS, 11 DATA, 12-19 points.
	rep := func(old, new string) []byte { return []byte(strings.Replace(ascii, old, new, 1)) }
	hdr := bytes.Index(comp, []byte("binary_compressed\n")) + len("binary_compressed\n")
	compSize := append([]byte(nil), comp...)
	binary.LittleEndian.PutUint32(compSize[hdr:], 1<<30)
	compUnc := append([]byte(nil), comp...)
	binary.LittleEndian.PutUint32(compUnc[hdr+4:], 7)
	compRef := append([]byte(nil), comp[:hdr+8]...)
	compRef = append(compRef, 0xe0, 0x05, 0xff) // back reference before the start
	for _, c := range []struct {
		name  string
		in    []byte
		line  int
		field string
		msg   string
	}{
		{"empty", nil, 0, "DATA", "no DATA line"},
		{"unknown keyword", rep("VERSION 0.7", "VERSON 0.7"), 2, "", "unknown header keyword"},
		{"repeated", rep("HEIGHT 1", "WIDTH 8"), 8, "WIDTH", "repeated"},
		{"no fields", rep("FIELDS x y z\n", ""), 10, "FIELDS", "no FIELDS"},
		{"missing z", rep("FIELDS x y z", "FIELDS x y w"), 0, "FIELDS", "no field z"},
		{"size count", rep("SIZE 4 4 4", "SIZE 4 4"), 11, "SIZE", "2 values for the 3 FIELDS"},
		{"bad size", rep("SIZE 4 4 4", "SIZE 4 4 3"), 11, "SIZE", "field z: size 3"},
		{"bad type", rep("TYPE F F F", "TYPE F F D"), 11, "TYPE", "want I, U or F"},
		{"float size", rep("SIZE 4 4 4", "SIZE 4 4 2"), 11, "SIZE", "4 or 8 for F"},
		{"count of x", rep("COUNT 1 1 1", "COUNT 2 1 1"), 0, "COUNT", "field x has COUNT 2"},
		{"bad width", rep("WIDTH 8", "WIDTH -8"), 7, "WIDTH", "not an integer"},
		{"points mismatch", rep("POINTS 8", "POINTS 9"), 11, "POINTS", "POINTS 9 ≠ WIDTH 8"},
		{"no width", rep("WIDTH 8\n", ""), 10, "WIDTH", "no WIDTH"},
		{"unknown data", rep("DATA ascii", "DATA zip"), 11, "DATA", "unknown data format"},
		{"bad number", rep("\n0.5 0.5 0.5", "\n0.5 0.5x 0.5"), 19, "y", `"0.5x" is not a number`},
		{"nan", rep("\n0.5 0.5 0.5", "\nnan 0.5 0.5"), 19, "point[7]", "non-finite"},
		{"short line", rep("\n0.5 0.5 0.5", "\n0.5 0.5"), 19, "", "2 values, the FIELDS need 3"},
		{"too few points", []byte(ascii[:len(ascii)-12]), 18, "POINTS", "7 of the 8 points"},
		{"extra points", append([]byte(ascii), "1 2 3\n"...), 20, "POINTS", "data after"},
		{"truncated binary", bin[:len(bin)-1], 0, "DATA", "binary data of 95 bytes"},
		{"binary trailing", append(append([]byte(nil), bin...), 0), 0, "DATA", "binary data of 97 bytes"},
		{"compressed short", comp[:hdr+4], 0, "DATA", "two uint32 sizes"},
		{"compressed size", compSize, 0, "DATA", "compressed size 1073741824"},
		{"uncompressed size", compUnc, 0, "DATA", "uncompressed size 7"},
		{"compressed truncated", comp[:len(comp)-2], 0, "DATA", "compressed size"},
		{"compressed back reference", compRef, 0, "DATA", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := DecodePCD("bad.pcd", c.in)
			require.Error(t, err)
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "%v", err)
			assert.Equal(t, "bad.pcd", pe.File)
			assert.Equal(t, c.line, pe.Line, "%v", err)
			assert.Contains(t, pe.Field, c.field, "%v", err)
			assert.Contains(t, pe.Error(), c.msg)
		})
	}
}

func TestLZFDecompress(t *testing.T) {
	in := bytes.Repeat([]byte("abcabcabd"), 50)
	c := lzfCompressNaive(in)
	out := make([]byte, len(in))
	require.NoError(t, lzfDecompress(out, c))
	assert.Equal(t, in, out)
	assert.Error(t, lzfDecompress(make([]byte, len(in)-1), c), "overflow")
	assert.Error(t, lzfDecompress(make([]byte, len(in)+1), c), "short output")
	assert.Error(t, lzfDecompress(out, []byte{5, 1, 2}), "literal past the end")
	assert.Error(t, lzfDecompress(out, []byte{0xe0}), "truncated reference")
}
