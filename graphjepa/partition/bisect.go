package partition

// recursiveBisect partitions g into nparts parts numbered fpart.. and
// writes them into part (indexed by the input vertex, g.label). tp holds
// the target weight fractions of the nparts parts (summing to 1); as in
// METIS' MlevelRecursiveBisection, the first ⌊nparts/2⌋ parts go to side 0
// with a target equal to the sum of their fractions, and each side is
// partitioned further with its fractions rescaled to sum to 1.
func (p *Partitioner) recursiveBisect(g *graph, nparts int, tp []float64, fpart int, part []int) {
	if g.n == 0 {
		return
	}
	if g.n <= nparts {
		for i := 0; i < g.n; i++ {
			part[g.label[i]] = fpart + i
		}
		return
	}
	half := nparts / 2
	var t0 float64
	for _, x := range tp[:half] {
		t0 += x
	}
	p.multilevelBisect(g, t0)
	for i := 0; i < g.n; i++ {
		part[g.label[i]] = fpart + g.where[i]
	}
	if nparts == 2 {
		return
	}
	mark := p.pool.mark()
	left, right := p.split(g)
	for i := range tp[:half] {
		tp[i] /= t0
	}
	for i := half; i < nparts; i++ {
		tp[i] /= 1 - t0
	}
	if nparts > 3 {
		p.recursiveBisect(left, half, tp[:half], fpart, part)
	}
	p.recursiveBisect(right, nparts-half, tp[half:], fpart+half, part)
	p.pool.release(mark)
}

// multilevelBisect bisects g with a target fraction t0 of its weight on
// side 0: coarsen, bisect the coarsest graph, then project back level by
// level with balancing and FM refinement at each. With NCuts > 1 it keeps
// the smallest balanced cut. The result is left in g.where.
func (p *Partitioner) multilevelBisect(g *graph, t0 float64) {
	bestcut := 0.0
	for c := 0; c < p.ncuts; c++ {
		mark := p.pool.mark()
		cg := g
		niparts := smallNIParts
		if g.n > directCutoff {
			// Small graphs are bisected directly (METIS coarsens them
			// once more, which costs time and gains nothing).
			cg = p.coarsen(g)
			if cg.n > coarsenTo {
				niparts = largeNIParts
			}
		}
		p.initBisection(cg, t0, niparts)
		p.refine2Way(g, cg, t0)
		p.pool.release(mark)
		if p.ncuts == 1 {
			break
		}
		p.setBounds(g, t0, true, false)
		if c == 0 || (g.mincut < bestcut && p.balanced(g.pwgts)) {
			bestcut = g.mincut
			copy(p.bestcut[:g.n], g.where[:g.n])
		}
		if bestcut == 0 {
			break
		}
		if c == p.ncuts-1 {
			copy(g.where[:g.n], p.bestcut[:g.n])
			p.compute2WayParams(g)
		}
	}
	if p.levelHook != nil {
		p.setBounds(g, t0, true, false)
		p.levelHook(g.pwgts, p.target, g.maxvwgt)
	}
}

// split returns the subgraphs induced by the two sides of g's bisection;
// edges across the cut are dropped and labels carried over.
func (p *Partitioner) split(g *graph) (left, right *graph) {
	rename := p.rename[:g.n]
	var sn, sm [2]int
	for i := 0; i < g.n; i++ {
		s := g.where[i]
		rename[i] = sn[s]
		sn[s]++
		sm[s] += g.xadj[i+1] - g.xadj[i]
	}
	left, right = p.pool.get(), p.pool.get()
	left.resize(sn[0], sm[0])
	right.resize(sn[1], sm[1])
	sides := [2]*graph{left, right}
	var cn, cm [2]int
	for i := 0; i < g.n; i++ {
		s := g.where[i]
		h := sides[s]
		h.xadj[cn[s]] = cm[s]
		for j := g.xadj[i]; j < g.xadj[i+1]; j++ {
			k := g.adjncy[j]
			if g.where[k] == s {
				h.adjncy[cm[s]] = rename[k]
				h.adjwgt[cm[s]] = g.adjwgt[j]
				cm[s]++
			}
		}
		h.vwgt[cn[s]] = g.vwgt[i]
		h.label[cn[s]] = g.label[i]
		cn[s]++
	}
	for s, h := range sides {
		h.xadj[cn[s]] = cm[s]
		h.adjncy, h.adjwgt = h.adjncy[:cm[s]], h.adjwgt[:cm[s]]
		h.setTotals()
	}
	return left, right
}
