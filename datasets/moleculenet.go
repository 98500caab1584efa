package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nongrid/jepa/datasets/mol"
)

// MoleculeFeatures selects the featurisation of LoadMoleculeNet.
type MoleculeFeatures int

const (
	// FeaturesPretrainGNN is the scheme of Hu et al. (pretrain-gnns):
	// atom type and chirality tag per atom, bond type and direction per
	// bond (mol.PretrainAtom, mol.PretrainBond). The default.
	FeaturesPretrainGNN MoleculeFeatures = iota
	// FeaturesOGB is OGB's smiles2graph: nine atom and three bond
	// features (mol.OGBAtom, mol.OGBBond).
	FeaturesOGB
)

// MoleculeNetConfig configures LoadMoleculeNet. The zero value detects the
// SMILES column and the task columns and uses pretrain-gnns features.
type MoleculeNetConfig struct {
	// SMILESColumn names the SMILES column. Empty: the first header named
	// smiles, mol or canonical_smiles (any case), else the first column.
	SMILESColumn string
	// Tasks names the label columns. Nil: every other column whose
	// non-empty cells are all numbers (text columns such as names or IDs
	// are skipped and listed in the set's Notes).
	Tasks []string
	// Features selects the featurisation.
	Features MoleculeFeatures
}

// UnparsableMolecule is a CSV row whose SMILES did not parse (or whose row
// was malformed): 1-based line, the SMILES as read, and why.
type UnparsableMolecule struct {
	Line   int    `json:"line"`
	SMILES string `json:"smiles"`
	Err    string `json:"error"`
}

// MoleculeSet is a molecular dataset read from a CSV of SMILES: the graphs
// (embedded GraphSet, one per parsed molecule, in file order) and, aligned
// with them, the SMILES, file lines, parsed molecules and labels.
//
// Graph layout (both feature schemes). Nodes are atoms in SMILES order,
// each bond an undirected edge. NodeLabel is [N, L] and EdgeLabel [2E, LE]:
// the scheme's integer features, column k shifted by the vocabulary sizes
// of the columns before it, so that every label indexes one vocabulary of
// NumNodeLabels (NumEdgeLabels) entries; X [N, NumNodeLabels] and EdgeAttr
// [2E, NumEdgeLabels] are the matching multi-hot float vectors (L ones per
// row). Summing Embedding(NumNodeLabels, d) over a node's L labels is the
// sum of per-feature embeddings that pretrain-gnns and OGB's AtomEncoder
// compute. Pretrain-gnns: L = 2 (118 atom types, 4 chirality tags, 122 in
// all), LE = 2 (4 bond types, 3 directions, 7). OGB: L = 9 (174), LE = 3 (13).
//
// Labels. Single-task sets whose labels are all 0/1 and present are
// classification sets (NumClasses 2, Graph.Y). Otherwise Graph.Target holds
// the T task values (0 where missing) and Labels/Mask say which are
// present; NumClasses is 0 and Classification reports whether every value
// is 0 or 1.
type MoleculeSet struct {
	*GraphSet
	SMILES []string   // SMILES of each graph, as in the file
	Lines  []int      // 1-based file line of each graph
	Mols   []*mol.Mol // parsed molecules, for scaffolds or other features

	Tasks          []string  // label column names
	Labels         []float32 // [M, T] task values, 0 where missing
	Mask           []bool    // [M, T], true where the label is present
	Classification bool      // every present label is 0 or 1

	Rows       int                  // data rows read (parsed + unparsable)
	Unparsable []UnparsableMolecule // rows not in the set, with the reason
}

// Column vocabulary sizes of the two schemes, in label order.
var (
	pretrainAtomDims = []int{mol.PretrainAtomTypes, mol.PretrainChiralityTags}
	pretrainBondDims = []int{mol.PretrainBondTypes, mol.PretrainBondDirs}
)

