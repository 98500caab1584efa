package datasets

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// TUConfig configures LoadTU. The zero value gives PyTorch Geometric's
// TUDataset defaults (use_node_attr=False, use_edge_attr=False) and, for
// sets without node features, Graph-JEPA's constant zero feature.
type TUConfig struct {
	// Name is the file prefix (e.g. "MUTAG" for MUTAG_A.txt). Empty means
	// detect it: the only *_A.txt in the folder or zip, or the one whose
	// prefix matches the folder name.
	Name string
	// UseNodeAttr prepends the continuous node attributes
	// (NAME_node_attributes.txt) to X, as PyG's use_node_attr=True.
	UseNodeAttr bool
	// UseEdgeAttr prepends the continuous edge attributes
	// (NAME_edge_attributes.txt) to EdgeAttr, as PyG's use_edge_attr=True.
	// One-hot edge labels are always included, as in PyG.
	UseEdgeAttr bool
	// Featureless chooses X for a set with no node features in its files
	// (no node labels, and no node attributes or UseNodeAttr false).
	Featureless FeatureRule
}

// TU file kinds, in the order LoadTU reads them.
const (
	tuA               = "A"
	tuGraphIndicator  = "graph_indicator"
	tuGraphLabels     = "graph_labels"
	tuGraphAttributes = "graph_attributes"
	tuNodeLabels      = "node_labels"
	tuNodeAttributes  = "node_attributes"
	tuEdgeLabels      = "edge_labels"
	tuEdgeAttributes  = "edge_attributes"
)

// TUURL is the base URL of the TU graph-kernel collection, the one PyG's
// TUDataset downloads from: {TUURL}/{name}.zip.
const TUURL = "https://www.chrsmrrs.com/graphkerneldatasets"

// Bounds on one-hot encodings, so that a label file with absurd values
// fails with an error instead of exhausting memory: at most
// maxOneHotWidth columns per label column (the TU benchmark sets need
// fewer than 100) and maxOneHotCells values in all.
const (
	maxOneHotWidth = 1 << 16
	maxOneHotCells = 1 << 28
)

// LoadTU reads a dataset in the TU text format (Morris et al., "TUDataset:
// A collection of benchmark datasets for learning with graphs", 2020) from
// a folder or a .zip, with the semantics of PyG's TUDataset/read_tu_data:
//
//   - NAME_A.txt ("i, j" per line, 1-based) and NAME_graph_indicator.txt
//     (1-based graph id per node, sorted) are required; nodes become 0-based
//     and local to their graph.
//   - Graph labels (NAME_graph_labels.txt) are remapped to 0..C-1 in sorted
//     order of their values (MUTAG's −1/1 → 0/1); GraphSet.ClassValues
//     keeps the original values. NAME_graph_attributes.txt, when present,
//     makes the set a regression set (Graph.Target), as in PyG.
//   - Node labels: each column is shifted by its minimum and one-hot
//     encoded (width max−min+1), columns concatenated; X = [node attributes
//     (UseNodeAttr) | one-hot labels]. The shifted integer labels are kept
//     in Graph.NodeLabel.
//   - Edge labels likewise, aligned with the lines of NAME_A.txt; EdgeAttr
//     = [edge attributes (UseEdgeAttr) | one-hot labels]; Graph.EdgeLabel
//     keeps the shifted integers.
//   - Self-loops are removed and duplicate edges merged with their
//     attributes summed (remove_self_loops + coalesce); missing reverse
//     edges are added so the adjacency is symmetric (see GraphSet.Notes).
//   - A set without node features gets X by cfg.Featureless, and
//     GraphSet.FeatureRule says which rule was applied.
//
// The folder may be the one holding the files, PyG's root/NAME/raw
// layout, or any folder up to a few levels above them. Every data problem
// (missing file, malformed line, wrong number of fields, id out of range,
// unsorted graph indicator, label file shorter than the graph count, NaN,
// empty graph) is a *ParseError naming the file and line.
func LoadTU(p string, cfg TUConfig) (*GraphSet, error) {
	return loadGraphFiles(p, func(files graphFiles) (*GraphSet, error) { return loadTU(files, cfg) })
}

