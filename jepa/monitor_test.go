package jepa

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// sinMatrix is x[i][c] = sin(1.3i + 0.7c² + 0.1), the fixture of the numpy
// cross-checks below.
func sinMatrix(n, d int) []float64 {
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		for c := 0; c < d; c++ {
			x[i*d+c] = math.Sin(1.3*float64(i) + 0.7*float64(c*c) + 0.1)
		}
	}
	return x
}

// TestTokenStdAgainstTorch: torch.tensor(x).reshape(-1,4).std(0).mean() for
// x = sinMatrix(6, 4) is 0.7250061973623662 (torch 1.13, float64).
func TestTokenStdAgainstTorch(t *testing.T) {
	x := sinMatrix(6, 4)
	assert.InDelta(t, 0.7250061973623662, TokenStd(x, 4, nil), 1e-15)
	x32 := make([]float32, len(x))
	for i, v := range x {
		x32[i] = float32(v)
	}
	assert.InDelta(t, 0.7250061973623662, TokenStd(x32, 4, make([]float64, 8)), 1e-7)
	assert.True(t, math.IsNaN(TokenStd(x[:4], 4, nil)), "one row: NaN as torch")
	assert.Equal(t, 0.0, TokenStd([]float64{1, 2, 1, 2, 1, 2}, 2, nil), "collapsed rows")
	assert.Panics(t, func() { TokenStd(x, 5, nil) })
}

// TestRankMeAgainstNumpy: with s = np.linalg.svd(x, compute_uv=False),
// p = s/np.abs(s).sum() + 1e-7, np.exp(-(p*np.log(p)).sum()) is
// 1.8528580611375847 for x = sinMatrix(6, 4).
func TestRankMeAgainstNumpy(t *testing.T) {
	r, err := RankMe(mat.NewDense(6, 4, sinMatrix(6, 4)))
	require.NoError(t, err)
	assert.InDelta(t, 1.8528580611375847, r, 1e-12)
}

// TestRankMeOfRankK: a 200×32 matrix U·diag(1)·Vᵀ of rank k with equal
// singular values has RankMe = exp(−k(1/k+ε)log(1/k+ε) − (32−k)ε log ε) ≈ k;
// scaling the singular values unevenly lowers it.
func TestRankMeOfRankK(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, k := range []int{1, 3, 10, 32} {
		z := lowRank(rng, 200, 32, k, nil)
		r, err := RankMe(z)
		require.NoError(t, err)
		p := 1/float64(k) + RankMeEps
		want := math.Exp(-float64(k)*p*math.Log(p) - float64(32-k)*RankMeEps*math.Log(RankMeEps))
		assert.InDelta(t, want, r, 1e-6*want, "rank %d", k)
		assert.InDelta(t, float64(k), r, 0.01*float64(k), "rank %d", k)
	}
	uneven := lowRank(rng, 200, 32, 10, func(i int) float64 { return math.Pow(0.5, float64(i)) })
	r, err := RankMe(uneven)
	require.NoError(t, err)
	assert.Less(t, r, 5.0)
	assert.Greater(t, r, 1.0)
}

// lowRank returns U diag(s) Vᵀ with orthonormal U (n×k), V (d×k) and
// s_i = scale(i) (1 when scale is nil).
func lowRank(rng *rand.Rand, n, d, k int, scale func(int) float64) *mat.Dense {
	orth := func(rows int) *mat.Dense {
		a := mat.NewDense(rows, k, nil)
		for i := 0; i < rows; i++ {
			for j := 0; j < k; j++ {
				a.Set(i, j, rng.NormFloat64())
			}
		}
		var qr mat.QR
		qr.Factorize(a)
		var q mat.Dense
		qr.QTo(&q)
		return mat.DenseCopyOf(q.Slice(0, rows, 0, k))
	}
	u, v := orth(n), orth(d)
	for j := 0; j < k; j++ {
		s := 1.0
		if scale != nil {
			s = scale(j)
		}
		for i := 0; i < n; i++ {
			u.Set(i, j, u.At(i, j)*s)
		}
	}
	var z mat.Dense
	z.Mul(u, v.T())
	return &z
}

