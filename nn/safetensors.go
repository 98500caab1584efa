package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorgonia.org/tensor"
)

// The safetensors format (huggingface/safetensors, spec/conventions.md §1.5):
//
//	8 bytes   N, the header size, little-endian uint64
//	N bytes   a UTF-8 JSON object starting with '{', padded with spaces:
//	          {"__metadata__": {"k": "v", …},
//	           "NAME": {"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]}, …}
//	rest      the tensors' bytes, little-endian, row-major, no holes
//
// The reference writer orders tensors by descending dtype (its enum order,
// "alignment") then by name and pads the header to a multiple of 8 bytes;
// SaveTensors does the same, so a file written here is byte-identical to
// the one safetensors writes for the same tensors and metadata.

// MaxSafetensorsHeader is the largest header accepted, as in the reference
// reader (MAX_HEADER_SIZE).
const MaxSafetensorsHeader = 100_000_000

// safetensorsMetadataKey is the reserved header key of the metadata.
const safetensorsMetadataKey = "__metadata__"

// safetensorsDtypes lists the dtypes of the reference's enum Dtype in its
// declaration (and sort) order with their sizes in bits.
var safetensorsDtypes = []struct {
	name string
	bits uint64
}{
	{"BOOL", 8}, {"F4", 4}, {"F6_E2M3", 6}, {"F6_E3M2", 6}, {"U8", 8}, {"I8", 8},
	{"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"F8_E4M3FNUZ", 8}, {"F8_E5M2FNUZ", 8},
	{"I16", 16}, {"U16", 16}, {"F16", 16}, {"BF16", 16}, {"I32", 32}, {"U32", 32},
	{"F32", 32}, {"C64", 64}, {"F64", 64}, {"I64", 64}, {"U64", 64},
}

// safetensorsDtypeIndex maps a dtype name to its index in safetensorsDtypes.
var safetensorsDtypeIndex = func() map[string]int {
	m := make(map[string]int, len(safetensorsDtypes))
	for i, d := range safetensorsDtypes {
		m[d.name] = i
	}
	return m
}()

// safetensorsName returns the safetensors dtype of a tensor dtype that can
// be written, or "".
func safetensorsName(dt tensor.Dtype) string {
	switch dt {
	case tensor.Float32:
		return "F32"
	case tensor.Float64:
		return "F64"
	case tensor.Int64:
		return "I64"
	}
	return ""
}

// stEntry is one tensor of a parsed header.
type stEntry struct {
	name       string
	dtype      string
	shape      []int
	begin, end uint64
}

// stHeader is a parsed and validated header.
type stHeader struct {
	entries  []stEntry // sorted by data offsets
	metadata map[string]string
	dataLen  uint64 // bytes of the data section
}

// parseSafetensorsHeader parses and validates the JSON header (the N bytes
// after the size). It checks everything the reference reader checks, and
// also rejects duplicate keys, a header not starting with '{', non-string
// metadata and trailing non-space bytes, each with an error naming the
// tensor or key.
func parseSafetensorsHeader(b []byte) (*stHeader, error) {
	if len(b) == 0 || b[0] != '{' {
		return nil, errors.New("header does not start with '{'")
	}
	if !utf8.Valid(b) {
		return nil, errors.New("header is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // '{', checked above
		return nil, fmt.Errorf("header: %v", tokenErr(err))
	}
	h := &stHeader{}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("header: %v", tokenErr(err))
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("header: unexpected %v", tok)
		}
		if seen[key] {
			return nil, fmt.Errorf("header: duplicate key %q", key)
		}
		seen[key] = true
		if key == safetensorsMetadataKey {
			if h.metadata, err = parseSafetensorsMetadata(dec); err != nil {
				return nil, err
			}
			continue
		}
		e, err := parseSafetensorsEntry(dec, key)
		if err != nil {
			return nil, err
		}
		h.entries = append(h.entries, e)
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, fmt.Errorf("header: %v", tokenErr(err))
	}
	for _, c := range b[dec.InputOffset():] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return nil, fmt.Errorf("header: unexpected %q after the JSON object", c)
		}
	}
	sort.Slice(h.entries, func(i, j int) bool {
		a, b := h.entries[i], h.entries[j]
		if a.begin != b.begin {
			return a.begin < b.begin
		}
		if a.end != b.end {
			return a.end < b.end
		}
		return a.name < b.name
	})
	var pos uint64
	for i, e := range h.entries {
		switch {
		case e.begin > pos:
			return nil, fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a gap of %d bytes before it", e.name, e.begin, e.end, e.begin-pos)
		case e.begin < pos:
			return nil, fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap tensor %q", e.name, e.begin, e.end, h.entries[i-1].name)
		}
		pos = e.end
	}
	h.dataLen = pos
	return h, nil
}

