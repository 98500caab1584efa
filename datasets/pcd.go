package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/golang/geo/r3"
)

// pcdField is one column of a PCD file.
type pcdField struct {
	name   string
	size   int  // bytes per value: 1, 2, 4 or 8
	kind   byte // 'I' signed, 'U' unsigned, 'F' float
	count  int  // values per point
	offset int  // byte offset in a binary record
}

// pcdHeader is a parsed PCD header.
type pcdHeader struct {
	fields []pcdField
	points int
	data   string // "ascii", "binary" or "binary_compressed"
	start  int    // byte offset of the data
	lines  int    // header lines
	stride int    // bytes per binary record
	values int    // values per point (sum of COUNT)
}

// pcdMaxCount bounds the values of one point (the sum of COUNT).
const pcdMaxCount = 1 << 16

// ReadPCD reads the PCD file at path (see DecodePCD) into a cloud with
// Label -1 and Path path.
func ReadPCD(path string) (PointCloud, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return PointCloud{}, &ParseError{File: path, Err: err}
	}
	pts, nrm, err := DecodePCD(path, b)
	if err != nil {
		return PointCloud{}, err
	}
	return PointCloud{Points: pts, Normals: nrm, Label: -1, Path: path}, nil
}

// DecodePCD decodes the contents b of a PCD file (the Point Cloud
// Library's format, versions 0.5 to 0.7):
//
//	# .PCD v0.7 - Point Cloud Data file format   (comment lines start with #)
//	VERSION 0.7
//	FIELDS x y z normal_x normal_y normal_z rgb   (any fields; x y z required)
//	SIZE 4 4 4 4 4 4 4                           (bytes: 1, 2, 4 or 8)
//	TYPE F F F F F F U                           (I signed, U unsigned, F float)
//	COUNT 1 1 1 1 1 1 1                          (optional, default 1 each)
//	WIDTH 1024
//	HEIGHT 1                                     (optional, default 1)
//	VIEWPOINT 0 0 0 1 0 0 0                      (optional, ignored)
//	POINTS 1024                                  (optional, default WIDTH×HEIGHT)
//	DATA ascii                                   (or binary, binary_compressed)
//
// It returns the x, y, z values of every point (converted to float64;
// each must be finite: an organised cloud's NaN placeholders are an error,
// remove them first, e.g. with PCL's removeNaNFromPointCloud) and, when
// the file has normal_x, normal_y and normal_z, the normals (else nil).
// Coordinate fields must have COUNT 1. binary data is point-major records
// in little-endian byte order and must hold exactly POINTS records;
// binary_compressed is PCL's LZF-compressed field-major layout. ascii
// data is one point per line with the values of every field.
//
// Errors are *ParseError values naming the file, the 1-based line of the
// header or ascii data and the field ("FIELDS", "x"); for binary data the
// field names the point ("point[12]") and the message the byte offset.
// name is used in errors only.
func DecodePCD(name string, b []byte) (points, normals []r3.Vector, err error) {
	h, err := parsePCDHeader(name, b)
	if err != nil {
		return nil, nil, err
	}
	col := func(n string) int {
		for i, f := range h.fields {
			if f.name == n {
				return i
			}
		}
		return -1
	}
	var xyz, nxyz [3]int
	for i, n := range []string{"x", "y", "z"} {
		if xyz[i] = col(n); xyz[i] < 0 {
			return nil, nil, parseErrorf(name, 0, "FIELDS", "no field %s (want x, y and z)", n)
		}
		if h.fields[xyz[i]].count != 1 {
			return nil, nil, parseErrorf(name, 0, "COUNT", "field %s has COUNT %d, want 1", n, h.fields[xyz[i]].count)
		}
	}
	withNormals := true
	for i, n := range []string{"normal_x", "normal_y", "normal_z"} {
		if nxyz[i] = col(n); nxyz[i] < 0 || h.fields[nxyz[i]].count != 1 {
			withNormals = false
		}
	}
	d := pcdDecoder{name: name, h: h, xyz: xyz, nxyz: nxyz, normals: withNormals}
	data := b[h.start:]
	switch h.data {
	case "ascii":
		err = d.ascii(data)
	case "binary":
		if int64(len(data)) != int64(h.points)*int64(h.stride) {
			return nil, nil, parseErrorf(name, 0, "DATA", "binary data of %d bytes from byte %d, %d points of %d bytes need %d", len(data), h.start, h.points, h.stride, int64(h.points)*int64(h.stride))
		}
		err = d.records(data, 1)
	case "binary_compressed":
		err = d.compressed(data)
	}
	if err != nil {
		return nil, nil, err
	}
	return d.pts, d.nrm, nil
}

