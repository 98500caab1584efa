package probe

import "gonum.org/v1/gonum/floats"

// dotMany sets out[r] = floats.Dot(shared, rows[r·ld : r·ld+len(shared)])
// for r < len(out), to the bit: gonum's amd64 dot product keeps four partial
// sums (element i goes to sum i mod 4, multiplied then added, no fused
// multiply-add), adds the n mod 4 trailing products to sum 0 and returns
// (s0+s2)+(s1+s3); the AVX2 kernel keeps the same four sums for four rows at
// once in the lanes of four registers, loading each element of shared once
// for the four rows, so it computes the same numbers about four times
// faster. Other platforms (and CPUs without AVX2) call floats.Dot.
func dotMany(shared, rows []float64, ld int, out []float64) {
	n := len(shared)
	r := 0
	if useDotAVX2 && n >= 4 {
		var lanes [16]float64
		for ; r+4 <= len(out); r += 4 {
			_ = rows[(r+3)*ld+n-1]
			dotLanes4(n, &shared[0], &rows[r*ld], ld, &lanes)
			for q := range 4 {
				l := lanes[4*q : 4*q+4]
				s0 := l[0]
				row := rows[(r+q)*ld:]
				for i := n &^ 3; i < n; i++ {
					s0 += float64(shared[i] * row[i])
				}
				out[r+q] = (s0 + l[2]) + (l[1] + l[3])
			}
		}
	}
	for ; r < len(out); r++ {
		out[r] = floats.Dot(shared, rows[r*ld:r*ld+n])
	}
}
