package datasets

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Expected values were computed with a python3 emulation of GIN's
// util.load_data (degree_as_tag=False) using networkx 2.8 on the same zips:
//
//	label_dict, feat_dict, gl = {}, {}, []
//	f = io.TextIOWrapper(zipfile.ZipFile(path).open(f'{name}/{name}.txt'))
//	for i in range(int(f.readline())):
//	    n, l = map(int, f.readline().split()); label_dict.setdefault(l, len(label_dict))
//	    g = nx.Graph(); tags = []
//	    for j in range(n):
//	        g.add_node(j); row = list(map(int, f.readline().split()))
//	        feat_dict.setdefault(row[0], len(feat_dict)); tags.append(feat_dict[row[0]])
//	        for k in range(2, len(row)): g.add_edge(j, row[k])
//	    gl.append((g, label_dict[l], tags))
//	nodes = sum(len(g)); edges = sum(g.number_of_edges()); max degree = max(g.degree())
//	fp_edges = sum(((u+1)*(v+3) + (v+1)*(u+3)) * (gi+1) for u, v in g.edges())
//	fp_tags  = sum(tag * k for k, tag in enumerate(all tags, 1)); fp_y = sum(y * (gi+1))
//	folds: len(train), len(test), test[0], sum(test) of np.loadtxt(10fold_idx/{train,test}_idx-K.txt)
var ginRealSets = []struct {
	name                 string
	graphs, nodes, edges int
	classes              []int // ClassValues (first-seen order)
	tags, maxDeg         int
	fpEdges, fpTags, fpY int
	foldTrain, foldTest  int
	test0, testSum       [10]int
}{
	{"DD", 1178, 334925, 843046, []int{0, 1}, 82, 19, 50302433078576, 508897158285, 455345, 1061, 117,
		[10]int{1167, 1055, 987, 866, 502, 339, 530, 188, 689, 975},
		[10]int{65296, 73191, 66845, 66728, 68671, 63638, 71194, 69507, 69989, 74038}},
	{"REDDIT-BINARY", 2000, 859254, 995508, []int{2, 0}, 1, 3062, 920520955735186, 0, 1000500, 1800, 200,
		[10]int{1968, 330, 878, 190, 1561, 1583, 1814, 841, 1506, 1120},
		[10]int{197565, 192224, 193037, 211084, 193341, 208460, 191113, 200731, 207852, 203593}},
}

func TestLoadGINRealSets(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 1.2M nodes")
	}
	root := filepath.Join(graphDataDir(t), "gin_format")
	for _, want := range ginRealSets {
		t.Run(want.name, func(t *testing.T) {
			s, err := LoadGIN(filepath.Join(root, want.name+".zip"), GINConfig{})
			require.NoError(t, err)
			st := s.Stats()
			assert.Equal(t, want.name, s.Name)
			assert.Equal(t, "gin", s.Format)
			assert.Equal(t, want.graphs, st.Graphs)
			assert.Equal(t, want.nodes, st.Nodes)
			assert.Equal(t, want.edges, st.Edges)
			assert.Equal(t, want.maxDeg, st.MaxDegree)
			assert.Equal(t, want.classes, s.ClassValues)
			assert.Equal(t, want.tags, s.F)
			assert.Equal(t, want.tags, s.NumNodeLabels)
			assert.Empty(t, s.Notes, "clean files: nothing to merge or add")

			var fpEdges, fpTags, fpY, node int
			for gi, g := range s.Graphs {
				for v := 0; v < g.NumNodes(); v++ {
					for _, c := range g.Neighbors(v) {
						fpEdges += (v + 1) * (c + 3) * (gi + 1)
					}
				}
				for v, tag := range g.NodeLabel {
					node++
					fpTags += tag * node
					require.Equal(t, float32(1), g.X[v*g.F+tag])
				}
				fpY += g.Y * (gi + 1)
			}
			assert.Equal(t, want.fpEdges, fpEdges)
			assert.Equal(t, want.fpTags, fpTags)
			assert.Equal(t, want.fpY, fpY)

			require.Len(t, s.Folds, 10)
			for k, f := range s.Folds {
				assert.Len(t, f.Train, want.foldTrain)
				require.Len(t, f.Test, want.foldTest)
				assert.Equal(t, want.test0[k], f.Test[0], "fold %d", k+1)
				sum := 0
				for _, i := range f.Test {
					sum += i
				}
				assert.Equal(t, want.testSum[k], sum, "fold %d", k+1)
			}
		})
	}
}

