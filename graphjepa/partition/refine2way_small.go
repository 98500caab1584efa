package partition

import (
	"math"
	"math/bits"
)

// smallFMMaxN is the largest graph refined by fm2WaySmall. A 32-way
// recursion spends most of its FM moves on graphs this small: the coarsest
// graphs (at most coarsenTo vertices) of every bisection and all levels of
// the bisections at the bottom of the recursion.
const smallFMMaxN = 128

// fm2WaySmall is fm2WayLimit for graphs of at most smallFMMaxN vertices. It
// makes the same moves in the same order except among vertices of equal
// gain, but keeps no priority queues: the side, boundary and moved flags are
// bit sets, and each move picks the unmoved boundary vertex of the sending
// side with the largest gain ed-id by scanning those bits. Inserting,
// updating and deleting queue entries, which the heap pays for on every
// neighbour of every move, costs nothing here, and the scan over the
// candidates (the boundary of one side, a few dozen vertices at most) is
// cheaper than sifting. Among equal gains the first vertex after a random
// offset wins (one random draw per pass instead of a shuffle of the
// boundary). A pass ends by restoring a snapshot of id, ed and the bit sets
// taken after the best move, instead of undoing the later moves one by one.
func (p *Partitioner) fm2WaySmall(g *graph, niter, minLimit int) (converged bool) {
	n := g.n
	if n == 0 {
		return true
	}
	nw := (n + 63) / 64 // words of the bit sets
	limit := int(math.Min(math.Max(0.01*float64(n), float64(minLimit)), 100))
	t0, t1 := p.target[0], p.target[1]
	max0, max1 := p.maxpw[0]+1e-9, p.maxpw[1]+1e-9 // as in balanced
	origdiff := math.Abs(t0 - g.pwgts[0])
	startBal := p.balanced(g.pwgts)
	where, id, ed, vwgt := g.where[:n], g.id[:n], g.ed[:n], g.vwgt[:n]
	xadj, adjncy, adjwgt := g.xadj[:n+1], g.adjncy, g.adjwgt[:len(g.adjncy)]
	bndptr, bndind := g.bndptr[:n], g.bndind[:n]

	// side1: where[v] == 1; bnd: v is on the boundary (ed[v] > 0, or v is
	// isolated); isolated vertices never leave it.
	var side1, bnd, isolated bitset
	for v := 0; v < n; v++ {
		w, bit := v>>6, uint64(1)<<(v&63)
		if where[v] == 1 {
			side1[w] |= bit
		}
		if bndptr[v] != -1 {
			bnd[w] |= bit
		}
		if xadj[v] == xadj[v+1] {
			isolated[w] |= bit
		}
	}
	// setBoundary sets the boundary bit of k from its current ed.
	setBoundary := func(k int) {
		w, bit := k>>6, uint64(1)<<(k&63)
		b := isolated[w] & bit
		if ed[k] > 0 {
			b = bit
		}
		bnd[w] = bnd[w]&^bit | b
	}
	// move moves v to side to and updates id/ed and the boundary bits of v
	// and its neighbours.
	move := func(v, to int) {
		where[v] = to
		side1[v>>6] ^= uint64(1) << (v & 63)
		id[v], ed[v] = ed[v], id[v]
		setBoundary(v)
		for j := xadj[v]; j < xadj[v+1]; j++ {
			k := adjncy[j]
			// +w towards id when k is on side to, -w otherwise.
			sw := float64(1-2*(where[k]^to)) * adjwgt[j]
			id[k] += sw
			ed[k] -= sw
			setBoundary(k)
		}
	}

	for pass := 0; pass < niter; pass++ {
		mincutorder := -1
		initcut := g.mincut
		newcut, mincut := initcut, initcut
		mindiff := math.Abs(t0 - g.pwgts[0])
		pw := g.pwgts
		var moved bitset
		// The state after the best move so far (at first, before any):
		// rolling back restores it instead of undoing every later move.
		snapID, snapED := p.snapID[:n], p.snapED[:n]
		copy(snapID, id)
		copy(snapED, ed)
		snapSide, snapBnd, snapPW := side1, bnd, pw
		// The scan visits the candidates of each word from a random bit on,
		// cyclically, and the words from a random one on.
		r := p.intn(64 * nw)
		rw, rb := r>>6, r&63
		nswaps := 0
		for ; nswaps < n; nswaps++ {
			from := 1
			if t0-pw[0] < t1-pw[1] {
				from = 0
			}
			to := 1 - from
			v := -1
			var gain float64
			for i := 0; i < nw; i++ {
				w := rw + i
				if w >= nw {
					w -= nw
				}
				cand := bnd[w] &^ moved[w]
				if from == 1 {
					cand &= side1[w]
				} else {
					cand &^= side1[w]
				}
				for c := bits.RotateLeft64(cand, -rb); c != 0; c &= c - 1 {
					u := w<<6 | (bits.TrailingZeros64(c)+rb)&63
					if d := ed[u] - id[u]; v < 0 || d > gain {
						v, gain = u, d
					}
				}
			}
			if v < 0 {
				break
			}
			newcut -= gain
			pw[to] += vwgt[v]
			pw[from] -= vwgt[v]
			diff := math.Abs(t0 - pw[0])
			ok := (pw[0] <= max0 && pw[1] <= max1) || (!startBal && diff <= origdiff)
			best := ok && (newcut < mincut || (newcut == mincut && diff < mindiff))
			if best {
				mincut, mindiff, mincutorder = newcut, diff, nswaps
			} else if nswaps-mincutorder > limit {
				newcut += gain
				pw[from] += vwgt[v]
				pw[to] -= vwgt[v]
				break
			}
			moved[v>>6] |= uint64(1) << (v & 63)
			move(v, to)
			if best {
				copy(snapID, id)
				copy(snapED, ed)
				snapSide, snapBnd, snapPW = side1, bnd, pw
			}
		}
		// roll back the moves after the best point
		if nswaps-1 > mincutorder {
			for w := 0; w < nw; w++ {
				for c := side1[w] ^ snapSide[w]; c != 0; c &= c - 1 {
					v := w<<6 | bits.TrailingZeros64(c)
					where[v] = 1 - where[v]
				}
			}
			copy(id, snapID)
			copy(ed, snapED)
			side1, bnd, pw = snapSide, snapBnd, snapPW
		}
		var done bool
		if done, startBal, origdiff = p.endFMPass(g, pw, mincut, initcut, mincutorder, startBal); done {
			converged = true
			break
		}
	}
	nbnd := 0
	for v := 0; v < n; v++ {
		bndptr[v] = -1
		if bnd[v>>6]&(uint64(1)<<(v&63)) != 0 {
			bndind[nbnd] = v
			bndptr[v] = nbnd
			nbnd++
		}
	}
	g.nbnd = nbnd
	return converged
}

// bitset holds one bit per vertex of a graph of up to smallFMMaxN vertices.
type bitset [smallFMMaxN / 64]uint64
