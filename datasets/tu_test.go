package datasets

import (
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Expected values below were computed from the raw files with numpy,
// emulating torch_geometric.io.read_tu_data (PyG itself is not installable
// here). The script (python3, numpy 1.24):
//
//	import numpy as np, os
//	def load(name):
//	    p = lambda s: f'{root}/{name}/{name}_{s}.txt'
//	    A = np.loadtxt(p('A'), delimiter=',', dtype=np.int64).reshape(-1, 2) - 1
//	    gi = np.loadtxt(p('graph_indicator'), dtype=np.int64) - 1; N = len(gi)
//	    ea = None
//	    if os.path.exists(p('edge_labels')):
//	        el = np.loadtxt(p('edge_labels'), dtype=np.int64); el -= el.min()
//	        ea = np.eye(el.max() + 1, dtype=np.float32)[el]
//	    keep = A[:, 0] != A[:, 1]; A = A[keep]                    # remove_self_loops
//	    ea = None if ea is None else ea[keep]
//	    uk, inv = np.unique(A[:, 0] * N + A[:, 1], return_inverse=True)   # coalesce
//	    if ea is not None:
//	        s = np.zeros((len(uk), ea.shape[1]), np.float32); np.add.at(s, inv, ea); ea = s
//	    row, col = uk // N, uk % N
//	    x = None
//	    if os.path.exists(p('node_labels')):
//	        nl = np.loadtxt(p('node_labels'), dtype=np.int64); nl -= nl.min()
//	        x = np.eye(nl.max() + 1, dtype=np.float32)[nl]
//	    y = np.unique(np.loadtxt(p('graph_labels'), dtype=np.int64), return_inverse=True)[1]
//	    return gi, row, col, ea, x, y
//	# counts: len(set(gi)), N, len(row)//2 (row/col are symmetric for all six sets),
//	#         bincount(row).max() for the max degree, len(unique(y)).
//	# fingerprints:
//	off = np.searchsorted(gi, np.arange(gi.max() + 1)); g = gi[row]
//	fp_edges = ((row - off[g] + 1) * (col - off[g] + 3) * (g + 1)).sum()
//	fp_edge_labels = (ea.argmax(1) * (np.arange(len(row)) + 1)).sum()
//	fp_x = (x.argmax(1) * (np.arange(len(gi)) + 1)).sum()
//	fp_y = (y * (np.arange(len(y)) + 1)).sum()
var tuRealSets = []struct {
	name                        string
	graphs, nodes, edges        int
	classes, nodeLabels, edgeLb int
	f, ef, maxDeg               int
	fpEdges, fpEdgeLabels, fpX  int
	fpY                         int
	featureRule                 string
}{
	{"MUTAG", 188, 3371, 3721, 2, 7, 4, 7, 4, 4, 93534582, 13494609, 3038109, 11327, ""},
	{"PROTEINS", 1113, 43471, 81044, 2, 3, 0, 3, 0, 25, 166751545540, 0, 538226508, 399825, ""},
	{"ENZYMES", 600, 19580, 37282, 6, 3, 0, 3, 0, 9, 12123216128, 0, 106065523, 375750, ""},
	{"NCI1", 4110, 122747, 132753, 2, 37, 0, 37, 0, 4, 331896205742, 0, 12916453539, 5676336, ""},
	{"IMDB-BINARY", 1000, 19773, 96531, 2, 0, 0, 1, 0, 135, 30281850394, 0, 0, 375250, "constant(0)"},
	{"IMDB-MULTI", 1500, 19502, 98903, 3, 0, 0, 1, 0, 88, 39197254258, 0, 0, 1625750, "constant(0)"},
}

func TestLoadTURealSets(t *testing.T) {
	root := filepath.Join(graphDataDir(t), "tu")
	for _, want := range tuRealSets {
		t.Run(want.name, func(t *testing.T) {
			s, err := LoadTU(filepath.Join(root, want.name), TUConfig{})
			require.NoError(t, err)
			require.NoError(t, s.Validate())
			st := s.Stats()
			assert.Equal(t, want.name, s.Name)
			assert.Equal(t, "tu", s.Format)
			assert.Equal(t, want.graphs, st.Graphs)
			assert.Equal(t, want.nodes, st.Nodes)
			assert.Equal(t, want.edges, st.Edges)
			assert.Equal(t, want.maxDeg, st.MaxDegree)
			assert.Equal(t, want.classes, s.NumClasses)
			assert.Equal(t, want.nodeLabels, s.NumNodeLabels)
			assert.Equal(t, want.edgeLb, s.NumEdgeLabels)
			assert.Equal(t, want.f, s.F)
			assert.Equal(t, want.ef, s.EF)
			assert.Equal(t, want.featureRule, s.FeatureRule)

			var fpEdges, fpEdgeLabels, fpX, fpY int
			entry, node := 0, 0
			for gi, g := range s.Graphs {
				for v := 0; v < g.NumNodes(); v++ {
					for _, c := range g.Neighbors(v) {
						fpEdges += (v + 1) * (c + 3) * (gi + 1)
					}
				}
				if g.EF > 0 {
					for _, a := range argmaxRows(g.EdgeAttr, g.EF) {
						entry++
						fpEdgeLabels += a * entry
					}
				}
				if want.nodeLabels > 0 {
					for _, a := range argmaxRows(g.X, g.F) {
						node++
						fpX += a * node
					}
				}
				fpY += g.Y * (gi + 1)
			}
			assert.Equal(t, want.fpEdges, fpEdges, "edge fingerprint")
			assert.Equal(t, want.fpEdgeLabels, fpEdgeLabels, "edge label fingerprint")
			assert.Equal(t, want.fpX, fpX, "node label fingerprint")
			assert.Equal(t, want.fpY, fpY, "graph label fingerprint")
		})
	}
}

// TestLoadTUMUTAGGraphs compares whole graphs with the numpy emulation of
// read_tu_data above (edge_index of graph 0 and 187, their edge-label and
// node-label argmax).
func TestLoadTUMUTAGGraphs(t *testing.T) {
	s, err := LoadTU(filepath.Join(graphDataDir(t), "tu", "MUTAG"), TUConfig{})
	require.NoError(t, err)
	require.Equal(t, []int{-1, 1}, s.ClassValues)
	require.Equal(t, []int{63, 125}, s.ClassCounts())

	g := s.Graphs[0]
	ei := g.EdgeIndex([2][]int{})
	assert.Equal(t, []int{0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 11, 11, 12, 12, 12, 13, 13, 14, 14, 14, 15, 16}, ei[0])
	assert.Equal(t, []int{1, 5, 0, 2, 1, 3, 2, 4, 9, 3, 5, 6, 0, 4, 4, 7, 6, 8, 7, 9, 13, 3, 8, 10, 9, 11, 10, 12, 11, 13, 14, 8, 12, 12, 15, 16, 14, 14}, ei[1])
	assert.Equal(t, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 1, 2, 1}, argmaxRows(g.EdgeAttr, 4))
	assert.Equal(t, argmaxRows(g.EdgeAttr, 4), g.EdgeLabel, "integer edge labels = one-hot argmax")
	assert.Equal(t, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2}, argmaxRows(g.X, 7))
	assert.Equal(t, argmaxRows(g.X, 7), g.NodeLabel)
	assert.Equal(t, 1, g.Y)

	g = s.Graphs[187]
	ei = g.EdgeIndex(ei) // reuse
	assert.Equal(t, []int{0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10, 10, 10, 11, 11, 11, 12, 12, 13, 13, 13, 14, 15}, ei[0])
	assert.Equal(t, []int{1, 12, 0, 2, 1, 3, 2, 4, 11, 3, 5, 4, 6, 10, 5, 7, 6, 8, 7, 9, 13, 8, 10, 5, 9, 11, 3, 10, 12, 0, 11, 8, 14, 15, 13, 13}, ei[1])
	assert.Equal(t, []int{1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1, 2, 1, 2, 1, 1, 2, 2, 1, 1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2, 1}, argmaxRows(g.EdgeAttr, 4))
	assert.Equal(t, []int{0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2}, argmaxRows(g.X, 7))
	assert.Equal(t, 0, g.Y)
	for _, x := range g.X {
		assert.True(t, x == 0 || x == 1)
	}
}

