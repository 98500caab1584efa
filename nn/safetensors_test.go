package nn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// The fixtures in testdata were written by torch 1.13.1 (/usr/bin/python3)
// through a 40-line Python implementation of the safetensors format (Debian
// has no safetensors package), run in nn/testdata:
//
//	import json, struct, numpy as np, torch
//	ORDER = ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
//	         "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
//	         "C64", "F64", "I64", "U64"]
//	TORCH = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64",
//	         torch.float16: "F16", torch.bfloat16: "BF16"}
//	def raw(t):
//	    t = t.detach().contiguous()
//	    if t.dtype == torch.bfloat16:
//	        t = t.view(torch.int16)
//	    return t.numpy().tobytes()
//	def save(path, tensors, metadata=None):   # as huggingface/safetensors tensor.rs writes
//	    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(TORCH[kv[1].dtype]), kv[0]))
//	    hdr, data, off = {}, b"", 0
//	    if metadata:
//	        hdr["__metadata__"] = metadata
//	    for name, t in items:
//	        b = raw(t)
//	        hdr[name] = {"dtype": TORCH[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
//	        off += len(b); data += b
//	    h = json.dumps(hdr, separators=(",", ":"), ensure_ascii=False).encode()
//	    h += b" " * ((8 - len(h) % 8) % 8)
//	    open(path, "wb").write(struct.pack("<Q", len(h)) + h + data)
//	torch.manual_seed(0)
//	class M(torch.nn.Module):
//	    def __init__(self):
//	        super().__init__()
//	        self.fc = torch.nn.Linear(3, 2)
//	        self.bn = torch.nn.BatchNorm1d(2)
//	        self.norm = torch.nn.LayerNorm(2)
//	m = M().train()
//	m.bn(m.fc(torch.randn(4, 3)))  # one batch: running stats move, num_batches_tracked = 1
//	sd = m.state_dict()
//	save("torch_state.safetensors", sd, {"format": "pt"})
//	for k, v in sd.items(): print(k, v.dtype, list(v.shape), [repr(float(x)) for x in v.reshape(-1)])
//	save("half.safetensors", {
//	    "h": torch.tensor([[1.0, -2.5, 65504.0], [2.0**-24, float("inf"), -0.0]], dtype=torch.float16),
//	    "b": torch.tensor([1.5, -3.0e38], dtype=torch.bfloat16),
//	    "d": torch.tensor([0.1, -1e300], dtype=torch.float64),
//	    "z": torch.zeros(0, 3),
//	    "s": torch.tensor(7.25)})
//
// The reverse direction was checked once by hand: a file written by
// SaveSafetensorsFile, read with the Python reader (np.frombuffer over the
// offsets) and torch's load_state_dict(strict=True), gave identical values.
var torchState = map[string]struct {
	shape []int
	vals  []float64
}{
	"fc.weight":       {[]int{2, 3}, []float64{-0.004322517663240433, 0.3097158372402191, -0.4751853346824646, -0.4248946011066437, -0.2223689705133438, 0.15482072532176971}},
	"fc.bias":         {[]int{2}, []float64{-0.011439144611358643, 0.45777493715286255}},
	"bn.weight":       {[]int{2}, []float64{1, 1}},
	"bn.bias":         {[]int{2}, []float64{0, 0}},
	"bn.running_mean": {[]int{2}, []float64{-0.015735361725091934, 0.05691829323768616}},
	"bn.running_var":  {[]int{2}, []float64{0.9224566221237183, 0.9254651069641113}},
	"norm.weight":     {[]int{2}, []float64{1, 1}},
	"norm.bias":       {[]int{2}, []float64{0, 0}},
}

// torchModuleParams builds the Params of the Python module M, in its
// state_dict order, zero-initialised.
func torchModuleParams(dt tensor.Dtype) *Params {
	var ps Params
	ps.Add(NewParam("fc.weight", dt, 2, 3), NewParam("fc.bias", dt, 2),
		NewParam("bn.weight", dt, 2), NewParam("bn.bias", dt, 2),
		NewBuffer("bn.running_mean", dt, 2), NewBuffer("bn.running_var", dt, 2),
		int64Buffer("bn.num_batches_tracked", 0),
		NewParam("norm.weight", dt, 2), NewParam("norm.bias", dt, 2))
	return &ps
}

// int64Buffer returns a 0-dim int64 buffer like BatchNorm's num_batches_tracked.
func int64Buffer(name string, v int64) *Param {
	return &Param{Name: name, Value: tensor.New(tensor.WithShape(), tensor.WithBacking([]int64{v})), Buffer: true}
}

