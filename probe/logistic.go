package probe

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// LogisticRegression fits scikit-learn's
// LogisticRegression(penalty="l2", solver="lbfgs"): with two classes the
// binomial model (one weight vector, the larger label positive), with more
// the multinomial (softmax) model with one weight vector per class. The
// objective is scikit-learn's
//
//	Σ_i loss_i + ‖W‖²/(2C)        (intercepts not penalised)
//
// minimised from zero by L-BFGS (gonum optimize, 10 correction pairs and a
// Moré–Thuente line search, as scipy's L-BFGS-B uses) until the largest
// gradient component is below Tol, the relative decrease of the objective
// is below scipy's default ftol (2.2e-9), MaxIter iterations, or scipy's
// default budget of 15000 evaluations.
//
// That is the stopping rule of scikit-learn ≤ 1.3. scikit-learn 1.4
// (PR #26721) divides the objective by n, so its tolerance applies to a
// gradient n times smaller and it stops earlier; set MeanLoss to stop the
// same way. The minimiser is the same, so predictions agree except for
// samples within the tolerance of a decision boundary.
//
// The zero value is scikit-learn's default LogisticRegression(). Graph-JEPA
// uses LogisticRegression(max_iter=10000) on unscaled features:
// LogisticRegression{MaxIter: 10000}.
type LogisticRegression struct {
	// C is the inverse regularisation strength; zero means 1.
	C float64
	// MaxIter bounds the L-BFGS iterations; zero means 100.
	MaxIter int
	// Tol is the gradient tolerance; zero means 1e-4.
	Tol float64
	// NoIntercept fits no intercept (scikit-learn's fit_intercept=False).
	NoIntercept bool
	// Standardize scales features to zero mean and unit variance (fitted on
	// the training rows) before fitting, as a StandardScaler in a pipeline
	// would. Off by default, as in Graph-JEPA.
	Standardize bool
	// MeanLoss scales the objective by 1/n as scikit-learn ≥ 1.4 does.
	MeanLoss bool
}

func (lr LogisticRegression) c() float64 {
	if lr.C == 0 {
		return 1
	}
	return lr.C
}

func (lr LogisticRegression) maxIter() int {
	if lr.MaxIter == 0 {
		return 100
	}
	return lr.MaxIter
}

func (lr LogisticRegression) tol() float64 {
	if lr.Tol == 0 {
		return 1e-4
	}
	return lr.Tol
}

// LogisticModel is a fitted logistic regression.
type LogisticModel struct {
	Classes []int // sorted class labels
	// Coef is 1×d for two classes (the score of Classes[1]) and k×d otherwise.
	Coef      *mat.Dense
	Intercept []float64 // one per row of Coef (zeros with NoIntercept)
	Scaler    *Scaler   // nil unless fitted with Standardize
	// Iterations is the number of L-BFGS iterations; Converged is false when
	// MaxIter or the evaluation budget stopped the solver (where
	// scikit-learn emits a ConvergenceWarning).
	Iterations int
	Converged  bool
	Objective  float64 // final objective value
}

// Fit fits the model to the rows of x (n×d) and their labels y.
func (lr LogisticRegression) Fit(x mat.Matrix, y []int) (Predictor, error) {
	return lr.FitLogistic(x, y)
}