func TestLoadTUNodeAttributes(t *testing.T) {
	root := filepath.Join(graphDataDir(t), "tu")
	// ENZYMES: 18 attributes + 3 one-hot labels = 21 columns, as PyG's
	// TUDataset(use_node_attr=True) docs show (x=[1082, 21]).
	s, err := LoadTU(filepath.Join(root, "ENZYMES"), TUConfig{UseNodeAttr: true})
	require.NoError(t, err)
	require.Equal(t, 21, s.F)
	require.Equal(t, 18, s.NumNodeAttributes)
	// First line of ENZYMES_node_attributes.txt, parsed as float64 and
	// rounded to float32 (float() then torch.tensor in read_txt_array).
	first := []float64{11.000000, 15.887014, 37.780000, -0.510000, 1.701000, 93.900000, 4, 5, 2, 4, 4, 3, 3, 4, 4, 3, 6, 2}
	for i, v := range first {
		assert.Equal(t, float32(v), s.Graphs[0].X[i], "column %d", i)
	}
	assert.Equal(t, []float32{1, 0, 0}, s.Graphs[0].X[18:21]) // node label 1 → one-hot 0

	s, err = LoadTU(filepath.Join(root, "PROTEINS"), TUConfig{UseNodeAttr: true})
	require.NoError(t, err)
	require.Equal(t, 4, s.F)
	assert.Equal(t, float32(23), s.Graphs[0].X[0])
}