func TestSafetensorsReadsTorchFile(t *testing.T) {
	path := filepath.Join("testdata", "torch_state.safetensors")
	ts, md, err := LoadSafetensorsFile(path)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"format": "pt"}, md)
	require.Len(t, ts, 9)
	for name, want := range torchState {
		d := ts[name]
		require.NotNil(t, d, name)
		assert.Equal(t, tensor.Float32, d.Dtype(), name)
		assert.Equal(t, want.shape, shapeOf(d), name)
		assert.Equal(t, want.vals, floats(d), name) // exact: float32 values printed with repr
	}
	n := ts["bn.num_batches_tracked"]
	assert.Equal(t, tensor.Int64, n.Dtype())
	assert.Empty(t, shapeOf(n))
	assert.Equal(t, []int64{1}, n.Int64s())

	// Into Params (strict), in float32 and, converted, float64.
	for _, dt := range []tensor.Dtype{Float32, Float64} {
		ps := torchModuleParams(dt)
		require.NoError(t, ps.LoadSafetensors(path, true))
		for name, want := range torchState {
			assert.Equal(t, want.vals, floats(ps.Get(name).Value), "%v %s", dt, name)
		}
		assert.Equal(t, []int64{1}, ps.Get("bn.num_batches_tracked").Value.Int64s())
	}
}

func TestSafetensorsWritesTorchFileBytes(t *testing.T) {
	// Writing the same state dict gives the same bytes: order by dtype (I64
	// first) then name, compact JSON, metadata first, space padding.
	want, err := os.ReadFile(filepath.Join("testdata", "torch_state.safetensors"))
	require.NoError(t, err)
	ps := torchModuleParams(Float32)
	require.NoError(t, ps.LoadSafetensors(filepath.Join("testdata", "torch_state.safetensors"), true))
	var buf bytes.Buffer
	require.NoError(t, SaveSafetensors(&buf, ps, map[string]string{"format": "pt"}))
	assert.Equal(t, string(want), buf.String())
}

func TestSafetensorsHalfAndShapes(t *testing.T) {
	ts, md, err := LoadSafetensorsFile(filepath.Join("testdata", "half.safetensors"))
	require.NoError(t, err)
	assert.Nil(t, md)
	h := ts["h"]
	assert.Equal(t, tensor.Float32, h.Dtype())
	assert.Equal(t, []int{2, 3}, shapeOf(h))
	assert.Equal(t, []float32{1, -2.5, 65504, 5.960464477539063e-08, float32(math.Inf(1)), 0}, h.Float32s())
	assert.True(t, math.Signbit(float64(h.Float32s()[5])), "-0 keeps its sign")
	assert.Equal(t, []float32{1.5, -3.00405527047391e+38}, ts["b"].Float32s())
	assert.Equal(t, []float64{0.1, -1e300}, ts["d"].Float64s())
	assert.Equal(t, []int{0, 3}, shapeOf(ts["z"]))
	assert.Equal(t, 0, ts["z"].Shape().TotalSize())
	assert.Empty(t, shapeOf(ts["s"]))
	assert.Equal(t, []float32{7.25}, ts["s"].Float32s())

	// Every half value converts exactly (checked against float64 arithmetic).
	for u := 0; u < 1<<16; u++ {
		f := float16ToFloat32(uint16(u))
		sign := 1.0
		if u&0x8000 != 0 {
			sign = -1
		}
		e, m := (u>>10)&0x1f, float64(u&0x3ff)
		switch {
		case e == 0x1f && m == 0:
			assert.Equal(t, math.Inf(int(sign)), float64(f))
		case e == 0x1f:
			assert.True(t, math.IsNaN(float64(f)))
		case e == 0:
			assert.Equal(t, sign*m*math.Pow(2, -24), float64(f))
		default:
			if sign*(1+m/1024)*math.Pow(2, float64(e-15)) != float64(f) {
				t.Fatalf("half %#04x → %v", u, f)
			}
		}
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ps Params
	a := NewParam("encoder.blocks.0.attn.qkv.weight", Float32, 12, 4)
	b := NewParam("encoder.blocks.0.attn.qkv.bias", Float64, 12)
	for i := range a.Float32s() {
		a.Float32s()[i] = float32(rng.NormFloat64())
	}
	for i := range b.Float64s() {
		b.Float64s()[i] = rng.NormFloat64()
	}
	b.Float64s()[3] = math.NaN() // not checked, kept bit for bit
	ps.Add(a, b, int64Buffer("bn.num_batches_tracked", 1<<40), NewParam("empty", Float32, 0, 5))

	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	md := map[string]string{"format": "pt", "note": "quote \" backslash \\ tab \t é"}
	require.NoError(t, SaveSafetensorsFile(path, &ps, md))
	ts, gotMD, err := LoadSafetensorsFile(path)
	require.NoError(t, err)
	assert.Equal(t, md, gotMD)
	assert.Equal(t, a.Float32s(), ts[a.Name].Float32s())
	for i, v := range b.Float64s() {
		assert.Equal(t, math.Float64bits(v), math.Float64bits(ts[b.Name].Float64s()[i]))
	}
	assert.Equal(t, []int64{1 << 40}, ts["bn.num_batches_tracked"].Int64s())
	assert.Equal(t, []int{0, 5}, shapeOf(ts["empty"]))

	// The reader over a stream gives the same, and the file is 8-aligned.
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Zero(t, binary.LittleEndian.Uint64(raw)%8)
	ts2, _, err := LoadSafetensors(bytes.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, ts[a.Name].Float32s(), ts2[a.Name].Float32s())

	// Params round trip into fresh parameters.
	var qs Params
	qs.Add(NewParam(a.Name, Float32, 12, 4), NewParam(b.Name, Float64, 12), int64Buffer("bn.num_batches_tracked", 0), NewParam("empty", Float32, 0, 5))
	require.NoError(t, qs.LoadSafetensors(path, true))
	assert.Equal(t, a.Float32s(), qs.Get(a.Name).Float32s())
	assert.Equal(t, []int64{1 << 40}, qs.Get("bn.num_batches_tracked").Value.Int64s())

	// Only the final file is left in the directory.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	info, err := entries[0].Info()
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
}

func TestSafetensorsSaveErrors(t *testing.T) {
	var buf bytes.Buffer
	ok := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2}))
	for name, ts := range map[string]map[string]*tensor.Dense{
		"invalid tensor name":  {"": ok},
		"__metadata__":         {"__metadata__": ok},
		"is nil":               {"x": nil},
		"want float32":         {"x": tensor.New(tensor.WithShape(2), tensor.WithBacking([]int32{1, 2}))},
		"not a contiguous row": {"x": transposed()},
	} {
		err := SaveTensors(&buf, ts, nil)
		assert.ErrorContains(t, err, name)
	}
	assert.ErrorContains(t, SaveTensors(&buf, map[string]*tensor.Dense{"x": ok}, map[string]string{"k": "\xff"}), "UTF-8")
	assert.Error(t, SaveTensors(failingWriter{}, map[string]*tensor.Dense{"x": ok}, nil))
}

