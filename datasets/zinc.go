package datasets

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/nlpodyssey/gopickle/types"
)

// ZINC vocabulary sizes of the 12k-molecule subset used by Graph-JEPA
// (Dwivedi et al., "Benchmarking Graph Neural Networks"): 28 atom types
// (node labels 0..27) and bond types 1..3 (edge labels; 0 is unused), the
// sizes of Graph-JEPA's Embedding(28,d) and Embedding(4,d).
const (
	ZINCAtomTypes = 28
	ZINCBondTypes = 4
)

// ZINCConfig configures LoadZINC. The zero value reads ZINC's attribute
// names and gives PyG ZINC's layout (integer ids as single columns).
type ZINCConfig struct {
	// NodeKey, EdgeKey and TargetKey name the node, edge and graph
	// attributes; empty means "node_label", "edge_label" and "label".
	NodeKey, EdgeKey, TargetKey string
	// OneHot sets X to one-hot atom types (NumNodeLabels columns) and
	// EdgeAttr to one-hot bond types (NumEdgeLabels columns). Without it X
	// is the atom id as one float32 column and EdgeAttr the bond id, PyG
	// ZINC's x and edge_attr (as floats).
	OneHot bool
}

// LoadZINC reads a pickled list of networkx.Graph objects, the format of
// the ZINC-12k split files distributed for graph-learning courses and
// benchmarks (ZINC_Train/Val/Test .pkl): node attribute NodeKey (atom type,
// a Python or numpy integer), edge attribute EdgeKey (bond type), graph
// attribute TargetKey (the constrained-solubility regression target, a
// number or a numpy array of one float32).
//
// Graph.NodeLabel holds the atom types and Graph.EdgeLabel the bond types,
// unshifted (Graph-JEPA embeds them directly); Graph.Target the target(s);
// NumNodeLabels and NumEdgeLabels are max(ZINCAtomTypes, largest id+1) and
// max(ZINCBondTypes, largest id+1). Nodes keep networkx's insertion order
// (what PyG's from_networkx uses); edges are symmetrised and coalesced,
// self-loops removed.
//
// Supported pickle content: protocols 0–5; dict, list, tuple, int, float,
// str, bytes; networkx.classes.graph.Graph; numpy scalars, numeric arrays
// and dtypes (numpy.core.multiarray.scalar / _reconstruct, also under
// numpy._core). Other classes are refused with an error, never executed.
// ZINC in the TU text format (ZINC_full, ZINC_val, ... in the TU
// collection: node labels, edge labels, graph attributes) is read by
// LoadTU instead. PyG's own ZINC files (molecules.zip with torch tensors
// inside the pickles) are not supported.
func LoadZINC(p string, cfg ZINCConfig) (*GraphSet, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, &ParseError{File: p, Err: fmt.Errorf("%w: %v", ErrNotFound, err)}
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, &ParseError{File: p, Err: err}
	}
	name := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	s, err := decodeZINC(data, p, name, cfg)
	if err != nil {
		return nil, err
	}
	s.Source = p
	return s, nil
}