// parsePCDHeader parses the header of b up to and including the DATA line.
func parsePCDHeader(name string, b []byte) (*pcdHeader, error) {
	h := &pcdHeader{}
	pos, line := 0, 0
	var sizes, counts []int
	var types [][]byte
	var names []string
	width, height, points := -1, 1, -1
	seen := map[string]int{}
	for {
		if pos >= len(b) {
			return nil, parseErrorf(name, line, "DATA", "unexpected end of file in the header: no DATA line")
		}
		line++
		end := bytes.IndexByte(b[pos:], '\n')
		var l []byte
		if end < 0 {
			l, pos = b[pos:], len(b)
		} else {
			l, pos = b[pos:pos+end], pos+end+1
		}
		if i := bytes.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		f := bytes.Fields(l)
		if len(f) == 0 {
			continue
		}
		kw := strings.ToUpper(string(f[0]))
		args := f[1:]
		if prev, dup := seen[kw]; dup {
			return nil, parseErrorf(name, line, kw, "repeated (first on line %d)", prev)
		}
		seen[kw] = line
		ints := func(min int) ([]int, error) {
			v := make([]int, len(args))
			for i, a := range args {
				n, err := strconv.Atoi(string(a))
				if err != nil || n < min || n > math.MaxInt32 {
					return nil, parseErrorf(name, line, kw, "value %d %q is not an integer ≥ %d", i+1, offClip(a), min)
				}
				v[i] = n
			}
			return v, nil
		}
		one := func(min int) (int, error) {
			if len(args) != 1 {
				return 0, parseErrorf(name, line, kw, "%d values, want 1", len(args))
			}
			v, err := ints(min)
			if err != nil {
				return 0, err
			}
			return v[0], nil
		}
		var err error
		switch kw {
		case "VERSION", "VIEWPOINT":
		case "FIELDS", "COLUMNS":
			if len(args) == 0 || len(args) > 1<<10 {
				return nil, parseErrorf(name, line, kw, "%d fields, want 1 to 1024", len(args))
			}
			for _, a := range args {
				names = append(names, string(a))
			}
		case "SIZE":
			sizes, err = ints(1)
		case "TYPE":
			types = args
		case "COUNT":
			counts, err = ints(1)
		case "WIDTH":
			width, err = one(1)
		case "HEIGHT":
			height, err = one(1)
		case "POINTS":
			points, err = one(0)
		case "DATA":
			if len(args) != 1 {
				return nil, parseErrorf(name, line, kw, "%d values, want ascii, binary or binary_compressed", len(args))
			}
			h.data = strings.ToLower(string(args[0]))
			if h.data != "ascii" && h.data != "binary" && h.data != "binary_compressed" {
				return nil, parseErrorf(name, line, kw, "unknown data format %q (want ascii, binary or binary_compressed)", offClip(args[0]))
			}
			h.start, h.lines = pos, line
		default:
			return nil, parseErrorf(name, line, "", "unknown header keyword %q (want VERSION, FIELDS, SIZE, TYPE, COUNT, WIDTH, HEIGHT, VIEWPOINT, POINTS or DATA)", offClip(f[0]))
		}
		if err != nil {
			return nil, err
		}
		if h.data != "" {
			break
		}
	}
	hl := h.lines
	if names == nil {
		return nil, parseErrorf(name, hl, "FIELDS", "no FIELDS line before DATA")
	}
	if counts == nil {
		counts = make([]int, len(names))
		for i := range counts {
			counts[i] = 1
		}
	}
	for _, c := range []struct {
		kw string
		n  int
	}{{"SIZE", len(sizes)}, {"TYPE", len(types)}, {"COUNT", len(counts)}} {
		if c.n != len(names) {
			return nil, parseErrorf(name, hl, c.kw, "%d values for the %d FIELDS", c.n, len(names))
		}
	}
	if width < 0 {
		return nil, parseErrorf(name, hl, "WIDTH", "no WIDTH line before DATA")
	}
	wh := int64(width) * int64(height)
	if points < 0 {
		if wh > math.MaxInt32 {
			return nil, parseErrorf(name, hl, "WIDTH", "WIDTH × HEIGHT = %d exceeds 2^31", wh)
		}
		points = int(wh)
	} else if int64(points) != wh {
		return nil, parseErrorf(name, hl, "POINTS", "POINTS %d ≠ WIDTH %d × HEIGHT %d", points, width, height)
	}
	if points == 0 {
		return nil, parseErrorf(name, hl, "POINTS", "no points")
	}
	h.points = points
	for i, n := range names {
		t := string(types[i])
		if len(t) != 1 || !strings.Contains("IUF", t) {
			return nil, parseErrorf(name, hl, "TYPE", "field %s: type %q, want I, U or F", n, offClip(types[i]))
		}
		s := sizes[i]
		if (t == "F" && s != 4 && s != 8) || (s != 1 && s != 2 && s != 4 && s != 8) {
			return nil, parseErrorf(name, hl, "SIZE", "field %s: size %d for type %s, want 1, 2, 4 or 8 (4 or 8 for F)", n, s, t)
		}
		h.fields = append(h.fields, pcdField{name: n, size: s, kind: t[0], count: counts[i], offset: h.stride})
		h.stride += s * counts[i]
		h.values += counts[i]
	}
	if h.values > pcdMaxCount {
		return nil, parseErrorf(name, hl, "COUNT", "%d values per point, at most %d", h.values, pcdMaxCount)
	}
	return h, nil
}

