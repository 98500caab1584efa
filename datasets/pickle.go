package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"
)

// decodePickle decodes a pickle (protocols 0–5) that may contain
// networkx graphs and numpy scalars and arrays, using
// github.com/nlpodyssey/gopickle with the classes below. Any other class is
// refused: unpickling never runs code, it only builds values.
//
// The stream is validated by scanPickle first, and a panic inside the
// decoder is turned into an error, so malformed input always yields an
// error.
func decodePickle(data []byte) (v any, err error) {
	end, unicodeOps, frames, err := scanPickle(data)
	if err != nil {
		return nil, err
	}
	data = data[:end]
	if unicodeOps > 0 && frames == 0 {
		if data, err = rewriteUnicodeOps(data); err != nil {
			return nil, err
		}
	}
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("malformed pickle (decoder failed: %v)", r)
		}
	}()
	u := pickle.NewUnpickler(bytes.NewReader(data))
	u.FindClass = findPickleClass
	v, err = u.Load()
	if err != nil {
		return nil, fmt.Errorf("malformed pickle: %v", err)
	}
	return v, nil
}

// findPickleClass resolves the globals a pickle may reference.
func findPickleClass(module, name string) (any, error) {
	switch module + "." + name {
	case "builtins.dict", "__builtin__.dict":
		return pyDictClass{}, nil
	case "networkx.classes.graph.Graph":
		return nxGraphClass{}, nil
	case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
		return npReconstruct{}, nil
	case "numpy.ndarray":
		return npArrayClass{}, nil
	case "numpy.dtype":
		return npDtypeClass{}, nil
	case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
		return npScalarFunc{}, nil
	case "_codecs.encode":
		return codecsEncode{}, nil
	}
	return nil, fmt.Errorf("unsupported class %s.%s in pickle (supported: networkx Graph, numpy scalars and arrays, dict)", module, name)
}

// pyDictClass is builtins.dict, which networkx stores as its factory
// attributes; calling it makes an empty dict.
type pyDictClass struct{}

func (pyDictClass) Call(args ...any) (any, error)  { return types.NewDict(), nil }
func (pyDictClass) PyNew(args ...any) (any, error) { return types.NewDict(), nil }

// nxGraphClass is networkx.classes.graph.Graph; instances keep their
// __dict__ (the BUILD state: "graph", "_node", "_adj", factories).
type nxGraphClass struct{}

func (nxGraphClass) PyNew(args ...any) (any, error) { return &nxGraph{}, nil }

type nxGraph struct {
	state *types.Dict
}

func (g *nxGraph) PySetState(state any) error {
	d, ok := state.(*types.Dict)
	if !ok {
		return fmt.Errorf("networkx Graph state is %s, want a dict", pyType(state))
	}
	g.state = d
	return nil
}

// get returns the last value stored under key (Python dicts keep the last
// assignment; gopickle's Dict keeps them all in order).
func pyDictGet(d *types.Dict, key string) (any, bool) {
	var v any
	found := false
	for _, e := range *d {
		if k, ok := e.Key.(string); ok && k == key {
			v, found = e.Value, true
		}
	}
	return v, found
}

// npDtype is a numpy dtype: kind 'f', 'i', 'u' or 'b', item size in bytes,
// and byte order.
type npDtype struct {
	kind  byte
	size  int
	order binary.ByteOrder
}

type npDtypeClass struct{}

// Call implements numpy.dtype(code, align, copy).
func (npDtypeClass) Call(args ...any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("numpy.dtype: no arguments")
	}
	code, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("numpy.dtype: code is %s", pyType(args[0]))
	}
	dt := &npDtype{order: binary.LittleEndian}
	if len(code) > 0 && (code[0] == '<' || code[0] == '>' || code[0] == '|' || code[0] == '=') {
		if code[0] == '>' {
			dt.order = binary.BigEndian
		}
		code = code[1:]
	}
	switch code {
	case "f2":
		return nil, fmt.Errorf("numpy.dtype %q: float16 not supported", code)
	case "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1":
		dt.kind, dt.size = code[0], int(code[1]-'0')
	case "?":
		dt.kind, dt.size = 'b', 1
	default:
		return nil, fmt.Errorf("numpy.dtype %q not supported (want a numeric or bool dtype)", code)
	}
	return dt, nil
}

// PySetState reads the byte order from the dtype state tuple
// (version, byteorder, subarray, names, fields, elsize, alignment, flags).
func (dt *npDtype) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	if !ok || t.Len() < 2 {
		return fmt.Errorf("numpy dtype state is %s, want a tuple", pyType(state))
	}
	if s, ok := t.Get(1).(string); ok && s == ">" {
		dt.order = binary.BigEndian
	} else if ok && (s == "<" || s == "|" || s == "=") {
		dt.order = binary.LittleEndian
	}
	return nil
}

// value decodes one item of dt from b (len(b) == dt.size) as int64,
// float64 or bool.
func (dt *npDtype) value(b []byte) any {
	switch dt.kind {
	case 'f':
		if dt.size == 4 {
			return float64(math.Float32frombits(dt.order.Uint32(b)))
		}
		return math.Float64frombits(dt.order.Uint64(b))
	case 'b':
		return b[0] != 0
	}
	var u uint64
	switch dt.size {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(dt.order.Uint16(b))
	case 4:
		u = uint64(dt.order.Uint32(b))
	default:
		u = dt.order.Uint64(b)
	}
	if dt.kind == 'i' { // sign-extend
		shift := 64 - 8*dt.size
		return int64(u<<shift) >> shift
	}
	return int64(u)
}

