package partition

import "math"

// kwayRefine improves a k-way partition of the input graph g by greedy
// boundary moves (in the manner of METIS' greedy k-way refinement): in
// random order, every vertex with neighbours in other parts moves to the
// adjacent part it is most connected to when that lowers the cut (or keeps
// it and evens the weights), provided the target part stays within
// max(1.03·W/k, the heaviest part before refinement) and the source part
// keeps a vertex. Up to NIter passes, stopping at a pass without moves.
func (p *Partitioner) kwayRefine(g *graph, k int, part []int) {
	n := g.n
	p.kpw = grow(p.kpw, k)
	p.kconn = grow(p.kconn, k)
	p.kpart = grow(p.kpart, k)
	p.klist = grow(p.klist, k)
	pw, conn, cnt, list := p.kpw, p.kconn, p.kpart, p.klist
	for i := 0; i < k; i++ {
		pw[i], conn[i], cnt[i] = 0, 0, 0
	}
	var heaviest float64
	for v := 0; v < n; v++ {
		pw[part[v]] += g.vwgt[v]
		cnt[part[v]]++
	}
	for _, w := range pw[:k] {
		heaviest = math.Max(heaviest, w)
	}
	maxpw := math.Max(1.03*g.tvwgt/float64(k), heaviest)
	perm := p.tperm[:n]
	for i := range perm {
		perm[i] = i
	}
	for pass := 0; pass < p.niter; pass++ {
		p.shuffle(perm)
		moves := 0
		for _, v := range perm {
			from := part[v]
			if cnt[from] == 1 {
				continue
			}
			nl := 0
			var internal float64
			for j := g.xadj[v]; j < g.xadj[v+1]; j++ {
				q := part[g.adjncy[j]]
				if q == from {
					internal += g.adjwgt[j]
					continue
				}
				if conn[q] == 0 {
					list[nl] = q
					nl++
				}
				conn[q] += g.adjwgt[j]
			}
			if nl == 0 {
				continue
			}
			best, bestGain := -1, 0.0
			vw := g.vwgt[v]
			for _, q := range list[:nl] {
				if pw[q]+vw > maxpw {
					continue
				}
				gain := conn[q] - internal
				better := gain > bestGain || (best == -1 && gain == 0 && pw[q]+vw < pw[from])
				if best != -1 && gain == bestGain && pw[q] < pw[best] {
					better = true
				}
				if better && (gain > 0 || pw[q]+vw < pw[from]) {
					best, bestGain = q, gain
				}
			}
			for _, q := range list[:nl] {
				conn[q] = 0
			}
			if best < 0 {
				continue
			}
			part[v] = best
			pw[from] -= vw
			pw[best] += vw
			cnt[from]--
			cnt[best]++
			moves++
		}
		if moves == 0 {
			break
		}
	}
}