// pcdDecoder holds the state of one DecodePCD call.
type pcdDecoder struct {
	name      string
	h         *pcdHeader
	xyz, nxyz [3]int
	normals   bool
	pts, nrm  []r3.Vector
}

// reserve allocates the outputs for n points.
func (d *pcdDecoder) reserve(n int) {
	d.pts = make([]r3.Vector, 0, n)
	if d.normals {
		d.nrm = make([]r3.Vector, 0, n)
	}
}

// ascii decodes one point per line.
func (d *pcdDecoder) ascii(data []byte) error {
	h := d.h
	// The shortest point line is one digit and a separator per value.
	perLine := h.values
	d.reserve(min(h.points, len(data)/(2*perLine)+1))
	first := make([]int, len(h.fields)) // index of each field's first value on a line
	for i := 1; i < len(h.fields); i++ {
		first[i] = first[i-1] + h.fields[i-1].count
	}
	line, pos := h.lines, 0
	fields := make([][]byte, 0, min(perLine+1, 64))
	get := func(fi int) (float64, error) {
		tok := fields[first[fi]]
		v, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			return 0, parseErrorf(d.name, line, h.fields[fi].name, "%q is not a number", offClip(tok))
		}
		return v, nil
	}
	for k := 0; k < h.points; {
		if pos >= len(data) {
			return parseErrorf(d.name, line, "POINTS", "unexpected end of file: %d of the %d points announced in the header", k, h.points)
		}
		line++
		end := bytes.IndexByte(data[pos:], '\n')
		var l []byte
		if end < 0 {
			l, pos = data[pos:], len(data)
		} else {
			l, pos = data[pos:pos+end], pos+end+1
		}
		fields = appendFields(fields[:0], l, perLine+1)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != perLine {
			return parseErrorf(d.name, line, "", "%d values, the FIELDS need %d per point", len(fields), perLine)
		}
		var v [6]float64
		for j := range 3 {
			var err error
			if v[j], err = get(d.xyz[j]); err != nil {
				return err
			}
			if d.normals {
				if v[3+j], err = get(d.nxyz[j]); err != nil {
					return err
				}
			}
		}
		p := r3.Vector{X: v[0], Y: v[1], Z: v[2]}
		if !finite3(p) {
			return parseErrorf(d.name, line, fmt.Sprintf("point[%d]", k), "non-finite coordinate %v", p)
		}
		d.pts = append(d.pts, p)
		if d.normals {
			d.nrm = append(d.nrm, r3.Vector{X: v[3], Y: v[4], Z: v[5]})
		}
		k++
	}
	for pos < len(data) {
		line++
		end := bytes.IndexByte(data[pos:], '\n')
		var l []byte
		if end < 0 {
			l, pos = data[pos:], len(data)
		} else {
			l, pos = data[pos:pos+end], pos+end+1
		}
		if len(bytes.TrimSpace(l)) > 0 {
			return parseErrorf(d.name, line, "POINTS", "data after the %d points announced in the header", h.points)
		}
	}
	return nil
}