// LoadMoleculeNet reads a MoleculeNet-style CSV file (.csv, or .csv.gz /
// gzip-compressed content): a header row, a SMILES column and label
// columns with empty cells for missing labels. Every SMILES is parsed
// (mol.Parse) and featurised; rows that do not parse are counted in Rows,
// listed in Unparsable with their line and the parser's message, and left
// out of the graphs — never silently. A missing file, an empty file, a
// missing named column or a non-numeric label in a named task column is a
// *ParseError.
func LoadMoleculeNet(path string, cfg MoleculeNetConfig) (*MoleculeSet, error) {
	rows, header, err := readMoleculeCSV(path)
	if err != nil {
		return nil, err
	}
	return buildMoleculeSet(path, header, rows, cfg)
}

// LoadMolecules reads users' own molecules: a CSV with a header and a
// SMILES column (labels optional, as in LoadMoleculeNet), or a .smi/.txt
// file with one SMILES per line (anything after the first space or tab is
// a name and ignored, '#' lines are comments).
func LoadMolecules(path string, cfg MoleculeNetConfig) (*MoleculeSet, error) {
	base := strings.ToLower(strings.TrimSuffix(path, ".gz"))
	if !strings.HasSuffix(base, ".smi") && !strings.HasSuffix(base, ".txt") && !strings.HasSuffix(base, ".smiles") {
		return LoadMoleculeNet(path, cfg)
	}
	data, err := readMaybeGzip(path)
	if err != nil {
		return nil, err
	}
	var rows []moleculeRow
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if i := strings.IndexAny(s, " \t"); i >= 0 {
			s = s[:i]
		}
		rows = append(rows, moleculeRow{line: line, fields: []string{s}})
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: path, Err: err}
	}
	cfg.SMILESColumn, cfg.Tasks = "smiles", []string{}
	return buildMoleculeSet(path, []string{"smiles"}, rows, cfg)
}

type moleculeRow struct {
	line   int
	fields []string
	bad    string // malformed row
}

func readMaybeGzip(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ParseError{File: path, Err: fmt.Errorf("%w: %v", ErrNotFound, err)}
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, &ParseError{File: path, Err: fmt.Errorf("gzip: %v", err)}
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			return nil, &ParseError{File: path, Err: fmt.Errorf("gzip: %v", err)}
		}
		data = out
	}
	return data, nil
}

