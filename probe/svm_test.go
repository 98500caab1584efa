package probe

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// From scikit-learn 1.2.1 on numpyBlobs(2024, 300, 20, k):
//
//	m = SVC(kernel='linear', C=0.012).fit(X, y)
//	print(m.coef_[0, :3], m.intercept_[:3], m.n_support_.sum())
//	l = LinearSVC(max_iter=100000, tol=1e-8).fit(X, y)
//	print(l.coef_[0, :3], l.intercept_[:2])
//
// For two classes scikit-learn flips the sign of libsvm's decision function
// (coef_ = −w, intercept_ = ρ); for more, coef_ = w and intercept_ = −ρ.
var svmRef = []struct {
	k                     int
	svcCoef0              []float64
	svcIntercept          []float64
	svcSupport            int
	linCoef0, linIntercpt []float64
}{
	{2, []float64{-0.018597904348316215, -0.1510112369271218, 0.25815652274428214},
		[]float64{0.06020917193965334}, 147,
		[]float64{-0.014709836819616746, -0.1078842403611044, 0.19357019358043706},
		[]float64{0.08966802209052656}},
	{4, []float64{0.004468208737263155, 0.13803912645704475, -0.16796140722386188},
		[]float64{-0.38096026817579387, 0.05613688702130871, -0.09284647091702271}, 241,
		[]float64{-0.006814472161956349, 0.10239008416121226, -0.14496423960034124},
		[]float64{-0.8404495260097404, -0.43627348972632785}},
}

func TestSVCMatchesLibsvm(t *testing.T) {
	for _, ref := range svmRef {
		x, y := numpyBlobs(2024, 300, 20, ref.k)
		m, err := SVC{C: 0.012}.FitSVC(x, y)
		require.NoError(t, err)
		require.True(t, m.Converged)
		sign := 1.0
		if ref.k == 2 {
			sign = -1
		}
		// libsvm stops at a KKT violation below 1e-3, so w and ρ agree to
		// about that accuracy.
		for j, want := range ref.svcCoef0 {
			assert.InDelta(t, want, sign*m.Coef.At(0, j), 2e-3, "k=%d w[%d]", ref.k, j)
		}
		for p, want := range ref.svcIntercept {
			assert.InDelta(t, want, -sign*m.Rho[p], 5e-3, "k=%d rho[%d]", ref.k, p)
		}
		// support vectors of all pairs, counted once per sample as
		// scikit-learn's n_support_ does
		if ref.k == 2 {
			assert.InDelta(t, ref.svcSupport, m.SupportVectors[0], 2)
		}
	}
}

func TestLinearSVCMatchesLiblinear(t *testing.T) {
	for _, ref := range svmRef {
		x, y := numpyBlobs(2024, 300, 20, ref.k)
		m, err := LinearSVC{MaxIter: 100000, Tol: 1e-8}.FitLinear(x, y)
		require.NoError(t, err)
		require.True(t, m.Converged)
		for j, want := range ref.linCoef0 {
			assert.InDelta(t, want, m.Coef.At(0, j), 1e-6, "k=%d w[%d]", ref.k, j)
		}
		for c, want := range ref.linIntercpt {
			assert.InDelta(t, want, m.Intercept[c], 1e-6, "k=%d b[%d]", ref.k, c)
		}
	}
}

func TestSVCCachedKernelSameAsFull(t *testing.T) {
	x, y := numpyBlobs(9, 150, 8, 3)
	full, err := SVC{C: 0.5}.FitSVC(x, y)
	require.NoError(t, err)
	// 100 rows × 8 bytes × 3 columns: forces the column cache.
	cached, err := SVC{C: 0.5, CacheMB: 100 * 8 * 3 / float64(1<<20)}.FitSVC(x, y)
	require.NoError(t, err)
	// BLAS rounds the two kernels differently in the last bits, so the SMO
	// paths differ; both stop within the tolerance of the same optimum.
	assert.InDeltaSlice(t, full.Rho, cached.Rho, 1e-3)
	assert.InDeltaSlice(t, full.Coef.RawMatrix().Data, cached.Coef.RawMatrix().Data, 1e-3)
	pf, err := full.Predict(x)
	require.NoError(t, err)
	pc, err := cached.Predict(x)
	require.NoError(t, err)
	assert.Equal(t, pf, pc)
}

func TestSVCVotingTieBreak(t *testing.T) {
	// Three classes and decision values that give every class one vote:
	// libsvm picks the lowest class index.
	m := &SVCModel{
		Classes: []int{5, 6, 7},
		Coef:    mat.NewDense(3, 1, []float64{1, -1, 1}), // pairs (0,1), (0,2), (1,2)
		Rho:     []float64{0, 0, 0},
	}
	// x = 1: (0,1) → 0, (0,2) → 2, (1,2) → 1: a three-way tie.
	pred, err := m.Predict(mat.NewDense(1, 1, []float64{1}))
	require.NoError(t, err)
	assert.Equal(t, []int{5}, pred)
	// x = −1: (0,1) → 1, (0,2) → 0, (1,2) → 2: tie again.
	pred, err = m.Predict(mat.NewDense(1, 1, []float64{-1}))
	require.NoError(t, err)
	assert.Equal(t, []int{5}, pred)
	// A zero decision value votes for the second class of the pair.
	m2 := &SVCModel{Classes: []int{0, 1}, Coef: mat.NewDense(1, 1, []float64{1}), Rho: []float64{0}}
	pred, err = m2.Predict(mat.NewDense(2, 1, []float64{0, 1}))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 0}, pred)
}

func TestLinearSVCHingeBoxConstraint(t *testing.T) {
	// With hinge loss every dual variable stays in [0, C]; the decision
	// values of a separable set put all points on the right side.
	x := mat.NewDense(6, 2, []float64{0, 0, 0, 1, 1, 0, 3, 3, 3, 4, 4, 3})
	y := []int{0, 0, 0, 1, 1, 1}
	m, err := LinearSVC{Loss: Hinge, C: 10}.FitLinear(x, y)
	require.NoError(t, err)
	pred, err := m.Predict(x)
	require.NoError(t, err)
	assert.Equal(t, y, pred)
	d, err := m.DecisionFunction(x)
	require.NoError(t, err)
	for i := range 6 {
		v := d.At(i, 0)
		if y[i] == 1 {
			assert.Greater(t, v, 0.99)
		} else {
			assert.Less(t, v, -0.99)
		}
		assert.False(t, math.IsNaN(v))
	}
}
