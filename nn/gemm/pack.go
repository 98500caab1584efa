// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

// packRoutines are optional assembly routines that pack faster than the Go
// loops below; a nil field means the Go loop.
type packRoutines[T float] struct {
	// lanes is the vector length in elements (16 float32 or 8 float64).
	lanes int
	// copyRows copies n rows of `strips` consecutive strips of width ldd
	// (up to 2·lanes elements) with masked loads, strip s going to
	// dst+s·dstStrip; arg = copyArg(n, w) for strips of n valid elements
	// padded to w. Unless maskedStores, a strip row narrower than a whole
	// number of vectors is stored as full vectors that run into the next
	// row, so such strips are copied one call each, in order.
	copyRows     func(n int, src *T, lds int, dst *T, ldd int, arg uint64, strips, dstStrip int)
	copyArg      func(n, w int) uint64
	maskedStores bool
	// transA and transB transpose an MR-row (NR-row) strip of a matrix,
	// lanes columns at a time, in chunks of rows.
	transA, transB []transChunk[T]
}

// transChunk transposes `rows` rows: dst[p·ldd+r] = src[r·lds+p] for
// r < rows, p < groups·lanes.
type transChunk[T float] struct {
	fn   func(groups int, src *T, lds int, dst *T, ldd int)
	rows int
}

// packSlack is the number of elements packing routines may write past the
// end of a packed block (full-vector stores of rows narrower than a vector);
// packing buffers are allocated this much longer.
const packSlack = 32

// copyMasks returns the AVX-512 lane masks of copyRows for rows of n valid
// elements padded with zeros to w elements, with lanes elements per vector.
func copyMasks(n, w, lanes int) uint64 {
	bits := func(x int) uint64 { return (1<<min(max(x, 0), lanes) - 1) }
	return bits(n) | bits(n-lanes)<<16 | bits(w)<<32 | bits(w-lanes)<<48
}

// copyCounts returns the AVX2 lane counts of copyRows (elements loaded into
// each of two vectors, and the number of vectors stored) for rows of n valid
// elements padded with zeros to w elements, with lanes elements per vector.
func copyCounts(n, w, lanes int) uint64 {
	c := func(x int) uint64 { return uint64(min(max(x, 0), lanes)) }
	return c(n) | c(n-lanes)<<8 | uint64((w+lanes-1)/lanes)<<16
}

// packA copies the mc×kc block of op(A) starting at row i0, column p0 into
// dst as ⌈mc/mr⌉ strips, each kc×mr with p the slow index, padding the rows
// past mc with zeros. op(A)[i][p] is a[i·lda+p], or a[p·lda+i] if aT.
func packA[T float](k *blockKernel[T], dst []T, a []T, lda int, aT bool, i0, mc, p0, kc int) {
	mr := k.mr
	if aT {
		copyStrips(k, dst, a[p0*lda+i0:], lda, kc, mc, mr)
		return
	}
	for s := 0; s < mc; s += mr {
		rows := min(mr, mc-s)
		strip := dst[s*kc : s*kc+kc*mr]
		transPanel(k.transA, k.lanes, strip, a[(i0+s)*lda+p0:], lda, kc, rows, mr)
	}
}

// packB copies the kc×nc block of op(B) starting at row p0, column j0 into
// dst as ⌈nc/nr⌉ panels, each kc×nr with p the slow index, padding the
// columns past nc with zeros. op(B)[p][j] is b[p·ldb+j], or b[j·ldb+p] if bT.
func packB[T float](k *blockKernel[T], dst []T, b []T, ldb int, bT bool, p0, kc, j0, nc int) {
	nr := k.nr
	if !bT {
		copyStrips(k, dst, b[p0*ldb+j0:], ldb, kc, nc, nr)
		return
	}
	for s := 0; s < nc; s += nr {
		cols := min(nr, nc-s)
		panel := dst[s*kc : s*kc+kc*nr]
		transPanel(k.transB, k.lanes, panel, b[(j0+s)*ldb+p0:], ldb, kc, cols, nr)
	}
}

// copyStrips packs the first n columns of kc rows of src (row stride lds)
// into ⌈n/w⌉ strips of dst, each kc×w with p the slow index:
// dst[s·kc·w + p·w + r] = src[p·lds + s·w + r], zero past column n.
func copyStrips[T float](k *blockKernel[T], dst, src []T, lds, kc, n, w int) {
	full, rem := n/w, n%w
	if k.copyRows == nil {
		for s := range (n + w - 1) / w {
			cols := min(w, n-s*w)
			strip := dst[s*kc*w : (s+1)*kc*w]
			for p := range kc {
				d := strip[p*w : p*w+w]
				copy(d, src[p*lds+s*w:p*lds+s*w+cols])
				clear(d[cols:])
			}
		}
		return
	}
	_ = src[(kc-1)*lds+n-1] // the assembly reads exactly this far
	_ = dst[(n+w-1)/w*kc*w-1]
	if full > 0 {
		arg := k.copyArg(w, w)
		if k.maskedStores || w%k.lanes == 0 {
			k.copyRows(kc, &src[0], lds, &dst[0], w, arg, full, kc*w)
		} else {
			for s := range full {
				k.copyRows(kc, &src[s*w], lds, &dst[s*kc*w], w, arg, 1, kc*w)
			}
		}
	}
	if rem > 0 {
		k.copyRows(kc, &src[full*w], lds, &dst[full*kc*w], w, k.copyArg(rem, w), 1, kc*w)
	}
}

// transPanel sets dst[p·w+r] = src[r·lds+p] for p < kc, r < n, and zero for
// n ≤ r < w, with the assembly chunks when the strip is complete.
func transPanel[T float](chunks []transChunk[T], lanes int, dst, src []T, lds, kc, n, w int) {
	p0 := 0
	if n == w && len(chunks) > 0 && kc >= lanes {
		groups := kc / lanes
		_ = src[(n-1)*lds+groups*lanes-1] // the assembly reads exactly this far
		_ = dst[(groups*lanes-1)*w+n-1]
		r := 0
		for _, c := range chunks {
			c.fn(groups, &src[r*lds], lds, &dst[r], w)
			r += c.rows
		}
		p0 = groups * lanes
	}
	for r := range n {
		row := src[r*lds+p0 : r*lds+kc]
		for p, v := range row {
			dst[(p0+p)*w+r] = v
		}
	}
	for r := n; r < w; r++ {
		for p := p0; p < kc; p++ {
			dst[p*w+r] = 0
		}
	}
}
