package probe

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// Expected values from scikit-learn 1.2.1 (Debian python3-sklearn), with
// numpyBlobs reproduced in Python as in its comment (blobs.py):
//
//	from sklearn.linear_model import LogisticRegression
//	from sklearn.linear_model._linear_loss import LinearModelLoss
//	from sklearn._loss.loss import HalfMultinomialLoss, HalfBinomialLoss
//	for k in [2, 4]:
//	    X, y = blobs(2024, 300, 20, k)
//	    m = LogisticRegression(max_iter=10000).fit(X, y)
//	    loss = LinearModelLoss(HalfBinomialLoss() if k == 2 else HalfMultinomialLoss(n_classes=k), fit_intercept=True)
//	    w = (np.concatenate([m.coef_[0], m.intercept_]) if k == 2
//	         else np.hstack([m.coef_, m.intercept_[:, None]]).ravel(order='F'))
//	    print(loss.loss(w, X, y.astype(float), np.ones(len(y)), l2_reg_strength=1.0),
//	          m.coef_[0, :3], m.intercept_)
//	    # objective and gradient at theta_t = 0.01*((t % 7) - 3), t over [W row-major | b]
//	    # (converted to scikit-learn's layout the same way), via loss.loss_gradient
var logisticRef = []struct {
	k             int
	obj           float64
	coef0         []float64
	intercept     []float64
	fAt           float64
	gradW0        []float64
	gradIntercept []float64
}{
	{2, 93.26001421642944,
		[]float64{-0.0424177239282538, -0.3665941977651752, 0.5896696964241908},
		[]float64{0.26665512808945385},
		209.6854095928561,
		[]float64{35.72947408424639, 70.83583882870056, -119.13987013880603},
		[]float64{-4.000134676924698}},
	{4, 205.88266346898993,
		[]float64{-0.010919573482980118, 0.20269274902941475, -0.2960267417806722},
		[]float64{-0.4214643340584572, 0.6300410385813524, -0.2105250845318589, 0.0019483800089630718},
		430.3867092549342,
		[]float64{-8.85130189002979, -61.53801304816903, 58.911527174302414},
		[]float64{3.2100767620765724, -15.304521523251108, -6.209449441985519, 18.30389420316005}},
}

func TestLogisticObjectiveMatchesScikitLearn(t *testing.T) {
	for _, ref := range logisticRef {
		x, y := numpyBlobs(2024, 300, 20, ref.k)
		k := ref.k
		if k == 2 {
			k = 1
		}
		loss := newLogisticLoss(x.RawMatrix(), y, k, 1, 1, false)
		theta := make([]float64, loss.dim())
		for i := range theta {
			theta[i] = 0.01 * float64(i%7-3)
		}
		assert.InEpsilon(t, ref.fAt, loss.eval(theta), 1e-13, "k=%d objective", ref.k)
		grad := make([]float64, len(theta))
		loss.grad(grad, theta)
		for j, want := range ref.gradW0 {
			assert.InEpsilon(t, want, grad[j], 1e-12, "k=%d dW[0,%d]", ref.k, j)
		}
		for c, want := range ref.gradIntercept {
			assert.InEpsilon(t, want, grad[k*20+c], 1e-12, "k=%d db[%d]", ref.k, c)
		}
	}
}

func TestLogisticGradientFiniteDifference(t *testing.T) {
	x, y := numpyBlobs(5, 40, 6, 3)
	for _, k := range []int{1, 3} {
		yy := y
		if k == 1 {
			yy = make([]int, len(y))
			for i, v := range y {
				yy[i] = v % 2
			}
		}
		for _, scale := range []float64{1, 1.0 / 40} {
			loss := newLogisticLoss(x.RawMatrix(), yy, k, 0.7, scale, false)
			theta := make([]float64, loss.dim())
			for i := range theta {
				theta[i] = 0.1 * math.Sin(float64(i))
			}
			grad := make([]float64, len(theta))
			loss.grad(grad, theta)
			for i := range theta {
				const h = 1e-6
				tp := append([]float64(nil), theta...)
				tm := append([]float64(nil), theta...)
				tp[i] += h
				tm[i] -= h
				fd := (loss.eval(tp) - loss.eval(tm)) / (2 * h)
				assert.InDelta(t, fd, grad[i], 1e-6*max(1, math.Abs(fd)), "k=%d coordinate %d", k, i)
			}
		}
	}
}

func TestLogisticFitMatchesScikitLearn(t *testing.T) {
	for _, ref := range logisticRef {
		x, y := numpyBlobs(2024, 300, 20, ref.k)
		m, err := LogisticRegression{MaxIter: 10000}.FitLogistic(x, y)
		require.NoError(t, err)
		assert.True(t, m.Converged)
		// Both stop at a gradient below 1e-4; the objectives agree closely.
		assert.InEpsilon(t, ref.obj, m.Objective, 1e-9, "k=%d", ref.k)
		for j, want := range ref.coef0 {
			assert.InDelta(t, want, m.Coef.At(0, j), 1e-5, "k=%d coef[0,%d]", ref.k, j)
		}
		assert.InDeltaSlice(t, ref.intercept, m.Intercept, 1e-5, "k=%d intercepts", ref.k)
		r, c := m.Coef.Dims()
		assert.Equal(t, 20, c)
		if ref.k == 2 {
			assert.Equal(t, 1, r)
		} else {
			assert.Equal(t, ref.k, r)
		}
	}
}

