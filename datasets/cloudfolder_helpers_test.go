package datasets

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/require"
)

// updateClouds rewrites ../testdata/clouds from the generators below.
var updateClouds = flag.Bool("update-clouds", false, "rewrite the testdata/clouds fixtures at the repository root")

// plySpec describes a PLY file for the tests to write.
type plySpec struct {
	format  string // ascii, binary_little_endian, binary_big_endian
	xyzType string // PLY type of x, y, z (float, double, float32, int, …)
	pts     []r3.Vector
	nrm     []r3.Vector // nil: no nx ny nz
	faces   [][]int     // nil: no face element
	colour  bool        // add uchar red green blue vertex properties and a face "flags" int
	prefix  bool        // put an extra element before vertex (with a list)
}

// bytes renders s.
func (s plySpec) bytes() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "ply\nformat %s 1.0\ncomment written by the nongrid/jepa tests\n", s.format)
	if s.prefix {
		b.WriteString("element camera 1\nproperty list uchar float params\nproperty int id\n")
	}
	fmt.Fprintf(&b, "element vertex %d\n", len(s.pts))
	for _, n := range []string{"x", "y", "z"} {
		fmt.Fprintf(&b, "property %s %s\n", s.xyzType, n)
	}
	if s.colour {
		b.WriteString("property uchar red\nproperty uchar green\nproperty uchar blue\n")
	}
	if s.nrm != nil {
		b.WriteString("property float nx\nproperty float ny\nproperty float nz\n")
	}
	if s.faces != nil {
		fmt.Fprintf(&b, "element face %d\nproperty list uchar int vertex_indices\n", len(s.faces))
		if s.colour {
			b.WriteString("property int flags\n")
		}
	}
	b.WriteString("end_header\n")
	var o binary.AppendByteOrder = binary.LittleEndian
	if s.format == "binary_big_endian" {
		o = binary.BigEndian
	}
	t := plyTypes[s.xyzType]
	put := func(v float64, t plyType) {
		if s.format == "ascii" {
			fmt.Fprintf(&b, "%v ", v)
			return
		}
		switch {
		case t.kind == 'f' && t.size == 4:
			b.Write(o.AppendUint32(nil, math.Float32bits(float32(v))))
		case t.kind == 'f':
			b.Write(o.AppendUint64(nil, math.Float64bits(v)))
		case t.size == 1:
			b.WriteByte(byte(int8(v)))
		case t.size == 2:
			b.Write(o.AppendUint16(nil, uint16(int16(v))))
		default:
			b.Write(o.AppendUint32(nil, uint32(int32(v))))
		}
	}
	eol := func() {
		if s.format == "ascii" {
			b.Truncate(b.Len() - 1)
			b.WriteByte('\n')
		}
	}
	f32, u8, i32 := plyTypes["float"], plyTypes["uchar"], plyTypes["int"]
	if s.prefix {
		put(2, u8)
		put(0.5, f32)
		put(1.5, f32)
		put(7, i32)
		eol()
	}
	for i, p := range s.pts {
		put(p.X, t)
		put(p.Y, t)
		put(p.Z, t)
		if s.colour {
			put(200, u8)
			put(100, u8)
			put(50, u8)
		}
		if s.nrm != nil {
			put(s.nrm[i].X, f32)
			put(s.nrm[i].Y, f32)
			put(s.nrm[i].Z, f32)
		}
		eol()
	}
	for _, f := range s.faces {
		put(float64(len(f)), u8)
		for _, k := range f {
			put(float64(k), i32)
		}
		if s.colour {
			put(-1, i32)
		}
		eol()
	}
	return b.Bytes()
}

// pcdSpec describes a PCD file for the tests to write.
type pcdSpec struct {
	data   string // ascii, binary, binary_compressed
	double bool   // x y z as F 8
	pts    []r3.Vector
	nrm    []r3.Vector
	rgb    bool // add a U 4 rgb field before x
}

// bytes renders s.
func (s pcdSpec) bytes() []byte {
	type fld struct {
		name string
		size int
		typ  string
		val  func(i int) float64
	}
	var fs []fld
	if s.rgb {
		fs = append(fs, fld{"rgb", 4, "U", func(int) float64 { return 0x00ff8040 }})
	}
	xs := 4
	if s.double {
		xs = 8
	}
	fs = append(fs,
		fld{"x", xs, "F", func(i int) float64 { return s.pts[i].X }},
		fld{"y", xs, "F", func(i int) float64 { return s.pts[i].Y }},
		fld{"z", xs, "F", func(i int) float64 { return s.pts[i].Z }})
	if s.nrm != nil {
		fs = append(fs,
			fld{"normal_x", 4, "F", func(i int) float64 { return s.nrm[i].X }},
			fld{"normal_y", 4, "F", func(i int) float64 { return s.nrm[i].Y }},
			fld{"normal_z", 4, "F", func(i int) float64 { return s.nrm[i].Z }})
	}
	var b bytes.Buffer
	b.WriteString("# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS")
	for _, f := range fs {
		b.WriteString(" " + f.name)
	}
	b.WriteString("\nSIZE")
	for _, f := range fs {
		fmt.Fprintf(&b, " %d", f.size)
	}
	b.WriteString("\nTYPE")
	for _, f := range fs {
		b.WriteString(" " + f.typ)
	}
	b.WriteString("\nCOUNT" + strings.Repeat(" 1", len(fs)))
	fmt.Fprintf(&b, "\nWIDTH %d\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS %d\nDATA %s\n", len(s.pts), len(s.pts), s.data)
	enc := func(dst []byte, f fld, i int) []byte {
		v := f.val(i)
		switch {
		case f.typ == "U":
			return binary.LittleEndian.AppendUint32(dst, uint32(v))
		case f.size == 4:
			return binary.LittleEndian.AppendUint32(dst, math.Float32bits(float32(v)))
		}
		return binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
	}
	switch s.data {
	case "ascii":
		for i := range s.pts {
			for j, f := range fs {
				if j > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%v", f.val(i))
			}
			b.WriteByte('\n')
		}
	case "binary":
		var rec []byte
		for i := range s.pts {
			for _, f := range fs {
				rec = enc(rec, f, i)
			}
		}
		b.Write(rec)
	case "binary_compressed":
		var raw []byte
		for _, f := range fs {
			for i := range s.pts {
				raw = enc(raw, f, i)
			}
		}
		c := lzfCompressNaive(raw)
		b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(c))))
		b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(raw))))
		b.Write(c)
	}
	return b.Bytes()
}

