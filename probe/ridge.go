package probe

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Ridge is scikit-learn's Ridge(alpha, fit_intercept=True) with its dense
// "cholesky" solver: features and targets are centred, then
//
//	w = (XᵀX + αI)⁻¹ Xᵀy           (d ≤ n)
//	w = Xᵀ(XXᵀ + αI)⁻¹ y           (d > n, the same w)
//
// is solved by Cholesky factorisation, and the intercept is
// mean(y) − mean(X)·w. Graph-JEPA's ZINC protocol fits Ridge() on the
// training embeddings and reports the test MAE.
//
// The zero value is Ridge(): alpha=1.
type Ridge struct {
	// Alpha is the L2 penalty; zero means 1 (scikit-learn's default). For
	// (near) ordinary least squares use a tiny positive value.
	Alpha float64
	// NoIntercept fits w on uncentred data with no intercept.
	NoIntercept bool
}

// RidgeModel is a fitted ridge regression.
type RidgeModel struct {
	Coef      []float64
	Intercept float64
}

// Fit fits the model to the rows of x (n×d) and targets y.
func (r Ridge) Fit(x mat.Matrix, y []float64) (*RidgeModel, error) {
	alpha := defaultFloat(r.Alpha, 1)
	if !(alpha > 0) || math.IsInf(alpha, 0) {
		return nil, fmt.Errorf("probe: Ridge needs Alpha > 0, got %v", r.Alpha)
	}
	g, err := checkSamples(x, len(y))
	if err != nil {
		return nil, err
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("probe: target %d is %v", i, v)
		}
	}
	n, d := g.Rows, g.Cols
	xc := blas64.General{Rows: n, Cols: d, Stride: d, Data: make([]float64, n*d)}
	yc := make([]float64, n)
	xMean := make([]float64, d)
	var yMean float64
	if !r.NoIntercept {
		for i := range n {
			for j, v := range g.Data[i*g.Stride : i*g.Stride+d] {
				xMean[j] += v
			}
			yMean += y[i]
		}
		for j := range xMean {
			xMean[j] /= float64(n)
		}
		yMean /= float64(n)
	}
	for i := range n {
		row := xc.Data[i*d : (i+1)*d]
		for j, v := range g.Data[i*g.Stride : i*g.Stride+d] {
			row[j] = v - xMean[j]
		}
		yc[i] = y[i] - yMean
	}
	yv := blas64.Vector{N: n, Inc: 1, Data: yc}
	coef := make([]float64, d)
	cv := blas64.Vector{N: d, Inc: 1, Data: coef}
	if d <= n {
		a := mat.NewSymDense(d, nil)
		blas64.Syrk(blas.Trans, 1, xc, 0, a.RawSymmetric())
		for j := range d {
			a.SetSym(j, j, a.At(j, j)+alpha)
		}
		rhs := make([]float64, d)
		blas64.Gemv(blas.Trans, 1, xc, yv, 0, blas64.Vector{N: d, Inc: 1, Data: rhs})
		if err := choleskySolve(a, rhs, coef); err != nil {
			return nil, err
		}
	} else {
		kmat := mat.NewSymDense(n, nil)
		blas64.Syrk(blas.NoTrans, 1, xc, 0, kmat.RawSymmetric())
		for i := range n {
			kmat.SetSym(i, i, kmat.At(i, i)+alpha)
		}
		dual := make([]float64, n)
		if err := choleskySolve(kmat, yc, dual); err != nil {
			return nil, err
		}
		blas64.Gemv(blas.Trans, 1, xc, blas64.Vector{N: n, Inc: 1, Data: dual}, 0, cv)
	}
	m := &RidgeModel{Coef: coef}
	if !r.NoIntercept {
		m.Intercept = yMean - blas64.Dot(blas64.Vector{N: d, Inc: 1, Data: xMean}, cv)
	}
	return m, nil
}

func choleskySolve(a *mat.SymDense, b, dst []float64) error {
	var ch mat.Cholesky
	if ok := ch.Factorize(a); !ok {
		return fmt.Errorf("probe: ridge system is not positive definite (non-finite or huge features?)")
	}
	out := mat.NewVecDense(len(dst), dst)
	return ch.SolveVecTo(out, mat.NewVecDense(len(b), b))
}

// Predict returns x·w + intercept for every row of x.
func (m *RidgeModel) Predict(x mat.Matrix) ([]float64, error) {
	g, err := checkFeatures(x, len(m.Coef))
	if err != nil {
		return nil, err
	}
	out := make([]float64, g.Rows)
	for i := range out {
		out[i] = m.Intercept
	}
	blas64.Gemv(blas.NoTrans, 1, g, blas64.Vector{N: len(m.Coef), Inc: 1, Data: m.Coef}, 1, blas64.Vector{N: g.Rows, Inc: 1, Data: out})
	return out, nil
}

// MAE returns the mean absolute error between predictions and targets.
func MAE(pred, target []float64) (float64, error) {
	if err := checkPairs(pred, target); err != nil {
		return 0, err
	}
	var s float64
	for i, p := range pred {
		s += math.Abs(p - target[i])
	}
	return s / float64(len(pred)), nil
}

// RMSE returns the root mean squared error between predictions and targets.
func RMSE(pred, target []float64) (float64, error) {
	if err := checkPairs(pred, target); err != nil {
		return 0, err
	}
	var s float64
	for i, p := range pred {
		d := p - target[i]
		s += d * d
	}
	return math.Sqrt(s / float64(len(pred))), nil
}

func checkPairs(pred, target []float64) error {
	if len(pred) != len(target) {
		return fmt.Errorf("probe: %d predictions but %d targets", len(pred), len(target))
	}
	if len(pred) == 0 {
		return fmt.Errorf("%w: no predictions", ErrEmpty)
	}
	for i := range pred {
		if math.IsNaN(pred[i]) || math.IsInf(pred[i], 0) || math.IsNaN(target[i]) || math.IsInf(target[i], 0) {
			return fmt.Errorf("probe: non-finite value at position %d (prediction %v, target %v)", i, pred[i], target[i])
		}
	}
	return nil
}