func transposed() *tensor.Dense {
	d := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	if err := d.T(); err != nil {
		panic(err)
	}
	return d
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteFileAtomicKeepsOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt.safetensors")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	err := WriteFileAtomic(path, func(w io.Writer) error {
		if _, err := w.Write([]byte("partial new content")); err != nil {
			return err
		}
		return errors.New("boom")
	})
	require.ErrorContains(t, err, "boom")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "temporary file removed")
	assert.Error(t, WriteFileAtomic(filepath.Join(dir, "missing", "x"), func(io.Writer) error { return nil }))

	_, _, err = LoadSafetensorsFile(filepath.Join(dir, "nope.safetensors"))
	assert.ErrorContains(t, err, "nope.safetensors")
	_, _, err = LoadSafetensorsFile(path)
	assert.ErrorContains(t, err, "ckpt.safetensors")
}

// stFile assembles a file from a header string and data.
func stFile(header string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func TestSafetensorsMalformed(t *testing.T) {
	d8 := make([]byte, 8)
	ent := func(name, dtype, shape string, b, e int) string {
		return fmt.Sprintf(`%q:{"dtype":%q,"shape":%s,"data_offsets":[%d,%d]}`, name, dtype, shape, b, e)
	}
	x := ent("x", "F32", "[2]", 0, 8)
	for _, c := range []struct {
		name, want string
		file       []byte
	}{
		{"short", "8-byte header size", []byte{1, 2, 3}},
		{"too large", "exceeds 100000000", binary.LittleEndian.AppendUint64(nil, 100_000_001)},
		{"truncated header", "header", binary.LittleEndian.AppendUint64(nil, 50)},
		{"not object", "does not start with '{'", stFile(` {"x":1}`, nil)},
		{"invalid json", `tensor "x": the JSON ends early`, stFile(`{"x":`, nil)},
		{"invalid utf8", "UTF-8", stFile("{\"\xff\":1}", nil)},
		{"trailing", "after the JSON object", stFile(`{}x`, nil)},
		{"duplicate", `duplicate key "x"`, stFile(`{`+x+`,`+x+`}`, d8)},
		{"duplicate metadata", `duplicate key "__metadata__"`, stFile(`{"__metadata__":{},"__metadata__":{}}`, nil)},
		{"duplicate metadata key", `__metadata__: duplicate key "a"`, stFile(`{"__metadata__":{"a":"1","a":"2"}}`, nil)},
		{"metadata number", `__metadata__["a"] is not a string`, stFile(`{"__metadata__":{"a":1}}`, nil)},
		{"metadata array", `__metadata__ is`, stFile(`{"__metadata__":["a"]}`, nil)},
		{"unknown dtype", `tensor "x": unknown dtype "F33"`, stFile(`{`+ent("x", "F33", "[2]", 0, 8)+`}`, d8)},
		{"size mismatch", `tensor "x": data_offsets [0, 8] hold 8 bytes but shape [3] of F32 needs 12`, stFile(`{`+ent("x", "F32", "[3]", 0, 8)+`}`, d8)},
		{"gap", `tensor "y": data_offsets [12, 20] leave a gap of 4 bytes`, stFile(`{`+x+`,`+ent("y", "F32", "[2]", 12, 20)+`}`, make([]byte, 20))},
		{"leading gap", `tensor "x": data_offsets [4, 12] leave a gap`, stFile(`{`+ent("x", "F32", "[2]", 4, 12)+`}`, make([]byte, 12))},
		{"overlap", `tensor "y": data_offsets [4, 12] overlap tensor "x"`, stFile(`{`+x+`,`+ent("y", "F32", "[2]", 4, 12)+`}`, make([]byte, 12))},
		{"reversed", `tensor "x": data_offsets [8, 0] end before`, stFile(`{`+ent("x", "F32", "[0]", 8, 0)+`}`, nil)},
		{"out of range", "only 4 follow", stFile(`{`+x+`}`, make([]byte, 4))},
		{"extra data", "unexpected bytes after", stFile(`{`+x+`}`, make([]byte, 9))},
		{"negative", `tensor "x": shape: -2 is not a non-negative integer`, stFile(`{`+ent("x", "F32", "[-2]", 0, 8)+`}`, d8)},
		{"float", `tensor "x": data_offsets: 8.0 is not`, stFile(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8.0]}}`, d8)},
		{"three offsets", "has 3 numbers", stFile(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}}`, d8)},
		{"missing dtype", `tensor "x": missing dtype`, stFile(`{"x":{"shape":[2],"data_offsets":[0,8]}}`, d8)},
		{"missing shape", "missing shape", stFile(`{"x":{"dtype":"F32","data_offsets":[0,8]}}`, d8)},
		{"missing offsets", "missing data_offsets", stFile(`{"x":{"dtype":"F32","shape":[2]}}`, d8)},
		{"duplicate field", "duplicate field dtype", stFile(`{"x":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, d8)},
		{"entry not object", `tensor "x": entry is`, stFile(`{"x":[1]}`, nil)},
		{"overflow", "overflows", stFile(`{`+ent("x", "F64", "[4294967296,4294967296]", 0, 8)+`}`, d8)},
		{"huge dim", "too large", stFile(`{`+ent("x", "F64", "[18446744073709551615,0]", 0, 0)+`}`, nil)},
		{"sub-byte", "whole bytes", stFile(`{`+ent("x", "F4", "[3]", 0, 1)+`}`, d8[:1])},
		{"unsupported dtype", `tensor "x": dtype I32 is not supported`, stFile(`{`+ent("x", "I32", "[2]", 0, 8)+`}`, d8)},
	} {
		_, _, err := LoadSafetensors(bytes.NewReader(c.file))
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
			assert.True(t, strings.HasPrefix(err.Error(), "nn: safetensors: "), c.name)
		}
	}
	// Accepted: unknown fields (ignored, as the reference does), null
	// metadata, whitespace padding, zero-size tensors sharing an offset.
	for _, h := range []string{
		`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":{"a":[1]}}}`,
		`{"__metadata__":null,` + x + `}   ` + "\n",
		`{` + x + `,` + ent("e", "F64", "[0]", 8, 8) + `,` + ent("f", "F32", "[0,4]", 8, 8) + `}`,
	} {
		ts, _, err := LoadSafetensors(bytes.NewReader(stFile(h, d8)))
		require.NoError(t, err, h)
		assert.Contains(t, ts, "x")
	}
	// A file whose size disagrees with its header is rejected before reading.
	path := filepath.Join(t.TempDir(), "short.safetensors")
	require.NoError(t, os.WriteFile(path, stFile(`{`+x+`}`, d8[:4]), 0o644))
	_, _, err := LoadSafetensorsFile(path)
	assert.ErrorContains(t, err, "but the file has 4")
}

