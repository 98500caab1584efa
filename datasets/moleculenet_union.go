package datasets

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/nongrid/jepa/datasets/mol"
)

// CanonicalKeys returns every molecule's mol.CanonicalKey (equal for two
// molecules iff they are the same graph with the same atoms, bonds and
// stereo, whatever their SMILES), computed on GOMAXPROCS goroutines.
func (s *MoleculeSet) CanonicalKeys() []string {
	return parallelKeys(s.Mols, (*mol.Mol).CanonicalKey)
}

func parallelKeys(mols []*mol.Mol, key func(*mol.Mol) string) []string {
	keys := make([]string, len(mols))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(keys)/64))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(keys); i += workers {
				keys[i] = key(mols[i])
			}
		}(w)
	}
	wg.Wait()
	return keys
}

// MoleculeUnionName is the name graphjepa gives the union of MoleculeNet
// files; graphjepa.PresetFor maps it to the MOLECULES preset.
const MoleculeUnionName = "moleculenet"

// UnionPart counts what UnionMolecules took from one input set.
type UnionPart struct {
	Name      string `json:"name"`
	Molecules int    `json:"molecules"`  // parsed molecules of the set
	Kept      int    `json:"kept"`       // added to the union
	Duplicate int    `json:"duplicates"` // already in the union (an earlier set or row)
	Excluded  int    `json:"excluded"`   // their canonical key was in exclude
}

// UnionMolecules returns the unlabelled union of sets for self-supervised
// pre-training: every molecule once (by CanonicalKey, the first occurrence
// kept, in set then row order), leaving out every molecule whose key is in
// exclude (for example the test splits of the sets to be evaluated, so
// that no test molecule is seen in pre-training). keys[i], if not nil,
// holds the canonical keys of sets[i] (CanonicalKeys), saving their
// computation. The sets must share one featurisation; the union has no
// tasks, and its Lines are those of the source files (Sources names the
// file of each molecule).
func UnionMolecules(name string, sets []*MoleculeSet, keys [][]string, exclude map[string]bool) (*MoleculeSet, []string, []UnionPart, error) {
	if len(sets) == 0 {
		return nil, nil, nil, errors.New("datasets: UnionMolecules: no sets")
	}
	u := &MoleculeSet{GraphSet: &GraphSet{Name: name, Format: sets[0].Format, F: sets[0].F, EF: sets[0].EF,
		NumNodeLabels: sets[0].NumNodeLabels, NumEdgeLabels: sets[0].NumEdgeLabels}}
	var sources []string
	seen := map[string]bool{}
	parts := make([]UnionPart, len(sets))
	for si, s := range sets {
		if s.F != u.F || s.EF != u.EF {
			return nil, nil, nil, fmt.Errorf("datasets: UnionMolecules: %s has feature widths %d/%d (node/edge), %s %d/%d: load every set with the same features",
				s.Name, s.F, s.EF, sets[0].Name, u.F, u.EF)
		}
		var k []string
		if si < len(keys) && keys[si] != nil {
			k = keys[si]
		} else {
			k = s.CanonicalKeys()
		}
		if len(k) != len(s.Mols) {
			return nil, nil, nil, fmt.Errorf("datasets: UnionMolecules: %d keys for the %d molecules of %s", len(k), len(s.Mols), s.Name)
		}
		p := UnionPart{Name: s.Name, Molecules: len(s.Mols)}
		for i, key := range k {
			switch {
			case exclude[key]:
				p.Excluded++
			case seen[key]:
				p.Duplicate++
			default:
				seen[key] = true
				p.Kept++
				u.Graphs = append(u.Graphs, s.Graphs[i])
				u.SMILES = append(u.SMILES, s.SMILES[i])
				u.Lines = append(u.Lines, s.Lines[i])
				u.Mols = append(u.Mols, s.Mols[i])
				sources = append(sources, s.Source)
			}
		}
		u.Rows += s.Rows
		parts[si] = p
	}
	if len(u.Graphs) == 0 {
		return nil, nil, parts, errors.New("datasets: UnionMolecules: every molecule was excluded")
	}
	return u, sources, parts, nil
}
