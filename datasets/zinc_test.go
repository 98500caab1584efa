package datasets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Expected values computed with python3 (networkx 2.8, numpy 1.24) from
// the same pickles:
//
//	gs = pickle.load(open(path, 'rb'))
//	for gi, g in enumerate(gs):
//	    idx = {n: i for i, n in enumerate(g.nodes)}          # insertion order
//	    fp_atoms += node_label * k   (k = 1, 2, ... over all nodes in order)
//	    for u, v, d in g.edges(data=True):
//	        a, b = idx[u], idx[v]
//	        fp_edges += ((a+1)*(b+3) + (b+1)*(a+3)) * (gi+1); fp_bonds += d['edge_label'] * (gi+1)
//	    t.append(np.float32(g.graph['label'][0]))
//	sum(t as float64), t[:3]
var zincRealSets = []struct {
	file                     string
	graphs, nodes, edges     int
	fpEdges, fpAtoms, fpBond int
	targetSum                float64
	first                    [3]float32
}{
	{"ZINC_Val.pkl", 1000, 23083, 24846, 5439514646, 216066641, 15621515, 31.454658214992378, [3]float32{0.6299157738685608, 2.465756416320801, 1.3505492210388184}},
	{"ZINC_Test.pkl", 1000, 23117, 24860, 5568686424, 212821371, 15764523, 12.414389703422785, [3]float32{1.9973257780075073, 0.6860389113426208, 0.7741638422012329}},
}

func TestLoadZINCReal(t *testing.T) {
	dir := filepath.Join(graphDataDir(t), "zinc12k_partial")
	for _, want := range zincRealSets {
		t.Run(want.file, func(t *testing.T) {
			s, err := LoadZINC(filepath.Join(dir, want.file), ZINCConfig{})
			require.NoError(t, err)
			require.NoError(t, s.Validate())
			st := s.Stats()
			assert.Equal(t, want.graphs, st.Graphs)
			assert.Equal(t, want.nodes, st.Nodes)
			assert.Equal(t, want.edges, st.Edges)
			assert.Equal(t, "zinc", s.Format)
			assert.Equal(t, 0, s.NumClasses)
			assert.Equal(t, ZINCAtomTypes, s.NumNodeLabels)
			assert.Equal(t, ZINCBondTypes, s.NumEdgeLabels)
			assert.Equal(t, 1, s.F)
			assert.Equal(t, 1, s.EF)
			assert.Empty(t, s.Notes)

			var fpEdges, fpAtoms, fpBonds, k int
			var sum float64
			for gi, g := range s.Graphs {
				for v := 0; v < g.NumNodes(); v++ {
					k++
					fpAtoms += g.NodeLabel[v] * k
					require.Equal(t, float32(g.NodeLabel[v]), g.X[v])
					for j := g.RowPtr[v]; j < g.RowPtr[v+1]; j++ {
						c := g.Col[j]
						fpEdges += (v + 1) * (c + 3) * (gi + 1)
						if v < c {
							fpBonds += g.EdgeLabel[j] * (gi + 1)
						}
						require.Equal(t, float32(g.EdgeLabel[j]), g.EdgeAttr[j])
						require.True(t, g.EdgeLabel[j] >= 1 && g.EdgeLabel[j] <= 3)
					}
				}
				require.Len(t, g.Target, 1)
				sum += float64(g.Target[0])
			}
			assert.Equal(t, want.fpEdges, fpEdges)
			assert.Equal(t, want.fpAtoms, fpAtoms)
			assert.Equal(t, want.fpBond, fpBonds)
			assert.InDelta(t, want.targetSum, sum, 1e-9)
			for i, v := range want.first {
				assert.Equal(t, v, s.Graphs[i].Target[0])
			}

		})
	}
}

