package partition

import "math"

// setBounds sets the target and the largest allowed weight of both sides
// of g for a bisection with fraction t0 on side 0. A side may exceed its
// target by the factor ub or by a slack, whichever is more. On coarse
// levels the slack is what METIS' FM tolerates there, the average vertex
// weight ⌊min(W/20, 2W/n)⌋, which leaves the coarse refinement room that
// the finer levels take back. On the graph being bisected (finest) it is
// clipped to max(3 % of the smaller target, the largest vertex weight), the
// per-level bound of the tests; a side may always round its target up by
// half a vertex (15.5 to 16), and by a whole vertex once the smaller target
// weighs three vertices or more (METIS, which leaves differences below
// 3W/n unbalanced, allows more). With strict, the finest slack is only the
// half-vertex rounding: refine2Way refines within it first and then spends
// the rest of the slack in one more FM run.
func (p *Partitioner) setBounds(g *graph, t0 float64, finest, strict bool) {
	p.target[0] = g.tvwgt * t0
	p.target[1] = g.tvwgt - p.target[0]
	avg := math.Floor(math.Min(g.tvwgt/20, 2*g.tvwgt/float64(g.n)))
	slack := math.Max(math.Min(g.tvwgt/20, 2*g.tvwgt/float64(g.n)), g.maxvwgt)
	if finest {
		minT := math.Min(p.target[0], p.target[1])
		slack = math.Min(avg, math.Max(0.03*minT, g.maxvwgt))
		if minT >= 3*g.maxvwgt {
			slack = math.Max(slack, g.maxvwgt)
		}
		if strict {
			slack = 0
		}
		slack = math.Max(slack, g.maxvwgt/2)
	}
	for s := 0; s < 2; s++ {
		p.maxpw[s] = math.Max(p.ub*p.target[s], p.target[s]+slack)
	}
}

// balanced reports whether both sides are within their bounds.
func (p *Partitioner) balanced(pw [2]float64) bool {
	return pw[0] <= p.maxpw[0]+1e-9 && pw[1] <= p.maxpw[1]+1e-9
}

// compute2WayParams computes part weights, id/ed, the boundary and the cut
// of g from g.where.
func (p *Partitioner) compute2WayParams(g *graph) {
	n := g.n
	where, id, ed, vwgt := g.where[:n], g.id[:n], g.ed[:n], g.vwgt[:n]
	xadj, adjncy, adjwgt := g.xadj[:n+1], g.adjncy, g.adjwgt[:len(g.adjncy)]
	bndptr, bndind := g.bndptr[:n], g.bndind[:n]
	var pw [2]float64
	nbnd := 0
	var cut float64
	for i := 0; i < n; i++ {
		me := where[i]
		pw[me&1] += vwgt[i]
		var in, ex float64
		lo, hi := xadj[i], xadj[i+1]
		for j := lo; j < hi; j++ {
			// Branch-free (the sides of neighbours are unpredictable):
			// d is 1 across the cut, 0 inside, and adding an exact zero
			// leaves a sum unchanged.
			w := adjwgt[j]
			d := float64(where[adjncy[j]] ^ me)
			ex += d * w
			in += w - d*w
		}
		id[i], ed[i] = in, ex
		bndptr[i] = -1
		if ex > 0 || lo == hi {
			bndind[nbnd] = i
			bndptr[i] = nbnd
			nbnd++
		}
		cut += ex
	}
	g.pwgts, g.nbnd = pw, nbnd
	g.mincut = cut / 2
}

