package datasets

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/golang/geo/r3"
)

// NpyConfig says which columns of an (N,C) .npy array hold what. The
// zero value reads x, y, z from columns 0, 1, 2 and no normals, which fits
// arrays of shape (N,3) and the (N,6) "x,y,z,nx,ny,nz" layout alike.
type NpyConfig struct {
	// Columns are the x, y, z columns; nil means {0, 1, 2}. Must have
	// length 3 when set.
	Columns []int
	// NormalColumns are the nx, ny, nz columns; nil means no normals.
	// Must have length 3 when set.
	NormalColumns []int
}

// Validate checks that Columns and NormalColumns are each nil or three
// non-negative column indices; the error names the field. The decoders
// panic on a configuration Validate rejects (a programmer error): check
// user settings with Validate first.
func (cfg NpyConfig) Validate() error {
	for _, f := range []struct {
		name string
		c    []int
	}{{"Columns", cfg.Columns}, {"NormalColumns", cfg.NormalColumns}} {
		if f.c != nil && (len(f.c) != 3 || f.c[0] < 0 || f.c[1] < 0 || f.c[2] < 0) {
			return fmt.Errorf("datasets: NpyConfig.%s = %v, want 3 non-negative column indices (x, y, z)", f.name, f.c)
		}
	}
	return nil
}

// xyzColumns returns the x, y, z columns of cfg and panics on a
// malformed configuration (a programmer error).
func (cfg *NpyConfig) xyzColumns() [3]int {
	return npyCols(cfg.Columns, [3]int{0, 1, 2}, "Columns")
}

func npyCols(c []int, def [3]int, what string) [3]int {
	if c == nil {
		return def
	}
	if len(c) != 3 || c[0] < 0 || c[1] < 0 || c[2] < 0 {
		panic(fmt.Sprintf("datasets: NpyConfig.%s must be 3 non-negative column indices, got %v", what, c))
	}
	return [3]int{c[0], c[1], c[2]}
}

// ReadNpyCloud reads one point cloud from the .npy file at path. The
// array must be little-endian float32 ("<f4") or float64 ("<f8", converted)
// in C order with shape (N,C), N ≥ 1 and C large enough for the selected
// columns; every selected value must be finite. Errors are *ParseError
// values naming the file and the offending field ("descr", "shape",
// "fortran_order", "data", or "point[i]" for a non-finite value). The
// cloud's Label is -1 and its ID is empty; Path is path.
func ReadNpyCloud(path string, cfg NpyConfig) (PointCloud, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return PointCloud{}, &ParseError{File: path, Err: err}
	}
	pts, nrm, err := DecodeNpyPoints(path, b, cfg, nil, nil)
	if err != nil {
		return PointCloud{}, err
	}
	return PointCloud{Points: pts, Normals: nrm, Label: -1, Path: path}, nil
}

// DecodeNpyPoints decodes the .npy file contents b (header and data, see
// ReadNpyCloud for what is accepted) into points and, when
// cfg.NormalColumns is set, normals. It reuses pts and nrm when their
// capacity suffices (pass nil to allocate). name is used in errors only.
func DecodeNpyPoints(name string, b []byte, cfg NpyConfig, pts, nrm []r3.Vector) ([]r3.Vector, []r3.Vector, error) {
	xyz := cfg.xyzColumns()
	var ncol [3]int
	withNormals := cfg.NormalColumns != nil
	if withNormals {
		ncol = npyCols(cfg.NormalColumns, [3]int{}, "NormalColumns")
	}
	h, err := ParseNpyHeader(name, b)
	if err != nil {
		return pts, nrm, err
	}
	var size int
	switch h.Descr {
	case "<f4":
		size = 4
	case "<f8":
		size = 8
	default:
		return pts, nrm, parseErrorf(name, 0, "descr", "dtype %q not supported (want \"<f4\" float32 or \"<f8\" float64, little-endian)", h.Descr)
	}
	if h.FortranOrder {
		return pts, nrm, parseErrorf(name, 0, "fortran_order", "Fortran-ordered (column-major) arrays are not supported; save with C order (numpy.ascontiguousarray)")
	}
	if len(h.Shape) != 2 {
		return pts, nrm, parseErrorf(name, 0, "shape", "shape %s: want a 2-D array (N, C) with C ≥ 3", shapeString(h.Shape))
	}
	n, c := h.Shape[0], h.Shape[1]
	need := 3
	for _, k := range xyz {
		need = max(need, k+1)
	}
	if withNormals {
		for _, k := range ncol {
			need = max(need, k+1)
		}
	}
	if c < need {
		return pts, nrm, parseErrorf(name, 0, "shape", "shape %s has %d columns, the selected columns need %d", shapeString(h.Shape), c, need)
	}
	if n == 0 {
		return pts, nrm, parseErrorf(name, 0, "shape", "shape %s: no points", shapeString(h.Shape))
	}
	data := b[h.DataOffset:]
	if n > len(data) || c > len(data) || n*c*size != len(data) {
		return pts, nrm, parseErrorf(name, 0, "data", "%d data bytes, shape %s of %s needs %d", len(data), shapeString(h.Shape), h.Descr, n*c*size)
	}
	pts = growVectors(pts, n)
	if withNormals {
		nrm = growVectors(nrm, n)
	} else {
		nrm = nil
	}
	row := c * size
	if size == 4 && !withNormals {
		// Fast path for the common float32 xyz arrays.
		if i, ok := decodeXYZ32(pts, data, row, xyz); !ok {
			return pts, nrm, parseErrorf(name, 0, fmt.Sprintf("point[%d]", i), "non-finite coordinate %v", pts[i])
		}
		return pts, nil, nil
	}
	for i := range n {
		r := data[i*row : (i+1)*row : (i+1)*row]
		var ok bool
		if pts[i], ok = npyVector(r, xyz, size); !ok {
			return pts, nrm, parseErrorf(name, 0, fmt.Sprintf("point[%d]", i), "non-finite coordinate %v", pts[i])
		}
		if withNormals {
			if nrm[i], ok = npyVector(r, ncol, size); !ok {
				return pts, nrm, parseErrorf(name, 0, fmt.Sprintf("normal[%d]", i), "non-finite value %v", nrm[i])
			}
		}
	}
	return pts, nrm, nil
}