// TestLoadGINDDMatchesTULabels checks TagsShiftMin against the TU node
// labels of DD (tu_partial has DD's node labels but no DD_A.txt): the GIN
// tag is the TU label − 1, so one-hot(tag − min) has PyG's 89 columns.
func TestLoadGINDDMatchesTULabels(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 335k nodes")
	}
	data := graphDataDir(t)
	s, err := LoadGIN(filepath.Join(data, "gin_format", "DD.zip"), GINConfig{Tags: TagsShiftMin})
	require.NoError(t, err)
	assert.Equal(t, 89, s.F)
	tu, err := readTable(mustDirFiles(t, filepath.Join(data, "tu_partial", "DD")), "DD_node_labels.txt", tableSpec{what: "node label", lo: -maxTextInt, hi: maxTextInt, rows: -1, cols: 1})
	require.NoError(t, err)
	ind, err := readGraphIndicator(mustDirFiles(t, filepath.Join(data, "tu_partial", "DD")), "DD_graph_indicator.txt")
	require.NoError(t, err)
	require.Equal(t, len(ind)-1, len(s.Graphs))
	v := 0
	for gi, g := range s.Graphs {
		require.Equal(t, ind[gi+1]-ind[gi], g.NumNodes(), "graph %d", gi)
		for _, tag := range g.NodeLabel {
			require.Equal(t, tu.ints[v]-1, tag, "node %d", v)
			v++
		}
	}
}

func mustDirFiles(t *testing.T, dir string) graphFiles {
	f, err := newDirFiles(dir)
	require.NoError(t, err)
	return f
}

func TestLoadGINFixture(t *testing.T) {
	dir := filepath.Join("..", "testdata", "graphs", "gin", "TOY")
	s, err := LoadGIN(dir, GINConfig{UseNodeAttr: true})
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	assert.Equal(t, "TOY", s.Name)
	assert.Equal(t, []int{7, 3}, s.ClassValues)
	assert.Equal(t, []int{0, 1, 0}, s.Labels())
	assert.Equal(t, 1, s.NumNodeAttributes)
	assert.Equal(t, 3, s.NumNodeLabels) // tags 5, 9, 6 in first-seen order
	assert.Equal(t, 4, s.F)
	g := s.Graphs[0]
	assert.Equal(t, []int{0, 2, 4, 6}, g.RowPtr)
	assert.Equal(t, []int{1, 2, 0, 2, 0, 1}, g.Col)
	assert.Equal(t, []int{0, 1, 0}, g.NodeLabel)
	assert.Equal(t, []float32{0.5, 1, 0, 0, -1, 0, 1, 0, 2, 1, 0, 0}, g.X)
	assert.Equal(t, []int{0, 1, 2}, s.Graphs[1].RowPtr) // one-way edge 0→1 symmetrised
	assert.Contains(t, s.Notes, "added 1 missing reverse edge entries to make the adjacency symmetric (PyG would keep them one-way)")
	require.Len(t, s.Folds, 2)
	assert.Equal(t, Fold{Train: []int{0, 1}, Test: []int{2}}, s.Folds[0])
	assert.Equal(t, Fold{Train: []int{2}, Test: []int{0, 1}}, s.Folds[1])

	// Same data from a zip; default config drops the attribute column.
	zipPath := filepath.Join(t.TempDir(), "TOY.zip")
	zipTree(t, dir, "TOY", zipPath)
	z, err := LoadGIN(zipPath, GINConfig{})
	require.NoError(t, err)
	assert.Equal(t, 3, z.F)
	assert.Equal(t, []float32{1, 0, 0, 0, 1, 0, 1, 0, 0}, z.Graphs[0].X)
	assert.Equal(t, s.Folds, z.Folds)

	// Degree as tag: degrees 2,2,2 | 1,1 | 0 → sorted distinct {0,1,2}.
	d, err := LoadGIN(dir, GINConfig{DegreeAsTag: true})
	require.NoError(t, err)
	assert.Equal(t, 3, d.F)
	assert.Equal(t, []int{2, 2, 2}, d.Graphs[0].NodeLabel)
	assert.Equal(t, []int{0}, d.Graphs[2].NodeLabel)
}

