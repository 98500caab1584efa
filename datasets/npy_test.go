package datasets

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// npyFile builds a .npy file with the given header dictionary (padded as
// numpy does) and raw data bytes.
func npyFile(dict string, major byte, data []byte) []byte {
	pre := 10
	if major >= 2 {
		pre = 12
	}
	dict += " "
	for (pre+len(dict)+1)%64 != 0 {
		dict += " "
	}
	dict += "\n"
	b := []byte("\x93NUMPY")
	b = append(b, major, 0)
	if major >= 2 {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(dict)))
	} else {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)))
	}
	return append(append(b, dict...), data...)
}

func f32bytes(v ...float32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

func f64bytes(v ...float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// TestWriteNpyMatchesNumpy compares WriteNpy with numpy.save, byte for
// byte. Expected bytes from numpy 1.24.2:
//
//	b = io.BytesIO(); np.save(b, np.arange(6, dtype=np.float32).reshape(2,3)*0.5); b.getvalue()
func TestWriteNpyMatchesNumpy(t *testing.T) {
	want := "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" +
		"                                                          \n" +
		"\x00\x00\x00\x00\x00\x00\x00?\x00\x00\x80?\x00\x00\xc0?\x00\x00\x00@\x00\x00 @"
	var buf bytes.Buffer
	require.NoError(t, WriteNpy(&buf, []float32{0, 0.5, 1, 1.5, 2, 2.5}, 2, 3))
	assert.Equal(t, want, buf.String())

	// np.save(b, np.arange(3, dtype=np.float32)): header only.
	wantHdr := "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }" +
		"                                                            \n"
	buf.Reset()
	require.NoError(t, WriteNpy(&buf, []float32{0, 1, 2}, 3))
	assert.Equal(t, wantHdr, buf.String()[:128])
}

func TestDecodeNpyFloat64FromNumpy(t *testing.T) {
	// np.save(b, np.array([[1.5,-2.25,3.0],[0.1,0.2,0.3]], dtype='<f8')) with numpy 1.24.2.
	b := []byte("\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" +
		"                                                          \n" +
		"\x00\x00\x00\x00\x00\x00\xf8?\x00\x00\x00\x00\x00\x00\x02\xc0\x00\x00\x00\x00\x00\x00\x08@" +
		"\x9a\x99\x99\x99\x99\x99\xb9?\x9a\x99\x99\x99\x99\x99\xc9?333333\xd3?")
	pts, nrm, err := DecodeNpyPoints("f8.npy", b, NpyConfig{}, nil, nil)
	require.NoError(t, err)
	assert.Nil(t, nrm)
	assert.Equal(t, []r3.Vector{{X: 1.5, Y: -2.25, Z: 3}, {X: 0.1, Y: 0.2, Z: 0.3}}, pts)
}

func TestDecodeNpyColumns(t *testing.T) {
	// (2,6) array: x,y,z,nx,ny,nz; read normals too and swap columns.
	data := f32bytes(1, 2, 3, 0, 0, 1, 4, 5, 6, 1, 0, 0)
	b := npyFile("{'shape': (2, 6), 'descr': '<f4', 'fortran_order': False}", 2, data)
	pts, nrm, err := DecodeNpyPoints("n.npy", b, NpyConfig{NormalColumns: []int{3, 4, 5}}, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, []r3.Vector{{X: 1, Y: 2, Z: 3}, {X: 4, Y: 5, Z: 6}}, pts)
	assert.Equal(t, []r3.Vector{{Z: 1}, {X: 1}}, nrm)

	pts, _, err = DecodeNpyPoints("n.npy", b, NpyConfig{Columns: []int{0, 2, 1}}, pts, nil)
	require.NoError(t, err)
	assert.Equal(t, []r3.Vector{{X: 1, Y: 3, Z: 2}, {X: 4, Y: 6, Z: 5}}, pts)

	assert.Panics(t, func() { _, _, _ = DecodeNpyPoints("n.npy", b, NpyConfig{Columns: []int{0, 1}}, nil, nil) })
}

func TestDecodeNpyErrors(t *testing.T) {
	good := "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
	six := f32bytes(1, 2, 3, 4, 5, 6)
	cases := []struct {
		name, field string
		file        []byte
	}{
		{"magic", "magic", []byte("PK\x03\x04 not numpy")},
		{"version", "version", append([]byte("\x93NUMPY\x04\x00"), make([]byte, 64)...)},
		{"truncated header", "header", []byte("\x93NUMPY\x01\x00\xff\x00{'descr'")},
		{"int dtype", "descr", npyFile("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", 1, six)},
		{"big endian", "descr", npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 1, six)},
		{"structured", "descr", npyFile("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (2,), }", 1, six)},
		{"fortran", "fortran_order", npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 1, six)},
		{"1-d", "shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", 1, six)},
		{"3-d", "shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }", 1, six)},
		{"two columns", "shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", 1, six)},
		{"no points", "shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", 1, nil)},
		{"short data", "data", npyFile(good, 1, six[:20])},
		{"long data", "data", npyFile(good, 1, append(six, 0, 0, 0, 0))},
		{"huge shape", "data", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", 1, six)},
		{"nan", "point[1]", npyFile(good, 1, f32bytes(1, 2, 3, 4, float32(math.NaN()), 6))},
		{"inf", "point[0]", npyFile(good, 1, f32bytes(float32(math.Inf(1)), 2, 3, 4, 5, 6))},
		{"missing key", "shape", npyFile("{'descr': '<f4', 'fortran_order': False}", 1, six)},
		{"extra key", "order", npyFile("{'descr': '<f4', 'order': 'C', 'fortran_order': False, 'shape': (2, 3)}", 1, six)},
		{"duplicate key", "descr", npyFile("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", 1, six)},
		{"bad bool", "fortran_order", npyFile("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}", 1, six)},
		{"shape not tuple", "shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}", 1, six)},
		{"shape int", "shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (6)}", 1, six)},
		{"negative dim", "shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3)}", 1, six)},
		{"garbage after", "header", npyFile(good+"x", 1, six)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := DecodeNpyPoints("bad.npy", c.file, NpyConfig{}, nil, nil)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "bad.npy", pe.File)
			assert.Equal(t, c.field, pe.Field, "%v", err)
		})
	}
}