// appendFields appends the blank-separated fields of l to dst, stopping
// after max fields.
func appendFields(dst [][]byte, l []byte, max int) [][]byte {
	i := 0
	for i < len(l) && len(dst) < max {
		for i < len(l) && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r' || l[i] == '\v' || l[i] == '\f') {
			i++
		}
		j := i
		for j < len(l) && l[j] != ' ' && l[j] != '\t' && l[j] != '\r' && l[j] != '\v' && l[j] != '\f' {
			j++
		}
		if j > i {
			dst = append(dst, l[i:j])
		}
		i = j
	}
	return dst
}

// pcdValue decodes one little-endian value of field f from b.
func pcdValue(b []byte, f *pcdField) float64 {
	switch f.size {
	case 1:
		if f.kind == 'I' {
			return float64(int8(b[0]))
		}
		return float64(b[0])
	case 2:
		u := binary.LittleEndian.Uint16(b)
		if f.kind == 'I' {
			return float64(int16(u))
		}
		return float64(u)
	case 4:
		u := binary.LittleEndian.Uint32(b)
		switch f.kind {
		case 'I':
			return float64(int32(u))
		case 'F':
			return float64(math.Float32frombits(u))
		}
		return float64(u)
	}
	u := binary.LittleEndian.Uint64(b)
	switch f.kind {
	case 'I':
		return float64(int64(u))
	case 'F':
		return math.Float64frombits(u)
	}
	return float64(u)
}

// records decodes the points from data. With layout 1, data holds
// point-major records of h.stride bytes; otherwise (layout 0) it is
// field-major: every value of field 0 for all points, then field 1, ….
// len(data) must be h.points × h.stride.
func (d *pcdDecoder) records(data []byte, layout int) error {
	h := d.h
	d.reserve(h.points)
	// at returns the byte offset of field fi of point k.
	at := func(k, fi int) int {
		f := &h.fields[fi]
		if layout == 1 {
			return k*h.stride + f.offset
		}
		return f.offset*h.points + k*f.size*f.count
	}
	for k := range h.points {
		var v [6]float64
		for j := range 3 {
			v[j] = pcdValue(data[at(k, d.xyz[j]):], &h.fields[d.xyz[j]])
			if d.normals {
				v[3+j] = pcdValue(data[at(k, d.nxyz[j]):], &h.fields[d.nxyz[j]])
			}
		}
		p := r3.Vector{X: v[0], Y: v[1], Z: v[2]}
		if !finite3(p) {
			off := ""
			if layout == 1 {
				off = fmt.Sprintf(" at byte %d", h.start+k*h.stride)
			}
			return parseErrorf(d.name, 0, fmt.Sprintf("point[%d]", k), "non-finite coordinate %v%s", p, off)
		}
		d.pts = append(d.pts, p)
		if d.normals {
			d.nrm = append(d.nrm, r3.Vector{X: v[3], Y: v[4], Z: v[5]})
		}
	}
	return nil
}

