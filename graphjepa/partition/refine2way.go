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
	g.pwgts = [2]float64{}
	g.nbnd = 0
	var cut float64
	for i := 0; i < g.n; i++ {
		me := g.where[i]
		g.pwgts[me] += g.vwgt[i]
		var id, ed float64
		for j := g.xadj[i]; j < g.xadj[i+1]; j++ {
			if g.where[g.adjncy[j]] == me {
				id += g.adjwgt[j]
			} else {
				ed += g.adjwgt[j]
			}
		}
		g.id[i], g.ed[i] = id, ed
		g.bndptr[i] = -1
		if ed > 0 || g.xadj[i] == g.xadj[i+1] {
			g.bndInsert(i)
		}
		cut += ed
	}
	g.mincut = cut / 2
}

// refine2Way projects the bisection of the coarsest graph cg back to orig,
// balancing and FM-refining at every level (METIS' Refine2Way).
func (p *Partitioner) refine2Way(orig, cg *graph, t0 float64) {
	p.compute2WayParams(cg)
	for g := cg; ; g = g.finer {
		p.setBounds(g, t0, g == orig, g == orig)
		p.balance2Way(g)
		p.fm2Way(g, p.niter)
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
		p.rng.Shuffle(g.n, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
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

func (p *Partitioner) fm2WayLimit(g *graph, niter, minLimit int) {
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
	origdiff := math.Abs(t0 - g.pwgts[0])
	startBal := p.balanced(g.pwgts)
	where, id, ed, xadj, adjncy, adjwgt := g.where, g.id, g.ed, g.xadj, g.adjncy, g.adjwgt
	perm := p.tperm
	for pass := 0; pass < niter; pass++ {
		q[0].reset()
		q[1].reset()
		mincutorder := -1
		initcut := g.mincut
		newcut, mincut := initcut, initcut
		mindiff := math.Abs(t0 - g.pwgts[0])
		nb := g.nbnd
		bp := perm[:nb]
		copy(bp, g.bndind[:nb])
		p.rng.Shuffle(nb, func(a, b int) { bp[a], bp[b] = bp[b], bp[a] })
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
			pw[to] += g.vwgt[v]
			pw[from] -= g.vwgt[v]
			diff := math.Abs(t0 - pw[0])
			ok := p.balanced(pw) || (!startBal && diff <= origdiff)
			if ok && (newcut < mincut || (newcut == mincut && diff < mindiff)) {
				mincut, mindiff, mincutorder = newcut, diff, nswaps
			} else if nswaps-mincutorder > limit {
				newcut += gain
				pw[from] += g.vwgt[v]
				pw[to] -= g.vwgt[v]
				break
			}
			where[v] = to
			moved[v] = nswaps
			swaps[nswaps] = v
			id[v], ed[v] = ed[v], id[v]
			if ed[v] == 0 && xadj[v] < xadj[v+1] {
				g.bndDelete(v)
			}
			for j := xadj[v]; j < xadj[v+1]; j++ {
				k := adjncy[j]
				w := adjwgt[j]
				if where[k] == to {
					id[k] += w
					ed[k] -= w
				} else {
					id[k] -= w
					ed[k] += w
				}
				if g.bndptr[k] != -1 {
					if ed[k] == 0 && xadj[k] < xadj[k+1] {
						g.bndDelete(k)
						if moved[k] == -1 {
							q[where[k]].delete(k)
						}
					} else if moved[k] == -1 {
						q[where[k]].update(k, ed[k]-id[k])
					}
				} else if ed[k] > 0 {
					g.bndInsert(k)
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
			if ed[v] == 0 && g.bndptr[v] != -1 && xadj[v] < xadj[v+1] {
				g.bndDelete(v)
			} else if ed[v] > 0 && g.bndptr[v] == -1 {
				g.bndInsert(v)
			}
			pw[to] += g.vwgt[v]
			pw[1-to] -= g.vwgt[v]
			for j := xadj[v]; j < xadj[v+1]; j++ {
				k := adjncy[j]
				w := adjwgt[j]
				if where[k] == to {
					id[k] += w
					ed[k] -= w
				} else {
					id[k] -= w
					ed[k] += w
				}
				if g.bndptr[k] != -1 && ed[k] == 0 && xadj[k] < xadj[k+1] {
					g.bndDelete(k)
				} else if g.bndptr[k] == -1 && ed[k] > 0 {
					g.bndInsert(k)
				}
			}
		}
		g.pwgts = pw
		g.mincut = mincut
		if mincutorder <= 0 || mincut == initcut {
			break
		}
		if !startBal && p.balanced(pw) {
			startBal = true
		}
		origdiff = math.Abs(t0 - pw[0])
	}
	q[0].reset()
	q[1].reset()
}