func readMoleculeCSV(path string) ([]moleculeRow, []string, error) {
	data, err := readMaybeGzip(path)
	if err != nil {
		return nil, nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, &ParseError{File: path, Line: 1, Err: fmt.Errorf("empty file; want a header row with a SMILES column")}
	}
	if err != nil {
		return nil, nil, &ParseError{File: path, Line: 1, Err: err}
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	var rows []moleculeRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// A malformed row (bad quoting) is reported like an
			// unparsable molecule; reading goes on at the next line.
			rows = append(rows, moleculeRow{line: pe.StartLine, bad: pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, nil, &ParseError{File: path, Line: line, Err: err}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		r := moleculeRow{line: line, fields: rec}
		if len(rec) != len(header) {
			r.bad = fmt.Sprintf("%d fields, the header has %d", len(rec), len(header))
		}
		rows = append(rows, r)
	}
	return rows, header, nil
}

// parsedMolecule is one row after parsing and featurisation.
type parsedMolecule struct {
	m          *mol.Mol
	nodeLabels []int // [N, L]
	edgeLabels []int // [2E, LE] in CSR order
	rowPtr     []int
	col        []int
	err        string
}

func buildMoleculeSet(path string, header []string, rows []moleculeRow, cfg MoleculeNetConfig) (*MoleculeSet, error) {
	if cfg.Features != FeaturesPretrainGNN && cfg.Features != FeaturesOGB {
		return nil, &ParseError{File: path, Err: fmt.Errorf("unknown MoleculeFeatures %d; want FeaturesPretrainGNN or FeaturesOGB", cfg.Features)}
	}
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		return -1
	}
	sc := -1
	if cfg.SMILESColumn != "" {
		if sc = col(cfg.SMILESColumn); sc < 0 {
			return nil, &ParseError{File: path, Line: 1, Field: cfg.SMILESColumn, Err: fmt.Errorf("no such column; the header has %q", header)}
		}
	} else {
		for i, h := range header {
			switch strings.ToLower(h) {
			case "smiles", "mol", "canonical_smiles", "smile":
				if sc < 0 {
					sc = i
				}
			}
		}
		if sc < 0 {
			sc = 0
		}
	}
	s := &MoleculeSet{GraphSet: &GraphSet{Name: moleculeSetName(path), Format: "moleculenet", Source: path}}
	var taskCols []int
	if cfg.Tasks != nil {
		for _, t := range cfg.Tasks {
			c := col(t)
			if c < 0 {
				return nil, &ParseError{File: path, Line: 1, Field: t, Err: fmt.Errorf("no such task column; the header has %q", header)}
			}
			taskCols = append(taskCols, c)
		}
	} else {
		for c := range header {
			if c == sc {
				continue
			}
			numeric := true
			for _, r := range rows {
				if r.bad != "" || c >= len(r.fields) {
					continue
				}
				v := strings.TrimSpace(r.fields[c])
				if v == "" {
					continue
				}
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					numeric = false
					break
				}
			}
			if numeric {
				taskCols = append(taskCols, c)
			} else {
				s.Notes = append(s.Notes, fmt.Sprintf("column %q is not numeric and is not a task", header[c]))
			}
		}
	}
	for _, c := range taskCols {
		s.Tasks = append(s.Tasks, header[c])
	}
	T := len(taskCols)

	// Parse and featurise in parallel.
	parsed := make([]parsedMolecule, len(rows))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(rows)/64))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(rows); i += workers {
				r := rows[i]
				if r.bad != "" {
					parsed[i].err = "malformed CSV row: " + r.bad
					continue
				}
				parsed[i] = featurizeMolecule(strings.TrimSpace(r.fields[sc]), cfg.Features)
			}
		}(w)
	}
	wg.Wait()

	atomDims, bondDims := pretrainAtomDims, pretrainBondDims
	if cfg.Features == FeaturesOGB {
		atomDims, bondDims = mol.OGBAtomDims[:], mol.OGBBondDims[:]
	}
	L, LE := len(atomDims), len(bondDims)
	F, EF := sumInts(atomDims), sumInts(bondDims)

	// Labels of the kept rows.
	s.Classification = T > 0
	totalN, totalE := 0, 0
	for i, r := range rows {
		p := &parsed[i]
		s.Rows++
		if p.err != "" {
			smi := ""
			if r.bad == "" {
				smi = r.fields[sc]
			}
			s.Unparsable = append(s.Unparsable, UnparsableMolecule{Line: r.line, SMILES: smi, Err: p.err})
			continue
		}
		for _, c := range taskCols {
			v := strings.TrimSpace(r.fields[c])
			if v == "" {
				s.Labels = append(s.Labels, 0)
				s.Mask = append(s.Mask, false)
				continue
			}
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, &ParseError{File: path, Line: r.line, Field: header[c], Err: fmt.Errorf("label %q is not a finite number (leave the cell empty for a missing label)", v)}
			}
			if f != 0 && f != 1 {
				s.Classification = false
			}
			s.Labels = append(s.Labels, float32(f))
			s.Mask = append(s.Mask, true)
		}
		s.SMILES = append(s.SMILES, r.fields[sc])
		s.Lines = append(s.Lines, r.line)
		s.Mols = append(s.Mols, p.m)
		totalN += len(p.rowPtr) - 1
		totalE += len(p.col)
	}
	M := len(s.Mols)
	if M == 0 {
		msg := "no molecules"
		if len(s.Unparsable) > 0 {
			u := s.Unparsable[0]
			msg = fmt.Sprintf("none of the %d rows parsed (line %d: %s)", len(s.Unparsable), u.Line, u.Err)
		}
		return nil, &ParseError{File: path, Err: errors.New(msg)}
	}

	// Assemble graphs on shared backing arrays.
	x := make([]float32, totalN*F)
	ea := make([]float32, totalE*EF)
	nl := make([]int, 0, totalN*L)
	el := make([]int, 0, totalE*LE)
	rp := make([]int, 0, totalN+M)
	cl := make([]int, 0, totalE)
	gs := make([]Graph, M)
	s.Graphs = make([]*Graph, M)
	single := T == 1 && s.Classification && !slices.Contains(s.Mask, false)
	n0, e0, k := 0, 0, 0
	for i := range rows {
		p := &parsed[i]
		if p.err != "" {
			continue
		}
		n, e := len(p.rowPtr)-1, len(p.col)
		g := &gs[k]
		g.F, g.EF, g.Y = F, EF, -1
		g.RowPtr = append(rp, p.rowPtr...)[len(rp):]
		rp = rp[:len(rp)+n+1]
		g.Col = append(cl, p.col...)[len(cl):]
		cl = cl[:len(cl)+e]
		g.NodeLabel = append(nl, p.nodeLabels...)[len(nl):]
		nl = nl[:len(nl)+n*L]
		g.EdgeLabel = append(el, p.edgeLabels...)[len(el):]
		el = el[:len(el)+e*LE]
		g.X = x[n0*F : (n0+n)*F : (n0+n)*F]
		for j, lab := range g.NodeLabel {
			g.X[(j/L)*F+lab] = 1
		}
		g.EdgeAttr = ea[e0*EF : (e0+e)*EF : (e0+e)*EF]
		for j, lab := range g.EdgeLabel {
			g.EdgeAttr[(j/LE)*EF+lab] = 1
		}
		if T > 0 {
			if single {
				g.Y = int(s.Labels[k])
			} else {
				g.Target = s.Labels[k*T : (k+1)*T : (k+1)*T]
			}
		}
		s.Graphs[k] = g
		n0 += n
		e0 += e
		k++
	}
	s.F, s.EF = F, EF
	s.NumNodeLabels, s.NumEdgeLabels = F, EF
	if single {
		s.NumClasses, s.ClassValues = 2, []int{0, 1}
	}
	if cfg.Features == FeaturesOGB {
		s.FeatureRule = "ogb-smiles2graph"
	} else {
		s.FeatureRule = "pretrain-gnns"
	}
	if len(s.Unparsable) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d of %d rows did not parse and are not in the set (see Unparsable)", len(s.Unparsable), s.Rows))
	}
	return s, nil
}