func TestLoadTUFeaturelessRules(t *testing.T) {
	dir := filepath.Join(graphDataDir(t), "tu", "IMDB-BINARY")
	for _, tc := range []struct {
		rule FeatureRule
		f    int
		name string
	}{
		{FeatureConstantZero, 1, "constant(0)"},
		{FeatureDegreeAuto, 136, "one-hot-degree(max=135)"},
		{FeatureOneHotDegree, 136, "one-hot-degree(max=135)"},
		{FeatureNone, 0, "none"},
	} {
		s, err := LoadTU(dir, TUConfig{Featureless: tc.rule})
		require.NoError(t, err)
		assert.Equal(t, tc.f, s.F, tc.rule.String())
		assert.Equal(t, tc.name, s.FeatureRule)
		require.NoError(t, s.Validate())
		g := s.Graphs[0]
		switch tc.rule {
		case FeatureConstantZero:
			assert.Equal(t, make([]float32, g.NumNodes()), g.X)
		case FeatureDegreeAuto, FeatureOneHotDegree:
			for v := 0; v < g.NumNodes(); v++ {
				row := g.Features(v)
				assert.Equal(t, float32(1), row[g.Degree(v)])
			}
		}
	}

	// Normalised degree: mean and unbiased std of the 19773 node degrees,
	// numpy: deg = bincount(row, minlength=N); deg.mean(), deg.std(ddof=1)
	// → 9.763920497648309, 7.425290386894631 (script above plus these two lines).
	s, err := LoadTU(dir, TUConfig{Featureless: FeatureNormalizedDegree})
	require.NoError(t, err)
	maxDeg, mean, std := DegreeStats(s)
	assert.Equal(t, 135, maxDeg)
	assert.InDelta(t, 9.763920497648309, mean, 1e-12)
	assert.InDelta(t, 7.425290386894631, std, 1e-12)
	g := s.Graphs[0]
	want := (float32(g.Degree(0)) - float32(mean)) / float32(std)
	assert.Equal(t, want, g.X[0])
	assert.Equal(t, 1, s.F)
}