func TestLoadGINMalformed(t *testing.T) {
	good := "2\n2 1\n0 1 1\n0 1 0\n1 0\n3 0\n"
	_, err := loadGIN(memFiles{"X/X.txt": good}, GINConfig{})
	require.NoError(t, err)
	cases := []struct {
		name, body string
		line       int
		msg        string
	}{
		{"empty file", "", 0, "file is empty"},
		{"bad count", "two\n", 1, "not an integer"},
		{"header fields", "1\n2\n", 2, "graph label: missing value"},
		{"header extra", "1\n1 0 5\n0 0\n", 2, "extra field"},
		{"empty graph", "1\n0 1\n", 2, "no nodes (empty graph)"},
		{"neighbour out of range", "1\n2 0\n0 1 2\n0 0\n", 3, "out of range [0, 1]; graph 0 has 2 nodes (0..1), header on line 2"},
		// A node count too large runs into the next graph's header: say so
		// there, not "missing neighbour".
		{"node count too large", "2\n3 1\n0 1 1\n0 1 0\n2 1\n0 1 1\n0 1 0\n", 5, "is graph 0's node count 3 on line 2 too large? 2 node line(s) came before this one"},
		{"node count too large, last graph", "1\n3 1\n0 1 1\n0 1 0\n", 4, "file ends inside graph 0 after 2 of its 3 nodes (node count on line 2)"},
		{"node count too large, label 0", "2\n3 0\n0 1 1\n0 1 0\n2 0\n0 1 1\n0 1 0\n", 6, "is graph 0's node count 3 on line 2 wrong? Too small if this is one of its nodes; too large if line 5 (\"2 0\"), read as one of its nodes, is the next graph's header"},
		// Too small: a node line is read as the next header.
		{"node count too small", "2\n1 1\n0 1 1\n0 1 0\n1 0\n0 0\n", 3, "neighbour: 1 out of range [0, 0]; graph 0 has 1 nodes"},
		{"node count too small, no edges", "2\n1 1\n0 0\n0 0 0.5\n1 0\n0 0\n", 4, "this line has 3 fields, like a node line (tag, neighbour count, neighbours): is graph 0's node count 1 on line 2 too small?"},
		{"last node count too small", "1\n1 1\n0 0\n0 0\n", 4, "data after the 1 graphs announced on line 1: is the graph count on line 1 or the last graph's node count 1 on line 2 too small?"},
		{"negative neighbour", "1\n2 0\n0 1 -1\n0 0\n", 3, "out of range"},
		{"too few neighbours", "1\n2 0\n0 2 1\n0 0\n", 3, "neighbour: missing value"},
		{"truncated graphs", "3\n1 0\n0 0\n", 3, "file ends after 1 of the 3 graphs"},
		{"truncated nodes", "1\n3 0\n0 0\n", 3, "after 1 of its 3 nodes"},
		{"trailing data", "1\n1 0\n0 0\n1 0\n", 4, "data after the 1 graphs"},
		{"NaN attribute", "1\n2 0\n0 1 1 0.5\n0 1 0 NaN\n", 4, "non-finite"},
		{"attribute count differs", "1\n2 0\n0 1 1 0.5\n0 1 0\n", 4, "0 attribute(s)"},
		{"garbage attribute", "1\n1 0\n0 0 abc\n", 3, "not a number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadGIN(memFiles{"X/X.txt": tc.body}, GINConfig{})
			requireParseError(t, err, "X/X.txt", tc.line, tc.msg)
		})
	}
	_, err = loadGIN(memFiles{"X/X.txt": good, "X/10fold_idx/train_idx-1.txt": "0\n"}, GINConfig{})
	requireParseError(t, err, "test_idx-1.txt", 0, "fold 1 has only one")
	_, err = loadGIN(memFiles{"X/X.txt": good, "X/10fold_idx/train_idx-1.txt": "0\n", "X/10fold_idx/test_idx-1.txt": "2\n"}, GINConfig{})
	requireParseError(t, err, "test_idx-1.txt", 1, "graph index: 2 out of range [0, 1]: the ids in this file are 0-based")
	_, err = loadGIN(memFiles{"README.md": "x"}, GINConfig{})
	require.True(t, errors.Is(err, ErrNotFound))
	assert.Contains(t, err.Error(), "NAME/NAME.txt")
}