// FitLogistic is Fit returning the concrete model.
func (lr LogisticRegression) FitLogistic(x mat.Matrix, y []int) (*LogisticModel, error) {
	if lr.C < 0 || math.IsNaN(lr.C) || lr.Tol < 0 || lr.MaxIter < 0 {
		return nil, fmt.Errorf("probe: LogisticRegression needs C > 0, Tol ≥ 0, MaxIter ≥ 0; got C=%v Tol=%v MaxIter=%d", lr.C, lr.Tol, lr.MaxIter)
	}
	g, err := checkSamples(x, len(y))
	if err != nil {
		return nil, err
	}
	classes, enc, err := encodeClasses(y)
	if err != nil {
		return nil, err
	}
	m := &LogisticModel{Classes: classes}
	if lr.Standardize {
		m.Scaler = fitScaler(g)
		g = m.Scaler.transform(g)
	}
	k := len(classes)
	if k == 2 {
		k = 1
	}
	scale := 1.0
	if lr.MeanLoss {
		scale = 1 / float64(g.Rows)
	}
	loss := newLogisticLoss(g, enc, k, 1/lr.c(), scale, lr.NoIntercept)
	p := optimize.Problem{Func: loss.eval, Grad: loss.grad}
	settings := &optimize.Settings{
		GradientThreshold: lr.tol(),
		MajorIterations:   lr.maxIter(),
		FuncEvaluations:   15000,
		Converger:         &relativeDecrease{tol: 2.220446049250313e-09},
	}
	method := &optimize.LBFGS{
		Store:        10,
		Linesearcher: &optimize.MoreThuente{DecreaseFactor: 1e-3, CurvatureFactor: 0.9},
	}
	res, err := optimize.Minimize(p, make([]float64, loss.dim()), settings, method)
	if err != nil && res == nil {
		return nil, fmt.Errorf("probe: logistic regression: %w", err)
	}
	theta := res.X
	m.Coef = mat.NewDense(k, g.Cols, append([]float64(nil), theta[:k*g.Cols]...))
	m.Intercept = make([]float64, k)
	if !lr.NoIntercept {
		copy(m.Intercept, theta[k*g.Cols:])
	}
	m.Iterations = res.MajorIterations
	m.Objective = res.F
	switch res.Status {
	case optimize.GradientThreshold, optimize.FunctionConvergence:
		m.Converged = true
	}
	return m, nil
}

// relativeDecrease stops when (f_prev − f)/max(|f_prev|, |f|, 1) ≤ tol,
// scipy L-BFGS-B's ftol test.
type relativeDecrease struct {
	tol     float64
	prev    float64
	started bool
}

func (r *relativeDecrease) Init(int) { r.started = false }

func (r *relativeDecrease) Converged(loc *optimize.Location) optimize.Status {
	f := loc.F
	if r.started && (r.prev-f) <= r.tol*max(math.Abs(r.prev), math.Abs(f), 1) {
		return optimize.FunctionConvergence
	}
	r.prev, r.started = f, true
	return optimize.NotTerminated
}

// DecisionFunction returns the n×k scores x·Coefᵀ + Intercept (n×1 for two
// classes).
func (m *LogisticModel) DecisionFunction(x mat.Matrix) (*mat.Dense, error) {
	_, d := m.Coef.Dims()
	g, err := checkFeatures(x, d)
	if err != nil {
		return nil, err
	}
	if m.Scaler != nil {
		g = m.Scaler.transform(g)
	}
	return linearScores(g, m.Coef.RawMatrix(), m.Intercept), nil
}

// linearScores returns x·coefᵀ + intercept.
func linearScores(x, coef blas64.General, intercept []float64) *mat.Dense {
	k := coef.Rows
	out := blas64.General{Rows: x.Rows, Cols: k, Stride: k, Data: make([]float64, x.Rows*k)}
	for i := range x.Rows {
		copy(out.Data[i*k:(i+1)*k], intercept)
	}
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, x, coef, 1, out)
	return denseOf(out)
}

// Predict returns the predicted label of every row of x: the class with the
// largest score (the first on ties), or for two classes Classes[1] when the
// score is positive, as scikit-learn does.
func (m *LogisticModel) Predict(x mat.Matrix) ([]int, error) {
	s, err := m.DecisionFunction(x)
	if err != nil {
		return nil, err
	}
	return predictFromScores(s.RawMatrix(), m.Classes), nil
}

// predictFromScores maps decision scores to labels: argmax (first on ties)
// for k columns, sign for one column.
func predictFromScores(s blas64.General, classes []int) []int {
	out := make([]int, s.Rows)
	for i := range s.Rows {
		row := s.Data[i*s.Stride : i*s.Stride+s.Cols]
		if s.Cols == 1 {
			if row[0] > 0 {
				out[i] = classes[1]
			} else {
				out[i] = classes[0]
			}
			continue
		}
		best := 0
		for c, v := range row {
			if v > row[best] {
				best = c
			}
		}
		out[i] = classes[best]
	}
	return out
}