// parseSafetensorsMetadata reads the value of "__metadata__": null or an
// object of strings.
func parseSafetensorsMetadata(dec *json.Decoder) (map[string]string, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("header: __metadata__: %v", tokenErr(err))
	}
	if tok == nil {
		return nil, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("header: __metadata__ is %v, not an object of strings", tok)
	}
	md := make(map[string]string)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("header: __metadata__: %v", tokenErr(err))
		}
		key := tok.(string) // object keys are strings
		if _, dup := md[key]; dup {
			return nil, fmt.Errorf("header: __metadata__: duplicate key %q", key)
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, fmt.Errorf("header: __metadata__[%q]: %v", key, tokenErr(err))
		}
		v, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("header: __metadata__[%q] is not a string", key)
		}
		md[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("header: __metadata__: %v", tokenErr(err))
	}
	return md, nil
}

// parseSafetensorsEntry reads {"dtype": …, "shape": […], "data_offsets": [b, e]}
// and checks that the offsets hold exactly the bytes the shape and dtype need.
func parseSafetensorsEntry(dec *json.Decoder, name string) (stEntry, error) {
	e := stEntry{name: name}
	fail := func(format string, args ...any) (stEntry, error) {
		return stEntry{}, fmt.Errorf("tensor %q: %s", name, fmt.Sprintf(format, args...))
	}
	tok, err := dec.Token()
	if err != nil {
		return fail("%v", tokenErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fail("entry is %v, not an object", tok)
	}
	var haveDtype, haveShape, haveOffsets bool
	var shape, offsets []uint64
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail("%v", tokenErr(err))
		}
		field := tok.(string)
		switch field {
		case "dtype":
			if haveDtype {
				return fail("duplicate field dtype")
			}
			haveDtype = true
			tok, err := dec.Token()
			if err != nil {
				return fail("dtype: %v", tokenErr(err))
			}
			s, ok := tok.(string)
			if !ok {
				return fail("dtype is %v, not a string", tok)
			}
			e.dtype = s
		case "shape", "data_offsets":
			if (field == "shape" && haveShape) || (field == "data_offsets" && haveOffsets) {
				return fail("duplicate field %s", field)
			}
			v, err := parseSafetensorsUints(dec)
			if err != nil {
				return fail("%s: %v", field, tokenErr(err))
			}
			if field == "shape" {
				haveShape, shape = true, v
			} else {
				haveOffsets, offsets = true, v
			}
		default: // the reference ignores unknown fields
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail("%s: %v", field, tokenErr(err))
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail("%v", tokenErr(err))
	}
	switch {
	case !haveDtype:
		return fail("missing dtype")
	case !haveShape:
		return fail("missing shape")
	case !haveOffsets:
		return fail("missing data_offsets")
	case len(offsets) != 2:
		return fail("data_offsets has %d numbers, want 2", len(offsets))
	}
	e.begin, e.end = offsets[0], offsets[1]
	if e.end < e.begin {
		return fail("data_offsets [%d, %d] end before they begin", e.begin, e.end)
	}
	di, ok := safetensorsDtypeIndex[e.dtype]
	if !ok {
		return fail("unknown dtype %q", e.dtype)
	}
	nbits := safetensorsDtypes[di].bits
	e.shape = make([]int, len(shape))
	for i, d := range shape {
		if d > math.MaxInt {
			return fail("dimension %d is too large", d)
		}
		e.shape[i] = int(d)
		hi, lo := bits.Mul64(nbits, d)
		if hi != 0 {
			return fail("shape %v overflows", shape)
		}
		nbits = lo
	}
	if nbits%8 != 0 {
		return fail("shape %v of %s does not fill whole bytes", shape, e.dtype)
	}
	if need := nbits / 8; e.end-e.begin != need {
		return fail("data_offsets [%d, %d] hold %d bytes but shape %v of %s needs %d", e.begin, e.end, e.end-e.begin, shape, e.dtype, need)
	}
	return e, nil
}