// compressed decodes DATA binary_compressed: two little-endian uint32
// sizes (compressed, uncompressed) and the LZF-compressed field-major data.
func (d *pcdDecoder) compressed(data []byte) error {
	h := d.h
	if len(data) < 8 {
		return parseErrorf(d.name, 0, "DATA", "binary_compressed data of %d bytes from byte %d: want two uint32 sizes first", len(data), h.start)
	}
	nc, nu := int64(binary.LittleEndian.Uint32(data)), int64(binary.LittleEndian.Uint32(data[4:]))
	want := int64(h.points) * int64(h.stride)
	if nu != want {
		return parseErrorf(d.name, 0, "DATA", "uncompressed size %d at byte %d, %d points of %d bytes need %d", nu, h.start+4, h.points, h.stride, want)
	}
	if nc > int64(len(data)-8) {
		return parseErrorf(d.name, 0, "DATA", "compressed size %d at byte %d, but only %d bytes follow", nc, h.start, len(data)-8)
	}
	// LZF expands at most 264 bytes per 3-byte back reference.
	if nu > 90*nc+64 {
		return parseErrorf(d.name, 0, "DATA", "uncompressed size %d is impossible for %d compressed bytes", nu, nc)
	}
	out := make([]byte, nu)
	if err := lzfDecompress(out, data[8:8+nc]); err != nil {
		return parseErrorf(d.name, 0, "DATA", "binary_compressed data from byte %d: %v", h.start+8, err)
	}
	return d.records(out, 0)
}

// lzfDecompress expands the LZF stream in into out, which must be
// filled exactly. (LZF, Marc Lehmann's liblzf format, as used by PCL: a
// control byte below 32 starts a literal run of ctrl+1 bytes; otherwise
// its top 3 bits are a length (7 means a length byte follows) and the
// low 5 bits with the next byte an offset back into the output.)
func lzfDecompress(out, in []byte) error {
	ip, op := 0, 0
	for ip < len(in) {
		ctrl := int(in[ip])
		ip++
		if ctrl < 32 {
			n := ctrl + 1
			if ip+n > len(in) {
				return fmt.Errorf("literal run of %d bytes past the end of the input at %d", n, ip)
			}
			if op+n > len(out) {
				return fmt.Errorf("output overflows the announced %d bytes", len(out))
			}
			copy(out[op:], in[ip:ip+n])
			ip, op = ip+n, op+n
			continue
		}
		n := ctrl >> 5
		if n == 7 {
			if ip >= len(in) {
				return fmt.Errorf("truncated back reference at %d", ip)
			}
			n += int(in[ip])
			ip++
		}
		if ip >= len(in) {
			return fmt.Errorf("truncated back reference at %d", ip)
		}
		ref := op - ((ctrl & 0x1f) << 8) - 1 - int(in[ip])
		ip++
		n += 2
		if ref < 0 {
			return fmt.Errorf("back reference before the start of the output at %d", ip)
		}
		if op+n > len(out) {
			return fmt.Errorf("output overflows the announced %d bytes", len(out))
		}
		for j := range n { // may overlap: byte by byte
			out[op+j] = out[ref+j]
		}
		op += n
	}
	if op != len(out) {
		return fmt.Errorf("%d bytes decompressed, %d announced", op, len(out))
	}
	return nil
}
