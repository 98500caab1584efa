// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package gemm

// packA copies the mc×kc block of op(A) starting at row i0, column p0 into
// dst as ⌈mc/mr⌉ strips, each kc×mr with p the slow index, padding the rows
// past mc with zeros. op(A)[i][p] is a[i·lda+p], or a[p·lda+i] if aT.
func packA[T float](dst []T, a []T, lda int, aT bool, i0, mc, p0, kc, mr int) {
	for s := 0; s < mc; s += mr {
		rows := min(mr, mc-s)
		strip := dst[s*kc : s*kc+kc*mr]
		if aT {
			for p := range kc {
				src := a[(p0+p)*lda+i0+s:]
				d := strip[p*mr : p*mr+mr]
				copy(d, src[:rows])
				clear(d[rows:])
			}
			continue
		}
		for r := range rows {
			src := a[(i0+s+r)*lda+p0:]
			src = src[:kc]
			for p, v := range src {
				strip[p*mr+r] = v
			}
		}
		for r := rows; r < mr; r++ {
			for p := range kc {
				strip[p*mr+r] = 0
			}
		}
	}
}

// packB copies the kc×nc block of op(B) starting at row p0, column j0 into
// dst as ⌈nc/nr⌉ panels, each kc×nr with p the slow index, padding the
// columns past nc with zeros. op(B)[p][j] is b[p·ldb+j], or b[j·ldb+p] if bT.
func packB[T float](dst []T, b []T, ldb int, bT bool, p0, kc, j0, nc, nr int) {
	for s := 0; s < nc; s += nr {
		cols := min(nr, nc-s)
		panel := dst[s*kc : s*kc+kc*nr]
		if !bT {
			for p := range kc {
				src := b[(p0+p)*ldb+j0+s:]
				d := panel[p*nr : p*nr+nr]
				copy(d, src[:cols])
				clear(d[cols:])
			}
			continue
		}
		for j := range cols {
			src := b[(j0+s+j)*ldb+p0:]
			src = src[:kc]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
		for j := cols; j < nr; j++ {
			for p := range kc {
				panel[p*nr+j] = 0
			}
		}
	}
}