func TestLoadTUZipMatchesFolder(t *testing.T) {
	dir := filepath.Join(graphDataDir(t), "tu", "MUTAG")
	zipPath := filepath.Join(t.TempDir(), "MUTAG.zip")
	zipDir(t, dir, "MUTAG", zipPath)
	a, err := LoadTU(dir, TUConfig{})
	require.NoError(t, err)
	b, err := LoadTU(zipPath, TUConfig{})
	require.NoError(t, err)
	require.Equal(t, len(a.Graphs), len(b.Graphs))
	for i := range a.Graphs {
		require.Equal(t, a.Graphs[i], b.Graphs[i], "graph %d", i)
	}
	assert.Equal(t, zipPath, b.Source)

	// Errors inside a zip name the archive and the entry.
	_, err = LoadTU(zipPath, TUConfig{Name: "NOPE"})
	require.True(t, errors.Is(err, ErrNotFound))
	assert.Contains(t, err.Error(), "NOPE_A.txt")
	assert.Contains(t, err.Error(), TUURL+"/NOPE.zip")
}

func TestLoadTUTinyFixture(t *testing.T) {
	s, err := LoadTU(filepath.Join("..", "testdata", "graphs", "tiny"), TUConfig{UseNodeAttr: true, UseEdgeAttr: true})
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	assert.Equal(t, "TINY", s.Name)
	assert.Equal(t, []int{-2, 5}, s.ClassValues)
	assert.Equal(t, 6, s.F) // 1 attribute + one-hot(3) + one-hot(2)
	assert.Equal(t, 4, s.EF)
	assert.Equal(t, 1, s.NumNodeAttributes)
	assert.Equal(t, 5, s.NumNodeLabels)
	assert.Equal(t, 1, s.NumEdgeAttributes)
	assert.Equal(t, 3, s.NumEdgeLabels)
	assert.Contains(t, s.Notes, "removed 1 self-loop entries")
	assert.Contains(t, s.Notes, "merged 1 duplicate edge entries (attributes summed, as PyG coalesce)")
	assert.Contains(t, s.Notes, "added 1 missing reverse edge entries to make the adjacency symmetric (PyG would keep them one-way)")

	g := s.Graphs[0]
	assert.Equal(t, 1, g.Y)
	assert.Equal(t, []int{0, 1, 3, 5, 6}, g.RowPtr)
	assert.Equal(t, []int{1, 0, 2, 1, 3, 2}, g.Col)
	assert.Equal(t, []float32{
		0.5, 2, 0, 0, // 0→1: lines 1 and 6 summed
		0.25, 1, 0, 0, // 1→0
		1, 0, 1, 0, // 1→2
		2, 0, 1, 0, // 2→1
		0.125, 0, 0, 1, // 2→3
		0.125, 0, 0, 1, // 3→2: added reverse of line 7
	}, g.EdgeAttr)
	assert.Equal(t, []int{0, 0, 1, 1, 2, 2}, g.EdgeLabel)
	assert.Equal(t, []float32{0.5, 1, 0, 0, 1, 0}, g.Features(0))
	assert.Equal(t, []float32{-2, 0, 0, 1, 0, 1}, g.Features(2))
	assert.Equal(t, []int{0, 0, 1, 0, 2, 1, 0, 1}, g.NodeLabel)
	assert.Equal(t, 3, g.NumEdges())

	g = s.Graphs[1]
	assert.Equal(t, 0, g.Y)
	assert.Equal(t, []int{0, 1, 3, 4}, g.RowPtr)
	assert.Equal(t, []int{1, 0, 2, 1}, g.Col)
	assert.Equal(t, []int{1, 1, 0, 0}, g.EdgeLabel)
	assert.Equal(t, []float32{0.5, 0, 1, 0, 1, 0, 1, 0, -1, 1, 0, 0, -1, 1, 0, 0}, g.EdgeAttr)

	// Default config: PyG's use_node_attr=False, use_edge_attr=False keep
	// only the one-hot label columns.
	s, err = LoadTU(filepath.Join("..", "testdata", "graphs", "tiny"), TUConfig{})
	require.NoError(t, err)
	assert.Equal(t, 5, s.F)
	assert.Equal(t, 3, s.EF)
	assert.Equal(t, []float32{2, 0, 0, 1, 0, 0}, s.Graphs[0].EdgeAttr[:6])
}

