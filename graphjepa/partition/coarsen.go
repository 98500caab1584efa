package partition

import "math"

// coarsen builds the sequence of coarser graphs of g (METIS' CoarsenGraph):
// it matches vertices, contracts every matched pair into one vertex (vertex
// weights and the weights of merged edges summed), and repeats until the
// graph has at most coarsenTo vertices, stops shrinking by 15 % a level, or
// has fewer edges than half its vertices. It returns the coarsest graph;
// every graph links to its finer one. At least one level is built.
func (p *Partitioner) coarsen(g *graph) *graph {
	equal := true
	for j := 1; j < g.nedges(); j++ {
		if g.adjwgt[j] != g.adjwgt[0] {
			equal = false
			break
		}
	}
	maxv := 1.5 * g.tvwgt / coarsenTo
	for {
		// Random matching on the first level when every edge weighs the
		// same (heavy-edge matching has nothing to choose from there).
		cg := p.matchAndContract(g, maxv, equal || g.nedges() == 0)
		equal = false
		if !(cg.n > coarsenTo && float64(cg.n) < coarsenFraction*float64(g.n) && cg.nedges() > cg.n/2) {
			return cg
		}
		g = cg
	}
}

// matchAndContract computes a matching of g and returns the contracted
// graph. Vertices are visited in random order, biased towards low degree
// (random order, then a stable sort by a capped square root of the degree);
// an unmatched vertex is matched with the unmatched neighbour joined by the
// heaviest edge (random: the first such neighbour) whose combined weight
// stays within maxv. Isolated vertices are paired with any later unmatched
// vertex. When too many vertices stay unmatched (star-like graphs), vertices
// that share a neighbour are paired (2-hop matching).
func (p *Partitioner) matchAndContract(g *graph, maxv float64, random bool) *graph {
	n := g.n
	match := p.match[:n]
	for i := range match {
		match[i] = -1
	}
	perm := p.orderByDegree(g)

	nunmatched := 0
	last := 0
	for pi := 0; pi < n; pi++ {
		i := perm[pi]
		if match[i] != -1 {
			continue
		}
		best := i
		if g.vwgt[i] < maxv {
			if g.xadj[i] == g.xadj[i+1] {
				if pi > last {
					last = pi
				}
				for last++; last < n; last++ {
					if j := perm[last]; match[j] == -1 {
						best = j
						break
					}
				}
			} else {
				bestw := -1.0
				for j := g.xadj[i]; j < g.xadj[i+1]; j++ {
					k := g.adjncy[j]
					if match[k] != -1 || k == i || g.vwgt[i]+g.vwgt[k] > maxv {
						continue
					}
					if random {
						best = k
						break
					}
					if g.adjwgt[j] > bestw {
						best, bestw = k, g.adjwgt[j]
					}
				}
				if best == i && 2*g.vwgt[i] < maxv {
					nunmatched++
					best = -1 // left for the 2-hop matching
				}
			}
		}
		if best != -1 {
			match[i] = best
			match[best] = i
		}
	}

	if float64(nunmatched) > unmatchedFor2Hop*float64(n) {
		nunmatched = p.match2Hop(g, perm, match, nunmatched, 2)
		if float64(nunmatched) > 1.5*unmatchedFor2Hop*float64(n) {
			nunmatched = p.match2Hop(g, perm, match, nunmatched, 3)
		}
		if float64(nunmatched) > 2*unmatchedFor2Hop*float64(n) {
			p.match2Hop(g, perm, match, nunmatched, n)
		}
	}

	// Number the coarse vertices in the order of their first member.
	cmap := g.cmap[:n]
	cn := 0
	for i := 0; i < n; i++ {
		switch m := match[i]; {
		case m == -1:
			match[i] = i
			cmap[i] = cn
			cn++
		case i <= m:
			cmap[i] = cn
			cmap[m] = cn
			cn++
		}
	}
	return p.contract(g, cn)
}

// orderByDegree returns a random permutation of g's vertices stably sorted
// by min(⌊√(1+degree)⌋, 4·average degree).
func (p *Partitioner) orderByDegree(g *graph) []int {
	n := g.n
	tperm, perm, deg := p.tperm[:n], p.perm[:n], p.degrees[:n]
	for i := range tperm {
		tperm[i] = i
	}
	p.shuffle(tperm)
	avg := int(4.0 * float64(g.nedges()/n))
	for i := 0; i < n; i++ {
		b := int(math.Sqrt(float64(1 + g.xadj[i+1] - g.xadj[i])))
		if b > avg {
			b = avg
		}
		deg[i] = b
	}
	// counting sort of tperm by deg into perm
	p.buckets = grow(p.buckets, avg+2)
	cnt := p.buckets
	for i := range cnt {
		cnt[i] = 0
	}
	for _, v := range tperm {
		cnt[deg[v]+1]++
	}
	for b := 1; b < len(cnt); b++ {
		cnt[b] += cnt[b-1]
	}
	for _, v := range tperm {
		perm[cnt[deg[v]]] = v
		cnt[deg[v]]++
	}
	return perm
}

