package mol

// donor is an atom's π-electron donor type in RDKit's aromaticity model.
type donor uint8

const (
	donorVacant donor = iota
	donorOne
	donorTwo
	donorOneOrTwo
	donorAny
	donorNone
)

// maxFusedAromaticRingSize is RDKit's limit on ring size for fused-ring
// aromaticity (a bit more than a porphyrin's outer ring).
const maxFusedAromaticRingSize = 24

// perceiveAromaticity is RDKit's default aromaticity model
// (MolOps::setAromaticity, AROMATICITY_RDKIT): over the candidate rings
// of the symmetrised SSSR (every atom a donor and a candidate), ring
// combinations of each fused system (up to 6 rings, sharing bonds) obey
// Hückel's 4n+2 rule on their atom union; their atoms become aromatic and
// the bonds that occur once in the combination become aromatic bonds.
func (m *Mol) perceiveAromaticity() {
	for i := range m.Atoms {
		m.Atoms[i].Aromatic = false
	}
	if len(m.rings) == 0 {
		return
	}
	n := len(m.Atoms)
	seen := make([]bool, n)
	candAtom := make([]bool, n)
	edon := make([]donor, n)
	var cRings [][]int
	for _, ring := range m.rings {
		all := true
		allDummy := true
		for _, a := range ring {
			if m.Atoms[a].Element != 0 {
				allDummy = false
			}
			if seen[a] {
				if !candAtom[a] {
					all = false
				}
				continue
			}
			seen[a] = true
			edon[a] = m.donorType(a)
			candAtom[a] = m.aromCandidate(a, edon[a])
			if !candAtom[a] {
				all = false
			}
		}
		if all && !allDummy {
			cRings = append(cRings, ring)
		}
	}
	if len(cRings) == 0 {
		return
	}
	// Rings as bond lists.
	bRings := make([][]int, len(cRings))
	for i, r := range cRings {
		br := make([]int, len(r))
		for k := range r {
			br[k] = m.BondBetween(r[k], r[(k+1)%len(r)])
		}
		bRings[i] = br
	}
	nr := len(cRings)
	neigh := make([][]int, nr)
	for i := 0; i < nr; i++ {
		if len(bRings[i]) > maxFusedAromaticRingSize {
			continue
		}
		for j := i + 1; j < nr; j++ {
			if len(bRings[j]) > maxFusedAromaticRingSize {
				continue
			}
			if k := shared(bRings[i], bRings[j]); k == 1 {
				neigh[i] = append(neigh[i], j)
				neigh[j] = append(neigh[j], i)
			}
		}
	}
	fusDone := make([]bool, nr)
	for curr := 0; curr < nr; curr++ {
		if fusDone[curr] {
			continue
		}
		var fused []int
		pickFused(curr, neigh, &fused, fusDone)
		m.huckelFused(cRings, bRings, fused, edon, neigh)
	}
}

// shared counts the bonds two rings have in common.
func shared(a, b []int) int {
	k := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				k++
			}
		}
	}
	return k
}

// pickFused collects the fused system of ring curr by depth-first search.
func pickFused(curr int, neigh [][]int, res *[]int, done []bool) {
	done[curr] = true
	*res = append(*res, curr)
	for _, nb := range neigh[curr] {
		if !done[nb] {
			pickFused(nb, neigh, res, done)
		}
	}
}

// huckelFused is RDKit's applyHuckelToFused with maxNumFusedRings 6:
// combinations of 1, 2, ... rings of the fused system, each connected,
// are tested on the atoms that lie in one or two of their rings, until
// every ring bond of the system is aromatic.
func (m *Mol) huckelFused(rings, bRings [][]int, fused []int, edon []donor, neigh [][]int) {
	nrings := len(fused)
	inSystem := map[int]bool{}
	for _, ri := range fused {
		for _, bi := range bRings[ri] {
			inSystem[bi] = true
		}
	}
	nRingBonds := len(inSystem)
	doneBonds := map[int]bool{}
	count := make([]int, len(m.Atoms))
	for size := 1; size <= min(nrings, 6); size++ {
		if size == 3 && nrings > 300 {
			break
		}
		if len(doneBonds) >= nRingBonds {
			break
		}
		comb := make([]int, size)
		for i := range comb {
			comb[i] = i
		}
		cur := make([]int, size)
		for {
			for i, c := range comb {
				cur[i] = fused[c]
			}
			if size == 1 || connectedRings(cur, neigh) {
				var touched []int
				for _, ri := range cur {
					for _, a := range rings[ri] {
						if count[a] == 0 {
							touched = append(touched, a)
						}
						count[a]++
					}
				}
				rlw, rup, nAny := 0, 0, 0
				for _, a := range touched {
					if count[a] <= 2 {
						if edon[a] == donorAny {
							nAny++
						}
						lw, up := electronRange(edon[a])
						rlw += lw
						rup += up
					}
					count[a] = 0
				}
				if nAny <= 1 && huckel(rlw, rup) {
					for _, ri := range cur {
						for _, a := range rings[ri] {
							m.Atoms[a].Aromatic = true
						}
					}
					cnt := map[int]int{}
					for _, ri := range cur {
						for _, bi := range bRings[ri] {
							cnt[bi]++
						}
					}
					for bi, c := range cnt {
						if c == 1 {
							b := &m.Bonds[bi]
							if b.Type == Single || b.Type == Double {
								b.Type = Aromatic
							}
							doneBonds[bi] = true
						}
					}
				}
			}
			if !nextComb(comb, nrings) {
				break
			}
		}
	}
}

