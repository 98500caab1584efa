package mol

import "slices"

// cipRanks is RDKit's legacy CIP-like ranking (Chirality::assignAtomCIPRanks):
// atoms ranked by atomic number, isotope and atom class, then refined by
// their neighbours' ranks in descending order, each repeated twice the bond
// order (aromatic 3), hydrogens as rank 0 entries, until the number of
// classes stops growing.
func (m *Mol) cipRanks() []int {
	n := len(m.Atoms)
	inv := make([]int, n)
	for a := range m.Atoms {
		at := &m.Atoms[a]
		mass := 0
		if at.Isotope != 0 {
			mass = at.Isotope - rdCommonIsotope[at.Element]
			if mass >= 0 {
				mass++
			}
		}
		mass += 8
		if mass < 0 {
			mass = 0
		} else {
			mass %= 16
		}
		inv[a] = (at.Element%128)<<14 | mass<<10 | at.Class%1024
	}
	return m.refineRanks(inv)
}

// refineRanks ranks the atoms by the invariants inv, then refines the
// ranks by the neighbours' (RDKit's iterateCIPRanks).
func (m *Mol) refineRanks(inv []int) []int {
	n := len(m.Atoms)
	ranks := denseRanks(n, func(i, j int) int { return inv[i] - inv[j] })
	numRanks := countDistinct(ranks)
	entries := make([][]int, n)
	last := -1
	for it := 0; numRanks < n && it < n && last < numRanks; it++ {
		longest := 0
		for a := 0; a < n; a++ {
			e := entries[a][:0]
			e = append(e, ranks[a])
			start := len(e)
			for _, bi := range m.AtomBonds(a) {
				b := &m.Bonds[bi]
				cnt := 2 * int(b.Type)
				if b.Type == Aromatic {
					cnt = 3
				}
				r := ranks[b.Other(a)] + 1
				for k := 0; k < cnt; k++ {
					e = append(e, r)
				}
			}
			slices.SortFunc(e[start:], func(x, y int) int { return y - x })
			for k := 0; k < m.Atoms[a].NumHs; k++ {
				e = append(e, 0)
			}
			entries[a] = e
			longest = max(longest, len(e))
		}
		for a := range entries {
			for len(entries[a]) < longest {
				entries[a] = append(entries[a], -1)
			}
		}
		last = numRanks
		ranks = denseRanks(n, func(i, j int) int { return slices.Compare(entries[i], entries[j]) })
		numRanks = countDistinct(ranks)
	}
	return ranks
}

// denseRanks ranks 0..n-1 by cmp: equal items share a rank, ranks are
// 0..k-1.
func denseRanks(n int, cmp func(i, j int) int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, cmp)
	ranks := make([]int, n)
	r := 0
	for k, i := range idx {
		if k > 0 && cmp(idx[k-1], i) != 0 {
			r++
		}
		ranks[i] = r
	}
	return ranks
}

func countDistinct(ranks []int) int {
	mx := -1
	for _, r := range ranks {
		mx = max(mx, r)
	}
	return mx + 1
}

// permutationParity returns true when b is an odd permutation of a
// (both lists of distinct values, same length).
func permutationParity(a, b []int) bool {
	p := slices.Clone(a)
	odd := false
	for i := range p {
		if p[i] == b[i] {
			continue
		}
		j := slices.Index(p[i+1:], b[i]) + i + 1
		if j <= i {
			return false
		}
		p[i], p[j] = p[j], p[i]
		odd = !odd
	}
	return odd
}