func TestRankMeErrors(t *testing.T) {
	_, err := RankMe(mat.NewDense(3, 2, nil))
	require.ErrorContains(t, err, "all zero")
	_, err = RankMe(mat.NewDense(2, 2, []float64{1, math.NaN(), 0, 1}))
	require.ErrorContains(t, err, "[0, 1] is NaN")
}

// lidarFixture is e[i][j][c] = 2 sin(1.7i + c) + 0.3 cos(3.1i + 1.9j + 0.7c)
// for n = 5 classes, q = 4 views, d = 3.
func lidarFixture() *mat.Dense {
	n, q, d := 5, 4, 3
	e := mat.NewDense(n*q, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < q; j++ {
			for c := 0; c < d; c++ {
				fi, fj, fc := float64(i), float64(j), float64(c)
				e.Set(i*q+j, c, 2*math.Sin(1.7*fi+fc)+0.3*math.Cos(3.1*fi+1.9*fj+0.7*fc))
			}
		}
	}
	return e
}

// TestLiDARAgainstNumpy: an independent numpy implementation of the
// formulas (mu = e.mean(1); sb = (mu−g)ᵀ(mu−g)/(n−1); sw = cvᵀcv/(n(q−1)) +
// 1e-4·I; w, V = eigh(sw); isq = V diag(w^−½) Vᵀ; λ = eigvalsh(isq sb isq);
// p = λ/λ.sum() + 1e-8; exp(−Σ p log p)) gives 1.2548918929411554 on
// lidarFixture.
func TestLiDARAgainstNumpy(t *testing.T) {
	r, err := LiDAR(lidarFixture(), 5, 4, LiDARConfig{})
	require.NoError(t, err)
	assert.InDelta(t, 1.2548918929411554, r, 1e-10)
}

// TestLiDARSeparation: classes spread over all d directions with tight
// views score far higher than dimensionally collapsed embeddings, where
// class means and views all lie in a 2-dimensional subspace (LiDAR ≤ 2 + ε
// terms).
func TestLiDARSeparation(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n, q, d := 40, 8, 16
	gen := func(dims int, viewNoise float64) *mat.Dense {
		e := mat.NewDense(n*q, d, nil)
		for i := 0; i < n; i++ {
			center := make([]float64, d)
			for c := 0; c < dims; c++ {
				center[c] = rng.NormFloat64()
			}
			for j := 0; j < q; j++ {
				for c := 0; c < dims; c++ {
					e.Set(i*q+j, c, center[c]+viewNoise*rng.NormFloat64())
				}
			}
		}
		return e
	}
	good, err := LiDAR(gen(d, 0.05), n, q, LiDARConfig{})
	require.NoError(t, err)
	collapsed, err := LiDAR(gen(2, 0.05), n, q, LiDARConfig{})
	require.NoError(t, err)
	t.Logf("LiDAR separated %.2f, collapsed %.2f", good, collapsed)
	assert.Greater(t, good, 10.0)
	assert.LessOrEqual(t, good, float64(d)+1e-6)
	assert.Less(t, collapsed, 2.01)
	assert.Greater(t, collapsed, 1.0)
}

func TestLiDARErrors(t *testing.T) {
	e := lidarFixture()
	for _, c := range []struct {
		n, q int
		want string
	}{{1, 20, "at least 2"}, {5, 1, "at least 2"}, {4, 4, "want n·q=16"}} {
		_, err := LiDAR(e, c.n, c.q, LiDARConfig{})
		require.ErrorContains(t, err, c.want, fmt.Sprint(c))
	}
	same := mat.NewDense(6, 2, []float64{1, 2, 1, 3, 1, 2, 1, 3, 1, 2, 1, 3})
	_, err := LiDAR(same, 3, 2, LiDARConfig{})
	require.ErrorContains(t, err, "between-class scatter is zero")
}