func TestLoadTUGraphAttributesRegression(t *testing.T) {
	files := memFiles{
		"R_A.txt":                "1, 2\n2, 1\n",
		"R_graph_indicator.txt":  "1\n1\n2\n",
		"R_graph_attributes.txt": "0.25\n-1.5\n",
	}
	s, err := loadTU(files, TUConfig{})
	require.NoError(t, err)
	assert.Equal(t, 0, s.NumClasses)
	assert.Equal(t, []float32{0.25}, s.Graphs[0].Target)
	assert.Equal(t, []float32{-1.5}, s.Graphs[1].Target)
	assert.Equal(t, -1, s.Graphs[0].Y)
	assert.Equal(t, 0, s.Graphs[1].NumEdges())
	require.NoError(t, s.Validate())
}

func TestLoadTUMalformed(t *testing.T) {
	base := func() memFiles {
		return memFiles{
			"B_A.txt":               "1, 2\n2, 1\n3, 4\n4, 3\n",
			"B_graph_indicator.txt": "1\n1\n2\n2\n",
			"B_graph_labels.txt":    "0\n1\n",
			"B_node_labels.txt":     "0\n1\n0\n1\n",
			"B_node_attributes.txt": "1.0\n2.0\n3.0\n4.0\n",
			"B_edge_labels.txt":     "0\n0\n1\n1\n",
		}
	}
	_, err := loadTU(base(), TUConfig{UseNodeAttr: true})
	require.NoError(t, err, "the base fixture is valid")
	bom := base()
	bom["B_A.txt"] = "\xef\xbb\xbf" + bom["B_A.txt"]
	_, err = loadTU(bom, TUConfig{})
	require.NoError(t, err, "a UTF-8 byte-order mark is accepted")

	cases := []struct {
		name  string
		file  string
		body  string // replacement content; "<delete>" removes the file
		cfg   TUConfig
		efile string
		line  int
		msg   string
	}{
		{"missing indicator", "B_graph_indicator.txt", "<delete>", TUConfig{}, "B_graph_indicator.txt", 0, "file not found"},
		{"missing A", "B_A.txt", "<delete>", TUConfig{}, ".", 0, "B_A.txt"},
		{"too many fields", "B_A.txt", "1, 2\n2, 1, 7\n3, 4\n4, 3\n", TUConfig{}, "B_A.txt", 2, "extra field"},
		{"too few fields", "B_A.txt", "1, 2\n2\n3, 4\n4, 3\n", TUConfig{}, "B_A.txt", 2, "target node: missing value"},
		{"node id out of range", "B_A.txt", "1, 2\n2, 1\n3, 5\n4, 3\n", TUConfig{}, "B_A.txt", 3, "out of range"},
		{"node id zero", "B_A.txt", "0, 2\n", TUConfig{}, "B_A.txt", 1, "source node: 0 out of range [1, 4]: the ids in this file are 1-based"},
		{"graph id zero", "B_graph_indicator.txt", "0\n0\n1\n1\n", TUConfig{}, "B_graph_indicator.txt", 1, "graph id: 0 out of range [1, 2147483647]: the ids in this file are 1-based"},
		{"edge across graphs", "B_A.txt", "1, 3\n", TUConfig{}, "B_A.txt", 1, "joins graph 1 and graph 2"},
		{"not an integer", "B_A.txt", "1, x\n", TUConfig{}, "B_A.txt", 1, `"x" is not an integer`},
		{"empty field", "B_A.txt", "1,,2\n", TUConfig{}, "B_A.txt", 1, "empty field"},
		{"blank line inside", "B_A.txt", "1, 2\n\n2, 1\n", TUConfig{}, "B_A.txt", 2, "empty line"},
		{"indicator not sorted", "B_graph_indicator.txt", "1\n2\n1\n2\n", TUConfig{}, "B_graph_indicator.txt", 3, "graph indicator not sorted: graph 1 on line 3 follows graph 2 on line 2 (1 place(s)"},
		{"indicator first and last swapped", "B_graph_indicator.txt", "2\n1\n2\n1\n", TUConfig{}, "B_graph_indicator.txt", 2, "not sorted: graph 1 on line 2 follows graph 2 on line 1 (2 place(s) where the id decreases)"},
		{"indicator unsorted after a gap", "B_graph_indicator.txt", "1\n3\n1\n2\n", TUConfig{}, "B_graph_indicator.txt", 3, "not sorted"},
		{"empty graph (gap)", "B_graph_indicator.txt", "1\n1\n3\n3\n", TUConfig{}, "B_graph_indicator.txt", 3, "graph 2 has no nodes: the ids jump from 1 on line 2 to 3 on line 3"},
		{"empty graph (first)", "B_graph_indicator.txt", "2\n2\n3\n3\n", TUConfig{}, "B_graph_indicator.txt", 1, "graph 1 has no nodes: the first id is 2"},
		{"empty indicator", "B_graph_indicator.txt", "", TUConfig{}, "B_graph_indicator.txt", 0, "file is empty"},
		{"labels shorter than graphs", "B_graph_labels.txt", "0\n", TUConfig{}, "B_graph_labels.txt", 1, "ends after 1 lines, want 2"},
		{"labels longer than graphs", "B_graph_labels.txt", "0\n1\n1\n", TUConfig{}, "B_graph_labels.txt", 3, "more lines than expected"},
		{"node labels short", "B_node_labels.txt", "0\n1\n0\n", TUConfig{}, "B_node_labels.txt", 3, "want 4 (one per node)"},
		{"node label columns differ", "B_node_labels.txt", "0\n1, 2\n0\n1\n", TUConfig{}, "B_node_labels.txt", 2, "extra field"},
		{"NaN attribute", "B_node_attributes.txt", "1\nnan\n3\n4\n", TUConfig{UseNodeAttr: true}, "B_node_attributes.txt", 2, "non-finite"},
		{"Inf attribute", "B_node_attributes.txt", "1\n2\n+Inf\n4\n", TUConfig{UseNodeAttr: true}, "B_node_attributes.txt", 3, "non-finite"},
		{"attribute overflows float32", "B_node_attributes.txt", "1\n2\n1e39\n4\n", TUConfig{UseNodeAttr: true}, "B_node_attributes.txt", 3, "float32"},
		{"empty A with edge labels", "B_A.txt", "", TUConfig{}, "B_A.txt", 0, "edge: file is empty, but B_edge_labels.txt is not: is B_A.txt truncated?"},
		{"edge labels long", "B_edge_labels.txt", "0\n0\n1\n1\n1\n", TUConfig{}, "B_edge_labels.txt", 5, "more lines than expected: want 4 (one per line of B_A.txt, which has 4)"},
		{"edge labels short", "B_edge_labels.txt", "0\n0\n1\n", TUConfig{}, "B_edge_labels.txt", 3, "one per line of B_A.txt"},
		{"huge label spread", "B_node_labels.txt", "0\n1\n0\n2000000000\n", TUConfig{}, "B_node_labels.txt", 0, "too many for a one-hot"},
		{"integer overflow", "B_graph_labels.txt", "0\n99999999999999999999\n", TUConfig{}, "B_graph_labels.txt", 2, "99999999999999999999 out of range ["},
		{"gzip-compressed file", "B_A.txt", "\x1f\x8b\x08\x00\x00\x00", TUConfig{}, "B_A.txt", 0, "this is a gzip-compressed file, not text: unpack it first (gunzip)"},
		{"UTF-16 file", "B_graph_indicator.txt", "\xff\xfe1\x00\n\x00", TUConfig{}, "B_graph_indicator.txt", 0, "UTF-16 encoded; save it as UTF-8"},
		{"binary file", "B_node_labels.txt", "\x00\x01\x02\n", TUConfig{}, "B_node_labels.txt", 0, "binary data (a NUL byte on line 1): not a text file"},
		{"float graph label", "B_graph_labels.txt", "0\n0.5\n", TUConfig{}, "B_graph_labels.txt", 2, `"0.5" is not an integer; graph labels are integer classes; continuous targets go in B_graph_attributes.txt`},
		{"node id beyond int", "B_A.txt", "1000000000000, 2\n", TUConfig{}, "B_A.txt", 1, "source node: 1000000000000 out of range [1, 4]"},
		{"graph id beyond int", "B_graph_indicator.txt", "1\n1\n2\n-99999999999\n", TUConfig{}, "B_graph_indicator.txt", 4, "-99999999999 out of range [1, 2147483647]"},
		{"attribute beyond float64", "B_node_attributes.txt", "1\n2\n1e400\n4\n", TUConfig{UseNodeAttr: true}, "B_node_attributes.txt", 3, "1e400 out of range: larger in magnitude than float32"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := base()
			if tc.body == "<delete>" {
				delete(files, tc.file)
			} else {
				files[tc.file] = tc.body
			}
			_, err := loadTU(files, tc.cfg)
			requireParseError(t, err, tc.efile, tc.line, tc.msg)
		})
	}
}

