package partition

import (
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets"
)

// Partitioner cuts graphs into k parts. It owns all the scratch memory the
// algorithm needs and reuses it from call to call, so once warm (after a
// call on a graph at least as large) Partition does not allocate.
// A Partitioner is not safe for concurrent use; give every goroutine its own.
type Partitioner struct {
	cfg    Config
	cfgErr error
	ub     float64 // 1 + ufactor/1000 (+ METIS' rounding guard)
	niter  int
	ncuts  int

	src rand.PCG // every random draw (intn, shuffle)

	pool graphPool

	// scratch shared by the steps of one bisection, sized to the input
	perm, tperm, degrees, match []int
	queue, touched, bestwhere   []int
	starts                      []int // starting bisections of the growing tries
	nstarts                     int
	bestcut                     []int
	moved, swaps, htable        []int
	colptr, rowind, rename      []int
	buckets                     []int
	tpwgts                      []float64
	pq                          [2]pqueue
	snapID, snapED              [smallFMMaxN]float64 // fm2WaySmall's best state

	// balance bounds of the level being refined
	target [2]float64
	maxpw  [2]float64

	// validation and k-way scratch
	vcnt, vcol []int
	vw, vacc   []float64
	vmult      []int
	kconn      []float64
	kpw        []float64
	klist      []int
	kpart      []int
	levelHook  func(pw, target [2]float64, maxvwgt float64) // tests only
}

// New returns a Partitioner with the given configuration. A bad Config is
// reported by the first call of Partition.
func New(cfg Config) *Partitioner {
	p := &Partitioner{cfg: cfg, cfgErr: cfg.check()}
	uf := cfg.UFactor
	if uf == 0 {
		uf = 1
	}
	// METIS adds 0.0000499 to every ubfactor to absorb rounding.
	p.ub = 1 + float64(uf)/1000 + 0.0000499
	p.niter = cfg.NIter
	if p.niter == 0 {
		p.niter = 10
	}
	p.ncuts = cfg.NCuts
	if p.ncuts == 0 {
		p.ncuts = 1
	}
	return p
}

// Config returns the configuration p was made with.
func (p *Partitioner) Config() Config { return p.cfg }

// Partition cuts the undirected graph given in CSR form (the neighbours of
// node v are col[rowPtr[v]:rowPtr[v+1]], n = len(rowPtr)-1 nodes,
// symmetric) into k parts, writing part[v] ∈ [0, k) for every node
// (len(part) == n). Self-loops are ignored and repeated entries count as
// parallel edges. Graphs with n <= k nodes get every node its own part
// (part[v] = v, Graph-JEPA's rule for graphs smaller than the patch count);
// k == 1 puts every node in part 0.
//
// It has the signature of graphjepa.Partitioner.
func (p *Partitioner) Partition(rowPtr, col []int, k int, part []int) error {
	_, err := p.PartitionWeighted(Weighted{RowPtr: rowPtr, Col: col}, k, part)
	return err
}

// Weighted is a graph in CSR form with optional weights. VertexWeight
// (length n) and EdgeWeight (length len(Col), aligned with Col, equal for
// both directions of an edge) default to 1 when nil; weights must be finite
// and non-negative.
type Weighted struct {
	RowPtr, Col  []int
	VertexWeight []float64
	EdgeWeight   []float64
}

// PartitionWeighted is Partition for a weighted graph; it balances the
// vertex weight of the parts, minimises the weight of the cut edges and
// returns that weight (the edge cut).
func (p *Partitioner) PartitionWeighted(w Weighted, k int, part []int) (cut float64, err error) {
	if p.cfgErr != nil {
		return 0, p.cfgErr
	}
	if err := p.validate(w, k, part); err != nil {
		return 0, err
	}
	n := len(w.RowPtr) - 1
	p.src.Seed(p.cfg.Seed, p.cfg.Seed^0x9e3779b97f4a7c15)
	switch {
	case n == 0:
		return 0, nil
	case k == 1:
		for v := range part {
			part[v] = 0
		}
		return 0, nil
	case n <= k:
		for v := range part {
			part[v] = v
		}
		return cutOf(w, part), nil
	}
	if p.cfg.Method == Louvain {
		return p.louvain(w, k, part)
	}

	p.pool.release(0)
	g := p.inputGraph(w)
	p.ensureScratch(n, g.nedges(), k)
	tp := p.tpwgts[:k]
	for i := range tp {
		tp[i] = 1 / float64(k)
	}
	p.recursiveBisect(g, k, tp, 0, part)
	if p.cfg.KWayRefine {
		p.kwayRefine(g, k, part)
	}
	cut = 0
	for v := 0; v < g.n; v++ {
		for j := g.xadj[v]; j < g.xadj[v+1]; j++ {
			if part[g.adjncy[j]] != part[v] {
				cut += g.adjwgt[j]
			}
		}
	}
	p.pool.release(0)
	return cut / 2, nil
}

// PartitionGraph partitions a dataset graph (its CSR arrays, read in place)
// into k parts and returns the number of cut edges.
func (p *Partitioner) PartitionGraph(g *datasets.Graph, k int, part []int) (cut int, err error) {
	c, err := p.PartitionWeighted(Weighted{RowPtr: g.RowPtr, Col: g.Col}, k, part)
	return int(c), err
}

// inputGraph copies the input into the first pooled graph, dropping
// self-loops and filling in unit weights.
func (p *Partitioner) inputGraph(w Weighted) *graph {
	n := len(w.RowPtr) - 1
	g := p.pool.get()
	g.resize(n, w.RowPtr[n])
	m := 0
	for v := 0; v < n; v++ {
		g.xadj[v] = m
		for j := w.RowPtr[v]; j < w.RowPtr[v+1]; j++ {
			u := w.Col[j]
			if u == v {
				continue
			}
			g.adjncy[m] = u
			if w.EdgeWeight != nil {
				g.adjwgt[m] = w.EdgeWeight[j]
			} else {
				g.adjwgt[m] = 1
			}
			m++
		}
		if w.VertexWeight != nil {
			g.vwgt[v] = w.VertexWeight[v]
		} else {
			g.vwgt[v] = 1
		}
		g.label[v] = v
	}
	g.xadj[n] = m
	g.adjncy, g.adjwgt = g.adjncy[:m], g.adjwgt[:m]
	g.setTotals()
	return g
}

func (p *Partitioner) ensureScratch(n, m, k int) {
	for _, s := range []*[]int{&p.perm, &p.tperm, &p.degrees, &p.match, &p.queue, &p.touched,
		&p.bestwhere, &p.bestcut, &p.moved, &p.swaps, &p.htable, &p.rename} {
		*s = grow(*s, n)
	}
	p.colptr = grow(p.colptr, n+1)
	p.rowind = grow(p.rowind, m)
	p.tpwgts = grow(p.tpwgts, k)
}

// cutOf returns the weight of the edges of w whose ends lie in different parts.
func cutOf(w Weighted, part []int) float64 {
	var cut float64
	n := len(w.RowPtr) - 1
	for v := 0; v < n; v++ {
		for j := w.RowPtr[v]; j < w.RowPtr[v+1]; j++ {
			if part[w.Col[j]] != part[v] {
				if w.EdgeWeight != nil {
					cut += w.EdgeWeight[j]
				} else {
					cut++
				}
			}
		}
	}
	return cut / 2
}
