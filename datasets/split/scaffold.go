package split

import (
	"fmt"
	"math"
	"slices"
)

// MoleculeSplitConfig gives the train/valid/test fractions of the molecule
// splits. The zero value means 0.8/0.1/0.1, the split of pretrain-gnns and
// deepchem; fractions must be non-negative and sum to 1.
type MoleculeSplitConfig struct {
	Train, Valid, Test float64
}

func (c MoleculeSplitConfig) fractions() (float64, float64, float64, error) {
	if c == (MoleculeSplitConfig{}) {
		return 0.8, 0.1, 0.1, nil
	}
	if c.Train < 0 || c.Valid < 0 || c.Test < 0 || math.Abs(c.Train+c.Valid+c.Test-1) > 1e-7 {
		return 0, 0, 0, fmt.Errorf("split: fractions %v/%v/%v must be non-negative and sum to 1", c.Train, c.Valid, c.Test)
	}
	return c.Train, c.Valid, c.Test, nil
}

// MoleculeSplit is a train/valid/test partition of molecule indices.
type MoleculeSplit struct {
	Train, Valid, Test []int
}

// scaffoldSets groups indices by key, in order of first appearance; each
// set ascending.
func scaffoldSets(keys []string) [][]int {
	pos := make(map[string]int, len(keys)/2+1)
	var sets [][]int
	for i, k := range keys {
		j, ok := pos[k]
		if !ok {
			j = len(sets)
			pos[k] = j
			sets = append(sets, nil)
		}
		sets[j] = append(sets[j], i)
	}
	return sets
}

// ScaffoldSplit is the deterministic scaffold split of pretrain-gnns
// (chem/splitters.py scaffold_split) and deepchem's ScaffoldSplitter:
// molecules are grouped by scaffold key (keys[i] for molecule i; use
// mol.ScaffoldKey, which includes chirality as pretrain-gnns does), the
// groups sorted by size, largest first, ties broken by the larger first
// index first; groups fill train while it stays within Train·n, then valid
// within (Train+Valid)·n, the rest go to test. Indices within each part
// are in group order.
func ScaffoldSplit(keys []string, cfg MoleculeSplitConfig) (MoleculeSplit, error) {
	ft, fv, _, err := cfg.fractions()
	if err != nil {
		return MoleculeSplit{}, err
	}
	sets := scaffoldSets(keys)
	slices.SortStableFunc(sets, func(a, b []int) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return b[0] - a[0]
	})
	n := float64(len(keys))
	trainCut, validCut := ft*n, (ft+fv)*n
	var s MoleculeSplit
	for _, set := range sets {
		switch {
		case float64(len(s.Train)+len(set)) > trainCut:
			if float64(len(s.Train)+len(s.Valid)+len(set)) > validCut {
				s.Test = append(s.Test, set...)
			} else {
				s.Valid = append(s.Valid, set...)
			}
		default:
			s.Train = append(s.Train, set...)
		}
	}
	return s, nil
}

// RandomScaffoldSplit is pretrain-gnns' random_scaffold_split: the
// scaffold groups, in order of first appearance, are permuted by
// numpy.random.RandomState(seed).permutation; each group goes to valid
// while valid stays within floor(Valid·n), else to test within
// floor(Test·n), else to train.
func RandomScaffoldSplit(keys []string, seed uint32, cfg MoleculeSplitConfig) (MoleculeSplit, error) {
	_, fv, fte, err := cfg.fractions()
	if err != nil {
		return MoleculeSplit{}, err
	}
	sets := scaffoldSets(keys)
	perm := NewNumpyRandomState(seed).Permutation(len(sets))
	n := float64(len(keys))
	nValid, nTest := int(math.Floor(fv*n)), int(math.Floor(fte*n))
	var s MoleculeSplit
	for _, p := range perm {
		set := sets[p]
		switch {
		case len(s.Valid)+len(set) <= nValid:
			s.Valid = append(s.Valid, set...)
		case len(s.Test)+len(set) <= nTest:
			s.Test = append(s.Test, set...)
		default:
			s.Train = append(s.Train, set...)
		}
	}
	return s, nil
}

// RandomSplit is pretrain-gnns' random_split: Python's random.seed(seed)
// then random.shuffle of 0..n-1; the first int(Train·n) indices train, the
// next int(Valid·n) valid, the rest test.
func RandomSplit(n int, seed uint32, cfg MoleculeSplitConfig) (MoleculeSplit, error) {
	ft, fv, _, err := cfg.fractions()
	if err != nil {
		return MoleculeSplit{}, err
	}
	if n < 0 {
		return MoleculeSplit{}, fmt.Errorf("split: negative molecule count %d", n)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	newPythonRandom(seed).shuffle(idx)
	nt, nv := int(ft*float64(n)), int(fv*float64(n))
	return MoleculeSplit{Train: idx[:nt:nt], Valid: idx[nt : nt+nv : nt+nv], Test: idx[nt+nv:]}, nil
}

// pythonRandom is CPython's random.Random: MT19937 seeded by
// init_by_array from the absolute value of an integer seed.
type pythonRandom struct{ NumpyRandomState }

func newPythonRandom(seed uint32) *pythonRandom {
	r := &pythonRandom{}
	r.Seed(19650218)
	key := []uint32{seed}
	k := &r.key
	i, j := 1, 0
	for c := max(mtN, len(key)); c > 0; c-- {
		k[i] = (k[i] ^ ((k[i-1] ^ (k[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= mtN {
			k[0] = k[mtN-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for c := mtN - 1; c > 0; c-- {
		k[i] = (k[i] ^ ((k[i-1] ^ (k[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= mtN {
			k[0] = k[mtN-1]
			i = 1
		}
	}
	k[0] = 0x80000000
	r.pos = mtN
	return r
}

// randbelow is random._randbelow_with_getrandbits for n < 2³².
func (r *pythonRandom) randbelow(n int) int {
	b := 0
	for v := n; v > 0; v >>= 1 {
		b++
	}
	for {
		x := int(r.Uint32() >> (32 - b))
		if x < n {
			return x
		}
	}
}

// shuffle is random.shuffle.
func (r *pythonRandom) shuffle(x []int) {
	for i := len(x) - 1; i > 0; i-- {
		j := r.randbelow(i + 1)
		x[i], x[j] = x[j], x[i]
	}
}
