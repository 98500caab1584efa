// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

import "sync"

// engine holds the pools of one element type.
type engine[T float] struct {
	jobs       sync.Pool // *job[T]
	workspaces sync.Pool // *workspace[T]
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
		j = new(job[T])
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
	j.run()
	j.a, j.b, j.c = nil, nil, nil // do not keep the caller's matrices alive
	e.jobs.Put(j)
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

// block computes the sub-product C[i0:i1, j0:j1] of the job serially with the
// workspace w.
func (j *job[T]) block(w *workspace[T], i0, i1, j0, j1 int) {
	k := j.k
	for jc := j0; jc < j1; jc += k.nc {
		nc := min(k.nc, j1-jc)
		for pc := 0; pc < j.kk; pc += k.kc {
			kc := min(k.kc, j.kk-pc)
			beta := j.beta
			if pc > 0 {
				beta = 1
			}
			packB(k, w.b, j.b, j.ldb, j.bT, pc, kc, jc, nc)
			for ic := i0; ic < i1; ic += k.mc {
				mc := min(k.mc, i1-ic)
				packA(k, w.a, j.a, j.lda, j.aT, ic, mc, pc, kc)
				j.macro(w, kc, ic, mc, jc, nc, beta)
			}
		}
	}
}

// macro runs the micro-kernel over the packed mc×kc block of A and kc×nc
// panel of B, updating C[ic:ic+mc, jc:jc+nc].
func (j *job[T]) macro(w *workspace[T], kc, ic, mc, jc, nc int, beta T) {
	k := j.k
	mr, nr := k.mr, k.nr
	c, ldc, alpha := j.c, j.ldc, j.alpha
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		bp := &w.b[jr*kc]
		for ir := 0; ir < mc; ir += mr {
			rows := min(mr, mc-ir)
			ap := &w.a[ir*kc]
			off := (ic+ir)*ldc + jc + jr
			if rows == mr && cols == nr && !j.cT {
				k.fn(kc, ap, bp, &c[off], ldc, alpha, beta)
				continue
			}
			// Edge tile: compute the full padded tile into scratch, then merge
			// the valid part.
			t := w.tile
			k.fn(kc, ap, bp, &t[0], nr, 1, 0)
			if j.cT {
				// Element (i, j) of the computed product is C[j][i].
				for r := range rows {
					src := t[r*nr : r*nr+cols]
					o := (jc+jr)*ldc + ic + ir + r
					for q, v := range src {
						x := &c[o+q*ldc]
						if beta == 0 {
							*x = alpha * v
						} else {
							*x = alpha*v + beta**x
						}
					}
				}
				continue
			}
			for r := range rows {
				dst := c[off+r*ldc : off+r*ldc+cols]
				src := t[r*nr : r*nr+cols]
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
	}
}