// assignStereo converts the written chirality to RDKit's bond-order
// convention, removes it from atoms that cannot be stereocentres, and
// derives double-bond E/Z from the bond directions (RDKit's legacy
// assignStereochemistry with cleanIt).
func (m *Mol) assignStereo(p *parser) {
	anyChiral, anyDir := false, false
	for a := range m.Atoms {
		w := &p.w[a]
		if w.chiral == ChiralUnspecified {
			continue
		}
		at := &m.Atoms[a]
		if at.Hybrid != HybridSP3 && at.Hybrid != HybridSP3D && at.Hybrid != HybridSP3D2 {
			continue
		}
		tag := w.chiral
		if tag == ChiralCW || tag == ChiralCCW {
			var rd []int
			for _, bi := range m.AtomBonds(a) {
				rd = append(rd, m.Bonds[bi].Other(a))
			}
			if at.ExplicitH == 1 {
				rd = append(rd, -1)
			}
			// RDKit keeps a three-coordinate nitrogen's tag as written
			// (checked on aziridines and bridgehead amines).
			n3 := at.Element == 7 && len(rd) == 3 && at.NumHs == 0
			if !n3 && len(rd) == len(w.nbrs) && permutationParity(w.nbrs, rd) {
				if tag == ChiralCW {
					tag = ChiralCCW
				} else {
					tag = ChiralCW
				}
			}
		}
		at.Chiral = tag
		anyChiral = true
	}
	for i := range m.Bonds {
		if m.Bonds[i].Dir != DirNone {
			anyDir = true
		}
	}
	if !anyChiral && !anyDir {
		return
	}
	ranks := m.cipRanks()
	if anyChiral {
		m.cleanChirality(ranks)
	}
	if anyDir {
		m.assignBondStereo(ranks)
	}
}

// atomInRingOfSize reports whether atom a lies on a ring of the ring set
// with exactly size atoms.
func (m *Mol) atomInRingOfSize(a, size int) bool {
	for _, r := range m.rings {
		if len(r) == size && slices.Contains(r, a) {
			return true
		}
	}
	return false
}

// bridgehead reports RDKit's queryIsAtomBridgehead: the atom is in at
// least two rings that share at least one bond and more than 2 atoms...
// approximated as: in two SSSR rings that share more than one bond.
func (m *Mol) bridgehead(a int) bool {
	var mine [][]int
	for _, r := range m.rings {
		if slices.Contains(r, a) {
			mine = append(mine, r)
		}
	}
	for i := range mine {
		for j := i + 1; j < len(mine); j++ {
			shared := 0
			for _, x := range mine[i] {
				if slices.Contains(mine[j], x) {
					shared++
				}
			}
			if shared > 2 {
				return true
			}
		}
	}
	return false
}

// legalCentre is RDKit's legacy isAtomPotentialChiralCenter: legal
// centre and whether two neighbours share a rank.
func (m *Mol) legalCentre(a int, ranks []int) (legal, dupes bool) {
	at := &m.Atoms[a]
	deg := m.Degree(a)
	total := deg + at.NumHs
	if total > 4 || total < 3 {
		return false, false
	}
	if at.NumHs > 1 {
		return false, false
	}
	z := at.Element
	if deg < 3 && z != 15 && z != 33 {
		return false, false
	}
	if deg == 3 && at.NumHs != 1 {
		switch z {
		case 7:
			if !m.atomInRingOfSize(a, 3) && !m.bridgehead(a) {
				return false, false
			}
		case 15, 33:
		case 16, 34:
			if !(at.valence == 4 || (at.valence == 3 && at.Charge == 1)) {
				return false, false
			}
		default:
			return false, false
		}
	}
	seen := map[int]bool{}
	for _, bi := range m.AtomBonds(a) {
		r := ranks[m.Bonds[bi].Other(a)]
		if seen[r] {
			return true, true
		}
		seen[r] = true
	}
	return true, false
}

