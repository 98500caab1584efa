package jepa

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestParseShard(t *testing.T) {
	for s, want := range map[string]Shard{"0/1": {0, 1}, "3/50": {3, 50}, " 49/50 ": {49, 50}} {
		got, err := ParseShard(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
		assert.Equal(t, want, must(ParseShard(got.String())), "round trip")
	}
	for s, msg := range map[string]string{
		"3/2": `shard 3/2: the index must be in 0..1`, "2/2": "the index must be in 0..1",
		"0/0": "shard 0/0: the shard count must be at least 1", "a/b": `shard "a/b": i and n must be integers`,
		"-1/4": "the index must be in 0..3", "1": `shard "1": want i/n`, "1/2/3": "must be integers", "": "want i/n",
		"1/-2": "the shard count must be at least 1",
	} {
		_, err := ParseShard(s)
		require.ErrorContains(t, err, msg, s)
	}
	require.ErrorContains(t, Shard{Index: 1}.Validate(), "shard 1/0")
	require.ErrorContains(t, Shard{Count: -1}.Validate(), "at least 1")
	sh := Shard{Index: 2, Count: 4}
	assert.Equal(t, []int{2, 6, 10}, sh.Jobs(12))
	assert.True(t, sh.Owns(6))
	assert.False(t, sh.Owns(7))
	assert.False(t, sh.Whole())
	assert.True(t, Shard{}.Whole())
	assert.Equal(t, "0/1", Shard{}.String())
	assert.Equal(t, []int{0, 1, 2}, Shard{}.Jobs(3))
	assert.Equal(t, 7, JobIndex(2, 1, 3))
	assert.Equal(t, "shard 3/4", OwnerOf(7, map[int]bool{4: true}))
	assert.Empty(t, OwnerOf(7, map[int]bool{4: true, 2: true}))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestRecordHelpers(t *testing.T) {
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb924", ContentHash(nil), "SHA-256 of nothing")
	type rec struct {
		A      int    `json:"a"`
		Digest string `json:"digest,omitempty"`
	}
	assert.Equal(t, ContentHash([]byte(`{"a":1}`)), JSONDigest(rec{A: 1}))
	assert.NotEqual(t, JSONDigest(rec{A: 1}), JSONDigest(rec{A: 2}))
	assert.Empty(t, JSONDigest(func() {}), "not encodable")

	var r rec
	require.NoError(t, DecodeRecord([]byte(`{"a":3}`), &r))
	assert.Equal(t, 3, r.A)
	require.ErrorContains(t, DecodeRecord([]byte(`{"a":3,"b":1}`), &r), "unknown field")
	require.ErrorContains(t, DecodeRecord([]byte(`{"a":3`), &r), "truncated or not a record")
	require.ErrorContains(t, DecodeRecord([]byte(`{"a":3} {}`), &r), "text after the record")

	a := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	b := mat.NewDense(2, 2, []float64{1, 2, 3, 4.000000000000001})
	assert.Len(t, EmbeddingChecksum(a), 16)
	assert.Equal(t, EmbeddingChecksum(a), EmbeddingChecksum(mat.DenseCopyOf(a)))
	assert.NotEqual(t, EmbeddingChecksum(a), EmbeddingChecksum(b), "one bit")
	assert.NotEqual(t, EmbeddingChecksum(a), EmbeddingChecksum(mat.NewDense(1, 4, []float64{1, 2, 3, 4})), "the shape counts")

	dir := t.TempDir()
	p := filepath.Join(dir, "x.json")
	require.NoError(t, WriteFileAtomic(p, []byte("one")))
	require.NoError(t, WriteFileAtomic(p, []byte("two")))
	got, err := ReadFileLimited(p, 3)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))
	_, err = ReadFileLimited(p, 2)
	require.ErrorContains(t, err, "3 bytes, more than a run-directory file can hold (2)")
	left, _ := os.ReadDir(dir)
	assert.Len(t, left, 1, "no temporary file left")
	require.Error(t, WriteFileAtomic(filepath.Join(dir, "no", "x"), nil))
	assert.Contains(t, JobCodeVersion(), " go1.")
}
