package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/golang/geo/r3"
)

// PLY is what DecodePLY keeps of a PLY (Stanford polygon) file: the
// vertex coordinates, the vertex normals when the file has them, and the
// faces as triangles.
type PLY struct {
	Format    string      // "ascii", "binary_little_endian" or "binary_big_endian"
	Points    []r3.Vector // [V] vertex x, y, z
	Normals   []r3.Vector // [V] vertex nx, ny, nz; nil when the vertex element lacks them
	Triangles [][3]int    // faces fan-triangulated (i0, ij, ij+1); nil when the file has no face element
}

// Mesh returns the vertices and triangles of p as a TriMesh (sharing
// p's slices), to sample its surface with TriMesh.SamplePoints.
func (p *PLY) Mesh() *TriMesh { return &TriMesh{Vertices: p.Points, Triangles: p.Triangles} }

// plyType is a PLY scalar type.
type plyType struct {
	size  int
	kind  byte // 'i' signed integer, 'u' unsigned integer, 'f' float
	label string
}

// plyTypes maps the PLY type names (both spellings of the 1.0 spec) to
// their size and kind.
var plyTypes = map[string]plyType{
	"char": {1, 'i', "char"}, "int8": {1, 'i', "int8"},
	"uchar": {1, 'u', "uchar"}, "uint8": {1, 'u', "uint8"},
	"short": {2, 'i', "short"}, "int16": {2, 'i', "int16"},
	"ushort": {2, 'u', "ushort"}, "uint16": {2, 'u', "uint16"},
	"int": {4, 'i', "int"}, "int32": {4, 'i', "int32"},
	"uint": {4, 'u', "uint"}, "uint32": {4, 'u', "uint32"},
	"float": {4, 'f', "float"}, "float32": {4, 'f', "float32"},
	"double": {8, 'f', "double"}, "float64": {8, 'f', "float64"},
}

// plyProperty is one "property" line of an element.
type plyProperty struct {
	name   string
	typ    plyType // scalar type, or the item type of a list
	list   bool
	count  plyType // list length type
	offset int     // byte offset in a fixed-size binary record (no lists before it)
}

// plyElement is one "element" block of the header.
type plyElement struct {
	name  string
	count int
	line  int // header line of the element declaration
	props []plyProperty
	fixed int // record size in bytes if no property is a list, else -1
}

// plyMaxListLen bounds the length of one list (a face's vertex count).
const plyMaxListLen = 1 << 16

// plyHeader is a parsed PLY header.
type plyHeader struct {
	format   string
	binary   bool // binary_little_endian or binary_big_endian; false for ascii
	bigEnd   bool // binary_big_endian
	elements []plyElement
	data     int // byte offset of the data after "end_header"
	lines    int // lines in the header
}

// ReadPLY reads the PLY file at path (see DecodePLY).
func ReadPLY(path string) (*PLY, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ParseError{File: path, Err: err}
	}
	return DecodePLY(path, b)
}

// DecodePLY decodes the contents b of a PLY file, the format of Greg
// Turk's 1994 specification as written by most scanners and mesh tools
// (Open3D, trimesh, MeshLab, PCL):
//
//	ply
//	format ascii 1.0            (or binary_little_endian 1.0, binary_big_endian 1.0)
//	comment …                   (comment and obj_info lines are ignored)
//	element vertex 1024
//	property float x            (any scalar type: char … double, int8 … float64)
//	property float y
//	property float z
//	property float nx           (optional: nx, ny, nz become Normals)
//	…                           (other vertex properties are read and dropped)
//	element face 2000           (optional)
//	property list uchar int vertex_indices
//	end_header
//
// The vertex element must have scalar x, y and z properties, at least one
// vertex, and finite coordinates. Faces (a list property vertex_indices or
// vertex_index of the "face" element) are fan-triangulated into
// Triangles with every index checked against the vertex count; any other
// element is skipped, list properties included. In ascii files every
// element instance is one line (blank lines are skipped); binary files
// must hold exactly the bytes the header announces.
//
// Errors are *ParseError values naming the file and, for the header and
// ascii data, the 1-based line; for binary data the field names the
// element instance ("vertex[12]") and the message the byte offset.
// name is used in errors only. No input makes it panic or allocate more
// than a small multiple of len(b).
func DecodePLY(name string, b []byte) (*PLY, error) {
	h, err := parsePLYHeader(name, b)
	if err != nil {
		return nil, err
	}
	d := plyDecoder{name: name, h: h, out: &PLY{Format: h.format}, vx: -1}
	for i := range h.elements {
		e := &h.elements[i]
		if e.name == "vertex" {
			if err := d.vertexSetup(e); err != nil {
				return nil, err
			}
		}
	}
	if d.vx < 0 {
		return nil, parseErrorf(name, 0, "element vertex", "no vertex element in the header")
	}
	if !h.binary {
		err = d.ascii(b[h.data:])
	} else {
		err = d.binary(b[h.data:])
	}
	if err != nil {
		return nil, err
	}
	nv := len(d.out.Points)
	for i, t := range d.out.Triangles {
		for _, k := range t {
			if k < 0 || k >= nv {
				return nil, parseErrorf(name, 0, fmt.Sprintf("face triangle[%d]", i), "vertex index %d out of range [0,%d)", k, nv)
			}
		}
	}
	return d.out, nil
}