// cleanChirality removes the tags of atoms that are not stereocentres, as
// RDKit's legacy assignStereochemistry with cleanIt does: tagged legal
// centres whose neighbours all differ in rank get an R/S code; the ranks
// are then refined with those codes (and the E/Z of double bonds) and the
// remaining centres tried again, until no new code is assigned. A tagged
// atom left without a code keeps its tag only as ring stereochemistry: it
// is a ring-stereo candidate and its ring system (over ring bonds) holds
// another tagged candidate without a code (cis/trans ring substitution:
// both atoms of 1,3-dimethylcyclohexane, norbornane's bridgeheads, but not
// the bridgehead of 2-methylquinuclidine, whose only partner has a code).
func (m *Mol) cleanChirality(ranks []int) {
	n := len(m.Atoms)
	tagged := func(a int) bool { c := m.Atoms[a].Chiral; return c == ChiralCW || c == ChiralCCW }
	code := make([]int, n) // 0 none, 10 S, 20 R (RDKit's rerank weights)
	for {
		changed, unassigned := false, false
		for a := 0; a < n; a++ {
			if !tagged(a) || code[a] != 0 {
				continue
			}
			legal, dupes := m.legalCentre(a, ranks)
			if !legal {
				continue
			}
			if dupes {
				unassigned = true
				continue
			}
			code[a] = m.cipCode(a, ranks)
			changed = true
		}
		if !unassigned || !changed {
			break
		}
		ranks = m.rerank(ranks, code)
	}
	// ring stereochemistry: tagged candidates without a code, kept when
	// their ring system holds at least two of them.
	special := make([]bool, n)
	perSystem := map[int][]int{}
	system := m.ringSystems()
	for a := 0; a < n; a++ {
		if tagged(a) && code[a] == 0 && system[a] >= 0 && m.ringStereoCandidate(a, ranks) {
			perSystem[system[a]] = append(perSystem[system[a]], a)
		}
	}
	for _, atoms := range perSystem {
		if len(atoms) >= 2 {
			for _, a := range atoms {
				special[a] = true
			}
		}
	}
	for a := 0; a < n; a++ {
		if tagged(a) && code[a] == 0 && !special[a] {
			m.Atoms[a].Chiral = ChiralUnspecified
		}
	}
}

// cipCode returns RDKit's legacy R/S code of a tagged centre whose
// neighbours all differ in rank, as its rerank weight: 10 for S, 20 for R.
func (m *Mol) cipCode(a int, ranks []int) int {
	bonds := m.AtomBonds(a)
	sorted := slices.Clone(bonds)
	slices.SortStableFunc(sorted, func(x, y int) int {
		return ranks[m.Bonds[x].Other(a)] - ranks[m.Bonds[y].Other(a)]
	})
	odd := permutationParity(bonds, sorted)
	if len(bonds) == 3 && m.Atoms[a].NumHs == 1 {
		odd = !odd
	}
	ccw := m.Atoms[a].Chiral == ChiralCCW
	if odd {
		ccw = !ccw
	}
	if ccw {
		return 10
	}
	return 20
}

// rerank refines ranks with the R/S codes and the E/Z of double bonds
// (RDKit's rerankAtoms).
func (m *Mol) rerank(ranks, code []int) []int {
	n := len(m.Atoms)
	factor := 100
	for factor < n {
		factor *= 10
	}
	inv := make([]int, n)
	for a := 0; a < n; a++ {
		inv[a] = ranks[a]*factor + code[a]
		for _, bi := range m.AtomBonds(a) {
			b := &m.Bonds[bi]
			if b.Type != Double {
				continue
			}
			switch b.Stereo {
			case StereoE:
				inv[a]++
			case StereoZ:
				inv[a] += 2
			}
		}
	}
	return m.refineRanks(inv)
}

// ringStereoCandidate is RDKit's atomIsCandidateForRingStereochem: a ring
// atom with two differently ranked substituents outside the rings, or one
// and at least two ring neighbours, or only ring neighbours, three of them
// in two ranks or four in three. A nitrogen with three neighbours is no
// candidate unless it is on a 3-ring or a bridgehead (RDKit 2022.09 drops
// the ring stereo of C[C@]1(O)CC[N@H+](C)CC1 but keeps that of its
// quaternary analogue).
func (m *Mol) ringStereoCandidate(a int, ranks []int) bool {
	if m.Atoms[a].Element == 7 && m.Degree(a) == 3 && !m.atomInRingOfSize(a, 3) && !m.bridgehead(a) {
		return false
	}
	var ringNbrs, outside []int
	distinct := map[int]bool{}
	for _, bi := range m.AtomBonds(a) {
		o := m.Bonds[bi].Other(a)
		if m.Bonds[bi].InRing {
			ringNbrs = append(ringNbrs, o)
			distinct[ranks[o]] = true
		} else {
			outside = append(outside, o)
		}
	}
	switch len(outside) {
	case 2:
		return ranks[outside[0]] != ranks[outside[1]]
	case 1:
		return len(ringNbrs) >= 2
	case 0:
		return (len(ringNbrs) == 4 && len(distinct) == 3) || (len(ringNbrs) == 3 && len(distinct) == 2)
	}
	return false
}

