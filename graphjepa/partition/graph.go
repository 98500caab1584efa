package partition

// graph is the working form of one graph level: the input graph, a coarser
// graph built by matching, or one side of a bisection. Adjacency is CSR
// (xadj, adjncy) with a weight per entry; vertex weights are vwgt.
//
// The bisection state (where, id, ed, the boundary list and the part
// weights) follows the usual FM bookkeeping: id[v] is the weight of v's
// edges inside its side, ed[v] the weight of its edges to the other side, a
// vertex is on the boundary when ed[v] > 0 or it has no edges at all.
type graph struct {
	n      int
	xadj   []int
	adjncy []int
	adjwgt []float64
	vwgt   []float64
	label  []int // vertex of the input graph (subgraphs of a bisection only)
	cmap   []int // coarse vertex of every vertex once coarsened

	tvwgt   float64 // total vertex weight
	maxvwgt float64 // largest vertex weight

	where  []int
	id, ed []float64
	bndptr []int // position in bndind, -1 when interior
	bndind []int
	nbnd   int
	pwgts  [2]float64
	mincut float64

	finer *graph
}

// nedges returns the number of adjacency entries (twice the edges).
func (g *graph) nedges() int { return g.xadj[g.n] }

// resize prepares g for n vertices and m adjacency entries, reusing the
// arrays it already owns.
func (g *graph) resize(n, m int) {
	g.n = n
	g.xadj = grow(g.xadj, n+1)
	g.adjncy = grow(g.adjncy, m)
	g.adjwgt = grow(g.adjwgt, m)
	g.vwgt = grow(g.vwgt, n)
	g.label = grow(g.label, n)
	g.cmap = grow(g.cmap, n)
	g.where = grow(g.where, n)
	g.id = grow(g.id, n)
	g.ed = grow(g.ed, n)
	g.bndptr = grow(g.bndptr, n)
	g.bndind = grow(g.bndind, n)
	g.nbnd = 0
	g.finer = nil
	g.pwgts = [2]float64{}
	g.mincut = 0
}

// setTotals computes tvwgt and maxvwgt from vwgt.
func (g *graph) setTotals() {
	var t, m float64
	for _, w := range g.vwgt[:g.n] {
		t += w
		if w > m {
			m = w
		}
	}
	g.tvwgt, g.maxvwgt = t, m
}

func (g *graph) bndInsert(v int) {
	g.bndind[g.nbnd] = v
	g.bndptr[v] = g.nbnd
	g.nbnd++
}

func (g *graph) bndDelete(v int) {
	i := g.bndptr[v]
	g.nbnd--
	last := g.bndind[g.nbnd]
	g.bndind[i] = last
	g.bndptr[last] = i
	g.bndptr[v] = -1
}

// grow returns s with length n, reallocating only when its capacity is
// too small (with some headroom so slowly growing inputs settle quickly).
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4+8)
	}
	return s[:n]
}

// graphPool hands out graph values in stack order so that their arrays are
// reused from one call to the next: get pushes, release pops back to a mark.
type graphPool struct {
	gs  []*graph
	top int
}

func (p *graphPool) get() *graph {
	if p.top == len(p.gs) {
		p.gs = append(p.gs, &graph{})
	}
	g := p.gs[p.top]
	p.top++
	return g
}

func (p *graphPool) mark() int     { return p.top }
func (p *graphPool) release(m int) { p.top = m }
