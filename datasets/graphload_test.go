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
	zipDir(t, filepath.Join("..", "testdata", "graphs", "tiny"), "TINY", tinyZipPath)
	toyZipPath := filepath.Join(tmp, "TOY.zip")
	zipTree(t, filepath.Join("..", "testdata", "graphs", "gin", "TOY"), "TOY", toyZipPath)
	cases := []struct {
		path, format string
		graphs       int
	}{
		{filepath.Join("..", "testdata", "graphs", "tiny"), FormatTU, 2},
		{tinyZipPath, FormatTU, 2},
		{filepath.Join("..", "testdata", "graphs", "gin", "TOY"), FormatGIN, 3},
		{filepath.Join("..", "testdata", "graphs", "gin"), FormatGIN, 3},
		{toyZipPath, FormatGIN, 3},
		{filepath.Join("..", "testdata", "graphs", "gin", "TOY", "TOY.txt"), FormatGIN, 3},
		{filepath.Join("..", "testdata", "graphs", "zinc", "tiny_p2.pkl"), FormatZINC, 3},
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
	s, err := LoadGraphs(filepath.Join("..", "testdata", "graphs", "tiny"), GraphLoadConfig{Format: FormatTU, TU: TUConfig{UseNodeAttr: true}})
	require.NoError(t, err)
	assert.Equal(t, 6, s.F)
}