// ringSystems labels each atom with its ring system (atoms joined by ring
// bonds), -1 for atoms on no ring bond.
func (m *Mol) ringSystems() []int {
	n := len(m.Atoms)
	sys := make([]int, n)
	for i := range sys {
		sys[i] = -1
	}
	next := 0
	var queue []int
	for a := 0; a < n; a++ {
		if sys[a] >= 0 {
			continue
		}
		onRing := false
		for _, bi := range m.AtomBonds(a) {
			if m.Bonds[bi].InRing {
				onRing = true
				break
			}
		}
		if !onRing {
			continue
		}
		sys[a] = next
		queue = append(queue[:0], a)
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, bi := range m.AtomBonds(v) {
				if w := m.Bonds[bi].Other(v); m.Bonds[bi].InRing && sys[w] < 0 {
					sys[w] = next
					queue = append(queue, w)
				}
			}
		}
		next++
	}
	return sys
}

// assignBondStereo sets E/Z on double bonds with directed neighbours and
// distinct-ranked substituents on each end (not in rings smaller than 8),
// then clears directions not next to a stereo double bond.
func (m *Mol) assignBondStereo(ranks []int) {
	for bi := range m.Bonds {
		b := &m.Bonds[bi]
		if b.Type != Double {
			continue
		}
		if b.InRing && m.bondInSmallRing(bi, 8) {
			continue
		}
		sb, nb, okb := m.stereoEnd(b.Begin, bi, ranks)
		se, ne, oke := m.stereoEnd(b.End, bi, ranks)
		if !okb || !oke {
			continue
		}
		b.stereoAtoms = [2]int{nb, ne}
		if sb == se {
			b.Stereo = StereoZ
		} else {
			b.Stereo = StereoE
		}
	}
	for bi := range m.Bonds {
		b := &m.Bonds[bi]
		if b.Dir == DirNone {
			continue
		}
		// Cleared when next to a double bond that is not stereo and to
		// no stereo double bond; kept elsewhere (RDKit leaves them).
		stereo, plain := false, false
		for _, end := range [2]int{b.Begin, b.End} {
			for _, o := range m.AtomBonds(end) {
				if o != bi && m.Bonds[o].Type == Double {
					if m.Bonds[o].Stereo != StereoNone {
						stereo = true
					} else {
						plain = true
					}
				}
			}
		}
		if plain && !stereo {
			b.Dir = DirNone
		}
	}
}

func (m *Mol) bondInSmallRing(bi, size int) bool {
	b := &m.Bonds[bi]
	for _, r := range m.rings {
		if len(r) >= size {
			continue
		}
		for k := range r {
			x, y := r[k], r[(k+1)%len(r)]
			if (x == b.Begin && y == b.End) || (x == b.End && y == b.Begin) {
				return true
			}
		}
	}
	return false
}

// stereoEnd returns the side (true = "up") of the highest-ranked
// substituent of atom a of double bond dbl, from the direction of a
// neighbouring single bond; ok false when the end cannot carry stereo.
func (m *Mol) stereoEnd(a, dbl int, ranks []int) (up bool, best int, ok bool) {
	deg := m.Degree(a)
	if deg != 2 && deg != 3 {
		return false, -1, false
	}
	var subs []int // other-bond indices
	for _, bi := range m.AtomBonds(a) {
		if bi != dbl {
			subs = append(subs, bi)
		}
	}
	bestB := subs[0]
	if len(subs) == 2 {
		r0, r1 := ranks[m.Bonds[subs[0]].Other(a)], ranks[m.Bonds[subs[1]].Other(a)]
		if r0 == r1 {
			return false, -1, false
		}
		if r1 > r0 {
			bestB = subs[1]
		}
	}
	best = m.Bonds[bestB].Other(a)
	for _, bi := range subs {
		b := &m.Bonds[bi]
		if b.Dir == DirNone {
			continue
		}
		side := b.Dir == DirUpRight
		if b.Begin != a {
			side = !side
		}
		if bi != bestB {
			side = !side
		}
		return side, best, true
	}
	return false, -1, false
}