// tokenErr makes a decoder error readable: the token stream only ends
// early (io.EOF) when the JSON is cut short.
func tokenErr(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("the JSON ends early")
	}
	return err
}

// parseSafetensorsUints reads an array of non-negative integers.
func parseSafetensorsUints(dec *json.Decoder) ([]uint64, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("%v is not an array", tok)
	}
	out := []uint64{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		n, ok := tok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%v is not a number", tok)
		}
		v, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not a non-negative integer", n)
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadSafetensors reads a safetensors stream: every tensor, keyed by name,
// and the metadata (nil if the file has none). F32, F64 and I64 tensors keep
// their type (tensor.Float32, Float64, Int64); F16 and BF16 are converted to
// float32 exactly. Other dtypes, and any malformed header (see
// MaxSafetensorsHeader; duplicate keys, unknown dtypes, offsets out of
// range, overlapping or leaving gaps, sizes that disagree with shape×dtype,
// non-string metadata), give an error naming the tensor. The stream must
// end right after the data.
func LoadSafetensors(r io.Reader) (map[string]*tensor.Dense, map[string]string, error) {
	ts, md, err := readSafetensors(r, -1)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: safetensors: %w", err)
	}
	return ts, md, nil
}

// readSafetensors reads a whole file; size is the stream length if known,
// or -1.
func readSafetensors(r io.Reader, size int64) (map[string]*tensor.Dense, map[string]string, error) {
	var nb [8]byte
	if _, err := io.ReadFull(r, nb[:]); err != nil {
		return nil, nil, fmt.Errorf("reading the 8-byte header size: %w", noEOF(err))
	}
	n := binary.LittleEndian.Uint64(nb[:])
	if n > MaxSafetensorsHeader {
		return nil, nil, fmt.Errorf("header size %d exceeds %d bytes", n, MaxSafetensorsHeader)
	}
	if size >= 0 && n > uint64(size-8) {
		return nil, nil, fmt.Errorf("header size %d exceeds the %d bytes that follow", n, size-8)
	}
	hb := make([]byte, n)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, nil, fmt.Errorf("reading the %d-byte header: %w", n, noEOF(err))
	}
	h, err := parseSafetensorsHeader(hb)
	if err != nil {
		return nil, nil, err
	}
	if size >= 0 && uint64(size) != 8+n+h.dataLen {
		return nil, nil, fmt.Errorf("the header describes %d bytes of data but the file has %d", h.dataLen, uint64(size)-8-n)
	}
	var buf bytes.Buffer
	if size >= 0 {
		buf.Grow(int(h.dataLen))
	}
	got, err := buf.ReadFrom(io.LimitReader(r, int64(min(h.dataLen, math.MaxInt64))))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the data: %w", err)
	}
	if uint64(got) != h.dataLen {
		return nil, nil, fmt.Errorf("the header describes %d bytes of data but only %d follow", h.dataLen, got)
	}
	if size < 0 {
		var one [1]byte
		if k, _ := io.ReadFull(r, one[:]); k > 0 {
			return nil, nil, fmt.Errorf("unexpected bytes after the %d bytes of data", h.dataLen)
		}
	}
	data := buf.Bytes()
	out := make(map[string]*tensor.Dense, len(h.entries))
	for _, e := range h.entries {
		d, err := decodeSafetensor(e, data[e.begin:e.end])
		if err != nil {
			return nil, nil, err
		}
		out[e.name] = d
	}
	return out, h.metadata, nil
}

