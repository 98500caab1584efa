package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadGraphsDetectsFormat(t *testing.T) {
	tmp := t.TempDir()
	tinyZipPath := filepath.Join(tmp, "TINY.zip")
	zipDir(t, filepath.Join("testdata", "graphs", "tiny"), "TINY", tinyZipPath)
	toyZipPath := filepath.Join(tmp, "TOY.zip")
	zipTree(t, filepath.Join("testdata", "graphs", "gin", "TOY"), "TOY", toyZipPath)
	cases := []struct {
		path, format string
		graphs       int
	}{
		{filepath.Join("testdata", "graphs", "tiny"), FormatTU, 2},
		{tinyZipPath, FormatTU, 2},
		{filepath.Join("testdata", "graphs", "gin", "TOY"), FormatGIN, 3},
		{filepath.Join("testdata", "graphs", "gin"), FormatGIN, 3},
		{toyZipPath, FormatGIN, 3},
		{filepath.Join("testdata", "graphs", "gin", "TOY", "TOY.txt"), FormatGIN, 3},
		{filepath.Join("testdata", "graphs", "zinc", "tiny_p2.pkl"), FormatZINC, 3},
		{"synthetic", FormatSynthetic, 180},
	}
	for _, tc := range cases {
		f, err := DetectGraphFormat(tc.path)
		require.NoError(t, err, tc.path)
		assert.Equal(t, tc.format, f, tc.path)
		s, err := LoadGraphs(tc.path, GraphLoadConfig{})
		require.NoError(t, err, tc.path)
		assert.Equal(t, tc.format, s.Format, tc.path)
		assert.Len(t, s.Graphs, tc.graphs, tc.path)
	}

	_, err := DetectGraphFormat(filepath.Join(tmp, "absent"))
	require.True(t, errors.Is(err, ErrNotFound))
	_, err = DetectGraphFormat(tmp) // holds only zips... of which none is a dataset folder
	require.True(t, errors.Is(err, ErrNotFound), "%v", err)
	assert.Contains(t, err.Error(), "neither a TU dataset")
	other := filepath.Join(tmp, "x.csv")
	require.NoError(t, os.WriteFile(other, []byte("1,2\n"), 0o644))
	_, err = DetectGraphFormat(other)
	requireParseError(t, err, "x.csv", 0, "cannot tell the format")
	_, err = LoadGraphs(other, GraphLoadConfig{Format: "bogus"})
	require.ErrorContains(t, err, `unknown graph format "bogus"`)
	s, err := LoadGraphs(filepath.Join("testdata", "graphs", "tiny"), GraphLoadConfig{Format: FormatTU, TU: TUConfig{UseNodeAttr: true}})
	require.NoError(t, err)
	assert.Equal(t, 6, s.F)
}