func TestLoadTUPathErrors(t *testing.T) {
	_, err := LoadTU(filepath.Join(t.TempDir(), "absent"), TUConfig{})
	requireParseError(t, err, "absent", 0, "file not found")
	require.True(t, errors.Is(err, ErrNotFound))

	_, err = LoadTU(t.TempDir(), TUConfig{Name: "MUTAG"})
	require.True(t, errors.Is(err, ErrNotFound))
	assert.Contains(t, err.Error(), "no MUTAG_A.txt: a TU dataset needs MUTAG_A.txt (the edges, \"i, j\" per line) and MUTAG_graph_indicator.txt")
	assert.Contains(t, err.Error(), "https://www.chrsmrrs.com/graphkerneldatasets/MUTAG.zip")
}

func TestDegreeTransformsDirect(t *testing.T) {
	// A path 0-1-2 plus isolated node 3.
	g := &Graph{RowPtr: []int{0, 1, 3, 4, 4}, Col: []int{1, 0, 2, 1}, X: []float32{7, 8, 9, 10}, F: 1, Y: -1}
	require.NoError(t, g.Validate())
	h := g.Clone()
	require.NoError(t, OneHotDegree{MaxDegree: 2, Cat: true}.TransformGraph(h))
	assert.Equal(t, 4, h.F)
	assert.Equal(t, []float32{7, 0, 1, 0, 8, 0, 0, 1, 9, 0, 1, 0, 10, 1, 0, 0}, h.X)
	assert.Equal(t, []float32{7, 8, 9, 10}, g.X, "the original is untouched")

	h = g.Clone()
	err := OneHotDegree{MaxDegree: 1}.TransformGraph(h)
	require.ErrorContains(t, err, "degree 2 > MaxDegree 1")

	h = g.Clone()
	require.NoError(t, NormalizedDegree{Mean: 1, Std: 0.5}.TransformGraph(h))
	assert.Equal(t, []float32{0, 2, 0, -2}, h.X)
	require.Error(t, NormalizedDegree{Mean: 1}.TransformGraph(h))

	h = g.Clone()
	require.NoError(t, GraphCompose{ConstantFeature{Value: 1, Cat: true}, ConstantFeature{Value: 2, Cat: true}}.TransformGraph(h))
	assert.Equal(t, 3, h.F)
	assert.Equal(t, []float32{7, 1, 2, 8, 1, 2, 9, 1, 2, 10, 1, 2}, h.X)
	assert.Equal(t, "compose(constant(1, cat), constant(2, cat))", GraphCompose{ConstantFeature{Value: 1, Cat: true}, ConstantFeature{Value: 2, Cat: true}}.String())

	r, err := ParseFeatureRule("degree-auto")
	require.NoError(t, err)
	assert.Equal(t, FeatureDegreeAuto, r)
	_, err = ParseFeatureRule("bogus")
	require.Error(t, err)
	assert.False(t, math.IsNaN(float64(h.X[0])))
}