// findTU locates the NAME_A.txt of a TU dataset among files and returns
// the folder holding it and the prefix NAME.
func findTU(files graphFiles, want string) (dir, name string, err error) {
	var cands []string
	for _, f := range files.list() {
		base := path.Base(f)
		if strings.HasSuffix(base, "_A.txt") && (want == "" || base == want+"_A.txt") {
			cands = append(cands, f)
		}
	}
	if len(cands) == 1 {
		return path.Dir(cands[0]), strings.TrimSuffix(path.Base(cands[0]), "_A.txt"), nil
	}
	if len(cands) > 1 {
		// Prefer the shallowest, then a unique name.
		sort.Slice(cands, func(i, j int) bool {
			di, dj := strings.Count(cands[i], "/"), strings.Count(cands[j], "/")
			if di != dj {
				return di < dj
			}
			return cands[i] < cands[j]
		})
		if strings.Count(cands[0], "/") < strings.Count(cands[1], "/") {
			return path.Dir(cands[0]), strings.TrimSuffix(path.Base(cands[0]), "_A.txt"), nil
		}
		amb := &AmbiguousError{Format: FormatTU}
		sort.Strings(cands)
		for _, c := range cands {
			amb.Names = append(amb.Names, strings.TrimSuffix(path.Base(c), "_A.txt"))
			amb.Files = append(amb.Files, c)
		}
		return "", "", amb
	}
	name = want
	if want != "" {
		// A wrong name: list the TU datasets there are.
		var have []string
		for _, f := range files.list() {
			if n, ok := strings.CutSuffix(path.Base(f), "_A.txt"); ok && n != "" {
				have = append(have, n)
			}
		}
		if len(have) > 0 {
			return "", "", fmt.Errorf("%w: no %s_A.txt; the TU datasets here are %s (or download %s/%s.zip)", ErrNotFound, want, strings.Join(have, ", "), TUURL, want)
		}
	}
	var found []string // other files of the dataset, to say what is there
	for _, f := range files.list() {
		if n, _, ok := tuFileKind(path.Base(f)); ok && (name == "" || n == name) {
			if name == "" {
				name = n
			}
			found = append(found, f)
		}
	}
	if name == "" {
		name = "NAME"
	}
	there := ""
	if len(found) > 0 {
		there = " (found " + listSome(found, 6)
		if miss := nearMiss(files, path.Join(path.Dir(found[0]), name+"_A.txt")); miss != "" {
			there += "; " + miss
		}
		there += ")"
	}
	return "", "", fmt.Errorf("%w: no %s_A.txt%s: a TU dataset needs %s_A.txt (the edges, \"i, j\" per line) and %s_graph_indicator.txt (optional: _graph_labels, _graph_attributes, _node_labels, _node_attributes, _edge_labels, _edge_attributes); download %s/%s.zip", ErrNotFound, name, there, name, name, TUURL, name)
}

