package datasets

import "fmt"

// GraphSet is a graph-level dataset: graphs with a common feature layout,
// either classification (NumClasses > 0, Graph.Y in 0..NumClasses-1) or
// regression (NumClasses == 0, Graph.Target set).
//
// The sizes follow PyTorch Geometric's TUDataset properties: the node
// feature width F = NumNodeAttributes (when used) + NumNodeLabels (one-hot
// width), and likewise for edges.
type GraphSet struct {
	Name   string   // dataset name, e.g. "MUTAG"
	Format string   // "tu", "gin", "zinc" or "synthetic"
	Source string   // path or zip the set was read from; empty for generated sets
	Graphs []*Graph // the graphs, in file order

	NumClasses  int   // number of classes; 0 for regression or unlabelled sets
	ClassValues []int // ClassValues[c] = label value in the file for class c (nil for regression)

	F  int // node feature width, equal to every Graph.F
	EF int // edge feature width, equal to every Graph.EF (0: no edge features)

	NumNodeAttributes int // continuous node attribute columns included in X
	NumNodeLabels     int // one-hot node label columns in X (PyG num_node_labels); vocabulary size for NodeLabel
	NumEdgeAttributes int // continuous edge attribute columns included in EdgeAttr
	NumEdgeLabels     int // one-hot edge label columns in EdgeAttr; vocabulary size for EdgeLabel

	// FeatureRule names the rule that produced X for a set without node
	// features in its files ("constant(0)", "one-hot-degree(max=135)",
	// "normalized-degree(mean=…,std=…)"); empty when X came from the files.
	FeatureRule string

	// Folds are predefined cross-validation folds shipped with the data
	// (the GIN format's 10fold_idx); nil when the format has none. Use
	// package datasets/split for stratified folds otherwise.
	Folds []Fold

	// Notes lists what the loader changed relative to the raw files
	// (self-loops removed, duplicate edges merged, reverse edges added,
	// label remapping), one sentence each.
	Notes []string
}

// Fold is one predefined train/test split, as graph indices into the set.
type Fold struct {
	Train, Test []int
}

// Len returns the number of graphs.
func (s *GraphSet) Len() int { return len(s.Graphs) }

// Labels returns the class of every graph (Graph.Y), e.g. for stratified
// splitting.
func (s *GraphSet) Labels() []int {
	y := make([]int, len(s.Graphs))
	for i, g := range s.Graphs {
		y[i] = g.Y
	}
	return y
}

// Subset returns a set holding the graphs at idx, in that order, sharing
// the graphs (not copies) and all metadata except Folds (fold indices
// refer to the full set). It panics if an index is out of range.
func (s *GraphSet) Subset(idx []int) *GraphSet {
	sub := *s
	sub.Graphs = make([]*Graph, len(idx))
	for i, j := range idx {
		if j < 0 || j >= len(s.Graphs) {
			panic(fmt.Sprintf("datasets: Subset index %d out of range [0,%d)", j, len(s.Graphs)))
		}
		sub.Graphs[i] = s.Graphs[j]
	}
	sub.Folds = nil
	sub.Notes = append([]string(nil), s.Notes...)
	return &sub
}

// GraphStats are the summary counts of a set.
type GraphStats struct {
	Graphs    int     `json:"graphs"`
	Nodes     int     `json:"nodes"`
	Edges     int     `json:"edges"` // undirected
	AvgNodes  float64 `json:"avg_nodes"`
	AvgEdges  float64 `json:"avg_edges"`
	MinNodes  int     `json:"min_nodes"`
	MaxNodes  int     `json:"max_nodes"`
	MaxDegree int     `json:"max_degree"`
}

// Stats counts graphs, nodes, undirected edges and the maximum degree.
func (s *GraphSet) Stats() GraphStats {
	st := GraphStats{Graphs: len(s.Graphs)}
	for i, g := range s.Graphs {
		n := g.NumNodes()
		st.Nodes += n
		st.Edges += g.NumEdges()
		if i == 0 || n < st.MinNodes {
			st.MinNodes = n
		}
		st.MaxNodes = max(st.MaxNodes, n)
		for v := 0; v < n; v++ {
			st.MaxDegree = max(st.MaxDegree, g.Degree(v))
		}
	}
	if st.Graphs > 0 {
		st.AvgNodes = float64(st.Nodes) / float64(st.Graphs)
		st.AvgEdges = float64(st.Edges) / float64(st.Graphs)
	}
	return st
}

// ClassCounts returns the number of graphs per class (len NumClasses).
func (s *GraphSet) ClassCounts() []int {
	c := make([]int, s.NumClasses)
	for _, g := range s.Graphs {
		if g.Y >= 0 && g.Y < len(c) {
			c[g.Y]++
		}
	}
	return c
}

// Validate checks every graph (Graph.Validate) and that all graphs share
// the set's F and EF and have a class in range. Errors name the graph
// index as the field.
func (s *GraphSet) Validate() error {
	if len(s.Graphs) == 0 {
		return &ParseError{File: s.Source, Err: fmt.Errorf("dataset %q has no graphs", s.Name)}
	}
	for i, g := range s.Graphs {
		field := fmt.Sprintf("graph %d", i)
		if err := g.Validate(); err != nil {
			return &ParseError{File: s.Source, Field: field, Err: err}
		}
		if g.F != s.F || g.EF != s.EF {
			return &ParseError{File: s.Source, Field: field, Err: fmt.Errorf("feature widths (%d,%d) differ from the set's (%d,%d)", g.F, g.EF, s.F, s.EF)}
		}
		if s.NumClasses > 0 && (g.Y < 0 || g.Y >= s.NumClasses) {
			return &ParseError{File: s.Source, Field: field, Err: fmt.Errorf("class %d out of range [0,%d)", g.Y, s.NumClasses)}
		}
	}
	return nil
}
