package datasets

import (
	"errors"
	"fmt"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// TagEncoding says how the GIN format's integer node tags become one-hot
// node features.
type TagEncoding int

const (
	// TagsFirstSeen numbers tags in order of first appearance in the file
	// and one-hot encodes that index, as GIN's util.load_data (feat_dict);
	// the width is the number of distinct tags (82 on DD).
	TagsFirstSeen TagEncoding = iota
	// TagsShiftMin one-hot encodes tag − min(tag) with width max−min+1,
	// PyG TUDataset's rule for node labels. The GIN files store the TU node
	// label − 1 as tag, so this reproduces PyG's x (89 columns on DD, the
	// Linear(89,d) of Graph-JEPA's DD config).
	TagsShiftMin
)

// GINConfig configures LoadGIN. The zero value reads the file the way
// GIN's own loader (util.load_data with degree_as_tag=False) does.
type GINConfig struct {
	// Name is the dataset name; the data file is NAME.txt. Empty means
	// detect it: a file X.txt inside a folder named X (e.g. DD/DD.txt,
	// also when the folder or zip given is X itself).
	Name string
	// Tags chooses the one-hot encoding of node tags.
	Tags TagEncoding
	// DegreeAsTag replaces the node tags by the node degrees before the
	// encoding, GIN's --degree_as_tag (used there for the social sets).
	// With TagsFirstSeen the columns are the distinct degrees in ascending
	// order; GIN's loader takes them from a Python set, whose order is the
	// same unless degrees exceed the set's hash-table size.
	DegreeAsTag bool
	// UseNodeAttr prepends the continuous attributes that may follow a
	// node's neighbour list to X. (GIN's loader parses but never uses them.)
	UseNodeAttr bool
}

// LoadGIN reads the single-file text format of GIN (Xu et al., "How
// Powerful are Graph Neural Networks?", ICLR 2019) and DGCNN (Zhang et al.,
// AAAI 2018), from a folder or straight from a .zip:
//
//	G                       number of graphs
//	n l                     per graph: node count, graph label
//	t m v1 … vm [a1 … ad]   per node (0-based): tag, neighbour count,
//	                        neighbours, optional continuous attributes
//
// Graph labels are mapped to 0..C-1 in order of first appearance, as GIN's
// loader does (label_dict; GraphSet.ClassValues keeps the file values).
// Node tags become one-hot X per cfg.Tags, the tag index is kept in
// Graph.NodeLabel. Edges are symmetrised and coalesced; self-loops, which
// networkx would keep, are removed. The 10-fold split files next to the
// data file (10fold_idx/train_idx-K.txt and test_idx-K.txt, 0-based graph
// indices, K = 1..10) are returned as GraphSet.Folds.
//
// Errors are *ParseError values naming the file (zip:entry for archives)
// and line.
func LoadGIN(p string, cfg GINConfig) (*GraphSet, error) {
	return loadGraphFiles(p, func(files graphFiles) (*GraphSet, error) { return loadGIN(files, cfg) })
}

// findGIN locates the data file of a GIN-format dataset.
func findGIN(files graphFiles, want string) (string, error) {
	var cands []string
	for _, f := range files.list() {
		base := path.Base(f)
		if !strings.HasSuffix(base, ".txt") {
			continue
		}
		stem := strings.TrimSuffix(base, ".txt")
		switch {
		case want != "":
			if stem == want {
				cands = append(cands, f)
			}
		case path.Base(path.Dir(f)) == stem, !strings.Contains(f, "/") && stem == files.root():
			cands = append(cands, f)
		}
	}
	sort.Slice(cands, func(i, j int) bool { return strings.Count(cands[i], "/") < strings.Count(cands[j], "/") })
	if len(cands) == 1 || (len(cands) > 1 && strings.Count(cands[0], "/") < strings.Count(cands[1], "/")) {
		return cands[0], nil
	}
	if len(cands) > 1 {
		amb := &AmbiguousError{Format: FormatGIN}
		sort.Strings(cands)
		for _, c := range cands {
			amb.Names = append(amb.Names, strings.TrimSuffix(path.Base(c), ".txt"))
			amb.Files = append(amb.Files, c)
		}
		return "", amb
	}
	name := want
	if name == "" {
		name = "NAME"
	}
	hint := ginNearMiss(files, want)
	if hint != "" {
		hint = "; " + hint
	}
	return "", fmt.Errorf("%w: no GIN-format data file: expected %s/%s.txt (first line: number of graphs) and optionally %s/10fold_idx/{train,test}_idx-K.txt%s", ErrNotFound, name, name, name, hint)
}

// ginNearMiss finds a would-be GIN data file X/x.txt whose folder and
// file names differ only in letter case, and says so; "" if none.
func ginNearMiss(files graphFiles, want string) string {
	for _, f := range files.list() {
		stem, ok := strings.CutSuffix(path.Base(f), ".txt")
		dir := path.Base(path.Dir(f))
		if !ok || dir == stem || !strings.EqualFold(dir, stem) || (want != "" && !strings.EqualFold(stem, want)) {
			continue
		}
		return fmt.Sprintf("there is %s, whose folder and file names differ only in letter case (they must be the same)", f)
	}
	return ""
}

// loadGIN reads a GIN-format dataset from files (see LoadGIN).
func loadGIN(files graphFiles, cfg GINConfig) (*GraphSet, error) {
	rel, err := findGIN(files, cfg.Name)
	if err != nil {
		var amb *AmbiguousError
		if !errors.As(err, &amb) {
			if _, tuName, tuErr := findTU(files, ""); tuErr == nil {
				err = fmt.Errorf("%w; this is a TU dataset (%s_A.txt, ...): load it with LoadTU (format tu)", err, tuName)
			}
		}
		return nil, &ParseError{File: files.display("."), Err: err}
	}
	rc, err := files.open(rel)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	file := files.display(rel)
	s := newTextScanner(rc, file)

	ok, err := s.scan()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, parseErrorf(file, 0, "graph count", "file is empty")
	}
	numGraphs, err := s.int("graph count", 1, maxTextInt)
	if err != nil {
		return nil, err
	}
	if err := s.endLine("graph count", 1); err != nil {
		return nil, err
	}

	nodePtr := []int{0}
	var labels, tags []int
	var attrs []float32
	attrW := -1
	el := &edgeList{}
	var nbrCount []int            // neighbours listed per node; el.src is expanded from it afterwards
	prevHeader, prevNodes := 0, 0 // line and node count of the previous graph's header
	// A node line "t 0" (tag ≥ 1, no neighbours, no attributes) after the
	// first node of a graph could also be the next graph's header "n
	// label" with label 0, taken in by a node count that is too large:
	// remember the first such line of the previous graph for the hint.
	prevSuspectLine, prevSuspectTag := 0, 0
	for g := 0; g < numGraphs; g++ {
		ok, err := s.scan()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, parseErrorf(file, s.line, "graph header", "file ends after %d of the %d graphs announced on line 1", g, numGraphs)
		}
		// A header line with more than 2 fields is most often a node line
		// of the previous graph, whose node count is then too small.
		headerHint := func(err error) error {
			f, _ := s.lineFields()
			switch {
			case g == 0 || f <= 2:
				return err
			case prevSuspectLine > 0:
				return withHint(err, "this line has %d fields, like a node line: is graph %d's node count %d on line %d wrong? Too small if this is one of its nodes; too large if line %d (\"%d 0\"), read as one of its nodes, is the next graph's header", f, g-1, prevNodes, prevHeader, prevSuspectLine, prevSuspectTag)
			default:
				return withHint(err, "this line has %d fields, like a node line (tag, neighbour count, neighbours): is graph %d's node count %d on line %d too small?", f, g-1, prevNodes, prevHeader)
			}
		}
		n, err := s.int("node count", 0, maxTextInt)
		if err != nil {
			return nil, headerHint(err)
		}
		l, err := s.int("graph label", -maxTextInt, maxTextInt)
		if err != nil {
			return nil, headerHint(err)
		}
		if err := s.endLine("graph header", 2); err != nil {
			return nil, headerHint(err)
		}
		if n == 0 {
			return nil, s.errorf("node count", "graph %d has no nodes (empty graph)", g)
		}
		base := nodePtr[len(nodePtr)-1]
		if base+n > maxTextInt {
			return nil, s.errorf("node count", "more than %d nodes in total", maxTextInt)
		}
		header := s.line
		suspectLine, suspectTag := 0, 0
		// nodeHint explains an error on node line j of graph g: the graph's
		// size, and when the line looks like the next graph's header
		// ("n label", two fields) that the node count overran.
		nodeHint := func(err error, j int) error {
			if f, _ := s.lineFields(); f == 2 && j > 0 {
				return withHint(err, "this line has 2 fields, like a graph header (node count, label): is graph %d's node count %d on line %d too large? %d node line(s) came before this one", g, n, header, j)
			}
			return withHint(err, "graph %d has %d nodes (0..%d), header on line %d", g, n, n-1, header)
		}
		for j := 0; j < n; j++ {
			ok, err := s.scan()
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, parseErrorf(file, s.line, "node", "file ends inside graph %d after %d of its %d nodes (node count on line %d)", g, j, n, header)
			}
			t, err := s.int("node tag", -maxTextInt, maxTextInt)
			if err != nil {
				return nil, nodeHint(err, j)
			}
			m, err := s.int("neighbour count", 0, maxTextInt)
			if err != nil {
				return nil, nodeHint(err, j)
			}
			for k := 0; k < m; k++ {
				nb, err := s.int("neighbour", 0, n-1)
				if err != nil {
					return nil, nodeHint(err, j)
				}
				el.dst = append(el.dst, base+nb)
			}
			nbrCount = append(nbrCount, m)
			d := 0
			for s.more() {
				v, err := s.float("node attribute")
				if err != nil {
					return nil, err
				}
				f := float32(v)
				if math.IsInf(float64(f), 0) {
					return nil, s.errorf("node attribute", "%g out of range: larger in magnitude than float32 can hold (±3.4e38)", v)
				}
				if cfg.UseNodeAttr {
					attrs = append(attrs, f)
				}
				d++
			}
			if attrW < 0 {
				attrW = d
			} else if d != attrW {
				return nil, nodeHint(s.errorf("node attribute", "node has %d attribute(s) after its %d neighbours; earlier nodes have %d", d, m, attrW), j)
			}
			tags = append(tags, t)
			if suspectLine == 0 && j > 0 && t >= 1 && m == 0 && d == 0 {
				suspectLine, suspectTag = s.line, t
			}
		}
		nodePtr = append(nodePtr, base+n)
		labels = append(labels, l)
		prevHeader, prevNodes = header, n
		prevSuspectLine, prevSuspectTag = suspectLine, suspectTag
	}
	if ok, err := s.scan(); err != nil {
		return nil, err
	} else if ok {
		return nil, s.errorf("", "data after the %d graphs announced on line 1: is the graph count on line 1 or the last graph's node count %d on line %d too small?", numGraphs, prevNodes, prevHeader)
	}

	set := &GraphSet{Name: strings.TrimSuffix(path.Base(rel), ".txt"), Format: "gin"}
	numNodes := nodePtr[len(nodePtr)-1]
	el.src = make([]int, 0, len(el.dst))
	for v, m := range nbrCount {
		for range m {
			el.src = append(el.src, v)
		}
	}
	c, err := buildCSR(numNodes, el)
	if err != nil {
		return nil, &ParseError{File: file, Err: err}
	}
	set.Notes = append(set.Notes, c.notes()...)

	// Graph labels: first-seen order (GIN's label_dict).
	y, classValues := remapFirstSeen(labels)
	set.NumClasses, set.ClassValues = len(classValues), classValues

	if cfg.DegreeAsTag {
		for v := 0; v < numNodes; v++ {
			tags[v] = c.rowPtr[v+1] - c.rowPtr[v]
		}
		set.Notes = append(set.Notes, "node tags replaced by node degrees (degree_as_tag)")
	}
	var width int
	switch {
	case cfg.Tags == TagsShiftMin:
		lo, hi := slices.Min(tags), slices.Max(tags)
		width = hi - lo + 1
		if width > maxOneHotWidth {
			return nil, parseErrorf(file, 0, "node tag", "tags span %d..%d; too many for a one-hot encoding", lo, hi)
		}
		for i := range tags {
			tags[i] -= lo
		}
	case cfg.DegreeAsTag:
		var vals []int
		tags, vals = remapSorted(tags)
		width = len(vals)
	default:
		var vals []int
		tags, vals = remapFirstSeen(tags)
		width = len(vals)
	}
	d := 0
	if cfg.UseNodeAttr {
		d = max(attrW, 0)
	}
	f := d + width
	if numNodes*f > maxOneHotCells {
		return nil, parseErrorf(file, 0, "node tag", "one-hot node features would need %d×%d values", numNodes, f)
	}
	x := make([]float32, numNodes*f)
	for v := 0; v < numNodes; v++ {
		copy(x[v*f:], attrs[v*d:(v+1)*d])
		x[v*f+d+tags[v]] = 1
	}
	if !cfg.UseNodeAttr && attrW > 0 {
		set.Notes = append(set.Notes, fmt.Sprintf("every node carries %d continuous attribute(s) after its neighbours, unused: set UseNodeAttr (--use-node-attr) to include them", attrW))
	}
	set.F, set.NumNodeAttributes, set.NumNodeLabels = f, d, width
	set.Graphs = splitGraphs(c, nodePtr, x, f, 0, tags, 1, 0)
	for i, g := range set.Graphs {
		g.Y = y[i]
	}

	folds, err := readGINFolds(files, path.Dir(rel), numGraphs)
	if err != nil {
		return nil, err
	}
	set.Folds = folds
	return set, nil
}

