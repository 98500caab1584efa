package jepa

import "math"

// TokenStd returns Point-JEPA's token_std of the rows of x (n×d, row-major):
// the standard deviation of each of the d columns over the n rows, with
// Bessel's correction (torch.std's default), averaged over the columns,
// i.e. x.reshape(-1, d).std(0).mean() (Ayumu-J-S/Point-JEPA
// pointjepa/models/point_jepa.py). Point-JEPA expects it to stay above 0.01
// for predictions and above 0.1 for targets; values near 0 mean collapse.
//
// Sums are taken in float64 in two passes (column means, then squared
// deviations). It returns NaN for fewer than two rows, as torch does. It
// panics if d ≤ 0 or len(x) is not a multiple of d (a programmer error).
// scratch, if it has length ≥ 2d, is used instead of allocating.
func TokenStd[T float32 | float64](x []T, d int, scratch []float64) float64 {
	if d <= 0 || len(x)%d != 0 {
		panic("jepa: TokenStd: len(x) is not a positive multiple of d")
	}
	n := len(x) / d
	if n < 2 {
		return math.NaN()
	}
	if len(scratch) < 2*d {
		scratch = make([]float64, 2*d)
	}
	mean, ss := scratch[:d], scratch[d:2*d]
	clear(mean)
	clear(ss)
	for r := 0; r < n; r++ {
		row := x[r*d : r*d+d]
		for j, v := range row {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for r := 0; r < n; r++ {
		row := x[r*d : r*d+d]
		for j, v := range row {
			e := float64(v) - mean[j]
			ss[j] += e * e
		}
	}
	var s float64
	for _, v := range ss {
		s += math.Sqrt(v / float64(n-1))
	}
	return s / float64(d)
}