func TestLoadStateDict(t *testing.T) {
	src := map[string]*tensor.Dense{
		"w":     tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1.5, 2.5})),
		"n":     tensor.New(tensor.WithShape(), tensor.WithBacking([]int64{3})),
		"extra": tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{9})),
	}
	mk := func() *Params {
		var ps Params
		ps.Add(NewParam("w", Float32, 2), int64Buffer("n", 0), NewParam("missing", Float32, 1))
		return &ps
	}
	ps := mk()
	_, _, err := ps.LoadStateDict(src, true)
	assert.ErrorContains(t, err, `missing key(s) "missing"; unexpected key(s) "extra"`)
	assert.Equal(t, []float32{0, 0}, ps.Get("w").Float32s(), "strict failure changes nothing")

	missing, unexpected, err := ps.LoadStateDict(src, false)
	require.NoError(t, err)
	assert.Equal(t, []string{"missing"}, missing)
	assert.Equal(t, []string{"extra"}, unexpected)
	assert.Equal(t, []float32{1.5, 2.5}, ps.Get("w").Float32s())
	assert.Equal(t, []int64{3}, ps.Get("n").Value.Int64s())

	bad := map[string]*tensor.Dense{"w": tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{7, 8}))}
	_, _, err = mk().LoadStateDict(bad, false)
	assert.ErrorContains(t, err, "size mismatch for w: copying a tensor of shape [1, 2], the shape of the parameter is [2]")
	bad = map[string]*tensor.Dense{"n": tensor.New(tensor.WithShape(), tensor.WithBacking([]float32{1}))}
	_, _, err = mk().LoadStateDict(bad, false)
	assert.ErrorContains(t, err, "dtype mismatch for n")
	bad = map[string]*tensor.Dense{"w": tensor.New(tensor.WithShape(2), tensor.WithBacking([]int64{1, 2}))}
	_, _, err = mk().LoadStateDict(bad, false)
	assert.ErrorContains(t, err, "dtype mismatch for w")
}

