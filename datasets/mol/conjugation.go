package mol

// atomConjugCandidate is RDKit's isAtomConjugCand: first-row atoms (and
// later ones outside the nitrogen and oxygen groups, or chalcogens of
// degree < 2) that have π electrons to share.
func (m *Mol) atomConjugCandidate(a int) bool {
	at := &m.Atoms[a]
	nouter := outerElectrons(at.Element)
	ok := at.Element <= 10 || (nouter != 5 && nouter != 6) || (nouter == 6 && m.Degree(a)+at.NumHs < 2)
	return ok && m.countAtomElec(a) > 0
}

// valenceContrib is the bond's contribution after aromaticity (1.5 for
// aromatic).
func (b *Bond) valenceContrib() float64 {
	if b.Type == Aromatic {
		return 1.5
	}
	return float64(b.Type)
}

// setConjugation is RDKit's MolOps::setConjugation: aromatic bonds, and
// a multiple bond with an adjacent single bond at a 2- or 3-coordinate
// atom whose other neighbour is a conjugation candidate.
func (m *Mol) setConjugation() {
	for i := range m.Bonds {
		m.Bonds[i].Conjugated = m.Bonds[i].Type == Aromatic
	}
	for a := range m.Atoms {
		if !m.atomConjugCandidate(a) {
			continue
		}
		sbo := m.Degree(a) + m.Atoms[a].NumHs
		if sbo < 2 || sbo > 3 {
			continue
		}
		for _, b1 := range m.AtomBonds(a) {
			if m.Bonds[b1].valenceContrib() < 1.5 {
				continue
			}
			for _, b2 := range m.AtomBonds(a) {
				if b1 == b2 {
					continue
				}
				o := m.Bonds[b2].Other(a)
				if m.Degree(o)+m.Atoms[o].NumHs > 3 {
					continue
				}
				if m.atomConjugCandidate(o) {
					m.Bonds[b1].Conjugated = true
					m.Bonds[b2].Conjugated = true
				}
			}
		}
	}
}

// setHybridization is RDKit's MolOps::setHybridization (bonds plus lone
// pairs; four orbitals next to a conjugated bond count as SP2 for atoms of
// total degree ≤ 3).
func (m *Mol) setHybridization() {
	for a := range m.Atoms {
		at := &m.Atoms[a]
		if at.Element == 0 {
			at.Hybrid = HybridUnspecified
			continue
		}
		deg := m.Degree(a) + at.NumHs
		norbs := deg
		if at.Element > 1 && at.Element < 89 {
			nouter := outerElectrons(at.Element)
			tv := at.valence + at.NumHs - at.ExplicitH
			// negative for hypervalent atoms, as in RDKit (C++ and Go both
			// truncate the halving below toward zero)
			free := nouter - (tv + at.Charge)
			if tv+nouter-at.Charge < 8 {
				norbs = deg + (free-at.Radicals)/2 + at.Radicals
			} else {
				norbs = deg + free/2
			}
		}
		switch norbs {
		case 0, 1:
			at.Hybrid = HybridS
		case 2:
			at.Hybrid = HybridSP
		case 3:
			at.Hybrid = HybridSP2
		case 4:
			conj := false
			for _, bi := range m.AtomBonds(a) {
				if m.Bonds[bi].Conjugated {
					conj = true
					break
				}
			}
			if deg > 3 || !conj {
				at.Hybrid = HybridSP3
			} else {
				at.Hybrid = HybridSP2
			}
		case 5:
			at.Hybrid = HybridSP3D
		case 6:
			at.Hybrid = HybridSP3D2
		default:
			at.Hybrid = HybridUnspecified
		}
	}
}