// loadTU reads a TU dataset from files (see LoadTU).
func loadTU(files graphFiles, cfg TUConfig) (*GraphSet, error) {
	dir, name, err := findTU(files, cfg.Name)
	if err != nil {
		if len(tuFiles(files)) == 0 {
			if ginRel, ginErr := findGIN(files, ""); ginErr == nil {
				err = fmt.Errorf("%w; this is a GIN-format dataset (%s): load it with LoadGIN (format gin)", err, ginRel)
			}
		}
		return nil, &ParseError{File: files.display("."), Err: err}
	}
	rel := func(kind string) string { return path.Join(dir, name+"_"+kind+".txt") }
	has := func(kind string) bool { return files.exists(rel(kind)) }
	if !has(tuGraphIndicator) {
		err := &ParseError{File: files.display(rel(tuGraphIndicator)), Err: fmt.Errorf("%w: found %s_A.txt but not %s_graph_indicator.txt, which a TU dataset needs (the graph of every node)", ErrNotFound, name, name)}
		return nil, withHint(err, "%s", nearMiss(files, rel(tuGraphIndicator)))
	}
	s := &GraphSet{Name: name, Format: "tu"}

	// Graph indicator: node → graph, sorted, no empty graph.
	nodePtr, err := readGraphIndicator(files, rel(tuGraphIndicator))
	if err != nil {
		return nil, err
	}
	numGraphs := len(nodePtr) - 1
	numNodes := nodePtr[numGraphs]

	// Graph labels or attributes.
	var y []int
	var targets numTable
	switch {
	case has(tuGraphAttributes):
		targets, err = readTable(files, rel(tuGraphAttributes), tableSpec{what: "graph attribute", float: true, rows: numGraphs, rowsWhat: "one per graph"})
		if err != nil {
			return nil, err
		}
		if has(tuGraphLabels) {
			s.Notes = append(s.Notes, fmt.Sprintf("%s_graph_labels.txt is unused: %s_graph_attributes.txt makes this a regression set (as in PyG)", name, name))
		}
	case has(tuGraphLabels):
		lt, err := readTable(files, rel(tuGraphLabels), tableSpec{what: "graph label", lo: -maxTextInt, hi: maxTextInt, rows: numGraphs, cols: 1, rowsWhat: "one per graph"})
		if err != nil {
			if strings.Contains(err.Error(), "is not an integer") {
				err = withHint(err, "graph labels are integer classes; continuous targets go in %s_graph_attributes.txt", name)
			}
			return nil, err
		}
		y, s.ClassValues = remapSorted(lt.ints)
		s.NumClasses = len(s.ClassValues)
		if !slices.Equal(s.ClassValues, graphIota(len(s.ClassValues))) {
			s.Notes = append(s.Notes, fmt.Sprintf("graph labels %v remapped to 0..%d in sorted order", s.ClassValues, s.NumClasses-1))
		}
	default:
		s.Notes = append(s.Notes, fmt.Sprintf("no %s_graph_labels.txt or %s_graph_attributes.txt: the graphs are unlabelled (Y = -1); pretraining works, evaluation refuses the set (GraphSet.RequireLabels)", name, name))
	}

	// Node labels and attributes.
	var nodeLabels numTable
	var nodeLo, nodeW []int
	if has(tuNodeLabels) {
		nodeLabels, err = readTable(files, rel(tuNodeLabels), tableSpec{what: "node label", lo: -maxTextInt, hi: maxTextInt, rows: numNodes, rowsWhat: "one per node"})
		if err != nil {
			return nil, err
		}
		nodeLo, nodeW, err = oneHotWidths(&nodeLabels, files.display(rel(tuNodeLabels)), "node label")
		if err != nil {
			return nil, err
		}
	}
	var nodeAttr numTable
	if cfg.UseNodeAttr && has(tuNodeAttributes) {
		nodeAttr, err = readTable(files, rel(tuNodeAttributes), tableSpec{what: "node attribute", float: true, rows: numNodes, rowsWhat: "one per node"})
		if err != nil {
			return nil, err
		}
	}
	if !cfg.UseNodeAttr && has(tuNodeAttributes) {
		s.Notes = append(s.Notes, unusedFileNote(files, rel(tuNodeAttributes), "node", "UseNodeAttr", "--use-node-attr"))
	}
	s.NumNodeAttributes = nodeAttr.cols
	s.NumNodeLabels = graphSumInts(nodeW)
	f := s.NumNodeAttributes + s.NumNodeLabels
	if numNodes*f > maxOneHotCells {
		return nil, parseErrorf(files.display(rel(tuNodeLabels)), 0, "node label", "one-hot node features would need %d×%d values; the label values are too spread out", numNodes, f)
	}
	x := make([]float32, numNodes*f)
	for v := 0; v < numNodes; v++ {
		row := x[v*f : (v+1)*f]
		copy(row, nodeAttr.floats[v*nodeAttr.cols:(v+1)*nodeAttr.cols])
		at := nodeAttr.cols
		for c := 0; c < nodeLabels.cols; c++ {
			row[at+nodeLabels.ints[v*nodeLabels.cols+c]-nodeLo[c]] = 1
			at += nodeW[c]
		}
	}
	var nodeLabel []int
	if nodeLabels.cols > 0 {
		nodeLabel = nodeLabels.ints
		shiftColumns(nodeLabel, nodeLo)
	}

	// Edges, then their labels and attributes aligned with the A lines.
	el, err := readTUEdges(files, rel(tuA), nodePtr)
	if err != nil {
		return nil, err
	}
	numEntries := len(el.src)
	perALine := fmt.Sprintf("one per line of %s_A.txt, which has %d", name, numEntries)
	if numEntries == 0 {
		for _, k := range []string{tuEdgeLabels, tuEdgeAttributes} {
			if has(k) {
				return nil, parseErrorf(files.display(rel(tuA)), 0, "edge", "file is empty, but %s_%s.txt is not: is %s_A.txt truncated?", name, k, name)
			}
		}
		s.Notes = append(s.Notes, name+"_A.txt is empty: no graph has an edge")
	}
	var edgeLabels, edgeAttr numTable
	var edgeLo, edgeW []int
	if has(tuEdgeLabels) {
		edgeLabels, err = readTable(files, rel(tuEdgeLabels), tableSpec{what: "edge label", lo: -maxTextInt, hi: maxTextInt, rows: numEntries, rowsWhat: perALine})
		if err != nil {
			return nil, err
		}
		edgeLo, edgeW, err = oneHotWidths(&edgeLabels, files.display(rel(tuEdgeLabels)), "edge label")
		if err != nil {
			return nil, err
		}
	}
	if cfg.UseEdgeAttr && has(tuEdgeAttributes) {
		edgeAttr, err = readTable(files, rel(tuEdgeAttributes), tableSpec{what: "edge attribute", float: true, rows: numEntries, rowsWhat: perALine})
		if err != nil {
			return nil, err
		}
	}
	if !cfg.UseEdgeAttr && has(tuEdgeAttributes) {
		s.Notes = append(s.Notes, unusedFileNote(files, rel(tuEdgeAttributes), "edge", "UseEdgeAttr", "--use-edge-attr"))
	}
	s.NumEdgeAttributes = edgeAttr.cols
	s.NumEdgeLabels = graphSumInts(edgeW)
	ef := s.NumEdgeAttributes + s.NumEdgeLabels
	if numEntries*ef > maxOneHotCells {
		return nil, parseErrorf(files.display(rel(tuEdgeLabels)), 0, "edge label", "one-hot edge features would need %d×%d values; the label values are too spread out", numEntries, ef)
	}
	if ef > 0 {
		el.attrW = ef
		el.attr = make([]float32, numEntries*ef)
		for e := 0; e < numEntries; e++ {
			row := el.attr[e*ef : (e+1)*ef]
			copy(row, edgeAttr.floats[e*edgeAttr.cols:(e+1)*edgeAttr.cols])
			at := edgeAttr.cols
			for c := 0; c < edgeLabels.cols; c++ {
				row[at+edgeLabels.ints[e*edgeLabels.cols+c]-edgeLo[c]] = 1
				at += edgeW[c]
			}
		}
	}
	if edgeLabels.cols > 0 {
		el.label, el.labelW = edgeLabels.ints, edgeLabels.cols
		shiftColumns(el.label, edgeLo)
	}

	c, err := buildCSR(numNodes, el)
	if err != nil {
		return nil, &ParseError{File: files.display(rel(tuA)), Err: err}
	}
	s.Notes = append(s.Notes, c.notes()...)
	s.F, s.EF = f, ef
	s.Graphs = splitGraphs(c, nodePtr, x, f, ef, nodeLabel, nodeLabels.cols, el.labelW)
	for i, g := range s.Graphs {
		if y != nil {
			g.Y = y[i]
		}
		if targets.cols > 0 {
			g.Target = targets.floats[i*targets.cols : (i+1)*targets.cols : (i+1)*targets.cols]
		}
	}
	if f == 0 {
		if err := applyFeatureRule(s, cfg.Featureless); err != nil {
			return nil, err
		}
		if has(tuNodeAttributes) {
			s.Notes = append(s.Notes, "no node labels and the node attributes unused: X = "+s.FeatureRule)
		} else {
			s.Notes = append(s.Notes, "no node features in the files: X = "+s.FeatureRule)
		}
	}
	return s, nil
}