// refine2Way projects the bisection of the coarsest graph cg back to orig,
// balancing and FM-refining at every level (METIS' Refine2Way).
func (p *Partitioner) refine2Way(orig, cg *graph, t0 float64) {
	p.compute2WayParams(cg)
	for g := cg; ; g = g.finer {
		p.setBounds(g, t0, g == orig, g == orig)
		p.balance2Way(g)
		// On a coarsest graph of up to dedupMaxN vertices the initial
		// bisection's best try has just had its full FM passes, each
		// exploring every vertex; another run there (strict bounds on a
		// graph bisected directly) finds nothing the last run below does
		// not: PROTEINS/DD cut totals unchanged within 0.02 %.
		if g != cg || g.n > onePassMaxN {
			p.fm2Way(g, p.niter)
		}
		if g == orig {
			// A last FM run may spend the slack the bounds allow beyond
			// rounding (refining within it from the start can trap FM
			// in worse local minima, e.g. on grids).
			p.setBounds(g, t0, true, false)
			p.fm2Way(g, p.niter)
			return
		}
		f := g.finer
		for i := 0; i < f.n; i++ {
			f.where[i] = g.where[f.cmap[i]]
		}
		p.compute2WayParams(f)
	}
}

// moveVertex moves v to side to, updating part weights, id/ed of v and its
// neighbours and the boundary; it calls onNeighbour for every neighbour
// after its update, with wasBnd telling whether it was a boundary vertex.
// (Written out in each caller for speed; this helper is for the rarely run
// balancing.)
func (p *Partitioner) moveVertex(g *graph, v, to int, q *pqueue, inQueue func(k int) bool) {
	from := 1 - to
	g.mincut -= g.ed[v] - g.id[v]
	g.pwgts[to] += g.vwgt[v]
	g.pwgts[from] -= g.vwgt[v]
	g.where[v] = to
	g.id[v], g.ed[v] = g.ed[v], g.id[v]
	if g.ed[v] == 0 && g.bndptr[v] != -1 && g.xadj[v] < g.xadj[v+1] {
		g.bndDelete(v)
	} else if g.ed[v] > 0 && g.bndptr[v] == -1 {
		g.bndInsert(v)
	}
	for j := g.xadj[v]; j < g.xadj[v+1]; j++ {
		k := g.adjncy[j]
		w := g.adjwgt[j]
		if g.where[k] == to {
			g.id[k] += w
			g.ed[k] -= w
		} else {
			g.id[k] -= w
			g.ed[k] += w
		}
		if g.bndptr[k] != -1 && g.ed[k] == 0 && g.xadj[k] < g.xadj[k+1] {
			g.bndDelete(k)
		} else if g.bndptr[k] == -1 && g.ed[k] > 0 {
			g.bndInsert(k)
		}
		if q != nil && inQueue(k) {
			q.update(k, g.ed[k]-g.id[k])
		}
	}
}

// balance2Way restores the balance bounds when a side is too heavy: it
// moves vertices of the heavy side, best gain first, boundary vertices
// before interior ones, until the bounds hold (METIS' Bnd2WayBalance and
// General2WayBalance).
func (p *Partitioner) balance2Way(g *graph) {
	for round := 0; round < 2 && !p.balanced(g.pwgts); round++ {
		from := 0
		if g.pwgts[1]-p.maxpw[1] > g.pwgts[0]-p.maxpw[0] {
			from = 1
		}
		to := 1 - from
		mindiff := math.Abs(p.target[0] - g.pwgts[0])
		q := &p.pq[0]
		q.init(g.n)
		moved := p.moved[:g.n]
		for i := range moved {
			moved[i] = -1
		}
		eligible := func(k int) bool {
			return moved[k] == -1 && g.where[k] == from && g.vwgt[k] <= mindiff && (round == 1 || g.bndptr[k] != -1)
		}
		perm := p.tperm[:g.n]
		for i := range perm {
			perm[i] = i
		}
		p.shuffle(perm)
		for _, i := range perm {
			if eligible(i) {
				q.insert(i, g.ed[i]-g.id[i])
			}
		}
		for nmoves := 0; !p.balanced(g.pwgts); nmoves++ {
			v := q.pop()
			if v < 0 {
				break
			}
			if g.pwgts[to]+g.vwgt[v] > p.maxpw[to] {
				continue
			}
			moved[v] = nmoves
			p.moveVertex(g, v, to, q, eligible)
		}
		q.reset()
	}
}