// noEOF turns a premature end of stream into a readable error.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("file too short")
	}
	return err
}

// decodeSafetensor converts little-endian bytes to a tensor.
func decodeSafetensor(e stEntry, b []byte) (*tensor.Dense, error) {
	le := binary.LittleEndian
	var backing any
	switch e.dtype {
	case "F32":
		x := make([]float32, len(b)/4)
		for i := range x {
			x[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		backing = x
	case "F64":
		x := make([]float64, len(b)/8)
		for i := range x {
			x[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		backing = x
	case "I64":
		x := make([]int64, len(b)/8)
		for i := range x {
			x[i] = int64(le.Uint64(b[8*i:]))
		}
		backing = x
	case "F16":
		x := make([]float32, len(b)/2)
		for i := range x {
			x[i] = float16ToFloat32(le.Uint16(b[2*i:]))
		}
		backing = x
	case "BF16":
		x := make([]float32, len(b)/2)
		for i := range x {
			x[i] = math.Float32frombits(uint32(le.Uint16(b[2*i:])) << 16)
		}
		backing = x
	default:
		return nil, fmt.Errorf("tensor %q: dtype %s is not supported (nn reads F32, F64, I64, F16, BF16)", e.name, e.dtype)
	}
	return tensor.New(tensor.WithShape(e.shape...), tensor.WithBacking(backing)), nil
}

// float16ToFloat32 converts an IEEE 754 half-precision value exactly.
func float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN, payload kept
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	}
	f := float32(mant) * (1.0 / (1 << 24)) // zero or subnormal: mant·2⁻²⁴
	if sign != 0 {
		f = -f
	}
	return f
}

// SaveSafetensors writes every parameter of ps (buffers included) under its
// name, with optional string metadata (PyTorch writes {"format": "pt"}), in
// the safetensors format. Float32, Float64 and Int64 parameters are
// written as F32, F64 and I64 in their PyTorch layout (a Linear weight is
// [out, in]), so safetensors.torch.load_file plus load_state_dict reads
// them back into the PyTorch module with the same names.
func SaveSafetensors(w io.Writer, ps *Params, metadata map[string]string) error {
	ts := make(map[string]*tensor.Dense, ps.Len())
	for _, p := range ps.List() {
		ts[p.Name] = p.Value
	}
	return SaveTensors(w, ts, metadata)
}

// SaveTensors writes named tensors (float32, float64 or int64, contiguous)
// in the safetensors format, ordered and padded exactly as the reference
// writer does; optimizer state (Adam.State) is saved this way. It returns
// an error for an empty name, the reserved name "__metadata__", a nil,
// non-contiguous or unsupported tensor, or a write failure.
func SaveTensors(w io.Writer, tensors map[string]*tensor.Dense, metadata map[string]string) error {
	type item struct {
		name  string
		d     *tensor.Dense
		dtype string
		rank  int
		n     int
	}
	items := make([]item, 0, len(tensors))
	for name, d := range tensors {
		if name == "" || name == safetensorsMetadataKey || !utf8.ValidString(name) {
			return fmt.Errorf("nn: safetensors: invalid tensor name %q", name)
		}
		if d == nil {
			return fmt.Errorf("nn: safetensors: tensor %q is nil", name)
		}
		dt := safetensorsName(d.Dtype())
		if dt == "" {
			return fmt.Errorf("nn: safetensors: tensor %q has dtype %v (want float32, float64 or int64)", name, d.Dtype())
		}
		if n := d.Shape().TotalSize(); n > 0 && (d.RequiresIterator() || d.DataOrder().IsColMajor() || denseLen(d) < n) {
			return fmt.Errorf("nn: safetensors: tensor %q is not a contiguous row-major tensor", name)
		}
		items = append(items, item{name, d, dt, safetensorsDtypeIndex[dt], d.Shape().TotalSize()})
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].rank != items[j].rank {
			return items[i].rank > items[j].rank
		}
		return items[i].name < items[j].name
	})

	for k, v := range metadata {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("nn: safetensors: metadata %q: %q is not valid UTF-8", k, v)
		}
	}
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	if len(metadata) > 0 {
		writeJSONString(&hdr, safetensorsMetadataKey)
		hdr.WriteString(":{")
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 {
				hdr.WriteByte(',')
			}
			writeJSONString(&hdr, k)
			hdr.WriteByte(':')
			writeJSONString(&hdr, metadata[k])
		}
		hdr.WriteByte('}')
	}
	var off uint64
	for i, it := range items {
		if i > 0 || len(metadata) > 0 {
			hdr.WriteByte(',')
		}
		writeJSONString(&hdr, it.name)
		hdr.WriteString(`:{"dtype":"`)
		hdr.WriteString(it.dtype)
		hdr.WriteString(`","shape":[`)
		for k, s := range it.d.Shape() {
			if k > 0 {
				hdr.WriteByte(',')
			}
			hdr.WriteString(strconv.Itoa(s))
		}
		size := uint64(it.n) * 4
		if it.dtype != "F32" {
			size = uint64(it.n) * 8
		}
		fmt.Fprintf(&hdr, `],"data_offsets":[%d,%d]}`, off, off+size)
		off += size
	}
	hdr.WriteByte('}')
	for hdr.Len()%8 != 0 {
		hdr.WriteByte(' ')
	}
	var nb [8]byte
	binary.LittleEndian.PutUint64(nb[:], uint64(hdr.Len()))
	if _, err := w.Write(nb[:]); err != nil {
		return fmt.Errorf("nn: safetensors: %w", err)
	}
	if _, err := w.Write(hdr.Bytes()); err != nil {
		return fmt.Errorf("nn: safetensors: %w", err)
	}
	buf := make([]byte, 0, 64<<10)
	for _, it := range items {
		var err error
		switch it.dtype {
		case "F32":
			buf, err = writeLE(w, buf, it.d.Float32s()[:it.n], func(b []byte, v float32) []byte {
				return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			})
		case "F64":
			buf, err = writeLE(w, buf, it.d.Float64s()[:it.n], func(b []byte, v float64) []byte {
				return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			})
		case "I64":
			buf, err = writeLE(w, buf, it.d.Int64s()[:it.n], func(b []byte, v int64) []byte {
				return binary.LittleEndian.AppendUint64(b, uint64(v))
			})
		}
		if err != nil {
			return fmt.Errorf("nn: safetensors: writing %q: %w", it.name, err)
		}
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("nn: safetensors: %w", err)
		}
	}
	return nil
}

// denseLen returns the length of d's backing slice.
func denseLen(d *tensor.Dense) int {
	switch d.Dtype() {
	case tensor.Float32:
		return len(d.Float32s())
	case tensor.Float64:
		return len(d.Float64s())
	case tensor.Int64:
		return len(d.Int64s())
	}
	return 0
}

// writeLE appends the encoding of xs to buf, writing buf out whenever it
// fills; it returns the unwritten tail.
func writeLE[T any](w io.Writer, buf []byte, xs []T, put func([]byte, T) []byte) ([]byte, error) {
	for _, v := range xs {
		if len(buf)+8 > cap(buf) {
			if _, err := w.Write(buf); err != nil {
				return buf, err
			}
			buf = buf[:0]
		}
		buf = put(buf, v)
	}
	return buf, nil
}

// writeJSONString writes s as a JSON string the way serde_json does: only
// '"', '\\' and control characters are escaped; other UTF-8 passes through.
func writeJSONString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// formatShape prints a shape as PyTorch does, e.g. [2, 3].
func formatShape(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