// readGINFolds reads DIR/10fold_idx/{train,test}_idx-K.txt for K = 1, 2,
// ... as long as both files exist. A train file without its test file (or
// the reverse) is an error.
func readGINFolds(files graphFiles, dir string, numGraphs int) ([]Fold, error) {
	var folds []Fold
	for k := 1; ; k++ {
		tr := path.Join(dir, "10fold_idx", "train_idx-"+strconv.Itoa(k)+".txt")
		te := path.Join(dir, "10fold_idx", "test_idx-"+strconv.Itoa(k)+".txt")
		hasTr, hasTe := files.exists(tr), files.exists(te)
		if !hasTr && !hasTe {
			break
		}
		if hasTr != hasTe {
			missing := te
			if !hasTr {
				missing = tr
			}
			return nil, &ParseError{File: files.display(missing), Err: fmt.Errorf("%w: fold %d has only one of its train/test index files", ErrNotFound, k)}
		}
		var fold Fold
		for i, rel := range []string{tr, te} {
			t, err := readTable(files, rel, tableSpec{what: "graph index", lo: 0, hi: numGraphs - 1, rows: -1, cols: 1})
			if err != nil {
				return nil, err
			}
			if i == 0 {
				fold.Train = t.ints
			} else {
				fold.Test = t.ints
			}
		}
		folds = append(folds, fold)
	}
	return folds, nil
}

// remapFirstSeen maps values to 0, 1, ... in order of first appearance and
// returns the mapping's inverse (values[i] = original of index i).
func remapFirstSeen(vals []int) (idx []int, values []int) {
	m := map[int]int{}
	idx = make([]int, len(vals))
	for i, v := range vals {
		j, ok := m[v]
		if !ok {
			j = len(values)
			m[v] = j
			values = append(values, v)
		}
		idx[i] = j
	}
	return idx, values
}
