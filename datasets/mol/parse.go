package mol

import (
	"fmt"
	"slices"
)

// Parse reads one SMILES string (OpenSMILES: organic-subset and bracket
// atoms with isotope, chirality, hydrogen count, charge and class;
// aromatic atoms; bonds - = # $ : / \; branches; ring closures 0-9, %nn
// and %(n); '.' for disconnected parts) and sanitises it as RDKit's
// MolFromSmiles does: implicit hydrogens from default valences,
// kekulisation, radicals, ring perception, RDKit's default aromaticity
// model, conjugation, hybridisation, and stereochemistry clean-up
// (chirality tags only on possible stereocentres, bond directions only
// around stereo double bonds, E/Z from CIP-like ranks).
//
// Errors are *SyntaxError values naming the byte position and what was
// expected; Parse never panics on any input.
func Parse(smiles string) (*Mol, error) {
	// Every atom has at least one letter (or is '*'): capacities from that
	// bound spare the appends their regrowth.
	n := 0
	for i := 0; i < len(smiles); i++ {
		if c := smiles[i] | 0x20; c >= 'a' && c <= 'z' || smiles[i] == '*' {
			n++
		}
	}
	p := parser{s: smiles, atoms: make([]Atom, 0, n), w: make([]written, 0, n), chain: make([]rawBond, 0, n)}
	if err := p.parse(); err != nil {
		return nil, err
	}
	// RDKit adds ring-closure bonds after the chain bonds, ordered by
	// ring-closure number, then by occurrence.
	slices.SortStableFunc(p.closures, func(x, y rawBond) int { return x.ring - y.ring })
	raw := append(p.chain, p.closures...)
	raw = p.removeHs(raw)
	m := &Mol{Atoms: p.atoms}
	m.Bonds = make([]Bond, 0, len(raw))
	for _, r := range raw {
		b := Bond{Begin: r.a, End: r.b}
		switch r.sym {
		case 0:
			if p.w[r.a].aromatic && p.w[r.b].aromatic {
				b.Type = Aromatic
			} else {
				b.Type, b.kekule = Single, 1
			}
		case '-':
			b.Type, b.kekule = Single, 1
		case '/':
			b.Type, b.kekule, b.Dir = Single, 1, DirUpRight
		case '\\':
			b.Type, b.kekule, b.Dir = Single, 1, DirDownRight
		case '=':
			b.Type, b.kekule = Double, 2
		case '#':
			b.Type, b.kekule = Triple, 3
		case '$':
			b.Type, b.kekule = Quadruple, 4
		case ':':
			b.Type = Aromatic
		}
		if b.Type == Aromatic && !(p.w[r.a].aromatic && p.w[r.b].aromatic) {
			return nil, p.errf(r.pos, "aromatic bond between atoms that are not both aromatic")
		}
		m.Bonds = append(m.Bonds, b)
	}
	m.buildAdjacency()
	m.cleanUp(&p)
	if err := m.sanitize(&p); err != nil {
		return nil, err
	}
	return m, nil
}

// sanitize runs RDKit's sanitisation steps on a freshly parsed molecule.
func (m *Mol) sanitize(p *parser) error {
	n := len(m.Atoms)
	arom := make([]bool, n)
	for a := range arom {
		arom[a] = p.w[a].aromatic
	}
	// Valences and implicit hydrogens, aromatic bonds counted 1.5.
	total := make([]int, n)
	for a := 0; a < n; a++ {
		at := &m.Atoms[a]
		ev, ok := m.explicitValence(a, arom[a])
		if !ok {
			return p.errf(p.w[a].pos, "explicit valence %d of %s is greater than permitted", ev, m.atomName(a))
		}
		at.NumHs = at.ExplicitH
		if !at.Bracket {
			h, ok := implicitHs(at.Element, at.Charge, 0, ev, arom[a])
			if !ok {
				return p.errf(p.w[a].pos, "explicit valence %d of aromatic %s is not an allowed valence", ev, m.atomName(a))
			}
			at.NumHs += h
		}
		total[a] = ev + at.NumHs - at.ExplicitH
	}
	if !m.kekulize(arom, total) {
		return p.errf(-1, "cannot kekulize the aromatic system (check aromatic atoms and [nH])")
	}
	for a := 0; a < n; a++ {
		ev := m.Atoms[a].ExplicitH
		for _, bi := range m.AtomBonds(a) {
			ev += m.Bonds[bi].kekule
		}
		m.Atoms[a].valence = ev
	}
	m.findRingBonds()
	for a := 0; a < n; a++ {
		if arom[a] && !m.Atoms[a].InRing {
			return p.errf(p.w[a].pos, "non-ring %s marked aromatic", m.atomName(a))
		}
	}
	m.findRings()
	m.assignRadicals()
	m.perceiveAromaticity()
	m.setConjugation()
	m.setHybridization()
	m.assignStereo(p)
	return nil
}