func sumInts(v []int) int {
	t := 0
	for _, x := range v {
		t += x
	}
	return t
}

func moleculeSetName(path string) string {
	b := filepath.Base(path)
	for _, ext := range []string{".gz", ".csv", ".smi", ".txt", ".smiles"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}

// featurizeMolecule parses one SMILES and builds its CSR adjacency with
// offset labels.
func featurizeMolecule(smiles string, feats MoleculeFeatures) parsedMolecule {
	m, err := mol.Parse(smiles)
	if err != nil {
		return parsedMolecule{err: err.Error()}
	}
	n := m.NumAtoms()
	var p parsedMolecule
	p.m = m
	if feats == FeaturesOGB {
		p.nodeLabels = make([]int, 0, n*9)
		for a := 0; a < n; a++ {
			f := m.OGBAtom(a)
			off := 0
			for k, v := range f {
				p.nodeLabels = append(p.nodeLabels, off+v)
				off += mol.OGBAtomDims[k]
			}
		}
	} else {
		p.nodeLabels = make([]int, 0, n*2)
		for a := 0; a < n; a++ {
			f, err := m.PretrainAtom(a)
			if err != nil {
				return parsedMolecule{err: err.Error()}
			}
			p.nodeLabels = append(p.nodeLabels, f[0], mol.PretrainAtomTypes+f[1])
		}
	}
	// Bond labels, then CSR with neighbours ascending.
	nb := m.NumBonds()
	le := 2
	if feats == FeaturesOGB {
		le = 3
	}
	blab := make([]int, nb*le)
	for b := 0; b < nb; b++ {
		if feats == FeaturesOGB {
			f := m.OGBBond(b)
			blab[b*3], blab[b*3+1], blab[b*3+2] = f[0], mol.OGBBondDims[0]+f[1], mol.OGBBondDims[0]+mol.OGBBondDims[1]+f[2]
		} else {
			f, err := m.PretrainBond(b)
			if err != nil {
				return parsedMolecule{err: err.Error()}
			}
			blab[b*2], blab[b*2+1] = f[0], mol.PretrainBondTypes+f[1]
		}
	}
	p.rowPtr = make([]int, n+1)
	type ent struct{ nbr, bond int }
	ents := make([]ent, 0, 2*nb)
	for a := 0; a < n; a++ {
		start := len(ents)
		for _, bi := range m.AtomBonds(a) {
			ents = append(ents, ent{m.Bonds[bi].Other(a), bi})
		}
		slices.SortFunc(ents[start:], func(x, y ent) int { return x.nbr - y.nbr })
		p.rowPtr[a+1] = len(ents)
	}
	p.col = make([]int, len(ents))
	p.edgeLabels = make([]int, 0, len(ents)*le)
	for k, e := range ents {
		p.col[k] = e.nbr
		p.edgeLabels = append(p.edgeLabels, blab[e.bond*le:(e.bond+1)*le]...)
	}
	return p
}

// ScaffoldKeys returns the Bemis–Murcko scaffold key (with chirality, as
// pretrain-gnns uses) of every molecule, for split.ScaffoldSplit.
func (s *MoleculeSet) ScaffoldKeys() []string {
	return parallelKeys(s.Mols, (*mol.Mol).ScaffoldKey)
}

// TaskBalance counts one task's labels.
type TaskBalance struct {
	Task     string  `json:"task"`
	Positive int     `json:"positive,omitempty"` // labels equal to 1 (classification)
	Negative int     `json:"negative,omitempty"` // labels equal to 0 (classification)
	Missing  int     `json:"missing"`
	Mean     float64 `json:"mean,omitempty"` // mean of present values (regression)
}

// MoleculeStats describe a MoleculeSet (what graphjepa data prints).
type MoleculeStats struct {
	GraphStats
	Rows           int                  `json:"rows"`
	Molecules      int                  `json:"molecules"`
	Atoms          int                  `json:"atoms"`
	Bonds          int                  `json:"bonds"`
	Tasks          int                  `json:"tasks"`
	Classification bool                 `json:"classification"`
	Balance        []TaskBalance        `json:"label_balance"`
	Unparsable     int                  `json:"unparsable"`
	UnparsableAt   []UnparsableMolecule `json:"unparsable_lines,omitempty"`
	Features       string               `json:"features"`
}

// Describe summarises the set: molecule, atom and bond counts, tasks and
// their label balance, and the unparsable rows (all of them).
func (s *MoleculeSet) Describe() MoleculeStats {
	st := MoleculeStats{GraphStats: s.Stats(), Rows: s.Rows, Molecules: len(s.Mols), Tasks: len(s.Tasks),
		Classification: s.Classification, Unparsable: len(s.Unparsable), UnparsableAt: s.Unparsable, Features: s.FeatureRule}
	for _, m := range s.Mols {
		st.Atoms += m.NumAtoms()
		st.Bonds += m.NumBonds()
	}
	T := len(s.Tasks)
	for t, name := range s.Tasks {
		b := TaskBalance{Task: name}
		sum, cnt := 0.0, 0
		for i := 0; i < len(s.Mols); i++ {
			if !s.Mask[i*T+t] {
				b.Missing++
				continue
			}
			v := s.Labels[i*T+t]
			sum += float64(v)
			cnt++
			if s.Classification {
				if v == 1 {
					b.Positive++
				} else {
					b.Negative++
				}
			}
		}
		if !s.Classification && cnt > 0 {
			b.Mean = sum / float64(cnt)
		}
		st.Balance = append(st.Balance, b)
	}
	return st
}
