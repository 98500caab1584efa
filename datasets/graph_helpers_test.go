package datasets

import (
	"archive/zip"
	"errors"
	"github.com/nongrid/jepa/internal/shareddata"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// graphDataDir returns ../shared/data/graphs or skips the test.
func graphDataDir(t testing.TB) string { return shareddata.Dir(t, "graphs") }

// memFiles is an in-memory graphFiles for malformed-input tests and fuzzing.
type memFiles map[string]string

func (m memFiles) open(rel string) (io.ReadCloser, error) {
	s, ok := m[rel]
	if !ok {
		return nil, &ParseError{File: m.display(rel), Err: ErrNotFound}
	}
	return io.NopCloser(strings.NewReader(s)), nil
}

func (m memFiles) exists(rel string) bool { _, ok := m[rel]; return ok }

func (m memFiles) list() []string {
	var l []string
	for k := range m {
		l = append(l, k)
	}
	sort.Strings(l)
	return l
}

func (m memFiles) display(rel string) string { return "mem:" + rel }
func (m memFiles) Close() error              { return nil }
func (m memFiles) root() string              { return "" }

// requireParseError asserts that err is (or wraps) a *ParseError whose File
// ends with file, whose Line is line (-1: don't care) and whose message
// contains msg.
func requireParseError(t *testing.T, err error, file string, line int, msg string) *ParseError {
	t.Helper()
	require.Error(t, err)
	var pe *ParseError
	require.True(t, errors.As(err, &pe), "want *ParseError, got %T: %v", err, err)
	require.True(t, strings.HasSuffix(pe.File, file), "file %q, want suffix %q (%v)", pe.File, file, err)
	if line >= 0 {
		require.Equal(t, line, pe.Line, "line of %v", err)
	}
	require.Contains(t, err.Error(), msg)
	return pe
}

// zipDir writes every regular file under dir (recursively) into a new zip
// at zipPath, under the folder name prefix (as the TU archives do).
func zipDir(t testing.TB, dir, prefix, zipPath string) { zipTree(t, dir, prefix, zipPath) }

// zipTree is zipDir; the name says that sub-folders are included.
func zipTree(t testing.TB, dir, prefix, zipPath string) {
	t.Helper()
	f, err := os.Create(zipPath)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(prefix + "/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
}

// argmaxRows returns the argmax of every row of an [n,w] matrix.
func argmaxRows(x []float32, w int) []int {
	out := make([]int, len(x)/w)
	for i := range out {
		row := x[i*w : (i+1)*w]
		for j, v := range row {
			if v > row[out[i]] {
				out[i] = j
			}
		}
	}
	return out
}
