package probe

import (
	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets/split"
)

// numpyBlobs generates a labelled data set that numpy reproduces exactly
// (same generator, same IEEE operations in the same order):
//
//	def blobs(seed, n, d, k, noise=6.0):
//	    r = np.random.RandomState(seed)
//	    centers = [[2*r.random_sample()-1 for j in range(d)] for c in range(k)]
//	    X = np.empty((n, d)); y = np.empty(n, int)
//	    for i in range(n):
//	        c = int(r.randint(0, k)); y[i] = c
//	        for j in range(d):
//	            X[i, j] = centers[c][j] + noise*(r.random_sample()-0.5)
//	        X[i, 0] = X[i, 0]*X[i, 1]
//	    return X, y
//
// Class centres are uniform in [-1, 1]^d and the noise uniform in
// [-3, 3], so classes overlap (no linear classifier is perfect), and the
// first feature is a product, which no linear model captures.
func numpyBlobs(seed uint32, n, d, k int) (*mat.Dense, []int) {
	return numpyBlobsNoise(seed, n, d, k, 6)
}

// numpyBlobsNoise is numpyBlobs with noise amplitude noise in place of 6.0
// (blobs(seed, n, d, k, noise) in Python).
func numpyBlobsNoise(seed uint32, n, d, k int, noise float64) (*mat.Dense, []int) {
	r := split.NewNumpyRandomState(seed)
	centers := make([][]float64, k)
	for c := range centers {
		centers[c] = make([]float64, d)
		for j := range centers[c] {
			centers[c][j] = float64(2*r.RandomSample()) - 1
		}
	}
	x := mat.NewDense(n, d, nil)
	y := make([]int, n)
	for i := range n {
		c := int(r.Randint(0, int64(k)))
		y[i] = c
		row := x.RawRowView(i)
		for j := range row {
			row[j] = centers[c][j] + float64(noise*float64(r.RandomSample()-0.5))
		}
		row[0] = float64(row[0] * row[1])
	}
	return x, y
}
