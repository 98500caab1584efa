package gnn

import (
	"math"
	"sort"
	"sync"

	"github.com/nongrid/jepa/nn"
)

// prepare checks the indices and rebuilds the per-run state.
func (k *mpKernel) prepare() error {
	if err := k.edges.check(); err != nil {
		return err
	}
	src, tgt := k.edges.Source.Ints(), k.edges.Target.Ints()
	k.erow = nil
	if k.edges.EdgeRow != nil {
		k.erow = k.edges.EdgeRow.Ints()
	}
	k.byTgt.build(tgt, k.n)
	if k.aggr != Max {
		k.bySrc.build(src, k.n)
	}
	if k.aggr == Max && len(k.arg) != k.n*k.d {
		k.arg = make([]int32, k.n*k.d)
	}
	if k.gcn {
		k.gcnPrepare(src, tgt)
	}
	return nil
}

// gcnPrepare computes d_v^{-1/2} for PyG's gcn_norm: the degree is the
// in-degree at the target (edge weights 1) counting one self loop per node
// when self loops are added (existing loops are then replaced, as
// add_remaining_self_loops does with unit weights); an isolated node without
// self loop has coefficient 0 (PyG's masked_fill of inf).
func (k *mpKernel) gcnPrepare(src, tgt []int) {
	if len(k.selfC) != k.n {
		k.selfC = make([]float64, k.n)
	}
	dis := k.selfC
	clear(dis)
	for i, v := range tgt {
		if k.selfLoops && src[i] == v {
			continue
		}
		dis[v]++
	}
	for v := range dis {
		if k.selfLoops {
			dis[v]++
		}
		if dis[v] > 0 {
			dis[v] = 1 / math.Sqrt(dis[v])
		}
	}
}

// mpForward writes out (every row) from the inputs.
func mpForward[T float](k *mpKernel, out []T, a mpArgs[T]) {
	d, src := k.d, k.edges.Source.Ints()
	avgDeg := max(1, k.m/max(1, k.n))
	nn.ParallelFor(k.n, rowGrain(d*avgDeg), func(lo, hi int) {
		for v := lo; v < hi; v++ {
			row := out[v*d : (v+1)*d]
			ids := k.byTgt.idx[k.byTgt.off[v]:k.byTgt.off[v+1]]
			if k.aggr == Max {
				maxRow(k, row, k.arg[v*d:(v+1)*d], ids, a, src)
			} else {
				clear(row)
				for _, id := range ids {
					kk := int(id)
					u := src[kk]
					xs := a.x[u*d : (u+1)*d]
					switch {
					case k.gcn:
						if k.selfLoops && u == v {
							continue
						}
						axpy(row, T(k.selfC[u])*T(k.selfC[v]), xs)
					case a.e == nil && k.relu:
						addReLU(row, xs)
					case a.e == nil:
						add(row, xs)
					case k.relu:
						r := k.edgeRow(kk)
						addReLUSum(row, xs, a.e[r*d:(r+1)*d])
					default:
						r := k.edgeRow(kk)
						addSum(row, xs, a.e[r*d:(r+1)*d])
					}
				}
				if k.aggr == Mean && len(ids) > 1 {
					c := T(len(ids))
					for j := range row {
						row[j] /= c
					}
				}
			}
			xv := a.x[v*d : (v+1)*d]
			if k.gcn && k.selfLoops {
				axpy(row, T(k.selfC[v])*T(k.selfC[v]), xv)
			}
			if a.hasEps {
				axpy(row, a.onePlusEps, xv)
			}
			if a.bias != nil {
				add(row, a.bias)
			}
		}
	})
}

// maxRow reduces the messages ids of one target by elementwise maximum,
// recording the edge of each maximum (the first one on ties).
func maxRow[T float](k *mpKernel, row []T, arg []int32, ids []int32, a mpArgs[T], src []int) {
	d := k.d
	if len(ids) == 0 {
		clear(row)
		for j := range arg {
			arg[j] = -1
		}
		return
	}
	for i, id := range ids {
		kk := int(id)
		xs := a.x[src[kk]*d : (src[kk]+1)*d]
		var es []T
		if a.e != nil {
			r := k.edgeRow(kk)
			es = a.e[r*d : (r+1)*d]
		}
		for j := range row {
			m := xs[j]
			if es != nil {
				m += es[j]
			}
			if k.relu {
				m = max(m, 0)
			}
			if i == 0 || m > row[j] {
				row[j] = m
				arg[j] = id
			}
		}
	}
}