// parsePLYHeader parses the header of b up to and including end_header.
func parsePLYHeader(name string, b []byte) (*plyHeader, error) {
	h := &plyHeader{}
	pos, line := 0, 0
	// next returns the next header line without its line ending.
	next := func() ([]byte, bool) {
		if pos >= len(b) {
			return nil, false
		}
		line++
		end := bytes.IndexByte(b[pos:], '\n')
		var l []byte
		if end < 0 {
			l, pos = b[pos:], len(b)
		} else {
			l, pos = b[pos:pos+end], pos+end+1
		}
		return bytes.TrimSuffix(l, []byte("\r")), true
	}
	l, ok := next()
	if !ok || string(bytes.TrimSpace(l)) != "ply" {
		return nil, parseErrorf(name, 1, "", "not a PLY file: first line %q, want \"ply\"", offClip(l))
	}
	for {
		l, ok := next()
		if !ok {
			return nil, parseErrorf(name, line, "", "unexpected end of file in the header: no end_header line")
		}
		f := bytes.Fields(l)
		if len(f) == 0 {
			continue
		}
		switch kw := string(f[0]); kw {
		case "comment", "obj_info":
		case "format":
			if h.format != "" {
				return nil, parseErrorf(name, line, "format", "second format line")
			}
			if len(f) != 3 {
				return nil, parseErrorf(name, line, "format", "%d values, want \"format <ascii|binary_little_endian|binary_big_endian> 1.0\"", len(f)-1)
			}
			switch string(f[1]) {
			case "ascii":
			case "binary_little_endian":
				h.binary = true
			case "binary_big_endian":
				h.binary, h.bigEnd = true, true
			default:
				return nil, parseErrorf(name, line, "format", "unknown format %q (want ascii, binary_little_endian or binary_big_endian)", offClip(f[1]))
			}
			if string(f[2]) != "1.0" {
				return nil, parseErrorf(name, line, "format", "version %q, want 1.0", offClip(f[2]))
			}
			h.format = string(f[1])
		case "element":
			if h.format == "" {
				return nil, parseErrorf(name, line, "format", "element before the format line")
			}
			if len(f) != 3 {
				return nil, parseErrorf(name, line, "element", "%d values, want \"element <name> <count>\"", len(f)-1)
			}
			n, err := strconv.Atoi(string(f[2]))
			if err != nil || n < 0 || n > math.MaxInt32 {
				return nil, parseErrorf(name, line, "element "+offClip(f[1]), "count %q is not an integer in [0, 2^31)", offClip(f[2]))
			}
			for _, e := range h.elements {
				if e.name == string(f[1]) {
					return nil, parseErrorf(name, line, "element "+e.name, "second element of that name (first on line %d)", e.line)
				}
			}
			h.elements = append(h.elements, plyElement{name: string(f[1]), count: n, line: line})
		case "property":
			if len(h.elements) == 0 {
				return nil, parseErrorf(name, line, "property", "property before any element line")
			}
			e := &h.elements[len(h.elements)-1]
			p, err := plyParseProperty(f)
			if err != nil {
				return nil, parseErrorf(name, line, "element "+e.name+" property", "%v", err)
			}
			for _, q := range e.props {
				if q.name == p.name {
					return nil, parseErrorf(name, line, "element "+e.name+" property", "duplicate property %q", p.name)
				}
			}
			e.props = append(e.props, p)
		case "end_header":
			if h.format == "" {
				return nil, parseErrorf(name, line, "format", "no format line before end_header")
			}
			h.data, h.lines = pos, line
			for i := range h.elements {
				e := &h.elements[i]
				e.fixed = 0
				for j := range e.props {
					if e.props[j].list {
						e.fixed = -1
						break
					}
					e.props[j].offset = e.fixed
					e.fixed += e.props[j].typ.size
				}
			}
			return h, nil
		default:
			return nil, parseErrorf(name, line, "", "unknown header keyword %q (want format, comment, obj_info, element, property or end_header)", offClip(f[0]))
		}
	}
}