func TestLogisticMeanLossSameMinimiser(t *testing.T) {
	x, y := numpyBlobs(2024, 300, 20, 4)
	sum, err := LogisticRegression{MaxIter: 10000, Tol: 1e-8}.FitLogistic(x, y)
	require.NoError(t, err)
	mean, err := LogisticRegression{MaxIter: 10000, Tol: 1e-8 / 300, MeanLoss: true}.FitLogistic(x, y)
	require.NoError(t, err)
	assert.InDelta(t, sum.Objective/300, mean.Objective, 1e-10)
	assert.InDeltaSlice(t, sum.Intercept, mean.Intercept, 1e-5)
	// With the default tolerance the mean-scaled objective stops earlier.
	loose, err := LogisticRegression{MaxIter: 10000, MeanLoss: true}.FitLogistic(x, y)
	require.NoError(t, err)
	assert.Less(t, loose.Iterations, sum.Iterations)
}

func TestLogisticLabelsAndPrediction(t *testing.T) {
	// Arbitrary labels map to sorted classes; predictions use the labels.
	x, y := numpyBlobs(11, 200, 5, 3)
	relabel := []int{-7, 40, 3}
	yl := make([]int, len(y))
	for i, v := range y {
		yl[i] = relabel[v]
	}
	m, err := LogisticRegression{}.FitLogistic(x, yl)
	require.NoError(t, err)
	assert.Equal(t, []int{-7, 3, 40}, m.Classes)
	pred, err := m.Predict(x)
	require.NoError(t, err)
	m0, err := LogisticRegression{}.FitLogistic(x, y)
	require.NoError(t, err)
	pred0, err := m0.Predict(x)
	require.NoError(t, err)
	for i, p := range pred0 {
		assert.Equal(t, relabel[p], pred[i], "sample %d", i)
	}
	// max_iter 1 stops early and says so
	m1, err := LogisticRegression{MaxIter: 1}.FitLogistic(x, yl)
	require.NoError(t, err)
	assert.False(t, m1.Converged)
}

func TestLogisticStandardize(t *testing.T) {
	x, y := numpyBlobs(3, 120, 4, 2)
	// Scaling a column by 1000 changes the plain fit but not the
	// standardised one.
	xs := mat.DenseCopyOf(x)
	for i := range 120 {
		xs.Set(i, 2, 1000*xs.At(i, 2))
	}
	a, err := LogisticRegression{Standardize: true}.FitLogistic(x, y)
	require.NoError(t, err)
	b, err := LogisticRegression{Standardize: true}.FitLogistic(xs, y)
	require.NoError(t, err)
	assert.InDelta(t, a.Objective, b.Objective, 1e-9)
	assert.InDelta(t, 1000*a.Scaler.Scale[2], b.Scaler.Scale[2], 1e-9)
	pa, err := a.Predict(x)
	require.NoError(t, err)
	pb, err := b.Predict(xs)
	require.NoError(t, err)
	assert.Equal(t, pa, pb)
}

func TestClassifierInputErrors(t *testing.T) {
	good, y := numpyBlobs(1, 20, 3, 2)
	nan := mat.DenseCopyOf(good)
	nan.Set(4, 1, math.NaN())
	inf := mat.DenseCopyOf(good)
	inf.Set(7, 2, math.Inf(-1))
	oneClass := make([]int, 20)
	for _, clf := range []Classifier{LogisticRegression{}, LinearSVC{}, SVC{}} {
		_, err := clf.Fit(nan, y)
		assert.ErrorContains(t, err, "row 4, column 1 is NaN")
		_, err = clf.Fit(inf, y)
		assert.ErrorContains(t, err, "row 7, column 2 is -Inf")
		_, err = clf.Fit(good, y[:19])
		assert.ErrorContains(t, err, "20 feature rows but 19 targets")
		_, err = clf.Fit(good, oneClass)
		assert.ErrorContains(t, err, "at least 2 classes")
		_, err = clf.Fit(&mat.Dense{}, nil)
		assert.ErrorIs(t, err, ErrEmpty)
		_, err = clf.Fit(nil, nil)
		assert.ErrorIs(t, err, ErrEmpty)

		m, err := clf.Fit(good, y)
		require.NoError(t, err)
		_, err = m.Predict(mat.NewDense(2, 4, nil))
		assert.ErrorContains(t, err, "4 columns, the model was fitted on 3")
		_, err = m.Predict(nan)
		assert.ErrorContains(t, err, "NaN")
	}
	_, err := LogisticRegression{C: -1}.Fit(good, y)
	assert.Error(t, err)
	_, err = LinearSVC{C: -1}.Fit(good, y)
	assert.Error(t, err)
	_, err = LinearSVC{Loss: 7}.Fit(good, y)
	assert.Error(t, err)
	_, err = SVC{C: math.Inf(1)}.Fit(good, y)
	assert.Error(t, err)
}