// npScalarFunc is numpy.core.multiarray.scalar(dtype, bytes): a numpy
// scalar such as numpy.int64(3), decoded to int64, float64 or bool.
type npScalarFunc struct{}

func (npScalarFunc) Call(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("numpy scalar: %d arguments, want 2", len(args))
	}
	dt, ok := args[0].(*npDtype)
	if !ok {
		return nil, fmt.Errorf("numpy scalar: dtype is %s", pyType(args[0]))
	}
	b, err := pickleBytes(args[1])
	if err != nil {
		return nil, fmt.Errorf("numpy scalar: %v", err)
	}
	if len(b) != dt.size {
		return nil, fmt.Errorf("numpy scalar: %d bytes for a %d-byte dtype", len(b), dt.size)
	}
	return dt.value(b), nil
}

// npArray is a numpy.ndarray rebuilt from its pickle state.
type npArray struct {
	shape []int
	dtype *npDtype
	data  []byte
}

type npArrayClass struct{}

// npReconstruct is numpy.core.multiarray._reconstruct(ndarray, (0,), b'b'):
// an empty array that BUILD then fills.
type npReconstruct struct{}

func (npReconstruct) Call(args ...any) (any, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("numpy _reconstruct: no arguments")
	}
	if _, ok := args[0].(npArrayClass); !ok {
		return nil, fmt.Errorf("numpy _reconstruct of %s not supported (only numpy.ndarray)", pyType(args[0]))
	}
	return &npArray{}, nil
}

// PySetState reads (version, shape, dtype, is_fortran, data).
func (a *npArray) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	if !ok || t.Len() != 5 {
		return fmt.Errorf("numpy array state: want a 5-tuple, got %s", pyType(state))
	}
	shape, ok := t.Get(1).(*types.Tuple)
	if !ok {
		return fmt.Errorf("numpy array shape is %s", pyType(t.Get(1)))
	}
	dt, ok := t.Get(2).(*npDtype)
	if !ok {
		return fmt.Errorf("numpy array dtype is %s (object arrays are not supported)", pyType(t.Get(2)))
	}
	n := 1
	a.shape = make([]int, shape.Len())
	for i := range a.shape {
		d, ok := shape.Get(i).(int)
		if !ok || d < 0 || (d > 0 && n > math.MaxInt32/d) {
			return fmt.Errorf("numpy array shape %v not supported", *shape)
		}
		a.shape[i] = d
		n *= d
	}
	b, err := pickleBytes(t.Get(4))
	if err != nil {
		return fmt.Errorf("numpy array data: %v", err)
	}
	if len(b) != n*dt.size {
		return fmt.Errorf("numpy array data has %d bytes, shape %v of %d-byte items needs %d", len(b), a.shape, dt.size, n*dt.size)
	}
	a.dtype, a.data = dt, b
	return nil
}

// len returns the number of items.
func (a *npArray) len() int {
	if a.dtype == nil {
		return 0
	}
	return len(a.data) / a.dtype.size
}

// at returns item i (flat, in storage order) as int64, float64 or bool.
func (a *npArray) at(i int) any {
	s := a.dtype.size
	return a.dtype.value(a.data[i*s : (i+1)*s])
}

// codecsEncode is _codecs.encode(str, 'latin1'), which protocol-2 pickles
// of numpy use to carry bytes as text.
type codecsEncode struct{}

func (codecsEncode) Call(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("_codecs.encode: %d arguments", len(args))
	}
	s, ok1 := args[0].(string)
	enc, ok2 := args[1].(string)
	if !ok1 || !ok2 || (enc != "latin1" && enc != "latin-1" && enc != "iso-8859-1") {
		return nil, fmt.Errorf("_codecs.encode: only (str, 'latin1') is supported")
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return nil, fmt.Errorf("_codecs.encode: rune %U is not latin-1", r)
		}
		b = append(b, byte(r))
	}
	return b, nil
}

// pickleBytes returns the bytes of a bytes, bytearray or (Python 2) str
// value.
func pickleBytes(v any) ([]byte, error) {
	switch b := v.(type) {
	case []byte:
		return b, nil
	case *types.ByteArray:
		return *b, nil
	case string:
		return []byte(b), nil
	}
	return nil, fmt.Errorf("want bytes, got %s", pyType(v))
}

// pickleInt converts a decoded integer (Python int, numpy integer, size-1
// integer array, or bool) to int.
func pickleInt(v any) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		if x > math.MaxInt32 || x < math.MinInt32 {
			return 0, fmt.Errorf("integer %d out of range", x)
		}
		return int(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case *big.Int:
		return 0, fmt.Errorf("integer %v out of range", x)
	case *npArray:
		if x.len() == 1 {
			return pickleInt(x.at(0))
		}
		return 0, fmt.Errorf("array of %d items where an integer was expected", x.len())
	}
	return 0, fmt.Errorf("want an integer, got %s", pyType(v))
}

// pickleFloats converts a decoded number or numeric array to float64
// values (arrays flattened in storage order).
func pickleFloats(v any) ([]float64, error) {
	switch x := v.(type) {
	case float64:
		return []float64{x}, nil
	case int, int64, bool:
		i, err := pickleInt(x)
		return []float64{float64(i)}, err
	case *npArray:
		out := make([]float64, x.len())
		for i := range out {
			switch y := x.at(i).(type) {
			case float64:
				out[i] = y
			case int64:
				out[i] = float64(y)
			case bool:
				if y {
					out[i] = 1
				}
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a number or numeric array, got %s", pyType(v))
}
