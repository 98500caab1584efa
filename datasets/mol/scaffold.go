package mol

import "math"

// Scaffold returns the Bemis–Murcko scaffold of m as RDKit's
// MurckoDecompose builds it (the scaffold pretrain-gnns and deepchem split
// on): ring atoms, the atoms on paths between rings, and atoms joined to
// those by a double bond; hydrogens replace the removed substituents, and
// a kept atom that loses a substituent loses its chirality tag. The
// scaffold is then cleaned like RDKit's MolToSmiles does before writing
// (chirality only on remaining stereocentres). A molecule without rings
// has an empty scaffold (no atoms).
func (m *Mol) Scaffold() *Mol {
	n := len(m.Atoms)
	keep := make([]bool, n)
	deg := make([]int, n)
	for a := 0; a < n; a++ {
		deg[a] = m.Degree(a)
		keep[a] = true
	}
	// Prune non-ring atoms of degree <= 1 until none is left: what
	// remains are ring atoms and linkers between ring systems.
	stack := make([]int, 0, n)
	for a := 0; a < n; a++ {
		if !m.Atoms[a].InRing && deg[a] <= 1 {
			stack = append(stack, a)
			keep[a] = false
		}
	}
	for len(stack) > 0 {
		a := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, bi := range m.AtomBonds(a) {
			o := m.Bonds[bi].Other(a)
			if !keep[o] {
				continue
			}
			deg[o]--
			if !m.Atoms[o].InRing && deg[o] <= 1 {
				keep[o] = false
				stack = append(stack, o)
			}
		}
	}
	// A component without rings leaves nothing (RDKit: no path between
	// rings); a chain between two ring systems stays.
	hasRing := false
	for a := 0; a < n; a++ {
		if m.Atoms[a].InRing {
			hasRing = true
			break
		}
	}
	if !hasRing {
		return &Mol{}
	}
	// The scaffold: kept atoms and the atoms double-bonded to them.
	inScaf := make([]bool, n)
	for a := 0; a < n; a++ {
		if keep[a] {
			inScaf[a] = true
			continue
		}
		for _, bi := range m.AtomBonds(a) {
			if b := &m.Bonds[bi]; b.Type == Double && keep[b.Other(a)] {
				inScaf[a] = true
				break
			}
		}
	}
	// Hydrogens replace every removed neighbour of a scaffold atom, the
	// atoms added for their double bond included (O=CC=C(Ar)Ar and
	// ClC(Cl)=C(Ar)Ar both give C=C(Ar)Ar, =CH2).
	atoms := make([]Atom, n)
	copy(atoms, m.Atoms)
	rehydrate := make([]bool, n)
	for a := 0; a < n; a++ {
		if inScaf[a] {
			continue
		}
		for _, bi := range m.AtomBonds(a) {
			b := &m.Bonds[bi]
			o := b.Other(a)
			if !inScaf[o] {
				continue
			}
			nb := &atoms[o]
			nb.NumHs += b.kekule
			if nb.Aromatic && nb.Element != 6 {
				nb.ExplicitH = 1
			} else if nb.Aromatic && nb.Element == 6 && nb.Charge == 1 {
				nb.ExplicitH = 1
			} else if nb.Bracket || nb.Chiral != ChiralUnspecified {
				// RDKit lets the atom take implicit hydrogens again and
				// recomputes them from its valence (below): Cl2[Bi]Ph3
				// gives [Bi]Ph3, not a BiH2.
				rehydrate[o] = nb.Bracket
				nb.Bracket = false
				nb.ExplicitH = 0
				nb.Chiral = ChiralUnspecified
			}
		}
	}
	idx := make([]int, n)
	var orig []int // scaffold atom -> atom of m
	s := &Mol{}
	for a := 0; a < n; a++ {
		idx[a] = -1
		if inScaf[a] {
			idx[a] = len(s.Atoms)
			s.Atoms = append(s.Atoms, atoms[a])
			orig = append(orig, a)
		}
	}
	for _, b := range m.Bonds {
		if inScaf[b.Begin] && inScaf[b.End] {
			if b.Stereo != StereoNone && !m.directionSurvives(b, inScaf) {
				// RDKit writes a scaffold's E/Z from the / and \ marks left
				// on its single bonds: with every marked bond of one end
				// removed, the stereo is gone (CC/C(=C(/CC)Ar)Ar gives
				// C(=CAr)Ar), even when the substituents left could define it.
				b.Stereo = StereoNone
			}
			if b.Stereo != StereoNone {
				// A removed reference substituent is replaced by the
				// other one on its end, on the opposite side.
				flip := false
				ok := true
				for k, end := range [2]int{b.Begin, b.End} {
					sa := b.stereoAtoms[k]
					if inScaf[sa] {
						continue
					}
					alt := -1
					for _, oi := range m.AtomBonds(end) {
						o := m.Bonds[oi].Other(end)
						if o != sa && o != b.Other(end) && inScaf[o] {
							alt = o
						}
					}
					if alt < 0 {
						ok = false
						break
					}
					b.stereoAtoms[k] = alt
					flip = !flip
				}
				switch {
				case !ok:
					b.Stereo = StereoNone
				case flip && b.Stereo == StereoE:
					b.Stereo = StereoZ
				case flip && b.Stereo == StereoZ:
					b.Stereo = StereoE
				}
				if b.Stereo != StereoNone {
					b.stereoAtoms = [2]int{idx[b.stereoAtoms[0]], idx[b.stereoAtoms[1]]}
				}
			}
			b.Begin, b.End = idx[b.Begin], idx[b.End]
			s.Bonds = append(s.Bonds, b)
		}
	}
	s.buildAdjacency()
	// Ring membership and aromaticity are unchanged (every ring atom is
	// kept); valences follow the kept bonds.
	for a := range s.Atoms {
		at := &s.Atoms[a]
		v := at.ExplicitH
		for _, bi := range s.AtomBonds(a) {
			v += s.Bonds[bi].kekule
		}
		at.valence = v
		if rehydrate[orig[a]] {
			ev := v
			if at.Aromatic {
				// RDKit counts an aromatic bond 1.5 here, not its Kekulé
				// order: a [c-] that loses its substituent keeps no H.
				ev = aromaticValence(s, a, at.ExplicitH)
			}
			if h, ok := implicitHs(at.Element, at.Charge, at.Radicals, ev, at.Aromatic); ok {
				at.NumHs = h
			}
		}
	}
	s.findRingBonds()
	s.findRings()
	anyChiral := false
	for a := range s.Atoms {
		if c := s.Atoms[a].Chiral; c == ChiralCW || c == ChiralCCW {
			anyChiral = true
		}
	}
	anyStereo := false
	for _, b := range s.Bonds {
		if b.Stereo != StereoNone {
			anyStereo = true
		}
	}
	if anyChiral || anyStereo {
		ranks := s.cipRanks()
		if anyChiral {
			s.cleanChirality(ranks)
		}
		for bi := range s.Bonds {
			b := &s.Bonds[bi]
			if b.Stereo != StereoNone && (!s.stereoEndOK(b.Begin, bi, ranks) || !s.stereoEndOK(b.End, bi, ranks)) {
				b.Stereo = StereoNone
			}
		}
	}
	return s
}

