package mol

import (
	"errors"
	"strings"
	"testing"
)

func TestParseProperties(t *testing.T) {
	cases := []struct {
		smi   string
		atoms int
		hs    []int
		arom  int // aromatic bonds
	}{
		{"CCO", 3, []int{3, 2, 1}, 0},
		{"c1ccccc1", 6, []int{1, 1, 1, 1, 1, 1}, 6},
		{"C1=CC=CC=C1", 6, []int{1, 1, 1, 1, 1, 1}, 6},
		{"c1cc[nH]c1", 5, []int{1, 1, 1, 1, 1}, 5},
		{"[NH4+].[Cl-]", 2, []int{4, 0}, 0},
		{"CN(=O)=O", 4, []int{3, 0, 0, 0}, 0},
		{"[H]OC", 2, []int{1, 3}, 0},
		{"C%10CC%10", 3, []int{2, 2, 2}, 0},
	}
	for _, c := range cases {
		m, err := Parse(c.smi)
		if err != nil {
			t.Fatalf("%s: %v", c.smi, err)
		}
		if m.NumAtoms() != c.atoms {
			t.Errorf("%s: %d atoms, want %d", c.smi, m.NumAtoms(), c.atoms)
			continue
		}
		for i, h := range c.hs {
			if m.Atoms[i].NumHs != h {
				t.Errorf("%s: atom %d has %d H, want %d", c.smi, i, m.Atoms[i].NumHs, h)
			}
		}
		n := 0
		for _, b := range m.Bonds {
			if b.Type == Aromatic {
				n++
			}
		}
		if n != c.arom {
			t.Errorf("%s: %d aromatic bonds, want %d", c.smi, n, c.arom)
		}
	}
	// Hybridization as RDKit 2022.09's setHybridization gives it, hypervalent
	// atoms included (their negative free-electron count lowers the orbitals).
	for _, c := range []struct {
		smi  string
		atom int
		want Hybridization
	}{
		{"CC(=O)O[AlH3](O)O", 4, HybridSP3D},
		{"[SbH6+3]", 0, HybridSP3},
		{"CC(=O)O", 1, HybridSP2},
		{"C[N+](C)(C)C", 1, HybridSP3},
		{"CS(=O)(=O)C", 1, HybridSP3},
		{"F[Xe](F)(F)F", 1, HybridSP3D2},
	} {
		m, err := Parse(c.smi)
		if err != nil {
			t.Fatalf("%s: %v", c.smi, err)
		}
		if got := m.Atoms[c.atom].Hybrid; got != c.want {
			t.Errorf("%s: atom %d hybridization %d, want %d", c.smi, c.atom, got, c.want)
		}
	}
	// Chirality in RDKit's convention (checked with RDKit 2022.09).
	for smi, want := range map[string]Chirality{"[C@H](F)(Cl)Br": ChiralCW, "F[C@H](Cl)Br": ChiralCCW, "C[C@H]1CCCCO1": ChiralCW} {
		m, _ := Parse(smi)
		idx := 0
		if smi[0] != '[' {
			idx = 1
		}
		if m.Atoms[idx].Chiral != want {
			t.Errorf("%s: tag %d, want %d", smi, m.Atoms[idx].Chiral, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		smi string
		pos int
		msg string
	}{
		{"", -1, "empty"},
		{"C(", 2, "unclosed branch"},
		{"C1CC", 1, "never closed"},
		{"C)", 1, "without a matching"},
		{"C==C", 2, "second bond symbol"},
		{"[Xx]", 1, "unknown element"},
		{"C[C", 1, "unterminated"},
		{"CC(C)(C)(C)(C)C", 6, "valence"},
		{"c1cccc1", -1, "kekulize"},
		{"C&C", 1, "unexpected character"},
	}
	for _, c := range cases {
		_, err := Parse(c.smi)
		var se *SyntaxError
		if err == nil || !errors.As(err, &se) {
			t.Errorf("%q: err = %v, want *SyntaxError", c.smi, err)
			continue
		}
		if !strings.Contains(se.Msg, c.msg) {
			t.Errorf("%q: %v, want message with %q", c.smi, err, c.msg)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"CCO", "c1ccccc1", "F/C=C/F", "[C@@H](N)(C)C(=O)O", "C%12CC%12", "[2H]C.[Na+]", "O=c1cc[nH]cc1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 200 {
			return
		}
		m, err := Parse(s)
		if err != nil {
			return
		}
		for b := range m.Bonds {
			m.OGBBond(b)
		}
		for a := range m.Atoms {
			m.OGBAtom(a)
		}
		m.ScaffoldKey()
	})
}