// match2Hop pairs unmatched vertices of degree below maxdeg that share a
// neighbour; it returns the new count of unmatched vertices.
func (p *Partitioner) match2Hop(g *graph, perm, match []int, nunmatched, maxdeg int) int {
	n := g.n
	colptr := p.colptr[:n+1]
	for i := range colptr {
		colptr[i] = 0
	}
	for i := 0; i < n; i++ {
		if match[i] == -1 && g.xadj[i+1]-g.xadj[i] < maxdeg {
			for j := g.xadj[i]; j < g.xadj[i+1]; j++ {
				colptr[g.adjncy[j]+1]++
			}
		}
	}
	for i := 0; i < n; i++ {
		colptr[i+1] += colptr[i]
	}
	rowind := p.rowind
	if len(rowind) < colptr[n] {
		rowind = grow(rowind, colptr[n])
		p.rowind = rowind
	}
	// fill, then shift colptr back
	for _, i := range perm {
		if match[i] == -1 && g.xadj[i+1]-g.xadj[i] < maxdeg {
			for j := g.xadj[i]; j < g.xadj[i+1]; j++ {
				c := g.adjncy[j]
				rowind[colptr[c]] = i
				colptr[c]++
			}
		}
	}
	for i := n; i > 0; i-- {
		colptr[i] = colptr[i-1]
	}
	colptr[0] = 0

	for _, i := range perm {
		lo, hi := colptr[i], colptr[i+1]
		if hi-lo < 2 {
			continue
		}
		for j := lo; j < hi; j++ {
			a := rowind[j]
			if match[a] != -1 {
				continue
			}
			for hi--; hi > j; hi-- {
				b := rowind[hi]
				if match[b] == -1 {
					match[a], match[b] = b, a
					nunmatched -= 2
					break
				}
			}
		}
	}
	return nunmatched
}

// contract builds the coarse graph of g from match and cmap: the coarse
// vertex of a pair weighs the sum of its members, its adjacency is the union
// of theirs with the weights of entries to the same coarse vertex summed and
// the edge between the pair dropped.
func (p *Partitioner) contract(g *graph, cn int) *graph {
	cg := p.pool.get()
	cg.resize(cn, g.nedges())
	cg.finer = g
	// Local slice headers: with the fields of g and cg the compiler
	// reloads them after every store.
	n := g.n
	match, cmap := p.match[:n], g.cmap[:n]
	xadj, adjncy, adjwgt, vwgt := g.xadj[:n+1], g.adjncy, g.adjwgt[:len(g.adjncy)], g.vwgt[:n]
	cxadj, cadjncy, cadjwgt, cvwgt := cg.xadj[:cn+1], cg.adjncy, cg.adjwgt[:len(cg.adjncy)], cg.vwgt[:cn]
	htable := p.htable[:cn]
	for i := range htable {
		htable[i] = -1
	}
	ne := 0
	c := 0
	for v := 0; v < n; v++ {
		u := match[v]
		if u < v {
			continue
		}
		start := ne
		w := vwgt[v]
		for pass := 0; pass < 2; pass++ {
			x := v
			if pass == 1 {
				if u == v {
					break
				}
				x = u
				w += vwgt[u]
			}
			for j := xadj[x]; j < xadj[x+1]; j++ {
				k := cmap[adjncy[j]]
				if k == c {
					continue
				}
				if h := htable[k]; h >= 0 {
					cadjwgt[h] += adjwgt[j]
				} else {
					htable[k] = ne
					cadjncy[ne] = k
					cadjwgt[ne] = adjwgt[j]
					ne++
				}
			}
		}
		for j := start; j < ne; j++ {
			htable[cadjncy[j]] = -1
		}
		cvwgt[c] = w
		c++
		cxadj[c] = ne
	}
	cxadj[0] = 0
	cg.adjncy, cg.adjwgt = cadjncy[:ne], cadjwgt[:ne]
	cg.tvwgt = g.tvwgt
	var mx float64
	for _, x := range cvwgt {
		if x > mx {
			mx = x
		}
	}
	cg.maxvwgt = mx
	return cg
}