func ExampleSaveSafetensors() {
	var ps Params
	w := NewParam("fc.weight", Float32, 2, 3) // PyTorch layout [out, in]
	copy(w.Float32s(), []float32{1, 2, 3, 4, 5, 6})
	ps.Add(w, NewParam("fc.bias", Float32, 2))

	var buf bytes.Buffer
	if err := SaveSafetensors(&buf, &ps, map[string]string{"format": "pt"}); err != nil {
		fmt.Println(err)
		return
	}
	tensors, metadata, err := LoadSafetensors(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(metadata["format"], tensors["fc.weight"].Shape(), tensors["fc.weight"].Float32s())
	// Output: pt (2, 3) [1 2 3 4 5 6]
}

// FuzzSafetensorsHeader feeds arbitrary headers and data to the reader: it
// must return an error or tensors, never panic, and whatever it accepts
// must survive a write and a second read. The seed corpus is in
// testdata/fuzz/FuzzSafetensorsHeader.
func FuzzSafetensorsHeader(f *testing.F) {
	for _, name := range []string{"torch_state.safetensors", "half.safetensors"} {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		n := binary.LittleEndian.Uint64(raw)
		f.Add(raw[8:8+n], raw[8+n:])
	}
	f.Add([]byte(`{"__metadata__":{"a":"b"},"x":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}`), make([]byte, 8))
	f.Fuzz(func(t *testing.T, header, data []byte) {
		file := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
		file = append(append(file, header...), data...)
		ts, md, err := LoadSafetensors(bytes.NewReader(file))
		if err != nil {
			return
		}
		if _, empty := ts[""]; empty {
			return // a valid file, but SaveTensors refuses empty names
		}
		var buf bytes.Buffer
		if err := SaveTensors(&buf, ts, md); err != nil {
			t.Fatalf("re-save: %v", err)
		}
		ts2, md2, err := LoadSafetensors(&buf)
		if err != nil {
			t.Fatalf("re-load: %v", err)
		}
		if len(ts2) != len(ts) || len(md2) != len(md) {
			t.Fatalf("round trip changed the file: %d/%d tensors, %d/%d metadata", len(ts2), len(ts), len(md2), len(md))
		}
		for k, d := range ts {
			if !sameShape(d.Shape(), ts2[k].Shape()) || d.Dtype() != ts2[k].Dtype() {
				t.Fatalf("round trip changed %q", k)
			}
		}
	})
}