// mpBackward writes every gradient buffer from the inputs and dy. For sum
// and mean, one pass over the sources computes each edge's gradient
// (written to de when there is an edge term) and accumulates it into the
// source row, so each edge is visited once; workers own disjoint source
// ranges, and every row is summed in edge order.
func mpBackward[T float](k *mpKernel, g mpGrads[T], a mpArgs[T], dy []T) {
	d := k.d
	src, tgt := k.edges.Source.Ints(), k.edges.Target.Ints()
	selfTerm := func(row, du []T, u int) {
		if k.gcn && k.selfLoops {
			axpy(row, T(k.selfC[u])*T(k.selfC[u]), du)
		}
		if a.hasEps {
			axpy(row, a.onePlusEps, du)
		}
	}
	var epsParts []float64 // Σ_j x[u,j]·dy[u,j] per row, for dε
	if g.deps != nil {
		epsParts = scratchOf[float64](&k.epsParts, k.n)
	}
	if k.aggr == Max {
		maxBackward(k, g, a, dy, src)
		nn.ParallelFor(k.n, rowGrain(d), func(lo, hi int) {
			for u := lo; u < hi; u++ {
				du := dy[u*d : (u+1)*d]
				selfTerm(g.dx[u*d:(u+1)*d], du, u)
				if epsParts != nil {
					epsParts[u] = dot(a.x[u*d:(u+1)*d], du)
				}
			}
		})
	} else {
		avgDeg := max(1, k.m/max(1, k.n))
		shared := g.de != nil && k.erow != nil
		var parts sharedParts[T]
		nn.ParallelFor(k.n, rowGrain(d*avgDeg), func(lo, hi int) {
			// With shared edge rows every worker sums its edges' gradients
			// into its own [EdgeRows, D] part; the parts are added in
			// worker order afterwards.
			var part, tmp []T
			if shared {
				part, tmp = make([]T, len(g.de)), make([]T, d)
			}
			for u := lo; u < hi; u++ {
				row := g.dx[u*d : (u+1)*d]
				xs, du := a.x[u*d:(u+1)*d], dy[u*d:(u+1)*d]
				clear(row)
				selfTerm(row, du, u)
				if epsParts != nil {
					epsParts[u] = dot(xs, du)
				}
				for _, id := range k.bySrc.idx[k.bySrc.off[u]:k.bySrc.off[u+1]] {
					kk := int(id)
					v := tgt[kk]
					dv := dy[v*d : (v+1)*d]
					if k.gcn {
						if k.selfLoops && u == v {
							continue
						}
						axpy(row, T(k.selfC[u])*T(k.selfC[v]), dv)
						continue
					}
					var c T = 1
					if k.aggr == Mean {
						c = T(k.byTgt.degree(v))
					}
					var de, es []T
					if g.de != nil {
						r := k.edgeRow(kk)
						es = a.e[r*d : (r+1)*d]
						if shared {
							de = part[r*d : (r+1)*d]
						} else {
							de = g.de[kk*d : (kk+1)*d]
						}
					}
					switch {
					case k.relu && shared:
						edgeGradShared(de, tmp, row, dv, xs, es, c)
					case k.relu:
						edgeGrad(de, row, dv, xs, es, c)
					case shared:
						for j, gv := range dv {
							gv /= c
							de[j] += gv
							row[j] += gv
						}
					case de != nil:
						for j, gv := range dv {
							de[j] = gv / c
							row[j] += de[j]
						}
					case c != 1:
						for j, gv := range dv {
							row[j] += gv / c
						}
					default:
						add(row, dv)
					}
				}
			}
			if shared {
				parts.add(lo, part)
			}
		})
		if shared {
			parts.sum(g.de)
		}
	}
	if epsParts != nil {
		var sum float64
		for _, p := range epsParts {
			sum += p
		}
		g.deps[0] = T(sum)
	}
	if g.dbias != nil {
		columnSums(g.dbias, dy, d)
	}
}

// maxBackward routes each output gradient to the edge (and its source)
// that held the maximum; workers own disjoint column ranges, so the
// accumulation order is fixed.
func maxBackward[T float](k *mpKernel, g mpGrads[T], a mpArgs[T], dy []T, src []int) {
	d := k.d
	clear(g.dx)
	if g.de != nil {
		clear(g.de)
	}
	nn.ParallelFor(d, 16, func(j0, j1 int) {
		for v := 0; v < k.n; v++ {
			for j := j0; j < j1; j++ {
				id := k.arg[v*d+j]
				if id < 0 {
					continue
				}
				kk := int(id)
				u := src[kk]
				if k.relu {
					pre := a.x[u*d+j]
					if a.e != nil {
						pre += a.e[k.edgeRow(kk)*d+j]
					}
					if pre <= 0 {
						continue
					}
				}
				gv := dy[v*d+j]
				g.dx[u*d+j] += gv
				if g.de != nil {
					g.de[k.edgeRow(kk)*d+j] += gv
				}
			}
		}
	})
}

// dot returns Σ x⊙y accumulated in float64.
func dot[T float](x, y []T) float64 {
	y = y[:len(x)]
	var s float64
	for j, v := range x {
		s += float64(v) * float64(y[j])
	}
	return s
}

// columnSums writes dst[j] = Σ_r y[r, j] (float64 accumulation), workers
// owning disjoint column ranges.
func columnSums[T float](dst, y []T, d int) {
	n := len(y) / max(d, 1)
	nn.ParallelFor(d, 16, func(j0, j1 int) {
		acc := make([]float64, j1-j0)
		for r := 0; r < n; r++ {
			for j, v := range y[r*d+j0 : r*d+j1] {
				acc[j] += float64(v)
			}
		}
		for j, s := range acc {
			dst[j0+j] = T(s)
		}
	})
}

func add[T float](dst, src []T) {
	src = src[:len(dst)]
	for j, v := range src {
		dst[j] += v
	}
}

func addSum[T float](dst, a, b []T) {
	a, b = a[:len(dst)], b[:len(dst)]
	for j := range dst {
		dst[j] += a[j] + b[j]
	}
}

func axpy[T float](dst []T, c T, src []T) {
	src = src[:len(dst)]
	for j, v := range src {
		dst[j] += c * v
	}
}

// sharedParts collects the workers' [EdgeRows, D] gradient parts of shared
// edge rows, keyed by the first row of each worker's range.
type sharedParts[T float] struct {
	mu    sync.Mutex
	lo    []int
	parts [][]T
}

func (p *sharedParts[T]) add(lo int, part []T) {
	p.mu.Lock()
	p.lo, p.parts = append(p.lo, lo), append(p.parts, part)
	p.mu.Unlock()
}

// sum writes the parts' sum into dst, adding them in range order (so the
// result depends on the split into workers, not on their timing).
func (p *sharedParts[T]) sum(dst []T) {
	order := make([]int, len(p.lo))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return p.lo[order[a]] < p.lo[order[b]] })
	clear(dst)
	for _, i := range order {
		add(dst, p.parts[i])
	}
}
