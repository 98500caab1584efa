package mol

import (
	"slices"
	"strconv"
	"strings"
)

// maxCanonLeaves bounds the tie-breaking search of CanonicalKey for
// molecules with stereo (symmetric ones have several equivalent
// labelings; the lexicographically smallest key among them is used).
const maxCanonLeaves = 512

// CanonicalKey returns a string that is equal for two molecules iff they
// are the same graph with the same atom properties (element, isotope,
// charge, hydrogens, aromaticity, class), bond types, tetrahedral
// chirality and double-bond geometry, independent of atom order. Atoms
// are ordered by colour refinement with individualisation; with stereo
// present every tie-break of the first tied class is tried (up to
// maxCanonLeaves leaves) and the smallest key kept.
func (m *Mol) CanonicalKey() string {
	n := len(m.Atoms)
	inv := make([]string, n)
	for a := range m.Atoms {
		at := &m.Atoms[a]
		inv[a] = strconv.Itoa(at.Element) + "," + strconv.Itoa(at.Isotope) + "," + strconv.Itoa(at.Charge) + "," +
			strconv.Itoa(at.NumHs) + "," + strconv.FormatBool(at.Aromatic) + "," + strconv.Itoa(at.Class) + "," + strconv.Itoa(m.Degree(a))
	}
	ranks := denseRanks(n, func(i, j int) int { return strings.Compare(inv[i], inv[j]) })
	stereo := false
	for a := range m.Atoms {
		if c := m.Atoms[a].Chiral; c == ChiralCW || c == ChiralCCW {
			stereo = true
		}
	}
	for _, b := range m.Bonds {
		if b.Stereo != StereoNone {
			stereo = true
		}
	}
	c := canon{m: m, inv: inv, stereo: stereo}
	c.search(m.refine(ranks))
	return c.best
}

type canon struct {
	m      *Mol
	inv    []string
	stereo bool
	leaves int
	best   string
	found  bool
}

func (c *canon) search(ranks []int) {
	n := len(ranks)
	// First class (smallest rank) with more than one member.
	count := make([]int, n)
	for _, r := range ranks {
		count[r]++
	}
	tied := -1
	for r := 0; r < n; r++ {
		if count[r] > 1 {
			tied = r
			break
		}
	}
	if tied < 0 {
		c.leaves++
		k := c.m.keyFor(ranks, c.inv)
		if !c.found || k < c.best {
			c.best, c.found = k, true
		}
		return
	}
	for v := 0; v < n; v++ {
		if ranks[v] != tied {
			continue
		}
		if c.found && (!c.stereo || c.leaves >= maxCanonLeaves) {
			return
		}
		r := slices.Clone(ranks)
		// Individualise v: every other atom of rank >= tied moves up.
		for u := range r {
			if r[u] > tied || (r[u] == tied && u != v) {
				r[u]++
			}
		}
		c.search(c.m.refine(r))
	}
}

// refine is colour refinement: ranks split by the sorted multiset of
// (neighbour rank, bond type) until stable. Ranks stay dense and ordered
// consistently with the input ranks.
func (m *Mol) refine(ranks []int) []int {
	n := len(ranks)
	sig := make([][]int, n)
	for {
		for a := 0; a < n; a++ {
			s := sig[a][:0]
			s = append(s, ranks[a])
			start := len(s)
			for _, bi := range m.AtomBonds(a) {
				s = append(s, ranks[m.Bonds[bi].Other(a)]*16+int(m.Bonds[bi].Type))
			}
			slices.Sort(s[start:])
			sig[a] = s
		}
		nr := denseRanks(n, func(i, j int) int { return slices.Compare(sig[i], sig[j]) })
		if countDistinct(nr) == countDistinct(ranks) {
			return nr
		}
		ranks = nr
	}
}

// keyFor writes the key for a discrete labelling (ranks all distinct):
// atoms in label order with their invariants and chirality relative to
// the label order of their neighbours (hydrogen last), then bonds sorted
// by labels with type and, for stereo double bonds, whether the
// lowest-labelled substituents are cis or trans.
func (m *Mol) keyFor(ranks []int, inv []string) string {
	n := len(ranks)
	order := make([]int, n)
	for a, r := range ranks {
		order[r] = a
	}
	var sb strings.Builder
	for _, a := range order {
		sb.WriteString(inv[a])
		at := &m.Atoms[a]
		if at.Chiral == ChiralCW || at.Chiral == ChiralCCW {
			var nb []int
			for _, bi := range m.AtomBonds(a) {
				nb = append(nb, ranks[m.Bonds[bi].Other(a)])
			}
			if at.NumHs == 1 {
				nb = append(nb, n) // the hydrogen, last
			}
			sorted := slices.Clone(nb)
			slices.Sort(sorted)
			tag := at.Chiral
			if permutationParity(nb, sorted) {
				tag = 3 - tag // CW <-> CCW
			}
			sb.WriteString("@" + strconv.Itoa(int(tag)))
		}
		sb.WriteByte(';')
	}
	type bk struct{ a, b, t, g int }
	bonds := make([]bk, 0, len(m.Bonds))
	for _, b := range m.Bonds {
		x, y := ranks[b.Begin], ranks[b.End]
		g := 0
		if b.Stereo == StereoE || b.Stereo == StereoZ {
			// Lowest-labelled substituent on each end, cis or trans.
			lo := func(end, other int) int {
				best := -1
				for _, bi := range m.AtomBonds(end) {
					o := m.Bonds[bi].Other(end)
					if o != other && (best < 0 || ranks[o] < ranks[best]) {
						best = o
					}
				}
				return best
			}
			sa, sz := lo(b.Begin, b.End), lo(b.End, b.Begin)
			cis := b.Stereo == StereoZ
			if sa != b.stereoAtoms[0] {
				cis = !cis
			}
			if sz != b.stereoAtoms[1] {
				cis = !cis
			}
			g = 1
			if cis {
				g = 2
			}
		}
		if x > y {
			x, y = y, x
		}
		bonds = append(bonds, bk{x, y, int(b.Type), g})
	}
	slices.SortFunc(bonds, func(p, q bk) int {
		if p.a != q.a {
			return p.a - q.a
		}
		return p.b - q.b
	})
	for _, b := range bonds {
		sb.WriteString(strconv.Itoa(b.a) + "-" + strconv.Itoa(b.b) + ":" + strconv.Itoa(b.t))
		if b.g != 0 {
			sb.WriteString("/" + strconv.Itoa(b.g))
		}
		sb.WriteByte(',')
	}
	return sb.String()
}