// nearMiss looks for a file that is almost rel — the same name in another
// letter case, or compressed (.gz, .bz2, .xz, .zip, .7z) — and says how to
// fix it; "" when there is none.
func nearMiss(files graphFiles, rel string) string {
	for _, f := range files.list() {
		switch {
		case f == rel:
		case strings.EqualFold(f, rel):
			return fmt.Sprintf("there is %s, which differs only in letter case (file names are case-sensitive: NAME must be spelled the same in every file)", path.Base(f))
		case strings.HasPrefix(f, rel+"."):
			switch ext := strings.TrimPrefix(f, rel+"."); ext {
			case "gz", "bz2", "xz", "zip", "7z", "zst":
				return fmt.Sprintf("there is %s: unpack it (the loader reads uncompressed text files, or a .zip of the whole folder)", path.Base(f))
			}
		}
	}
	return ""
}

// unusedFileNote is the note for an attribute file that is present but
// not read because its option is off: how many columns it has (from its
// first line) and how to use it.
func unusedFileNote(files graphFiles, rel, what, option, flag string) string {
	cols := ""
	if rc, err := files.open(rel); err == nil {
		s := newTextScanner(rc, rel)
		if ok, err := s.scan(); ok && err == nil {
			if n, err := s.countFields(); err == nil {
				cols = fmt.Sprintf(" (%d column(s))", n)
			}
		}
		rc.Close()
	}
	return fmt.Sprintf("%s%s holds continuous %s attributes, unused: set %s (%s) to include them", path.Base(rel), cols, what, option, flag)
}