// TestDetectSaysWhatIsMissing: when the format cannot be detected, the
// error says what was found and what is missing, the same with and without
// naming the format.
func TestDetectSaysWhatIsMissing(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, body := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		}
		return dir
	}
	tu := func(name string) map[string]string {
		return map[string]string{
			name + "_A.txt":               "1, 2\n2, 1\n",
			name + "_graph_indicator.txt": "1\n1\n",
			name + "_graph_labels.txt":    "1\n",
		}
	}
	without := func(m map[string]string, k string) map[string]string { delete(m, k); return m }
	merge := func(a, b map[string]string) map[string]string {
		for k, v := range b {
			a[k] = v
		}
		return a
	}
	cases := []struct {
		name    string
		files   map[string]string
		file    string // path below the folder to pass, "" for the folder
		formats []string
		msg     []string
		amb     bool // an *AmbiguousError
	}{
		{"TU without A", without(tu("PTC_MR"), "PTC_MR_A.txt"), "", []string{"", FormatTU},
			[]string{"no PTC_MR_A.txt (found PTC_MR_graph_indicator.txt, PTC_MR_graph_labels.txt)", "needs PTC_MR_A.txt (the edges", "graphkerneldatasets/PTC_MR.zip"}, false},
		{"TU with only labels", map[string]string{"X/X_node_labels.txt": "1\n"}, "", []string{"", FormatTU},
			[]string{"no X_A.txt (found X/X_node_labels.txt)"}, false},
		{"TU with a gzipped A", merge(without(tu("M"), "M_A.txt"), map[string]string{"M_A.txt.gz": "\x1f\x8b"}), "", []string{"", FormatTU},
			[]string{"no M_A.txt (found M_graph_indicator.txt, M_graph_labels.txt; there is M_A.txt.gz: unpack it"}, false},
		{"TU with A in other case", merge(without(tu("M"), "M_A.txt"), map[string]string{"M_A.TXT": "1, 2\n"}), "", []string{"", FormatTU},
			[]string{"there is M_A.TXT, which differs only in letter case"}, false},
		{"TU indicator in other case", merge(without(tu("m"), "m_graph_indicator.txt"), map[string]string{"M_graph_indicator.txt": "1\n1\n"}), "", []string{"", FormatTU},
			[]string{"found m_A.txt but not m_graph_indicator.txt", "there is M_graph_indicator.txt, which differs only in letter case"}, false},
		{"TU without indicator", without(tu("M"), "M_graph_indicator.txt"), "", []string{"", FormatTU},
			[]string{"found M_A.txt but not M_graph_indicator.txt"}, false},
		{"two TU sets", merge(tu("MUTAG"), tu("PTC_MR")), "", []string{"", FormatTU},
			[]string{"several TU datasets found: MUTAG (MUTAG_A.txt), PTC_MR (PTC_MR_A.txt); choose one by name (TUConfig.Name)"}, true},
		{"two GIN sets", map[string]string{"A/A.txt": "1\n1 0\n0 0\n", "B/B.txt": "1\n1 0\n0 0\n"}, "", []string{"", FormatGIN},
			[]string{"several GIN-format datasets found: A (A/A.txt), B (B/B.txt)"}, true},
		{"TU file instead of folder", tu("MUTAG"), "MUTAG_A.txt", []string{"", FormatTU},
			[]string{"this looks like a TU file (the A file of MUTAG), not a dataset; pass its folder"}, false},
		{"TU indicator file", tu("MUTAG"), "MUTAG_graph_indicator.txt", []string{""},
			[]string{"the graph_indicator file of MUTAG"}, false},
		{"GIN fold file", map[string]string{"D/D.txt": "1\n1 0\n0 0\n", "D/10fold_idx/train_idx-1.txt": "0\n"}, "D/10fold_idx/train_idx-1.txt", []string{""},
			[]string{"fold index file of a GIN-format dataset; pass the dataset folder"}, false},
		{"GIN file in other case", map[string]string{"TOY/toy.txt": "1\n1 0\n0 0\n"}, "", []string{"", FormatGIN},
			[]string{"there is TOY/toy.txt, whose folder and file names differ only in letter case"}, false},
		{"GIN set loaded as TU", map[string]string{"TOY/TOY.txt": "1\n1 0\n0 0\n"}, "", []string{FormatTU},
			[]string{"this is a GIN-format dataset (TOY/TOY.txt): load it with LoadGIN (format gin)"}, false},
		{"TU set loaded as GIN", tu("MUTAG"), "", []string{FormatGIN},
			[]string{"this is a TU dataset (MUTAG_A.txt, ...): load it with LoadTU (format tu)"}, false},
		{"folder of archives", map[string]string{"DD.zip": "PK", "README.md": "x"}, "", []string{""},
			[]string{"found DD.zip, README.md; to load an archive, pass it: DD.zip"}, false},
		{"unrelated files", map[string]string{"notes.md": "x", "data.csv": "1,2"}, "", []string{""},
			[]string{"neither a TU dataset", "found data.csv, notes.md"}, false},
		{"empty folder", map[string]string{}, "", []string{""},
			[]string{"the folder is empty"}, false},
		{"a pickle as TU", map[string]string{"x.pkl": "\x80\x04"}, "x.pkl", []string{FormatTU},
			[]string{"not a folder or a .zip archive"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, tc.files)
			if tc.file != "" {
				p = filepath.Join(p, filepath.FromSlash(tc.file))
			}
			for _, f := range tc.formats {
				_, err := LoadGraphs(p, GraphLoadConfig{Format: f})
				require.Error(t, err, "format %q", f)
				var pe *ParseError
				require.True(t, errors.As(err, &pe), "%T %v", err, err)
				for _, m := range tc.msg {
					assert.Contains(t, err.Error(), m, "format %q", f)
				}
				var amb *AmbiguousError
				assert.Equal(t, tc.amb, errors.As(err, &amb), "format %q: %v", f, err)
				assert.NotContains(t, err.Error(), "neither a TU dataset nor", "format %q", f)
			}
		})
	}
	// A wrong name lists the names there are.
	p := write(t, merge(tu("MUTAG"), tu("PTC_MR")))
	_, err := LoadTU(p, TUConfig{Name: "NCI1"})
	require.ErrorContains(t, err, "no NCI1_A.txt; the TU datasets here are MUTAG, PTC_MR")
	s, err := LoadTU(p, TUConfig{Name: "PTC_MR"})
	require.NoError(t, err)
	assert.Equal(t, "PTC_MR", s.Name)
}