func TestParseNpyHeaderVariants(t *testing.T) {
	for _, dict := range []string{
		"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
		"{\"shape\":(2,3),\"fortran_order\":False,\"descr\":\"<f4\"}",
		"{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L)}",
	} {
		for _, major := range []byte{1, 2, 3} {
			h, err := ParseNpyHeader("h.npy", npyFile(dict, major, nil))
			require.NoError(t, err, "%s v%d", dict, major)
			assert.Equal(t, "<f4", h.Descr)
			assert.Equal(t, []int{2, 3}, h.Shape)
			assert.False(t, h.FortranOrder)
			assert.Equal(t, 0, h.DataOffset%64)
		}
	}
	h, err := ParseNpyHeader("s.npy", npyFile("{'descr': '<f8', 'fortran_order': True, 'shape': ()}", 1, nil))
	require.NoError(t, err)
	assert.Empty(t, h.Shape)
	assert.True(t, h.FortranOrder)
}

func TestReadNpyCloudRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.npy")
	var buf bytes.Buffer
	require.NoError(t, WriteNpy(&buf, []float32{0.1, 0.2, 0.3, -1, -2, -3}, 2, 3))
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	c, err := ReadNpyCloud(p, NpyConfig{})
	require.NoError(t, err)
	assert.Equal(t, p, c.Path)
	assert.Equal(t, -1, c.Label)
	require.Len(t, c.Points, 2)
	assert.Equal(t, float64(float32(0.2)), c.Points[0].Y)
	assert.Equal(t, -3.0, c.Points[1].Z)

	_, err = ReadNpyCloud(filepath.Join(dir, "missing.npy"), NpyConfig{})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), "missing.npy")
}

func TestReadNpyCloudStaged(t *testing.T) {
	p := filepath.Join(sharedPointData(t, "pointclouds/modelnet40_npy1024_subset"), "airplane", "train", "airplane_0006.npy")
	c, err := ReadNpyCloud(p, NpyConfig{})
	require.NoError(t, err)
	require.Len(t, c.Points, 1024)
	maxNorm := 0.0
	var mean r3.Vector
	for _, v := range c.Points {
		maxNorm = math.Max(maxNorm, v.Norm())
		mean = mean.Add(v)
	}
	// The staged README: centred on the centroid, max norm 1.0.
	assert.InDelta(t, 1.0, maxNorm, 1e-6)
	assert.InDelta(t, 0, mean.Mul(1.0/1024).Norm(), 1e-4)
	// First point of the file (bytes 128..139): de8e983d e70b14bf 906722bd.
	assert.Equal(t, float64(math.Float32frombits(0x3d988ede)), c.Points[0].X)
	assert.Equal(t, float64(math.Float32frombits(0xbf140be7)), c.Points[0].Y)
	assert.Equal(t, float64(math.Float32frombits(0xbd226790)), c.Points[0].Z)
}
