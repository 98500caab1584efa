package mol

// kekulize assigns single and double orders to the bonds written
// aromatic, following RDKit's Kekulize: atoms that can take a double
// bond are those whose bond-order sum (aromatic bonds counted once),
// hydrogens and radicals fall short of the default valence (raised
// through the allowed valences to cover the total valence); the double
// bonds are a perfect matching of those atoms over aromatic bonds.
func (m *Mol) kekulize(arom []bool, total []int) bool {
	n := len(m.Atoms)
	hasArom := false
	for i := range m.Bonds {
		if m.Bonds[i].Type == Aromatic {
			hasArom = true
			break
		}
	}
	if !hasArom {
		return true
	}
	cand := make([]bool, n)
	for a := 0; a < n; a++ {
		if !arom[a] {
			continue
		}
		at := &m.Atoms[a]
		sbo, nArom := 0, 0
		for _, bi := range m.AtomBonds(a) {
			b := &m.Bonds[bi]
			if b.Type == Aromatic {
				sbo++
				nArom++
			} else {
				sbo += b.kekule
			}
		}
		if nArom == 0 {
			continue
		}
		sbo += at.NumHs
		z := at.Element
		if z == 0 {
			cand[a] = true // dummies can take a double bond
			continue
		}
		dv := defaultValence(z)
		if dv < 0 {
			continue
		}
		chr := chargeShift(z, at.Charge)
		dv += chr
		vl := valenceList(z)
		for vi := 1; total[a] > dv && vi < len(vl) && vl[vi] > 0; vi++ {
			dv = vl[vi] + chr
		}
		totalDegree := m.Degree(a) + (at.NumHs - at.ExplicitH)
		if totalDegree+at.Radicals >= dv {
			continue
		}
		if sbo+at.Radicals < dv {
			cand[a] = true
		}
	}
	// Perfect matching of the candidates over aromatic bonds.
	mate := make([]int, n)
	for i := range mate {
		mate[i] = -1
	}
	var order []int
	for a := 0; a < n; a++ {
		if cand[a] {
			order = append(order, a)
		}
	}
	budget := 200000
	var solve func(k int) bool
	solve = func(k int) bool {
		for k < len(order) && mate[order[k]] >= 0 {
			k++
		}
		if k == len(order) {
			return true
		}
		budget--
		if budget < 0 {
			return false
		}
		a := order[k]
		for _, bi := range m.AtomBonds(a) {
			b := &m.Bonds[bi]
			if b.Type != Aromatic {
				continue
			}
			o := b.Other(a)
			if !cand[o] || mate[o] >= 0 {
				continue
			}
			mate[a], mate[o] = bi, bi
			if solve(k + 1) {
				return true
			}
			mate[a], mate[o] = -1, -1
		}
		// Dummy atoms may stay without a double bond.
		if m.Atoms[a].Element == 0 {
			return solve(k + 1)
		}
		return false
	}
	if !solve(0) {
		return false
	}
	for i := range m.Bonds {
		b := &m.Bonds[i]
		if b.Type != Aromatic {
			continue
		}
		if mate[b.Begin] == i {
			b.kekule = 2
		} else {
			b.kekule = 1
		}
		b.Type = BondType(b.kekule)
	}
	return true
}