func (m *Mol) atomName(a int) string {
	return fmt.Sprintf("atom %d (%s)", a, Symbol(m.Atoms[a].Element))
}

// removeHs drops explicit hydrogen atoms written as [H] that RDKit's
// MolFromSmiles removes (no isotope, no charge, one bond to a non-hydrogen
// atom), moving them into the neighbour's hydrogen count; a chiral
// neighbour sees the hydrogen as its implicit one. It renumbers the atoms
// and returns the remaining raw bonds.
func (p *parser) removeHs(raw []rawBond) []rawBond {
	n := len(p.atoms)
	deg := make([]int, n)
	for _, r := range raw {
		deg[r.a]++
		deg[r.b]++
	}
	remove := make([]bool, n)
	nrem := 0
	for _, r := range raw {
		for _, pair := range [2][2]int{{r.a, r.b}, {r.b, r.a}} {
			h, o := pair[0], pair[1]
			at := &p.atoms[h]
			if at.Element != 1 || at.Isotope != 0 || at.Charge != 0 || deg[h] != 1 || at.ExplicitH != 0 || p.w[h].chiral != 0 {
				continue
			}
			if p.atoms[o].Element == 1 || r.sym == '=' || r.sym == '#' || isDir(r.sym) {
				continue
			}
			if !remove[h] {
				remove[h] = true
				nrem++
				if p.atoms[o].Bracket {
					p.atoms[o].ExplicitH++
				}
				for k, x := range p.w[o].nbrs {
					if x == h {
						p.w[o].nbrs[k] = -1
					}
				}
			}
		}
	}
	if nrem == 0 || nrem == n {
		return raw
	}
	newIdx := make([]int, n)
	k := 0
	for i := 0; i < n; i++ {
		if remove[i] {
			newIdx[i] = -1
			continue
		}
		newIdx[i] = k
		p.atoms[k] = p.atoms[i]
		p.w[k] = p.w[i]
		k++
	}
	p.atoms, p.w = p.atoms[:k], p.w[:k]
	for i := range p.w {
		for j, x := range p.w[i].nbrs {
			if x >= 0 {
				p.w[i].nbrs[j] = newIdx[x]
			}
		}
	}
	out := raw[:0]
	for _, r := range raw {
		if remove[r.a] || remove[r.b] {
			continue
		}
		r.a, r.b = newIdx[r.a], newIdx[r.b]
		out = append(out, r)
	}
	return out
}

// cleanUp is RDKit's MolOps::cleanUp for the groups SMILES often writes
// in hypervalent form: a neutral N of valence 5 takes a +1 charge and turns
// its first double bond to a neutral O (nitro, N-oxide) into O⁻, or its
// first triple bond to N into a double bond with N⁻ (azide); a neutral
// Cl, Br or I of valence 3, 5 or 7 with only O neighbours turns each =O
// into O⁻ and takes one + charge per O⁻.
func (m *Mol) cleanUp(p *parser) {
	for a := range m.Atoms {
		at := &m.Atoms[a]
		if at.Charge != 0 {
			continue
		}
		switch at.Element {
		case 7:
			if ev, _ := m.explicitValence(a, p.w[a].aromatic); ev != 5 {
				continue
			}
			for _, bi := range m.AtomBonds(a) {
				b := &m.Bonds[bi]
				o := &m.Atoms[b.Other(a)]
				if b.Type == Double && o.Element == 8 && o.Charge == 0 {
					b.Type, b.kekule = Single, 1
					o.Charge, at.Charge = -1, 1
					break
				}
				if b.Type == Triple && o.Element == 7 && o.Charge == 0 {
					b.Type, b.kekule = Double, 2
					o.Charge, at.Charge = -1, 1
					break
				}
			}
		case 17, 35, 53:
			ev, _ := m.explicitValence(a, p.w[a].aromatic)
			if ev != 3 && ev != 5 && ev != 7 {
				continue
			}
			allO := true
			for _, bi := range m.AtomBonds(a) {
				if m.Atoms[m.Bonds[bi].Other(a)].Element != 8 {
					allO = false
				}
			}
			if !allO {
				continue
			}
			for _, bi := range m.AtomBonds(a) {
				b := &m.Bonds[bi]
				if b.Type == Double {
					b.Type, b.kekule = Single, 1
					m.Atoms[b.Other(a)].Charge = -1
					at.Charge++
				}
			}
		}
	}
}