// lzfCompressNaive writes in as an LZF stream: greedy longest matches of
// at least 3 bytes within the 8 KiB window, literal runs of up to 32.
func lzfCompressNaive(in []byte) []byte {
	var out, lit []byte
	flush := func() {
		for len(lit) > 0 {
			n := min(len(lit), 32)
			out = append(out, byte(n-1))
			out = append(out, lit[:n]...)
			lit = lit[n:]
		}
		lit = nil
	}
	for i := 0; i < len(in); {
		best, bestOff := 0, 0
		for ref := max(0, i-8192); ref < i; ref++ {
			n := 0
			for i+n < len(in) && n < 264 && in[ref+n] == in[i+n] {
				n++
			}
			if n > best {
				best, bestOff = n, i-ref-1
			}
		}
		if best < 3 {
			lit = append(lit, in[i])
			i++
			continue
		}
		flush()
		l := best - 2
		if l < 7 {
			out = append(out, byte(l<<5|bestOff>>8))
		} else {
			out = append(out, byte(7<<5|bestOff>>8), byte(l-7))
		}
		out = append(out, byte(bestOff))
		i += best
	}
	flush()
	return out
}

// tetra returns a regular tetrahedron's vertices, outward normals of
// its vertices and its faces.
func tetra() (pts, nrm []r3.Vector, faces [][]int) {
	pts = []r3.Vector{{X: 1, Y: 1, Z: 1}, {X: 1, Y: -1, Z: -1}, {X: -1, Y: 1, Z: -1}, {X: -1, Y: -1, Z: 1}}
	for _, p := range pts {
		nrm = append(nrm, p.Normalize())
	}
	faces = [][]int{{0, 1, 2}, {0, 3, 1}, {0, 2, 3}, {1, 3, 2}}
	return pts, nrm, faces
}

// cube8 returns the corners of [-0.5, 0.5]³ and their outward normals.
func cube8() (pts, nrm []r3.Vector) {
	for i := range 8 {
		p := r3.Vector{X: float64(i&1) - 0.5, Y: float64(i>>1&1) - 0.5, Z: float64(i>>2&1) - 0.5}
		pts = append(pts, p)
		nrm = append(nrm, p.Normalize())
	}
	return pts, nrm
}

// cloudFixtures are the files of testdata/clouds, by name.
func cloudFixtures() map[string][]byte {
	tp, tn, tf := tetra()
	cp, cn := cube8()
	return map[string][]byte{
		"tetra_ascii.ply":            plySpec{format: "ascii", xyzType: "float", pts: tp, nrm: tn, faces: tf}.bytes(),
		"tetra_binary_le.ply":        plySpec{format: "binary_little_endian", xyzType: "double", pts: tp, nrm: tn, faces: tf, colour: true}.bytes(),
		"tetra_binary_be.ply":        plySpec{format: "binary_big_endian", xyzType: "float32", pts: tp, faces: tf, prefix: true}.bytes(),
		"cube_ascii.pcd":             pcdSpec{data: "ascii", pts: cp, nrm: cn}.bytes(),
		"cube_binary.pcd":            pcdSpec{data: "binary", pts: cp, rgb: true}.bytes(),
		"cube_binary_compressed.pcd": pcdSpec{data: "binary_compressed", pts: cp, nrm: cn, double: true}.bytes(),
		"cube.xyz":                   xyzBytes(cp, cn, " "),
	}
}

// xyzBytes renders points (and normals) one per line, values joined by sep.
func xyzBytes(pts, nrm []r3.Vector, sep string) []byte {
	var b bytes.Buffer
	for i, p := range pts {
		v := []float64{p.X, p.Y, p.Z}
		if nrm != nil {
			v = append(v, nrm[i].X, nrm[i].Y, nrm[i].Z)
		}
		for j, x := range v {
			if j > 0 {
				b.WriteString(sep)
			}
			fmt.Fprintf(&b, "%v", x)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// cloudFixture returns the path of testdata/clouds/name.
func cloudFixture(name string) string { return filepath.Join("..", "testdata", "clouds", name) }

// writeTree writes files (relative path → contents) under root.
func writeTree(t testing.TB, root string, files map[string][]byte) {
	t.Helper()
	for rel, b := range files {
		p := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
}
