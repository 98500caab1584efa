package datasets

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyZip returns the tiny TU fixture as a zip archive (TINY/TINY_*.txt).
func tinyZip(t *testing.T) []byte {
	p := filepath.Join(t.TempDir(), "TINY.zip")
	zipDir(t, filepath.Join("..", "testdata", "graphs", "tiny"), "TINY", p)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// zipServer serves body at /TINY.zip and counts requests.
func zipServer(t *testing.T, body func() []byte) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/TINY.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(body())
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestFetchDownloadsVerifiesAndReuses(t *testing.T) {
	archive := tinyZip(t)
	srv, hits := zipServer(t, func() []byte { return archive })
	cache := t.TempDir()
	opt := FetchOptions{BaseURL: srv.URL, Client: srv.Client()}

	dir, err := opt.Fetch("TINY", cache)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(cache, "TINY", "raw"), dir)
	assert.Equal(t, int32(1), hits.Load())
	s, err := LoadTU(dir, TUConfig{})
	require.NoError(t, err)
	assert.Len(t, s.Graphs, 2)

	// The hash of the first download is recorded (trust on first use).
	rec, err := os.ReadFile(filepath.Join(cache, "TINY", "TINY.zip.sha256"))
	require.NoError(t, err)
	assert.Equal(t, sha(archive)+"  TINY.zip\n", string(rec))

	// The next call reuses the cache, also offline.
	dir2, err := opt.Fetch("TINY", cache)
	require.NoError(t, err)
	assert.Equal(t, dir, dir2)
	opt.Offline = true
	_, err = opt.Fetch("TINY", cache)
	require.NoError(t, err)
	assert.Equal(t, int32(1), hits.Load(), "no second download")

	// A cached archive that changed no longer matches its record.
	zipPath := filepath.Join(cache, "TINY", "TINY.zip")
	require.NoError(t, os.WriteFile(zipPath, append(archive, 0), 0o644))
	_, err = opt.Fetch("TINY", cache)
	require.True(t, errors.Is(err, ErrChecksum), "%v", err)
	assert.Contains(t, err.Error(), "delete "+filepath.Join(cache, "TINY"))
}

func TestFetchPinnedHash(t *testing.T) {
	archive := tinyZip(t)
	corrupt := bytes.Clone(archive)
	corrupt[len(corrupt)/2] ^= 0xff
	serve := corrupt
	srv, _ := zipServer(t, func() []byte { return serve })
	cache := t.TempDir()
	opt := FetchOptions{BaseURL: srv.URL + "/", Client: srv.Client(), SHA256: sha(archive)}

	_, err := opt.Fetch("TINY", cache)
	require.True(t, errors.Is(err, ErrChecksum), "%v", err)
	assert.Contains(t, err.Error(), sha(corrupt))
	requireNoCacheFiles(t, filepath.Join(cache, "TINY"))

	serve = archive
	dir, err := opt.Fetch("TINY", cache)
	require.NoError(t, err)
	_, err = LoadTU(dir, TUConfig{})
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(cache, "TINY", "TINY.zip.sha256"))
	assert.True(t, os.IsNotExist(err), "pinned hashes are not recorded")
}

// requireNoCacheFiles asserts that dir holds no archive, partial file or
// unpacked folder.
func requireNoCacheFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return
	}
	require.NoError(t, err)
	for _, e := range entries {
		t.Errorf("left in the cache: %s", e.Name())
	}
}

func TestFetchInterruptedDownload(t *testing.T) {
	archive := tinyZip(t)
	var broken atomic.Bool
	broken.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			// Announce the full length, send half, then drop the connection.
			w.Header().Set("Content-Length", strconv.Itoa(len(archive)))
			w.Write(archive[:len(archive)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		w.Write(archive)
	}))
	defer srv.Close()
	cache := t.TempDir()
	opt := FetchOptions{BaseURL: srv.URL, Client: srv.Client()}

	_, err := opt.Fetch("TINY", cache)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "interrupted")
	requireNoCacheFiles(t, filepath.Join(cache, "TINY"))

	broken.Store(false)
	dir, err := opt.Fetch("TINY", cache)
	require.NoError(t, err)
	_, err = LoadTU(dir, TUConfig{})
	require.NoError(t, err)
}

func TestFetchErrors(t *testing.T) {
	srv, _ := zipServer(t, func() []byte { return nil })
	cache := t.TempDir()

	// Offline and absent: the error names the URL and the expected files.
	_, err := FetchOptions{Offline: true}.Fetch("MUTAG", cache)
	require.True(t, errors.Is(err, ErrNotFound))
	assert.Contains(t, err.Error(), "https://www.chrsmrrs.com/graphkerneldatasets/MUTAG.zip")
	assert.Contains(t, err.Error(), "MUTAG/MUTAG_A.txt")
	assert.Contains(t, err.Error(), filepath.Join(cache, "MUTAG", "raw"))

	// HTTP 404.
	_, err = FetchOptions{BaseURL: srv.URL, Client: srv.Client()}.Fetch("NOPE", cache)
	require.True(t, errors.Is(err, ErrNotFound))
	assert.Contains(t, err.Error(), srv.URL+"/NOPE.zip")
	assert.Contains(t, err.Error(), "404")
	requireNoCacheFiles(t, filepath.Join(cache, "NOPE"))

	// Files unpacked by hand are used as they are.
	raw := filepath.Join(cache, "HAND", "raw")
	require.NoError(t, os.MkdirAll(raw, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(raw, "HAND_A.txt"), []byte("1, 2\n"), 0o644))
	dir, err := FetchOptions{Offline: true}.Fetch("HAND", cache)
	require.NoError(t, err)
	assert.Equal(t, raw, dir)

	_, err = Fetch("../evil", cache)
	require.Error(t, err)

	// GIN-format archives have pinned hashes and their own URLs.
	r := Remote("gin/DD")
	assert.Equal(t, "gin", r.Format)
	assert.Len(t, r.SHA256, 64)
	assert.Equal(t, "tu", Remote("MUTAG").Format)
}

func TestFetchRefusesZipSlip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("../escape.txt")
	require.NoError(t, err)
	w.Write([]byte("x"))
	require.NoError(t, zw.Close())
	evil := buf.Bytes()
	srv, _ := zipServer(t, func() []byte { return evil })
	cache := t.TempDir()
	_, err = FetchOptions{BaseURL: srv.URL, Client: srv.Client()}.Fetch("TINY", cache)
	require.ErrorContains(t, err, "escapes the target folder")
	_, err = os.Stat(filepath.Join(cache, "escape.txt"))
	assert.True(t, os.IsNotExist(err))
	_, err = os.Stat(filepath.Join(cache, "TINY", "raw"))
	assert.True(t, os.IsNotExist(err))
}

// TestFetchStagedGINArchive checks the pinned hash of a GIN-format archive
// against the byte copy in the shared test data, served locally.
func TestFetchStagedGINArchive(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(graphDataDir(t), "gin_format", "REDDIT-BINARY.zip"))
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/REDDIT-BINARY.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	dir, err := FetchOptions{BaseURL: srv.URL, Client: srv.Client()}.Fetch("gin/REDDIT-BINARY", t.TempDir())
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "REDDIT-BINARY", "10fold_idx", "test_idx-10.txt"))
	require.NoError(t, err)
}
