package datasets

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequireLabels(t *testing.T) {
	base := func() memFiles {
		return memFiles{
			"P/P_A.txt":               "1, 2\n2, 1\n3, 4\n4, 3\n",
			"P/P_graph_indicator.txt": "1\n1\n2\n2\n",
			"P/P_graph_labels.txt":    "-1\n1\n",
		}
	}
	load := func(t *testing.T, m memFiles) *GraphSet {
		s, err := loadTU(m, TUConfig{})
		require.NoError(t, err, "loading accepts the set; only RequireLabels refuses it")
		s.Source = "data/P"
		return s
	}
	noLabels := base()
	delete(noLabels, "P/P_graph_labels.txt")
	oneClass := base()
	oneClass["P/P_graph_labels.txt"] = "1\n1\n"
	regression := base()
	delete(regression, "P/P_graph_labels.txt")
	regression["P/P_graph_attributes.txt"] = "0.5\n-2\n"
	outOfRange := load(t, base())
	outOfRange.Graphs[1].Y = 5
	ragged := load(t, regression)
	ragged.Graphs[1].Target = nil

	cases := []struct {
		name string
		set  *GraphSet
		want string // "" for nil
	}{
		{"labelled", load(t, base()), ""},
		{"regression", load(t, regression), ""},
		{"synthetic", SyntheticGraphs(SyntheticConfig{}), ""},
		{"no label file", load(t, noLabels), `data/P: graph labels: no graph labels: dataset "P" has neither P_graph_labels.txt nor P_graph_attributes.txt; evaluation needs a class or a target per graph (pretraining does not)`},
		{"one class", load(t, oneClass), "has a single class (all 2 graphs have label 1)"},
		{"class out of range", outOfRange, "graph 1 has class 5, want 0..1"},
		{"ragged targets", ragged, "graph 1 has 0 target value(s), graph 0 has 1"},
		{"empty", &GraphSet{Name: "E"}, `dataset "E" has no graphs`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.set.RequireLabels()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrNoLabels))
			var pe *ParseError
			assert.True(t, errors.As(err, &pe))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestUnusedFilesAreNoted: files a loader does not use under its
// configuration are named in GraphSet.Notes, never skipped silently.
func TestUnusedFilesAreNoted(t *testing.T) {
	base := func() memFiles {
		return memFiles{
			"L/L_A.txt":               "1, 2\n2, 1\n3, 4\n4, 3\n",
			"L/L_graph_indicator.txt": "1\n1\n2\n2\n",
			"L/L_graph_labels.txt":    "0\n1\n",
		}
	}
	with := func(kv ...string) memFiles {
		m := base()
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	letter := with("L/L_node_attributes.txt", "0.1, 0.2\n0.3, 0.4\n0.5, 0.6\n0.7, 0.8\n")
	noLabels := base()
	delete(noLabels, "L/L_graph_labels.txt")
	cases := []struct {
		name  string
		files memFiles
		cfg   TUConfig
		notes []string // each must be a substring of one note
		not   string   // no note may contain this
	}{
		{"node attributes only (Letter-high)", letter, TUConfig{},
			[]string{"L_node_attributes.txt (2 column(s)) holds continuous node attributes, unused: set UseNodeAttr (--use-node-attr) to include them",
				"no node labels and the node attributes unused: X = constant(0)"}, ""},
		{"node attributes used", letter, TUConfig{UseNodeAttr: true}, nil, "unused"},
		{"edge attributes", with("L/L_edge_attributes.txt", "1\n1\n2\n2\n"), TUConfig{},
			[]string{"L_edge_attributes.txt (1 column(s)) holds continuous edge attributes, unused: set UseEdgeAttr (--use-edge-attr)"}, ""},
		{"edge attributes used", with("L/L_edge_attributes.txt", "1\n1\n2\n2\n"), TUConfig{UseEdgeAttr: true}, nil, "unused"},
		{"graph labels shadowed by graph attributes", with("L/L_graph_attributes.txt", "0.5\n1.5\n"), TUConfig{},
			[]string{"L_graph_labels.txt is unused: L_graph_attributes.txt makes this a regression set"}, ""},
		{"empty A", with("L/L_A.txt", ""), TUConfig{}, []string{"L_A.txt is empty: no graph has an edge"}, ""},
		{"no labels", noLabels, TUConfig{},
			[]string{"no L_graph_labels.txt or L_graph_attributes.txt: the graphs are unlabelled (Y = -1); pretraining works, evaluation refuses the set (GraphSet.RequireLabels)"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := loadTU(tc.files, tc.cfg)
			require.NoError(t, err)
			all := strings.Join(s.Notes, "\n")
			for _, n := range tc.notes {
				assert.Contains(t, all, n)
			}
			if tc.not != "" {
				assert.NotContains(t, all, tc.not)
			}
		})
	}
	// GIN: continuous attributes after the neighbours.
	s, err := loadGIN(memFiles{"X/X.txt": "1\n2 0\n0 1 1 0.5 1\n0 1 0 0.25 2\n"}, GINConfig{})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(s.Notes, "\n"), "every node carries 2 continuous attribute(s) after its neighbours, unused: set UseNodeAttr (--use-node-attr)")
	s, err = loadGIN(memFiles{"X/X.txt": "1\n2 0\n0 1 1 0.5 1\n0 1 0 0.25 2\n"}, GINConfig{UseNodeAttr: true})
	require.NoError(t, err)
	assert.NotContains(t, strings.Join(s.Notes, "\n"), "unused")
}
