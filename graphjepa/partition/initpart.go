package partition

// initBisection bisects the coarsest graph g (METIS' Init2WayPartition with
// greedy graph growing): from each of niparts random seeds it grows side 0
// breadth-first until side 1 is light enough, restarting from a random
// untouched vertex when a component runs out, then balances and refines
// with FM; it keeps the smallest cut. A graph without edges is split by a
// random order instead.
func (p *Partitioner) initBisection(g *graph, t0 float64, niparts int) {
	n := g.n
	p.setBounds(g, t0, false, false)
	onemax := p.ub * g.tvwgt * (1 - t0)
	onemin := g.tvwgt * (1 - t0) / p.ub
	best := p.bestwhere[:n]
	bestcut, bestBal := 0.0, false
	queue, touched := p.queue[:n], p.touched[:n]
	noEdges := g.nedges() == 0
	for try := 0; try < niparts; try++ {
		where := g.where[:n]
		for i := range where {
			where[i] = 1
		}
		pw := [2]float64{0, g.tvwgt}
		if noEdges {
			perm := p.tperm[:n]
			for i := range perm {
				perm[i] = i
			}
			p.rng.Shuffle(n, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
			for _, i := range perm {
				if pw[1]-g.vwgt[i] < onemin && pw[0] > 0 {
					continue
				}
				where[i] = 0
				pw[0] += g.vwgt[i]
				pw[1] -= g.vwgt[i]
				if pw[1] <= onemax {
					break
				}
			}
		} else {
			for i := range touched {
				touched[i] = 0
			}
			queue[0] = p.rng.IntN(n)
			touched[queue[0]] = 1
			first, last, nleft := 0, 1, n-1
			drain := false
			for {
				if first == last { // component exhausted: restart elsewhere
					if nleft == 0 || drain {
						break
					}
					r := p.rng.IntN(nleft)
					i := 0
					for ; i < n; i++ {
						if touched[i] == 0 {
							if r == 0 {
								break
							}
							r--
						}
					}
					queue[0] = i
					touched[i] = 1
					first, last = 0, 1
					nleft--
				}
				i := queue[first]
				first++
				if pw[0] > 0 && pw[1]-g.vwgt[i] < onemin {
					drain = true
					continue
				}
				where[i] = 0
				pw[0] += g.vwgt[i]
				pw[1] -= g.vwgt[i]
				if pw[1] <= onemax {
					break
				}
				drain = false
				for j := g.xadj[i]; j < g.xadj[i+1]; j++ {
					if k := g.adjncy[j]; touched[k] == 0 {
						queue[last] = k
						last++
						touched[k] = 1
						nleft--
					}
				}
			}
		}
		if pw[1] == 0 && n > 1 {
			where[p.rng.IntN(n)] = 1
		}
		if pw[0] == 0 && n > 1 {
			where[p.rng.IntN(n)] = 0
		}
		p.compute2WayParams(g)
		p.balance2Way(g)
		p.fm2WayLimit(g, initFMPasses, initLimit)
		bal := p.balanced(g.pwgts)
		if try == 0 || (bal && !bestBal) || (bal == bestBal && g.mincut < bestcut) {
			bestcut, bestBal = g.mincut, bal
			copy(best, where)
			if bestcut == 0 && bal {
				break
			}
		}
	}
	copy(g.where[:n], best)
	p.compute2WayParams(g)
}
