// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import "sync"

// engine holds the pools of one element type.
type engine[T float] struct {
	jobs       sync.Pool // *job[T]
	workspaces sync.Pool // *workspace[T]
	partials   sync.Pool // *[]T, split-K partial products
}

var (
	eng32 engine[float32]
	eng64 engine[float64]
)

// workspace is one worker's packing memory.
type workspace[T float] struct {
	a, b, tile []T
}

func (e *engine[T]) workspace(k *blockKernel[T]) *workspace[T] {
	w, _ := e.workspaces.Get().(*workspace[T])
	if w == nil {
		w = new(workspace[T])
	}
	w.a = grow(w.a, k.mc*k.kc+packSlack)
	w.b = grow(w.b, k.kc*k.nc+packSlack)
	w.tile = grow(w.tile, k.mr*k.nr)
	return w
}

// partial returns a pooled buffer of n elements for split-K partial products.
func (e *engine[T]) partial(n int) *[]T {
	p, _ := e.partials.Get().(*[]T)
	if p == nil {
		p = new([]T)
	}
	*p = grow(*p, n)
	return p
}

func grow[T float](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// gemm computes C = alpha·op(A)·op(B) + beta·C for checked arguments with
// m, n ≥ 1.
func gemm[T float](e *engine[T], k *blockKernel[T], aT, bT bool, m, n, kk int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if alpha == 0 || kk == 0 {
		scale(m, n, beta, c, ldc)
		return
	}
	j, _ := e.jobs.Get().(*job[T])
	if j == nil {
		j = &job[T]{finished: make(chan struct{}, 1)}
	}
	j.cT = swapOperands(m, n, k.mr, k.nr)
	if j.cT {
		// Compute Cᵀ = op(B)ᵀ·op(A)ᵀ, storing the result transposed.
		m, n = n, m
		a, lda, aT, b, ldb, bT = b, ldb, !bT, a, lda, !aT
	}
	j.eng, j.k, j.aT, j.bT, j.m, j.n, j.kk = e, k, aT, bT, m, n, kk
	j.alpha, j.a, j.lda, j.b, j.ldb, j.beta, j.c, j.ldc = alpha, a, lda, b, ldb, beta, c, ldc
	j.next.Store(0)
	j.done.Store(0)
	j.run()
	j.a, j.b, j.c = nil, nil, nil // do not keep the caller's matrices alive
	j.release()
}

// swapOperands reports whether an m×n product is better computed as its
// transpose: when n is narrower than a register block NR, C columns are
// wasted in every tile, while as rows they waste at most MR−1 per strip.
// The transposed result is then stored through the edge-tile path, which
// costs one scalar pass over C, small next to the multiply-adds saved.
func swapOperands(m, n, mr, nr int) bool {
	if n >= nr || m <= n {
		return false
	}
	pad := func(x, b int) int { return (x + b - 1) / b * b }
	return 4*pad(n, mr)*pad(m, nr) < 3*pad(m, mr)*pad(n, nr)
}

// scale sets C = beta·C; beta = 0 writes zeros without reading C.
func scale[T float](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// target is where a block's product goes: C itself (with the caller's beta,
// possibly stored transposed) or a split-K partial buffer (beta 0).
type target[T float] struct {
	c    []T
	ldc  int
	beta T
	cT   bool // element (i, j) is c[j·ldc+i]
}

// block computes the product of rows i0:i1 of op(A) and columns j0:j1 of
// op(B) over the inner indices k0:k1 serially with the workspace w, into t.
func (j *job[T]) block(w *workspace[T], t target[T], i0, i1, j0, j1, k0, k1 int) {
	k := j.k
	// A band of one strip uses every B panel once: read B in place rather
	// than copy it (when B is not transposed and a strided kernel exists).
	direct := k.fnB != nil && !j.bT && i1-i0 <= k.mr
	for jc := j0; jc < j1; jc += k.nc {
		nc := min(k.nc, j1-jc)
		for pc := k0; pc < k1; pc += k.kc {
			kc := min(k.kc, k1-pc)
			beta := t.beta
			if pc > k0 {
				beta = 1
			}
			if direct {
				packA(k, w.a, j.a, j.lda, j.aT, i0, i1-i0, pc, kc)
				for jr := 0; jr < nc; jr += k.nr {
					cols := min(k.nr, nc-jr)
					if cols < k.nr {
						packB(k, w.b, j.b, j.ldb, false, pc, kc, jc+jr, cols)
						j.tile(w, t, &w.a[0], &w.b[0], 0, kc, i0, i1-i0, jc+jr, cols, beta)
						continue
					}
					j.tile(w, t, &w.a[0], &j.b[pc*j.ldb+jc+jr], j.ldb, kc, i0, i1-i0, jc+jr, cols, beta)
				}
				continue
			}
			packB(k, w.b, j.b, j.ldb, j.bT, pc, kc, jc, nc)
			for ic := i0; ic < i1; ic += k.mc {
				mc := min(k.mc, i1-ic)
				packA(k, w.a, j.a, j.lda, j.aT, ic, mc, pc, kc)
				j.macro(w, t, kc, ic, mc, jc, nc, beta)
			}
		}
	}
}

// macro runs the micro-kernel over the packed mc×kc block of A and kc×nc
// panel of B, updating rows ic:ic+mc, columns jc:jc+nc of t.
func (j *job[T]) macro(w *workspace[T], t target[T], kc, ic, mc, jc, nc int, beta T) {
	mr, nr := j.k.mr, j.k.nr
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		bp := &w.b[jr*kc]
		for ir := 0; ir < mc; ir += mr {
			j.tile(w, t, &w.a[ir*kc], bp, 0, kc, ic+ir, min(mr, mc-ir), jc+jr, cols, beta)
		}
	}
}

// tile computes the rows×cols tile of t at (i, jj) from a packed strip ap and
// a panel bp, packed (ldb = 0) or read in place with row stride ldb.
func (j *job[T]) tile(w *workspace[T], t target[T], ap, bp *T, ldb, kc, i, rows, jj, cols int, beta T) {
	k := j.k
	mr, nr := k.mr, k.nr
	c, ldc, alpha := t.c, t.ldc, j.alpha
	kern := func(c *T, ldc int, alpha, beta T) {
		if ldb == 0 {
			k.fn(kc, ap, bp, c, ldc, alpha, beta)
		} else {
			k.fnB(kc, ap, bp, c, ldc, alpha, beta, ldb)
		}
	}
	off := i*ldc + jj
	if rows == mr && cols == nr && !t.cT {
		kern(&c[off], ldc, alpha, beta)
		return
	}
	// Edge tile: compute the full padded tile into scratch, then merge the
	// valid part.
	tile := w.tile
	kern(&tile[0], nr, 1, 0)
	if t.cT {
		// Element (i, j) of the computed product is C[j][i].
		for r := range rows {
			src := tile[r*nr : r*nr+cols]
			o := jj*ldc + i + r
			for q, v := range src {
				x := &c[o+q*ldc]
				if beta == 0 {
					*x = alpha * v
				} else {
					*x = alpha*v + beta**x
				}
			}
		}
		return
	}
	for r := range rows {
		dst := c[off+r*ldc : off+r*ldc+cols]
		src := tile[r*nr : r*nr+cols]
		if beta == 0 {
			for q, v := range src {
				dst[q] = alpha * v
			}
			continue
		}
		for q, v := range src {
			dst[q] = alpha*v + beta*dst[q]
		}
	}
}
