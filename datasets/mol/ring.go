package mol

import (
	"math/bits"
	"slices"
)

// findRingBonds marks bonds that lie on a cycle (bonds that are not
// bridges) and atoms incident to one, with an iterative lowlink search.
func (m *Mol) findRingBonds() {
	n := len(m.Atoms)
	disc := make([]int32, n)
	low := make([]int32, n)
	parentBond := make([]int32, n)
	next := make([]int32, n) // position in the adjacency list
	stack := make([]int32, 0, n)
	t := int32(0)
	for root := 0; root < n; root++ {
		if disc[root] != 0 {
			continue
		}
		t++
		disc[root], low[root] = t, t
		parentBond[root] = -1
		next[root] = int32(m.adjPtr[root])
		stack = append(stack[:0], int32(root))
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			if int(next[v]) < m.adjPtr[v+1] {
				bi := m.adj[next[v]]
				next[v]++
				if int32(bi) == parentBond[v] {
					continue
				}
				w := int32(m.Bonds[bi].Other(int(v)))
				if disc[w] == 0 {
					t++
					disc[w], low[w] = t, t
					parentBond[w] = int32(bi)
					next[w] = int32(m.adjPtr[w])
					stack = append(stack, w)
				} else {
					if disc[w] < disc[v] {
						m.Bonds[bi].InRing = true // back edge
					}
					if disc[w] < low[v] {
						low[v] = disc[w]
					}
				}
				continue
			}
			stack = stack[:len(stack)-1]
			if pb := parentBond[v]; pb >= 0 {
				u := int32(m.Bonds[pb].Other(int(v)))
				if low[v] < low[u] {
					low[u] = low[v]
				}
				if low[v] <= disc[u] {
					m.Bonds[pb].InRing = true
				}
			}
		}
	}
	for i := range m.Atoms {
		m.Atoms[i].InRing = false
	}
	for i := range m.Bonds {
		if m.Bonds[i].InRing {
			m.Atoms[m.Bonds[i].Begin].InRing = true
			m.Atoms[m.Bonds[i].End].InRing = true
		}
	}
}

// Rings returns the symmetrised smallest set of smallest rings (the ring
// set RDKit's RingInfo holds after sanitisation: a minimum cycle basis
// plus the other relevant cycles of equal size), each ring as its atoms
// in ring order, rings sorted by size. The slices are shared.
func (m *Mol) Rings() [][]int { return m.rings }