// ScaffoldKey returns a canonical string for m's Bemis–Murcko scaffold
// with chirality (what RDKit's MurckoScaffoldSmiles(includeChirality=True)
// distinguishes): equal keys iff equal scaffolds. It is not a SMILES; the
// empty string is the scaffold of acyclic molecules.
func (m *Mol) ScaffoldKey() string {
	s := m.Scaffold()
	if len(s.Atoms) == 0 {
		return ""
	}
	return s.CanonicalKey()
}

// stereoEndOK reports whether atom a can still carry the stereo of
// double bond dbl: one or two other neighbours, of different ranks.
func (m *Mol) stereoEndOK(a, dbl int, ranks []int) bool {
	var r []int
	for _, bi := range m.AtomBonds(a) {
		if bi != dbl {
			r = append(r, ranks[m.Bonds[bi].Other(a)])
		}
	}
	switch len(r) {
	case 1:
		return true
	case 2:
		return r[0] != r[1]
	}
	return false
}

// directionSurvives reports whether each end of the double bond b keeps,
// among the single bonds to atoms in the scaffold, one that carried a / or
// \ mark in the SMILES (Dir set): RDKit re-derives a scaffold's E/Z from
// those marks when it writes the scaffold.
func (m *Mol) directionSurvives(b Bond, inScaf []bool) bool {
	for _, end := range [2]int{b.Begin, b.End} {
		found := false
		for _, oi := range m.AtomBonds(end) {
			ob := &m.Bonds[oi]
			if o := ob.Other(end); o != b.Other(end) && inScaf[o] && ob.Dir != DirNone {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// aromaticValence is RDKit's explicit valence of an aromatic atom: its
// explicit hydrogens and bond orders with aromatic bonds counted 1.5,
// rounded.
func aromaticValence(m *Mol, a, explicitH int) int {
	twice := 2 * explicitH
	for _, bi := range m.AtomBonds(a) {
		b := &m.Bonds[bi]
		if b.Type == Aromatic {
			twice += 3
		} else {
			twice += 2 * b.kekule
		}
	}
	return int(math.Round(float64(twice)/2 + 0.1))
}
