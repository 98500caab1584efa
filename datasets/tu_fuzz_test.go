package datasets

import (
	"errors"
	"testing"
)

// FuzzTU feeds arbitrary file contents to the TU loader. Any input must
// give either a valid GraphSet or a *ParseError, never a panic. Seeds are in
// testdata/fuzz/FuzzTU.
func FuzzTU(f *testing.F) {
	f.Add([]byte("1, 2\n2, 1\n2, 3\n3, 3\n"), []byte("1\n1\n2\n"), []byte("-1\n1\n"), []byte("0\n1\n0\n"), []byte("0\n1\n1\n2\n"), []byte("0.5\n1\n2\n"), uint8(3))
	f.Fuzz(func(t *testing.T, a, indicator, graphLabels, nodeLabels, edgeLabels, nodeAttr []byte, flags uint8) {
		files := memFiles{"F_A.txt": string(a), "F_graph_indicator.txt": string(indicator)}
		if flags&1 != 0 {
			files["F_graph_labels.txt"] = string(graphLabels)
		} else {
			files["F_graph_attributes.txt"] = string(graphLabels)
		}
		if flags&2 != 0 {
			files["F_node_labels.txt"] = string(nodeLabels)
		}
		if flags&4 != 0 {
			files["F_edge_labels.txt"] = string(edgeLabels)
			files["F_edge_attributes.txt"] = string(nodeAttr)
		}
		files["F_node_attributes.txt"] = string(nodeAttr)
		cfg := TUConfig{UseNodeAttr: flags&8 != 0, UseEdgeAttr: flags&16 != 0, Featureless: FeatureRule(flags >> 5 % 5)}
		s, err := loadTU(files, cfg)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *ParseError: %v", err, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("loaded set is invalid: %v", err)
		}
	})
}
