package datasets

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/internal/shareddata"
)

func TestLoadMoleculeNetReal(t *testing.T) {
	dir := shareddata.Dir(t, "molecules", "moleculenet")
	cases := []struct {
		file        string
		rows, tasks int
		classes     int
	}{
		{"bbbp.csv", 2039, 1, 2},
		{"bace.csv", 1513, 1, 2},
		{"tox21.csv", 7831, 12, 0},
		{"delaney.csv", 1128, 1, 0},
		{"hiv.csv.gz", 41127, 1, 2},
	}
	for _, c := range cases {
		if testing.Short() && c.rows > 10000 {
			continue
		}
		s, err := LoadMoleculeNet(filepath.Join(dir, c.file), MoleculeNetConfig{})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if s.Rows != c.rows || len(s.Tasks) != c.tasks || s.NumClasses != c.classes {
			t.Errorf("%s: rows %d tasks %d classes %d, want %d %d %d", c.file, s.Rows, len(s.Tasks), s.NumClasses, c.rows, c.tasks, c.classes)
		}
		if len(s.Unparsable) != 0 || s.Len() != c.rows {
			t.Errorf("%s: %d unparsable (every staged SMILES parses with RDKit): %v", c.file, len(s.Unparsable), s.Unparsable[:min(3, len(s.Unparsable))])
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", c.file, err)
		}
		g := s.Graphs[0]
		if len(g.NodeLabel) != 2*g.NumNodes() || g.F != 122 || g.EF != 7 || len(g.EdgeLabel) != 2*len(g.Col) {
			t.Errorf("%s: layout F=%d EF=%d labels %d/%d", c.file, g.F, g.EF, len(g.NodeLabel), len(g.EdgeLabel))
		}
	}
}

func TestMoleculeNetTox21MissingAndScaffoldSplit(t *testing.T) {
	p := filepath.Join(shareddata.Dir(t, "molecules", "moleculenet"), "tox21.csv")
	s, err := LoadMoleculeNet(p, MoleculeNetConfig{Features: FeaturesOGB})
	if err != nil {
		t.Fatal(err)
	}
	d := s.Describe()
	if !d.Classification || d.Tasks != 12 || d.Balance[0].Missing == 0 || d.Balance[0].Positive == 0 {
		t.Fatalf("describe: %+v", d.Balance[0])
	}
	if s.F != 174 || s.EF != 13 {
		t.Fatalf("OGB widths %d/%d, want 174/13", s.F, s.EF)
	}
	sp, err := split.ScaffoldSplit(s.ScaffoldKeys(), split.MoleculeSplitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sp.Train) + len(sp.Valid) + len(sp.Test); n != s.Len() || len(sp.Train) > s.Len()*8/10 {
		t.Fatalf("split sizes %d/%d/%d of %d", len(sp.Train), len(sp.Valid), len(sp.Test), s.Len())
	}
}

func TestLoadMoleculeNetMalformed(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, body string
		cfg        MoleculeNetConfig
		wantErr    string // "" = loads
		unparsable []int  // lines
	}{
		{"ok", "smiles,y\nCCO,1\nc1ccccc1,0\n", MoleculeNetConfig{}, "", nil},
		{"bad smiles", "smiles,y\nCCO,1\nC1CC,0\nC(,1\nCCN,0\n", MoleculeNetConfig{}, "", []int{3, 4}},
		{"missing label", "smiles,a,b\nCCO,1,\nCCN,,0\n", MoleculeNetConfig{}, "", nil},
		{"text column skipped", "name,smiles,y\nethanol,CCO,1\n", MoleculeNetConfig{}, "", nil},
		{"short row", "smiles,y\nCCO,1\nCCN\n", MoleculeNetConfig{}, "", []int{3}},
		{"bad label", "smiles,y\nCCO,x\n", MoleculeNetConfig{Tasks: []string{"y"}}, "not a finite number", nil},
		{"no column", "smiles,y\nCCO,1\n", MoleculeNetConfig{SMILESColumn: "smi"}, "no such column", nil},
		{"empty", "", MoleculeNetConfig{}, "empty file", nil},
		{"nothing parses", "smiles\nC(\n", MoleculeNetConfig{}, "none of the 1 rows parsed", nil},
		{"header only", "smiles,y\n", MoleculeNetConfig{}, "no molecules", nil},
	}
	for _, c := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".csv")
		if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := LoadMoleculeNet(p, c.cfg)
		if c.wantErr != "" {
			var pe *ParseError
			if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: err = %v, want ParseError with %q", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var lines []int
		for _, u := range s.Unparsable {
			lines = append(lines, u.Line)
		}
		if len(lines) != len(c.unparsable) {
			t.Errorf("%s: unparsable lines %v, want %v", c.name, lines, c.unparsable)
		}
		for i := range lines {
			if i < len(c.unparsable) && lines[i] != c.unparsable[i] {
				t.Errorf("%s: unparsable lines %v, want %v", c.name, lines, c.unparsable)
			}
		}
		if s.Rows != s.Len()+len(s.Unparsable) {
			t.Errorf("%s: rows %d != %d graphs + %d unparsable", c.name, s.Rows, s.Len(), len(s.Unparsable))
		}
		if _, err := json.Marshal(s.Describe()); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// Missing labels are masked.
	p := filepath.Join(dir, "missing_label.csv")
	s, _ := LoadMoleculeNet(p, MoleculeNetConfig{})
	if len(s.Mask) != 4 || s.Mask[1] || s.Mask[2] || !s.Mask[0] || s.NumClasses != 0 {
		t.Errorf("mask %v classes %d", s.Mask, s.NumClasses)
	}
	if _, err := LoadMoleculeNet(filepath.Join(dir, "absent.csv"), MoleculeNetConfig{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("absent file: %v", err)
	}
}

func TestLoadMoleculesSMI(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mine.smi")
	os.WriteFile(p, []byte("# my molecules\nCCO ethanol\n\nc1ccccc1\tbenzene\nC1CC broken\n"), 0o644)
	s, err := LoadMolecules(p, MoleculeNetConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || len(s.Unparsable) != 1 || s.Unparsable[0].Line != 5 || len(s.Tasks) != 0 {
		t.Fatalf("got %d graphs, unparsable %v, tasks %v", s.Len(), s.Unparsable, s.Tasks)
	}
}

func BenchmarkLoadHIV(b *testing.B) {
	p := filepath.Join(shareddata.Dir(b, "molecules", "moleculenet"), "hiv.csv.gz")
	for i := 0; i < b.N; i++ {
		s, err := LoadMoleculeNet(p, MoleculeNetConfig{})
		if err != nil || s.Len() != 41127 {
			b.Fatal(err)
		}
	}
}