// fm2Way is Fiduccia–Mattheyses refinement of g's bisection (METIS'
// FM_2WayCutRefine): each pass moves boundary vertices one at a time, best
// gain first, always from the side heavier relative to its target, lets
// the cut rise for up to limit moves, then rolls back to the best balanced
// cut seen. Passes stop when one brings no gain.
func (p *Partitioner) fm2Way(g *graph, niter int) {
	p.fm2WayLimit(g, niter, min(15, max(refineLimitMin, g.n/refineLimitDiv)))
}

// fm2WayLimit is fm2Way with at most niter passes and the move limit
// clamp(n/100, minLimit, 100); it reports whether a pass brought no gain
// (false when the passes ran out while still improving).
func (p *Partitioner) fm2WayLimit(g *graph, niter, minLimit int) (converged bool) {
	if g.n <= smallFMMaxN {
		return p.fm2WaySmall(g, niter, minLimit)
	}
	return p.fm2WayHeap(g, niter, minLimit)
}

// fm2WayHeap is fm2WayLimit with two priority queues of boundary vertices
// (METIS' data structure), for graphs of any size.
func (p *Partitioner) fm2WayHeap(g *graph, niter, minLimit int) (converged bool) {
	n := g.n
	moved, swaps := p.moved[:n], p.swaps[:n]
	for i := range moved {
		moved[i] = -1
	}
	limit := int(math.Min(math.Max(0.01*float64(n), float64(minLimit)), 100))
	q := [2]*pqueue{&p.pq[0], &p.pq[1]}
	q[0].init(n)
	q[1].init(n)
	t0, t1 := p.target[0], p.target[1]
	max0, max1 := p.maxpw[0]+1e-9, p.maxpw[1]+1e-9 // as in balanced
	origdiff := math.Abs(t0 - g.pwgts[0])
	startBal := p.balanced(g.pwgts)
	// Local copies: the loops below store through these slices, and with
	// the fields of g the compiler would reload every header after each store.
	where, id, ed, vwgt := g.where[:n], g.id[:n], g.ed[:n], g.vwgt[:n]
	xadj, adjncy, adjwgt := g.xadj[:n+1], g.adjncy, g.adjwgt[:len(g.adjncy)]
	bndptr, bndind := g.bndptr[:n], g.bndind[:n]
	nbnd := g.nbnd
	// Every neighbour of a vertex has an edge (the graph is symmetric), so
	// only the moved vertex itself can be isolated, which keeps it on the
	// boundary.
	perm := p.tperm
	for pass := 0; pass < niter; pass++ {
		q[0].reset()
		q[1].reset()
		mincutorder := -1
		initcut := g.mincut
		newcut, mincut := initcut, initcut
		mindiff := math.Abs(t0 - g.pwgts[0])
		bp := perm[:nbnd]
		copy(bp, bndind[:nbnd])
		p.shuffle(bp)
		for _, v := range bp {
			q[where[v]].insert(v, ed[v]-id[v])
		}
		pw := g.pwgts
		nswaps := 0
		for ; nswaps < n; nswaps++ {
			from := 1
			if t0-pw[0] < t1-pw[1] {
				from = 0
			}
			to := 1 - from
			v := q[from].pop()
			if v < 0 {
				break
			}
			gain := ed[v] - id[v]
			newcut -= gain
			pw[to] += vwgt[v]
			pw[from] -= vwgt[v]
			diff := math.Abs(t0 - pw[0])
			ok := (pw[0] <= max0 && pw[1] <= max1) || (!startBal && diff <= origdiff)
			if ok && (newcut < mincut || (newcut == mincut && diff < mindiff)) {
				mincut, mindiff, mincutorder = newcut, diff, nswaps
			} else if nswaps-mincutorder > limit {
				newcut += gain
				pw[from] += vwgt[v]
				pw[to] -= vwgt[v]
				break
			}
			where[v] = to
			moved[v] = nswaps
			swaps[nswaps] = v
			id[v], ed[v] = ed[v], id[v]
			lo, hi := xadj[v], xadj[v+1]
			if ed[v] == 0 && lo < hi { // bndDelete(v)
				i := bndptr[v]
				nbnd--
				last := bndind[nbnd]
				bndind[i] = last
				bndptr[last] = i
				bndptr[v] = -1
			}
			for j := lo; j < hi; j++ {
				k := adjncy[j]
				w := adjwgt[j]
				// +w towards id when k is on side to, -w otherwise
				// (branch-free; x + (-w) is x - w exactly).
				sw := float64(1-2*(where[k]^to)) * w
				id[k] += sw
				ed[k] -= sw
				if bndptr[k] != -1 {
					if ed[k] == 0 { // bndDelete(k)
						i := bndptr[k]
						nbnd--
						last := bndind[nbnd]
						bndind[i] = last
						bndptr[last] = i
						bndptr[k] = -1
						if moved[k] == -1 {
							q[where[k]].delete(k)
						}
					} else if moved[k] == -1 {
						q[where[k]].update(k, ed[k]-id[k])
					}
				} else if ed[k] > 0 { // bndInsert(k)
					bndind[nbnd] = k
					bndptr[k] = nbnd
					nbnd++
					if moved[k] == -1 {
						q[where[k]].insert(k, ed[k]-id[k])
					}
				}
			}
		}
		// roll back the moves after the best point
		for i := 0; i < nswaps; i++ {
			moved[swaps[i]] = -1
		}
		for nswaps--; nswaps > mincutorder; nswaps-- {
			v := swaps[nswaps]
			to := 1 - where[v]
			where[v] = to
			id[v], ed[v] = ed[v], id[v]
			lo, hi := xadj[v], xadj[v+1]
			if ed[v] == 0 && bndptr[v] != -1 && lo < hi { // bndDelete(v)
				i := bndptr[v]
				nbnd--
				last := bndind[nbnd]
				bndind[i] = last
				bndptr[last] = i
				bndptr[v] = -1
			} else if ed[v] > 0 && bndptr[v] == -1 { // bndInsert(v)
				bndind[nbnd] = v
				bndptr[v] = nbnd
				nbnd++
			}
			pw[to] += vwgt[v]
			pw[1-to] -= vwgt[v]
			for j := lo; j < hi; j++ {
				k := adjncy[j]
				w := adjwgt[j]
				// +w towards id when k is on side to, -w otherwise
				// (branch-free; x + (-w) is x - w exactly).
				sw := float64(1-2*(where[k]^to)) * w
				id[k] += sw
				ed[k] -= sw
				if bndptr[k] != -1 {
					if ed[k] == 0 { // bndDelete(k)
						i := bndptr[k]
						nbnd--
						last := bndind[nbnd]
						bndind[i] = last
						bndptr[last] = i
						bndptr[k] = -1
					}
				} else if ed[k] > 0 { // bndInsert(k)
					bndind[nbnd] = k
					bndptr[k] = nbnd
					nbnd++
				}
			}
		}
		g.nbnd = nbnd
		var done bool
		if done, startBal, origdiff = p.endFMPass(g, pw, mincut, initcut, mincutorder, startBal); done {
			converged = true
			break
		}
	}
	g.nbnd = nbnd
	q[0].reset()
	q[1].reset()
	return converged
}

// endFMPass records the state a pass of either FM variant ended in (part
// weights pw and cut mincut after the roll-back) and reports whether the
// pass brought no gain, so that no further pass is run, with the balance
// state the next pass starts from (whether it starts balanced, and its
// distance from side 0's target).
func (p *Partitioner) endFMPass(g *graph, pw [2]float64, mincut, initcut float64, mincutorder int, startBal bool) (converged, nextStartBal bool, origdiff float64) {
	g.pwgts = pw
	g.mincut = mincut
	if mincutorder <= 0 || mincut == initcut {
		return true, startBal, 0
	}
	return false, startBal || p.balanced(pw), math.Abs(p.target[0] - pw[0])
}