// nextComb advances comb to the next size-k combination of 0..n-1 in
// lexicographic order; false when exhausted.
func nextComb(comb []int, n int) bool {
	k := len(comb)
	i := k - 1
	for i >= 0 && comb[i] == n-k+i {
		i--
	}
	if i < 0 {
		return false
	}
	comb[i]++
	for j := i + 1; j < k; j++ {
		comb[j] = comb[j-1] + 1
	}
	return true
}

// connectedRings reports whether the rings in ids form one fused system.
func connectedRings(ids []int, neigh [][]int) bool {
	in := map[int]bool{}
	for _, r := range ids {
		in[r] = true
	}
	seen := map[int]bool{ids[0]: true}
	stack := []int{ids[0]}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, nb := range neigh[r] {
			if in[nb] && !seen[nb] {
				seen[nb] = true
				stack = append(stack, nb)
			}
		}
	}
	return len(seen) == len(ids)
}

func electronRange(d donor) (int, int) {
	switch d {
	case donorAny:
		return 1, 2
	case donorOneOrTwo:
		return 1, 2
	case donorOne:
		return 1, 1
	case donorTwo:
		return 2, 2
	}
	return 0, 0
}

func huckel(rlw, rup int) bool {
	if rup >= 6 {
		for e := rlw; e <= rup; e++ {
			if (e-2)%4 == 0 {
				return true
			}
		}
		return false
	}
	return rup == 2
}

// countAtomElec is RDKit's MolOps::countAtomElec: π electrons an atom can
// donate, -1 if it cannot take part.
func (m *Mol) countAtomElec(a int) int {
	at := &m.Atoms[a]
	dv := defaultValence(at.Element)
	if dv <= 1 {
		return -1
	}
	degree := m.Degree(a) + at.NumHs
	if degree > 3 {
		return -1
	}
	nlp := max(outerElectrons(at.Element)-dv-at.Charge, 0)
	res := (dv - degree) + nlp - at.Radicals
	if res > 1 && at.valence-m.Degree(a) > 1 {
		res = 1
	}
	return res
}

// ringBond reports whether bond bi is in a ring.
func (m *Mol) ringBond(bi int) bool { return m.Bonds[bi].InRing }

func (m *Mol) donorType(a int) donor {
	at := &m.Atoms[a]
	if at.Element == 0 {
		for _, bi := range m.AtomBonds(a) {
			if m.ringBond(bi) && m.Bonds[bi].kekule >= 2 {
				return donorOne
			}
		}
		return donorAny
	}
	nelec := m.countAtomElec(a)
	// incident non-cyclic multiple bond
	who := -1
	for _, bi := range m.AtomBonds(a) {
		if !m.ringBond(bi) && m.Bonds[bi].kekule >= 2 {
			who = m.Bonds[bi].Other(a)
			break
		}
	}
	cyclicMultiple := false
	for _, bi := range m.AtomBonds(a) {
		if m.ringBond(bi) && m.Bonds[bi].kekule >= 2 {
			cyclicMultiple = true
			break
		}
	}
	switch {
	case nelec < 0:
		return donorNone
	case nelec == 0:
		if who >= 0 {
			return donorVacant
		}
		if cyclicMultiple {
			return donorOne
		}
		return donorNone
	case nelec == 1:
		if who >= 0 {
			if moreElectronegative(m.Atoms[who].Element, at.Element) {
				return donorVacant
			}
			return donorOne
		}
		if at.valence != m.Degree(a)+at.ExplicitH {
			return donorOne
		}
		if at.Charge == 1 {
			return donorVacant
		}
		return donorNone
	default:
		if who >= 0 && moreElectronegative(m.Atoms[who].Element, at.Element) {
			nelec--
		}
		if nelec%2 == 1 {
			return donorOne
		}
		return donorTwo
	}
}

func (m *Mol) aromCandidate(a int, d donor) bool {
	at := &m.Atoms[a]
	z := at.Element
	if z > 18 && z != 34 && z != 52 {
		return false
	}
	if d == donorNone {
		return false
	}
	if dv := defaultValence(z); dv > 0 {
		iso := z - at.Charge
		if iso >= 1 && iso <= MaxAtomicNumber {
			if at.valence+(at.NumHs-at.ExplicitH) > defaultValence(iso) {
				return false
			}
		}
	}
	if at.Radicals > 0 && (z != 6 || at.Charge != 0) {
		return false
	}
	if at.valence-m.Degree(a) > 1 {
		nMult := 0
		for _, bi := range m.AtomBonds(a) {
			if k := m.Bonds[bi].kekule; k == 2 || k == 3 {
				nMult++
			}
		}
		if nMult > 1 {
			return false
		}
	}
	return true
}