// The fixtures were written by python3 with networkx 2.8 / numpy 1.24 (see
// testdata/graphs/zinc/README.md): the same three graphs pickled with
// protocols 4, 2 and 0 (the protocol-0 file with numpy 2's module name
// numpy._core.multiarray and _codecs.encode byte strings).
func TestLoadZINCFixtures(t *testing.T) {
	for _, f := range []string{"tiny_p4.pkl", "tiny_p2.pkl", "tiny_p0_numpy2.pkl"} {
		t.Run(f, func(t *testing.T) {
			s, err := LoadZINC(filepath.Join("..", "testdata", "graphs", "zinc", f), ZINCConfig{})
			require.NoError(t, err)
			require.NoError(t, s.Validate())
			require.Len(t, s.Graphs, 3)
			a, b, c := s.Graphs[0], s.Graphs[1], s.Graphs[2]
			assert.Equal(t, []int{6, 0, 0, 27}, a.NodeLabel)
			assert.Equal(t, []int{0, 2, 4, 7, 8}, a.RowPtr)
			assert.Equal(t, []int{1, 2, 0, 2, 0, 1, 3, 2}, a.Col)
			assert.Equal(t, []int{1, 1, 1, 2, 1, 2, 3, 3}, a.EdgeLabel)
			assert.Equal(t, []float32{0.5}, a.Target)
			assert.Equal(t, []int{1, 2}, b.NodeLabel) // ids 10, 11 → 0, 1
			assert.Equal(t, []int{1, 0}, b.Col)       // self-loop 11–11 removed
			assert.Equal(t, []int{2, 2}, b.EdgeLabel)
			assert.Equal(t, []float32{-1.25}, b.Target)
			assert.Equal(t, 1, c.NumNodes())
			assert.Equal(t, 0, c.NumEdges())
			assert.Equal(t, []float32{2}, c.Target)
			assert.Contains(t, s.Notes, "removed 1 self-loop entries")

			oh, err := LoadZINC(filepath.Join("..", "testdata", "graphs", "zinc", f), ZINCConfig{OneHot: true})
			require.NoError(t, err)
			require.NoError(t, oh.Validate())
			assert.Equal(t, ZINCAtomTypes, oh.F)
			assert.Equal(t, ZINCBondTypes, oh.EF)
			for _, g := range oh.Graphs {
				assert.Equal(t, g.NodeLabel, argmaxRows(g.X, ZINCAtomTypes))
				if g.NumEdges() > 0 {
					assert.Equal(t, g.EdgeLabel, argmaxRows(g.EdgeAttr, ZINCBondTypes))
				}
			}
		})
	}
}

func TestLoadZINCMalformed(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("..", "testdata", "graphs", "zinc", "tiny_p4.pkl"))
	require.NoError(t, err)
	_, err = LoadZINC(filepath.Join(t.TempDir(), "absent.pkl"), ZINCConfig{})
	requireParseError(t, err, "absent.pkl", 0, "file not found")

	cases := []struct {
		name string
		data []byte
		cfg  ZINCConfig
		msg  string
	}{
		{"empty", nil, ZINCConfig{}, "no STOP"},
		{"truncated", good[:len(good)/2], ZINCConfig{}, "truncated"},
		{"bad opcode", append([]byte{0x80, 4, 0xff}, good[2:]...), ZINCConfig{}, "invalid pickle opcode 0xff"},
		{"huge frame", []byte{0x80, 4, 0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, '.'}, ZINCConfig{}, "frame"},
		{"huge bytes", []byte{0x80, 4, 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '.'}, ZINCConfig{}, "BINBYTES8"},
		{"not a list", []byte{0x80, 4, 'K', 7, '.'}, ZINCConfig{}, "holds int"},
		{"a dict", []byte{0x80, 4, '}', '.'}, ZINCConfig{}, "pickle holds dict, want a list of networkx graphs"},
		{"list of dicts", []byte{0x80, 4, ']', '(', '}', 'e', '.'}, ZINCConfig{}, "graph 0: item is dict, want a networkx Graph"},
		{"a zip (torch.save)", []byte("PK\x03\x04\x14\x00\x00\x00"), ZINCConfig{}, "this is a zip archive, not a pickle"},
		{"a TU text file", []byte("1, 2\n2, 1\n"), ZINCConfig{}, "this is a numeric text file, not a pickle (a TU or GIN-format data file? pass the dataset's folder)"},
		{"empty list", []byte{0x80, 4, ']', '.'}, ZINCConfig{}, "no graphs"},
		{"list of ints", []byte{0x80, 4, ']', '(', 'K', 1, 'e', '.'}, ZINCConfig{}, "graph 0: item is int"},
		{"foreign class", []byte("cos\nsystem\n(Vls\ntR."), ZINCConfig{}, "unsupported class os.system"},
		{"persistent id", []byte("Pfoo\n."), ZINCConfig{}, "PERSID"},
		{"missing node key", good, ZINCConfig{NodeKey: "atom"}, "graph 0: node 0: atom: missing"},
		{"missing edge key", good, ZINCConfig{EdgeKey: "bond"}, "edge 0-1: bond: missing"},
		{"missing target", good, ZINCConfig{TargetKey: "y"}, "graph 0: graph: y: missing"},
		{"decoder error", []byte("(lp0\n(lp1\n(dp2\ns."), ZINCConfig{}, "malformed pickle: SETITEM"},
		{"decoder panic recovered", []byte{0x80, 4, 0x8f, '(', 'C', 1, 'a', 0x90, '.'}, ZINCConfig{}, "decoder failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeZINC(tc.data, "x.pkl", "x", tc.cfg)
			requireParseError(t, err, "x.pkl", 0, tc.msg)
		})
	}
}
