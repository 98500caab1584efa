package jepa

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// LiDARConfig configures LiDAR. The zero value uses stable-pretraining's
// constants, δ = 1e-4 and ε = 1e-8.
type LiDARConfig struct {
	// Delta is added to the diagonal of the within-class scatter Σ_w
	// before it is inverted; 0 means 1e-4.
	Delta float64
	// Eps is added to the normalised eigenvalues before the entropy; 0
	// means 1e-8.
	Eps float64
}

// LiDAR returns the LiDAR score of embeddings of a surrogate
// classification task (Thilak et al., "LiDAR: Sensing Linear Probing
// Performance in Joint Embedding SSL Architectures", ICLR 2024, arXiv
// 2312.04000): n classes, each made of q views (for a JEPA: q context masks
// of the same graph or point cloud) of one clean sample. e holds the n·q
// embeddings as rows, class-major (row i·q + j is view j of sample i), of
// width d. With class means μ_i and their mean μ,
//
//	Σ_b = 1/(n−1) Σ_i (μ_i − μ)(μ_i − μ)ᵀ
//	Σ_w = 1/(n(q−1)) Σ_i Σ_j (e_ij − μ_i)(e_ij − μ_i)ᵀ + δI
//	Σ_LiDAR = Σ_w^{−1/2} Σ_b Σ_w^{−1/2},   λ = eigenvalues of Σ_LiDAR
//	LiDAR = exp(−Σ_k p_k log p_k),  p_k = λ_k/‖λ‖₁ + ε,
//
// with Σ_w^{−1/2} = V diag(w^{−1/2}) Vᵀ from gonum's mat.EigenSym, and
// rounding-level negative eigenvalues of Σ_LiDAR counted as 0. The value
// lies in about [1, min(d, n−1)]: high when the classes are linearly
// separable in many directions, low under dimensional collapse (at most r
// plus ε terms when every embedding lies in an r-dimensional subspace).
// Directions without any variance get Σ_w = δ and Σ_b = 0 and so count
// for nothing; δ thus also sets the scale below which variation is
// ignored.
//
// It returns an error if n < 2, q < 2, the shape of e is not n·q × d, e
// holds a non-finite value, Σ_b is zero, or an eigendecomposition fails.
func LiDAR(e mat.Matrix, n, q int, cfg LiDARConfig) (float64, error) {
	delta, eps := cfg.Delta, cfg.Eps
	if delta == 0 {
		delta = 1e-4
	}
	if eps == 0 {
		eps = 1e-8
	}
	rows, d := e.Dims()
	if n < 2 || q < 2 {
		return 0, fmt.Errorf("jepa: LiDAR: need at least 2 classes of 2 views, got n=%d, q=%d", n, q)
	}
	if rows != n*q || d == 0 {
		return 0, fmt.Errorf("jepa: LiDAR: embeddings are %d×%d, want n·q=%d rows of positive width", rows, d, n*q)
	}
	if !(delta > 0) || !(eps >= 0) {
		return 0, fmt.Errorf("jepa: LiDAR: invalid delta %v or eps %v", delta, eps)
	}
	if err := checkFiniteMatrix("LiDAR", e); err != nil {
		return 0, err
	}
	// Class means and grand mean.
	means := mat.NewDense(n, d, nil)
	grand := make([]float64, d)
	for i := 0; i < n; i++ {
		mu := means.RawRowView(i)
		for j := 0; j < q; j++ {
			for c := 0; c < d; c++ {
				mu[c] += e.At(i*q+j, c)
			}
		}
		for c := range mu {
			mu[c] /= float64(q)
			grand[c] += mu[c]
		}
	}
	for c := range grand {
		grand[c] /= float64(n)
	}
	// Centred class means (n×d) and centred views (nq×d).
	cm := mat.NewDense(n, d, nil)
	cv := mat.NewDense(n*q, d, nil)
	for i := 0; i < n; i++ {
		mu := means.RawRowView(i)
		row := cm.RawRowView(i)
		for c := range row {
			row[c] = mu[c] - grand[c]
		}
		for j := 0; j < q; j++ {
			r := cv.RawRowView(i*q + j)
			for c := range r {
				r[c] = e.At(i*q+j, c) - mu[c]
			}
		}
	}
	sb := mat.NewSymDense(d, nil)
	sb.SymOuterK(1/float64(n-1), cm.T())
	sw := mat.NewSymDense(d, nil)
	sw.SymOuterK(1/float64(n*(q-1)), cv.T())
	for c := 0; c < d; c++ {
		sw.SetSym(c, c, sw.At(c, c)+delta)
	}
	// Σ_w^{−1/2}.
	var eig mat.EigenSym
	if !eig.Factorize(sw, true) {
		return 0, fmt.Errorf("jepa: LiDAR: eigendecomposition of the %d×%d within-class scatter failed", d, d)
	}
	w := eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	scaled := mat.NewDense(d, d, nil)
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			scaled.Set(r, c, v.At(r, c)/math.Sqrt(w[c]))
		}
	}
	var isq mat.Dense
	isq.Mul(scaled, v.T())
	// Σ_LiDAR, symmetrised against rounding.
	var tmp, l mat.Dense
	tmp.Mul(&isq, sb)
	l.Mul(&tmp, &isq)
	ls := mat.NewSymDense(d, nil)
	for r := 0; r < d; r++ {
		for c := r; c < d; c++ {
			ls.SetSym(r, c, 0.5*(l.At(r, c)+l.At(c, r)))
		}
	}
	if !eig.Factorize(ls, false) {
		return 0, fmt.Errorf("jepa: LiDAR: eigendecomposition of the %d×%d LDA matrix failed", d, d)
	}
	lam := eig.Values(nil)
	var sum float64
	for _, x := range lam {
		sum += math.Max(x, 0)
	}
	if !(sum > 0) {
		return 0, fmt.Errorf("jepa: LiDAR: the between-class scatter is zero (all %d classes have the same mean)", n)
	}
	return entropyRank(lam, sum, eps), nil
}