// readGraphIndicator reads the 1-based, sorted graph id of every node and
// returns node offsets per graph (len G+1). The whole file is read before
// its order is judged, so that an unsorted file is reported as unsorted
// (the cause) rather than as the empty graph its first out-of-order id
// would imply.
func readGraphIndicator(files graphFiles, rel string) ([]int, error) {
	rc, err := files.open(rel)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	file := files.display(rel)
	s := newTextScanner(rc, file)
	var ids []int32
	var lines []int32 // line of every id (blank lines are allowed only at the end, but say so exactly)
	for {
		ok, err := s.scan()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		g, err := s.int("graph id", 1, maxTextInt)
		if err != nil {
			return nil, err
		}
		if err := s.endLine("graph id", 1); err != nil {
			return nil, err
		}
		ids = append(ids, int32(g))
		lines = append(lines, int32(s.line))
	}
	if len(ids) == 0 {
		return nil, parseErrorf(file, 0, "graph id", "file is empty")
	}
	// Order first: a decrease anywhere means the file is not sorted.
	descents, first := 0, -1
	for i := 1; i < len(ids); i++ {
		if ids[i] < ids[i-1] {
			if first < 0 {
				first = i
			}
			descents++
		}
	}
	if first >= 0 {
		return nil, parseErrorf(file, int(lines[first]), "graph id",
			"graph indicator not sorted: graph %d on line %d follows graph %d on line %d (%d place(s) where the id decreases); the file must list the nodes graph by graph with ascending ids (1, 1, …, 2, 2, …)",
			ids[first], lines[first], ids[first-1], lines[first-1], descents)
	}
	// Then gaps: a graph id that no node has.
	if ids[0] != 1 {
		return nil, parseErrorf(file, int(lines[0]), "graph id",
			"graph 1 has no nodes: the first id is %d; ids must start at 1 and every graph 1..%d needs at least one node (the TU format cannot store an empty graph)", ids[0], ids[len(ids)-1])
	}
	nodePtr := []int{0}
	for i, g := range ids {
		cur := len(nodePtr) - 1 // graphs opened so far
		switch {
		case int(g) == cur+1:
			nodePtr = append(nodePtr, 0)
		case int(g) > cur+1:
			return nil, parseErrorf(file, int(lines[i]), "graph id",
				"graph %d has no nodes: the ids jump from %d on line %d to %d on line %d; every graph 1..%d needs at least one node (the TU format cannot store an empty graph)",
				cur+1, cur, lines[i-1], g, lines[i], ids[len(ids)-1])
		}
		nodePtr[len(nodePtr)-1] = i + 1
	}
	return nodePtr, nil
}