// plyParseProperty parses the fields of a "property" line.
func plyParseProperty(f [][]byte) (plyProperty, error) {
	if len(f) >= 2 && string(f[1]) == "list" {
		if len(f) != 5 {
			return plyProperty{}, fmt.Errorf("%d values, want \"property list <count type> <item type> <name>\"", len(f)-1)
		}
		ct, ok := plyTypes[string(f[2])]
		if !ok || ct.kind == 'f' {
			return plyProperty{}, fmt.Errorf("list count type %q: want an integer type (uchar, int, …)", offClip(f[2]))
		}
		it, ok := plyTypes[string(f[3])]
		if !ok {
			return plyProperty{}, fmt.Errorf("unknown list item type %q", offClip(f[3]))
		}
		return plyProperty{name: string(f[4]), typ: it, list: true, count: ct}, nil
	}
	if len(f) != 3 {
		return plyProperty{}, fmt.Errorf("%d values, want \"property <type> <name>\"", len(f)-1)
	}
	t, ok := plyTypes[string(f[1])]
	if !ok {
		return plyProperty{}, fmt.Errorf("unknown type %q (want char, uchar, short, ushort, int, uint, float, double or int8 … float64)", offClip(f[1]))
	}
	return plyProperty{name: string(f[2]), typ: t}, nil
}

// plyDecoder holds the state of one DecodePLY call.
type plyDecoder struct {
	name string
	h    *plyHeader
	out  *PLY
	// Vertex property indices: x, y, z, nx, ny, nz (-1 when absent).
	vx, vy, vz, nx, ny, nz int
	faceList               int // index of the face index list, -1 if none
	vals                   []float64
}

// vertexSetup finds the coordinate properties of the vertex element e.
func (d *plyDecoder) vertexSetup(e *plyElement) error {
	idx := func(n string) (int, error) {
		for i, p := range e.props {
			if p.name == n {
				if p.list {
					return -1, parseErrorf(d.name, e.line, "element vertex property "+n, "is a list, want a scalar")
				}
				return i, nil
			}
		}
		return -1, nil
	}
	var err error
	ids := []*int{&d.vx, &d.vy, &d.vz, &d.nx, &d.ny, &d.nz}
	for i, n := range []string{"x", "y", "z", "nx", "ny", "nz"} {
		if *ids[i], err = idx(n); err != nil {
			return err
		}
		if i < 3 && *ids[i] < 0 {
			return parseErrorf(d.name, e.line, "element vertex", "no property %s (want scalar x, y and z)", n)
		}
	}
	if d.nx < 0 || d.ny < 0 || d.nz < 0 {
		d.nx, d.ny, d.nz = -1, -1, -1
	}
	if e.count == 0 {
		return parseErrorf(d.name, e.line, "element vertex", "no vertices")
	}
	return nil
}

// setupElement tells what the values of element e are kept for.
func (d *plyDecoder) setupElement(e *plyElement) (vertex, face bool) {
	d.faceList = -1
	switch e.name {
	case "vertex":
		return true, false
	case "face":
		for i, p := range e.props {
			if p.list && (p.name == "vertex_indices" || p.name == "vertex_index") && p.typ.kind != 'f' {
				d.faceList = i
				return false, true
			}
		}
	}
	return false, false
}

// keepVertex appends the vertex whose property values are d.vals.
func (d *plyDecoder) keepVertex() bool {
	p := r3.Vector{X: d.vals[d.vx], Y: d.vals[d.vy], Z: d.vals[d.vz]}
	d.out.Points = append(d.out.Points, p)
	if d.nx >= 0 {
		d.out.Normals = append(d.out.Normals, r3.Vector{X: d.vals[d.nx], Y: d.vals[d.ny], Z: d.vals[d.nz]})
	}
	return finite3(p)
}

// keepFace fan-triangulates the vertex indices idx.
func (d *plyDecoder) keepFace(idx []float64) error {
	if len(idx) < 3 {
		return fmt.Errorf("face of %d vertices, want at least 3", len(idx))
	}
	for j, v := range idx {
		if v < 0 || v > math.MaxInt32 || v != math.Trunc(v) {
			return fmt.Errorf("vertex index %d = %v: want a non-negative integer", j, v)
		}
	}
	for j := 2; j < len(idx); j++ {
		d.out.Triangles = append(d.out.Triangles, [3]int{int(idx[0]), int(idx[j-1]), int(idx[j])})
	}
	return nil
}

