package jepa

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// RankMeEps is the ε RankMe adds to the normalised singular values, the
// value Garrido et al. recommend for float32 embeddings.
const RankMeEps = 1e-7

// RankMe returns the RankMe effective rank of an embedding matrix Z (n
// samples × k dimensions; Garrido, Balestriero, Najman, LeCun, "RankMe:
// Assessing the Downstream Performance of Pretrained Self-Supervised
// Representations by Their Rank", ICML 2023, arXiv 2210.02885):
//
//	p_i = σ_i / ‖σ‖₁ + ε,   RankMe(Z) = exp(−Σ_i p_i log p_i),
//
// over the min(n, k) singular values σ of Z (gonum mat.SVD), with
// ε = RankMeEps. The value lies in about [1, min(n, k)]: ≈ r for a matrix of
// rank r with equal singular values, near 1 for a collapsed one. Use many
// more samples than dimensions (the paper used 25,600).
//
// It returns an error if Z is empty, holds a NaN or infinity, is all
// zeros, or the SVD fails.
func RankMe(z mat.Matrix) (float64, error) {
	n, k := z.Dims()
	if n == 0 || k == 0 {
		return 0, errors.New("jepa: RankMe: empty embedding matrix")
	}
	if err := checkFiniteMatrix("RankMe", z); err != nil {
		return 0, err
	}
	var svd mat.SVD
	if !svd.Factorize(z, mat.SVDNone) {
		return 0, fmt.Errorf("jepa: RankMe: SVD of the %d×%d embedding matrix failed", n, k)
	}
	return rankMeValues(svd.Values(nil), RankMeEps)
}

// rankMeValues is RankMe from the singular values.
func rankMeValues(sv []float64, eps float64) (float64, error) {
	var l1 float64
	for _, s := range sv {
		l1 += math.Abs(s)
	}
	if !(l1 > 0) {
		return 0, errors.New("jepa: RankMe: the embeddings are all zero")
	}
	return entropyRank(sv, l1, eps), nil
}

// entropyRank returns exp(−Σ p log p) with p_i = v_i/sum + eps; values
// below 0 (rounding in eigenvalues) count as 0.
func entropyRank(v []float64, sum, eps float64) float64 {
	var h float64
	for _, x := range v {
		p := math.Max(x, 0)/sum + eps
		h -= p * math.Log(p)
	}
	return math.Exp(h)
}

// checkFiniteMatrix returns an error naming the first non-finite element.
func checkFiniteMatrix(who string, z mat.Matrix) error {
	n, k := z.Dims()
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			if v := z.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("jepa: %s: embedding [%d, %d] is %v", who, i, j, v)
			}
		}
	}
	return nil
}
