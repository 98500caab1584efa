package probe

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// From scikit-learn 1.2.1:
//
//	X, y = blobs(2024, 300, 20, 4)      # numpyBlobs
//	t = X @ np.linspace(-1, 1, 20) + y
//	r = Ridge().fit(X, t);               print(r.coef_[:3], r.intercept_)
//	r = Ridge(alpha=0.5).fit(X[:15], t[:15]); print(r.coef_[:3], r.intercept_)
func ridgeData() (*mat.Dense, []float64) {
	x, y := numpyBlobs(2024, 300, 20, 4)
	t := make([]float64, 300)
	for i := range t {
		for j := range 20 {
			t[i] += x.At(i, j) * (-1 + float64(j)*2/19)
		}
		t[i] += float64(y[i])
	}
	return x, t
}

func TestRidgeMatchesScikitLearn(t *testing.T) {
	x, target := ridgeData()
	m, err := Ridge{}.Fit(x, target)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{-0.9897280998182999, -0.9249665768939751, -0.7190242907620767}, m.Coef[:3], 1e-9)
	assert.InDelta(t, 1.477893961895112, m.Intercept, 1e-9)

	// More features than samples: the dual (kernel) form, same solution.
	wide, err := Ridge{Alpha: 0.5}.Fit(x.Slice(0, 15, 0, 20), target[:15])
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{-0.700951206009824, -0.4952685873844539, -1.1155350309768288}, wide.Coef[:3], 1e-9)
	assert.InDelta(t, 2.1506086345379734, wide.Intercept, 1e-9)
}

func TestRidgePredictAndMetrics(t *testing.T) {
	// y = 2x₀ − x₁ + 3 exactly; a tiny alpha recovers it.
	x := mat.NewDense(5, 2, []float64{0, 0, 1, 0, 0, 1, 2, 3, -1, 4})
	y := []float64{3, 5, 2, 4, -3}
	m, err := Ridge{Alpha: 1e-12}.Fit(x, y)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{2, -1}, m.Coef, 1e-9)
	assert.InDelta(t, 3, m.Intercept, 1e-9)
	pred, err := m.Predict(x)
	require.NoError(t, err)
	assert.InDeltaSlice(t, y, pred, 1e-9)

	mae, err := MAE([]float64{1, 2, 3}, []float64{2, 2, 1})
	require.NoError(t, err)
	assert.InDelta(t, 1.0, mae, 1e-15)
	rmse, err := RMSE([]float64{1, 2, 3}, []float64{2, 2, 1})
	require.NoError(t, err)
	assert.InDelta(t, math.Sqrt(5.0/3), rmse, 1e-15)

	_, err = MAE([]float64{1}, []float64{1, 2})
	assert.ErrorContains(t, err, "1 predictions but 2 targets")
	_, err = RMSE(nil, nil)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = MAE([]float64{math.NaN()}, []float64{1})
	assert.ErrorContains(t, err, "non-finite")
}

func TestRidgeErrors(t *testing.T) {
	x := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
	_, err := Ridge{}.Fit(x, []float64{1, 2})
	assert.ErrorContains(t, err, "3 feature rows but 2 targets")
	_, err = Ridge{}.Fit(x, []float64{1, math.Inf(1), 2})
	assert.ErrorContains(t, err, "target 1 is +Inf")
	_, err = Ridge{Alpha: -1}.Fit(x, []float64{1, 2, 3})
	assert.Error(t, err)
	bad := mat.DenseCopyOf(x)
	bad.Set(2, 0, math.NaN())
	_, err = Ridge{}.Fit(bad, []float64{1, 2, 3})
	assert.ErrorContains(t, err, "row 2, column 0 is NaN")
	m, err := Ridge{}.Fit(x, []float64{1, 2, 3})
	require.NoError(t, err)
	_, err = m.Predict(mat.NewDense(1, 3, nil))
	assert.ErrorContains(t, err, "3 columns")
}