// reserve sizes the outputs for the vertex element of n instances, at
// most limit (bytes left / smallest record) so that a corrupt count
// cannot reserve more than the data can hold.
func (d *plyDecoder) reserve(n, limit int) {
	n = max(0, min(n, limit))
	d.out.Points = make([]r3.Vector, 0, n)
	if d.nx >= 0 {
		d.out.Normals = make([]r3.Vector, 0, n)
	}
}

// ascii decodes the data section of an ascii file: one element instance
// per line.
func (d *plyDecoder) ascii(data []byte) error {
	line := d.h.lines
	pos := 0
	var fields [][]byte
	next := func() bool {
		for pos < len(data) {
			line++
			end := bytes.IndexByte(data[pos:], '\n')
			var l []byte
			if end < 0 {
				l, pos = data[pos:], len(data)
			} else {
				l, pos = data[pos:pos+end], pos+end+1
			}
			fields = appendFields(fields[:0], l, len(l))
			if len(fields) > 0 {
				return true
			}
		}
		return false
	}
	var list []float64
	for ei := range d.h.elements {
		e := &d.h.elements[ei]
		vertex, face := d.setupElement(e)
		if vertex {
			d.reserve(e.count, len(data)/6) // "0 0 0\n" is the shortest vertex line
		}
		d.vals = growFloat64(d.vals, len(e.props))
		for k := range e.count {
			if !next() {
				return parseErrorf(d.name, line, "element "+e.name, "unexpected end of file: %d of the %d %s lines announced in the header", k, e.count, e.name)
			}
			f := fields
			for pi, p := range e.props {
				field := func() string { return fmt.Sprintf("%s property %s", e.name, p.name) }
				if !p.list {
					if len(f) == 0 {
						return parseErrorf(d.name, line, field(), "missing value (%d properties per %s line)", len(e.props), e.name)
					}
					v, err := plyParseASCII(f[0], p.typ)
					if err != nil {
						return parseErrorf(d.name, line, field(), "%v", err)
					}
					d.vals[pi], f = v, f[1:]
					continue
				}
				if len(f) == 0 {
					return parseErrorf(d.name, line, field(), "missing list length")
				}
				cnt, err := plyParseASCII(f[0], p.count)
				if err != nil {
					return parseErrorf(d.name, line, field(), "list length: %v", err)
				}
				if cnt < 0 || cnt > plyMaxListLen || int(cnt) > len(f)-1 {
					return parseErrorf(d.name, line, field(), "list length %v with %d values left on the line", cnt, len(f)-1)
				}
				n := int(cnt)
				list = list[:0]
				for _, t := range f[1 : 1+n] {
					v, err := plyParseASCII(t, p.typ)
					if err != nil {
						return parseErrorf(d.name, line, field(), "%v", err)
					}
					list = append(list, v)
				}
				f = f[1+n:]
				if face && pi == d.faceList {
					if err := d.keepFace(list); err != nil {
						return parseErrorf(d.name, line, field(), "%v", err)
					}
				}
			}
			if len(f) > 0 {
				return parseErrorf(d.name, line, "element "+e.name, "%d values left over after the %d properties of %s (wrong element count in the header?)", len(f), len(e.props), e.name)
			}
			if vertex && !d.keepVertex() {
				return parseErrorf(d.name, line, "vertex", "non-finite coordinate %v", d.out.Points[len(d.out.Points)-1])
			}
		}
	}
	if next() {
		return parseErrorf(d.name, line, "", "unexpected data after the elements announced in the header (wrong element count?)")
	}
	return nil
}

// plyParseASCII parses one ascii value of type t.
func plyParseASCII(tok []byte, t plyType) (float64, error) {
	if t.kind == 'f' {
		v, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", offClip(tok))
		}
		return v, nil
	}
	bits := 8 * t.size
	if t.kind == 'u' {
		v, err := strconv.ParseUint(string(tok), 10, bits)
		if err != nil {
			return 0, fmt.Errorf("%q is not a valid %s value", offClip(tok), t.label)
		}
		return float64(v), nil
	}
	v, err := strconv.ParseInt(string(tok), 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%q is not a valid %s value", offClip(tok), t.label)
	}
	return float64(v), nil
}