// readTUEdges reads NAME_A.txt: "i, j" per line, 1-based node ids, both
// ends in the same graph.
func readTUEdges(files graphFiles, rel string, nodePtr []int) (*edgeList, error) {
	rc, err := files.open(rel)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	n := nodePtr[len(nodePtr)-1]
	s := newTextScanner(rc, files.display(rel))
	el := &edgeList{}
	graphOf := make([]int32, n) // graph index of every node
	for g := 0; g+1 < len(nodePtr); g++ {
		for v := nodePtr[g]; v < nodePtr[g+1]; v++ {
			graphOf[v] = int32(g)
		}
	}
	for {
		ok, err := s.scan()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		u, err := s.int("source node", 1, n)
		if err != nil {
			return nil, err
		}
		v, err := s.int("target node", 1, n)
		if err != nil {
			return nil, err
		}
		if err := s.endLine("edge", 2); err != nil {
			return nil, err
		}
		u, v = u-1, v-1
		if gu, gv := graphOf[u], graphOf[v]; gu != gv {
			return nil, s.errorf("edge", "edge %d–%d joins graph %d and graph %d", u+1, v+1, gu+1, gv+1)
		}
		el.src = append(el.src, u)
		el.dst = append(el.dst, v)
	}
	return el, nil
}

// shiftColumns subtracts lo[c] from column c of a row-major table.
func shiftColumns(t []int, lo []int) {
	w := len(lo)
	for r := 0; r+w <= len(t); r += w {
		for c, l := range lo {
			t[r+c] -= l
		}
	}
}

// remapSorted maps values to their rank among the sorted unique values
// (torch.unique(sorted=True, return_inverse=True)).
func remapSorted(vals []int) (idx []int, uniq []int) {
	uniq = slices.Clone(vals)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	idx = make([]int, len(vals))
	for i, v := range vals {
		idx[i], _ = slices.BinarySearch(uniq, v)
	}
	return idx, uniq
}

// oneHotWidths returns per column the minimum and one-hot width
// (max−min+1) of an integer label table.
func oneHotWidths(t *numTable, file, what string) (lo, width []int, err error) {
	lo, hi := t.columnRange()
	width = make([]int, t.cols)
	for c := range width {
		width[c] = hi[c] - lo[c] + 1
		if width[c] > maxOneHotWidth {
			return nil, nil, parseErrorf(file, 0, what, "column %d spans values %d..%d; too many for a one-hot encoding", c+1, lo[c], hi[c])
		}
	}
	return lo, width, nil
}

func graphSumInts(v []int) int {
	s := 0
	for _, x := range v {
		s += x
	}
	return s
}

func graphIota(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