// decodeZINC converts the bytes of a pickled list of networkx graphs.
func decodeZINC(data []byte, file, name string, cfg ZINCConfig) (*GraphSet, error) {
	nodeKey, edgeKey, targetKey := cfg.NodeKey, cfg.EdgeKey, cfg.TargetKey
	if nodeKey == "" {
		nodeKey = "node_label"
	}
	if edgeKey == "" {
		edgeKey = "edge_label"
	}
	if targetKey == "" {
		targetKey = "label"
	}
	v, err := decodePickle(data)
	if err != nil {
		if why := notAPickle(data); why != "" {
			return nil, &ParseError{File: file, Err: fmt.Errorf("%s (decoding failed with: %v)", why, err)}
		}
		return nil, &ParseError{File: file, Err: err}
	}
	var items []any
	switch x := v.(type) {
	case *types.List:
		items = *x
	case *types.Tuple:
		items = *x
	case *nxGraph:
		items = []any{x}
	default:
		return nil, &ParseError{File: file, Err: fmt.Errorf("pickle holds %s, want a list of networkx graphs", pyType(v))}
	}
	if len(items) == 0 {
		return nil, &ParseError{File: file, Err: fmt.Errorf("pickle holds no graphs")}
	}

	nodePtr := []int{0}
	var atoms []int
	var targets []float32
	targetW := -1
	el := &edgeList{labelW: 1}
	for gi, it := range items {
		bad := func(field, format string, args ...any) error {
			f := fmt.Sprintf("graph %d", gi)
			if field != "" {
				f += ": " + field
			}
			return &ParseError{File: file, Field: f, Err: fmt.Errorf(format, args...)}
		}
		g, ok := it.(*nxGraph)
		if !ok || g.state == nil {
			return nil, bad("", "item is %s, want a networkx Graph", pyType(it))
		}
		nodes, err := pyDictField(g.state, "_node")
		if err != nil {
			return nil, bad("_node", "%v", err)
		}
		adj, err := pyDictField(g.state, "_adj")
		if err != nil {
			return nil, bad("_adj", "%v", err)
		}
		gattr, err := pyDictField(g.state, "graph")
		if err != nil {
			return nil, bad("graph", "%v", err)
		}

		base := nodePtr[len(nodePtr)-1]
		local := make(map[int]int, nodes.Len())
		for _, e := range *nodes {
			id, err := pickleInt(e.Key) // numpy integers hash like ints in Python
			if err != nil {
				return nil, bad("_node", "node id %v (%s) is not an integer", e.Key, pyType(e.Key))
			}
			attrs, ok := e.Value.(*types.Dict)
			if !ok {
				return nil, bad(fmt.Sprintf("node %d", id), "attributes are %s, want a dict", pyType(e.Value))
			}
			raw, ok := pyDictGet(attrs, nodeKey)
			if !ok {
				return nil, bad(fmt.Sprintf("node %d: %s", id, nodeKey), "missing")
			}
			a, err := pickleInt(raw)
			if err != nil || a < 0 {
				return nil, bad(fmt.Sprintf("node %d: %s", id, nodeKey), "want a non-negative integer (%v)", orValue(err, a))
			}
			if j, dup := local[id]; dup { // later assignment wins, as in a Python dict
				atoms[base+j] = a
				continue
			}
			local[id] = len(local)
			atoms = append(atoms, a)
		}
		n := len(local)
		if n == 0 {
			return nil, bad("_node", "graph has no nodes (empty graph)")
		}
		if base+n > maxTextInt {
			return nil, bad("_node", "more than %d nodes in total", maxTextInt)
		}
		for _, e := range *adj {
			uid, err := pickleInt(e.Key)
			u, known := local[uid]
			if err != nil || !known {
				return nil, bad("_adj", "adjacency of unknown node %v", e.Key)
			}
			nbrs, ok := e.Value.(*types.Dict)
			if !ok {
				return nil, bad(fmt.Sprintf("_adj[%d]", uid), "is %s, want a dict", pyType(e.Value))
			}
			for _, ne := range *nbrs {
				vid, err := pickleInt(ne.Key)
				w, known := local[vid]
				if err != nil || !known {
					return nil, bad(fmt.Sprintf("_adj[%d]", uid), "edge to unknown node %v", ne.Key)
				}
				attrs, ok := ne.Value.(*types.Dict)
				if !ok {
					return nil, bad(fmt.Sprintf("edge %d-%d", uid, vid), "attributes are %s, want a dict", pyType(ne.Value))
				}
				raw, ok := pyDictGet(attrs, edgeKey)
				if !ok {
					return nil, bad(fmt.Sprintf("edge %d-%d: %s", uid, vid, edgeKey), "missing")
				}
				b, err := pickleInt(raw)
				if err != nil || b < 0 {
					return nil, bad(fmt.Sprintf("edge %d-%d: %s", uid, vid, edgeKey), "want a non-negative integer (%v)", orValue(err, b))
				}
				el.src = append(el.src, base+u)
				el.dst = append(el.dst, base+w)
				el.label = append(el.label, b)
			}
		}
		raw, ok := pyDictGet(gattr, targetKey)
		if !ok {
			return nil, bad("graph: "+targetKey, "missing regression target")
		}
		t, err := pickleFloats(raw)
		if err != nil || len(t) == 0 {
			return nil, bad("graph: "+targetKey, "want a number or a numeric array (%v)", err)
		}
		if targetW < 0 {
			targetW = len(t)
		} else if len(t) != targetW {
			return nil, bad("graph: "+targetKey, "%d target values, earlier graphs have %d", len(t), targetW)
		}
		for _, x := range t {
			f := float32(x)
			if math.IsNaN(x) || math.IsInf(float64(f), 0) {
				return nil, bad("graph: "+targetKey, "non-finite target %v", x)
			}
			targets = append(targets, f)
		}
		nodePtr = append(nodePtr, base+n)
	}

	numNodes := nodePtr[len(nodePtr)-1]
	c, err := buildCSR(numNodes, el)
	if err != nil {
		return nil, &ParseError{File: file, Err: err}
	}
	s := &GraphSet{Name: name, Format: "zinc"}
	s.Notes = append(s.Notes, c.notes()...)
	s.NumNodeLabels, s.NumEdgeLabels = ZINCAtomTypes, ZINCBondTypes
	for _, a := range atoms {
		s.NumNodeLabels = max(s.NumNodeLabels, a+1)
	}
	for _, b := range c.label {
		s.NumEdgeLabels = max(s.NumEdgeLabels, b+1)
	}
	if s.NumNodeLabels > maxOneHotWidth || s.NumEdgeLabels > maxOneHotWidth {
		return nil, &ParseError{File: file, Field: nodeKey, Err: fmt.Errorf("label values up to %d/%d are too large for a vocabulary", s.NumNodeLabels-1, s.NumEdgeLabels-1)}
	}
	f, ef := 1, 1
	if cfg.OneHot {
		f, ef = s.NumNodeLabels, s.NumEdgeLabels
	}
	if numNodes*f > maxOneHotCells || len(c.col)*ef > maxOneHotCells {
		return nil, &ParseError{File: file, Err: fmt.Errorf("one-hot features would need too much memory")}
	}
	x := make([]float32, numNodes*f)
	for v, a := range atoms {
		if cfg.OneHot {
			x[v*f+a] = 1
		} else {
			x[v] = float32(a)
		}
	}
	c.attr = make([]float32, len(c.col)*ef)
	for k, b := range c.label {
		if cfg.OneHot {
			c.attr[k*ef+b] = 1
		} else {
			c.attr[k] = float32(b)
		}
	}
	s.F, s.EF = f, ef
	s.Graphs = splitGraphs(c, nodePtr, x, f, ef, atoms, 1, 1)
	for i, g := range s.Graphs {
		g.Target = targets[i*targetW : (i+1)*targetW : (i+1)*targetW]
	}
	return s, nil
}

// pyDictField returns the dict stored under key in a networkx state.
func pyDictField(state *types.Dict, key string) (*types.Dict, error) {
	v, ok := pyDictGet(state, key)
	if !ok {
		return nil, fmt.Errorf("missing from the networkx Graph state")
	}
	d, ok := v.(*types.Dict)
	if !ok {
		return nil, fmt.Errorf("is %s, want a dict", pyType(v))
	}
	return d, nil
}

// orValue describes a conversion failure: the error, or the bad value.
func orValue(err error, v int) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("got %d", v)
}