// plyScalar decodes one binary value of type t from the start of b
// (len(b) ≥ t.size), big-endian if be.
func plyScalar(b []byte, t plyType, be bool) float64 {
	switch t.size {
	case 1:
		if t.kind == 'i' {
			return float64(int8(b[0]))
		}
		return float64(b[0])
	case 2:
		u := binary.LittleEndian.Uint16(b)
		if be {
			u = binary.BigEndian.Uint16(b)
		}
		if t.kind == 'i' {
			return float64(int16(u))
		}
		return float64(u)
	case 4:
		u := binary.LittleEndian.Uint32(b)
		if be {
			u = binary.BigEndian.Uint32(b)
		}
		switch t.kind {
		case 'i':
			return float64(int32(u))
		case 'f':
			return float64(math.Float32frombits(u))
		}
		return float64(u)
	}
	u := binary.LittleEndian.Uint64(b)
	if be {
		u = binary.BigEndian.Uint64(b)
	}
	return math.Float64frombits(u)
}

// binary decodes the data section of a binary file.
func (d *plyDecoder) binary(data []byte) error {
	o := d.h.bigEnd
	pos := 0
	var list []float64
	for ei := range d.h.elements {
		e := &d.h.elements[ei]
		vertex, face := d.setupElement(e)
		d.vals = growFloat64(d.vals, len(e.props))
		if e.fixed >= 0 {
			// Fixed-size records: check the length once, then read by offset.
			if e.fixed > 0 && (len(data)-pos)/e.fixed < e.count {
				return parseErrorf(d.name, 0, "element "+e.name, "truncated data: %d %s records of %d bytes need %d bytes from byte %d, %d remain",
					e.count, e.name, e.fixed, int64(e.count)*int64(e.fixed), d.h.data+pos, len(data)-pos)
			}
			if vertex {
				d.reserve(e.count, e.count)
			}
			if !vertex {
				pos += e.count * e.fixed
				continue
			}
			for k := range e.count {
				r := data[pos : pos+e.fixed]
				for pi := range e.props {
					p := &e.props[pi]
					d.vals[pi] = plyScalar(r[p.offset:], p.typ, o)
				}
				pos += e.fixed
				if !d.keepVertex() {
					return parseErrorf(d.name, 0, fmt.Sprintf("vertex[%d]", k), "non-finite coordinate %v at byte %d", d.out.Points[k], d.h.data+pos-e.fixed)
				}
			}
			continue
		}
		if vertex {
			d.reserve(e.count, len(data)-pos)
		}
		for k := range e.count {
			start := pos
			for pi := range e.props {
				p := &e.props[pi]
				truncated := func() error {
					return parseErrorf(d.name, 0, fmt.Sprintf("%s[%d].%s", e.name, k, p.name), "truncated data at byte %d (%d of the %d %s records read)", d.h.data+pos, k, e.count, e.name)
				}
				if !p.list {
					if len(data)-pos < p.typ.size {
						return truncated()
					}
					d.vals[pi] = plyScalar(data[pos:], p.typ, o)
					pos += p.typ.size
					continue
				}
				if len(data)-pos < p.count.size {
					return truncated()
				}
				cnt := plyScalar(data[pos:], p.count, o)
				if cnt < 0 || cnt > plyMaxListLen {
					return parseErrorf(d.name, 0, fmt.Sprintf("%s[%d].%s", e.name, k, p.name), "list length %v at byte %d: want 0 to %d", cnt, d.h.data+pos, plyMaxListLen)
				}
				pos += p.count.size
				n := int(cnt)
				if (len(data)-pos)/p.typ.size < n {
					return truncated()
				}
				if face && pi == d.faceList {
					list = list[:0]
					for j := range n {
						list = append(list, plyScalar(data[pos+j*p.typ.size:], p.typ, o))
					}
					if err := d.keepFace(list); err != nil {
						return parseErrorf(d.name, 0, fmt.Sprintf("%s[%d].%s", e.name, k, p.name), "%v (record at byte %d)", err, d.h.data+start)
					}
				}
				pos += n * p.typ.size
			}
			if vertex && !d.keepVertex() {
				return parseErrorf(d.name, 0, fmt.Sprintf("vertex[%d]", k), "non-finite coordinate %v at byte %d", d.out.Points[k], d.h.data+start)
			}
		}
	}
	if pos != len(data) {
		return parseErrorf(d.name, 0, "", "%d bytes after the elements announced in the header, from byte %d (wrong element count?)", len(data)-pos, d.h.data+pos)
	}
	return nil
}

// growFloat64 returns s resliced to length n, reallocated if too small.
func growFloat64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