// findRings computes m.rings from the ring bonds (findRingBonds first):
// Horton candidates (shortest path to v, edge, shortest path back) sorted
// by length, kept when independent over GF(2) of the strictly shorter
// cycles (the relevant cycles).
func (m *Mol) findRings() {
	m.rings = m.rings[:0]
	// Map ring bonds and atoms to dense indices.
	rb := make([]int, len(m.Bonds)) // bond -> ring bond index or -1
	nrb := 0
	for i := range m.Bonds {
		rb[i] = -1
		if m.Bonds[i].InRing {
			rb[i] = nrb
			nrb++
		}
	}
	if nrb == 0 {
		return
	}
	nra, comps := 0, 0
	for i := range m.Atoms {
		if m.Atoms[i].InRing {
			nra++
		}
	}
	// Components of the ring-bond subgraph (for the cycle rank).
	comp := make([]int, len(m.Atoms))
	for i := range comp {
		comp[i] = -1
	}
	queue := make([]int, 0, nra)
	for s := range m.Atoms {
		if !m.Atoms[s].InRing || comp[s] >= 0 {
			continue
		}
		comp[s] = comps
		queue = append(queue[:0], s)
		for h := 0; h < len(queue); h++ { // head index: the queue keeps its capacity
			v := queue[h]
			for _, bi := range m.AtomBonds(v) {
				if rb[bi] < 0 {
					continue
				}
				w := m.Bonds[bi].Other(v)
				if comp[w] < 0 {
					comp[w] = comps
					queue = append(queue, w)
				}
			}
		}
		comps++
	}
	rank := nrb - nra + comps
	words := (nrb + 63) / 64
	type cand struct {
		atoms []int
		set   []uint64
	}
	var cands []cand
	dist := make([]int, len(m.Atoms))
	par := make([]int, len(m.Atoms))  // parent atom in the BFS tree
	parB := make([]int, len(m.Atoms)) // bond to the parent
	branch := make([]int, len(m.Atoms))
	seen := map[string]bool{}
	key := make([]byte, words*8)
	set := make([]uint64, words)
	var px, py []int
	for v := range m.Atoms {
		if !m.Atoms[v].InRing {
			continue
		}
		for i := range dist {
			dist[i] = -1
		}
		dist[v], par[v], parB[v], branch[v] = 0, -1, -1, -1
		queue = append(queue[:0], v)
		for h := 0; h < len(queue); h++ {
			x := queue[h]
			for _, bi := range m.AtomBonds(x) {
				if rb[bi] < 0 {
					continue
				}
				y := m.Bonds[bi].Other(x)
				if dist[y] < 0 {
					dist[y] = dist[x] + 1
					par[y], parB[y] = x, bi
					if x == v {
						branch[y] = y
					} else {
						branch[y] = branch[x]
					}
					queue = append(queue, y)
				}
			}
		}
		for bi := range m.Bonds {
			if rb[bi] < 0 {
				continue
			}
			x, y := m.Bonds[bi].Begin, m.Bonds[bi].End
			if dist[x] < 0 || dist[y] < 0 || parB[x] == bi || parB[y] == bi {
				continue
			}
			if x == v || y == v || branch[x] == branch[y] {
				continue
			}
			// Only the vertex of the cycle with the smallest index
			// generates it; duplicates are also filtered below.
			// set, px and py are scratch buffers; a new cycle copies them.
			clear(set)
			set[rb[bi]/64] |= 1 << (rb[bi] % 64)
			px, py = px[:0], py[:0]
			for a := x; a != v; a = par[a] {
				px = append(px, a)
				set[rb[parB[a]]/64] |= 1 << (rb[parB[a]] % 64)
			}
			for a := y; a != v; a = par[a] {
				py = append(py, a)
				set[rb[parB[a]]/64] |= 1 << (rb[parB[a]] % 64)
			}
			for i, w := range set {
				for k := 0; k < 8; k++ {
					key[i*8+k] = byte(w >> (8 * k))
				}
			}
			if seen[string(key)] {
				continue
			}
			seen[string(key)] = true
			atoms := make([]int, 0, len(px)+len(py)+1)
			atoms = append(atoms, v)
			for i := len(px) - 1; i >= 0; i-- {
				atoms = append(atoms, px[i])
			}
			atoms = append(atoms, py...)
			cands = append(cands, cand{atoms, slices.Clone(set)})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return len(a.atoms) - len(b.atoms) })
	// Gaussian elimination: basis rows with their pivot bit.
	var basis [][]uint64
	var pivots []int
	reduce := func(set []uint64, nb int) []uint64 {
		r := slices.Clone(set)
		for i := 0; i < nb; i++ {
			p := pivots[i]
			if r[p/64]>>(p%64)&1 == 1 {
				for k := range r {
					r[k] ^= basis[i][k]
				}
			}
		}
		return r
	}
	for i := 0; i < len(cands); {
		j := i
		for j < len(cands) && len(cands[j].atoms) == len(cands[i].atoms) {
			j++
		}
		shorter := len(basis)
		for k := i; k < j; k++ {
			if len(basis) == rank && shorter == rank {
				break
			}
			r := reduce(cands[k].set, shorter)
			if isZero(r) {
				continue
			}
			m.rings = append(m.rings, cands[k].atoms)
			// Add to the full basis if independent of all so far.
			r = reduce(r, len(basis))
			if !isZero(r) {
				p := firstBit(r)
				// Keep the basis reduced on the new pivot.
				basis = append(basis, r)
				pivots = append(pivots, p)
			}
		}
		if shorter == rank {
			break
		}
		i = j
	}
}

func isZero(s []uint64) bool {
	for _, w := range s {
		if w != 0 {
			return false
		}
	}
	return true
}

func firstBit(s []uint64) int {
	for i, w := range s {
		if w != 0 {
			return i*64 + bits.TrailingZeros64(w)
		}
	}
	return -1
}