// decodeXYZ32 decodes little-endian float32 rows of row bytes into pts,
// reading columns cols. It stops at the first row holding a NaN or ±Inf
// and returns its index and false.
func decodeXYZ32(pts []r3.Vector, data []byte, row int, cols [3]int) (int, bool) {
	const expMask = 0x7f800000 // all exponent bits set: Inf or NaN
	ox, oy, oz := 4*cols[0], 4*cols[1], 4*cols[2]
	for i := range pts {
		r := data[i*row : (i+1)*row : (i+1)*row]
		ux := binary.LittleEndian.Uint32(r[ox:])
		uy := binary.LittleEndian.Uint32(r[oy:])
		uz := binary.LittleEndian.Uint32(r[oz:])
		pts[i] = r3.Vector{
			X: float64(math.Float32frombits(ux)),
			Y: float64(math.Float32frombits(uy)),
			Z: float64(math.Float32frombits(uz)),
		}
		if ux&expMask == expMask || uy&expMask == expMask || uz&expMask == expMask {
			return i, false
		}
	}
	return 0, true
}

// npyVector reads the three columns cols of row r, whose elements are
// little-endian floats of size bytes, and reports whether all are finite.
func npyVector(r []byte, cols [3]int, size int) (r3.Vector, bool) {
	var v [3]float64
	for j, k := range cols {
		if size == 4 {
			v[j] = float64(math.Float32frombits(binary.LittleEndian.Uint32(r[4*k:])))
		} else {
			v[j] = math.Float64frombits(binary.LittleEndian.Uint64(r[8*k:]))
		}
	}
	p := r3.Vector{X: v[0], Y: v[1], Z: v[2]}
	return p, finite3(p)
}

// growVectors returns s resliced to length n, reallocated when its
// capacity is too small.
func growVectors(s []r3.Vector, n int) []r3.Vector {
	if cap(s) < n {
		return make([]r3.Vector, n)
	}
	return s[:n]
}

// shapeString formats a shape as Python does: (5,), (1024, 3), ().
func shapeString(s []int) string {
	switch len(s) {
	case 0:
		return "()"
	case 1:
		return fmt.Sprintf("(%d,)", s[0])
	}
	out := "("
	for i, d := range s {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprint(d)
	}
	return out + ")"
}

// WriteNpy writes a C-ordered little-endian float32 array with the given
// shape in .npy format 1.0, byte for byte as numpy.save writes it (header
// padded with spaces to a multiple of 64 bytes and ended by a newline, as
// numpy 1.24 does).
// len(data) must equal the product of shape (programmer error otherwise).
func WriteNpy(w io.Writer, data []float32, shape ...int) error {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic("datasets: WriteNpy: negative dimension")
		}
		n *= d
	}
	if n != len(data) {
		panic(fmt.Sprintf("datasets: WriteNpy: %d values for shape %s", len(data), shapeString(shape)))
	}
	dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shapeString(shape))
	if len(shape) > 0 {
		// numpy ≥ 1.23 leaves room to grow the first axis in place
		// (GROWTH_AXIS_MAX_DIGITS = 21 in numpy/lib/format.py).
		dict += strings.Repeat(" ", max(0, 21-len(strconv.Itoa(shape[0]))))
	}
	total := len(npyMagic) + 4 + len(dict) + 1
	pad := (64 - total%64) % 64
	buf := make([]byte, 0, total+pad+4*len(data))
	buf = append(buf, npyMagic...)
	buf = append(buf, 1, 0)
	buf = binary.LittleEndian.AppendUint16(buf, uint16(len(dict)+pad+1))
	buf = append(buf, dict...)
	for range pad {
		buf = append(buf, ' ')
	}
	buf = append(buf, '\n')
	for _, v := range data {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
	}
	_, err := w.Write(buf)
	return err
}
