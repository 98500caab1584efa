package probe

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// SVMLoss selects the loss of LinearSVC.
type SVMLoss int

const (
	// SquaredHinge is max(0, 1 − y·f)², scikit-learn LinearSVC's default
	// (liblinear solver 1, L2R_L2LOSS_SVC_DUAL).
	SquaredHinge SVMLoss = iota
	// Hinge is max(0, 1 − y·f) (liblinear solver 3, L2R_L1LOSS_SVC_DUAL).
	Hinge
)

// LinearSVC is scikit-learn's LinearSVC(dual=True): liblinear's dual
// coordinate descent (Hsieh et al., ICML 2008) for
//
//	min_w ½‖w‖² + C Σ_i loss(y_i (w·x_i + B·w_b))
//
// with the bias handled as liblinear does, as an extra constant feature B
// (InterceptScaling) whose weight IS regularised. Multiclass is
// one-vs-rest: one binary problem per class (a single one for two classes)
// and the prediction is the class with the largest score.
//
// This is not the form Point-JEPA evaluates with; see SVC for libsvm's
// one-vs-one SVM with an unregularised bias.
//
// Coordinates are visited in a random order per pass, as in liblinear; the
// order comes from Seed (liblinear's comes from its own generator), so the
// solution equals scikit-learn's up to the tolerance, not bit for bit.
//
// The zero value is scikit-learn's LinearSVC(): C=1, squared hinge,
// tol=1e-4, max_iter=1000, intercept_scaling=1.
type LinearSVC struct {
	C                float64 // zero means 1
	Loss             SVMLoss
	Tol              float64 // stopping tolerance on the projected gradient gap; zero means 1e-4
	MaxIter          int     // passes over the data; zero means 1000
	NoIntercept      bool    // no bias feature (fit_intercept=False)
	InterceptScaling float64 // value of the bias feature; zero means 1
	Seed             uint64  // seed of the coordinate order
}

// LinearModel is a fitted one-vs-rest linear classifier.
type LinearModel struct {
	Classes []int
	// Coef is 1×d for two classes (the score of Classes[1]) and k×d
	// otherwise; Intercept holds B·w_b per row.
	Coef      *mat.Dense
	Intercept []float64
	// Iterations is the largest number of passes any binary problem used;
	// Converged is false if any reached MaxIter.
	Iterations int
	Converged  bool
}

// Fit fits the classifier.
func (s LinearSVC) Fit(x mat.Matrix, y []int) (Predictor, error) {
	return s.FitLinear(x, y)
}

// FitLinear is Fit returning the concrete model.
func (s LinearSVC) FitLinear(x mat.Matrix, y []int) (*LinearModel, error) {
	c := defaultFloat(s.C, 1)
	tol := defaultFloat(s.Tol, 1e-4)
	maxIter := s.MaxIter
	if maxIter == 0 {
		maxIter = 1000
	}
	bias := defaultFloat(s.InterceptScaling, 1)
	if s.NoIntercept {
		bias = 0
	}
	if !(c > 0) || tol < 0 || maxIter < 0 || bias < 0 || math.IsInf(c, 0) {
		return nil, fmt.Errorf("probe: LinearSVC needs C > 0, Tol ≥ 0, MaxIter ≥ 0, InterceptScaling ≥ 0; got C=%v Tol=%v MaxIter=%d InterceptScaling=%v", s.C, s.Tol, s.MaxIter, s.InterceptScaling)
	}
	if s.Loss != SquaredHinge && s.Loss != Hinge {
		return nil, fmt.Errorf("probe: unknown SVMLoss %d", s.Loss)
	}
	g, err := checkSamples(x, len(y))
	if err != nil {
		return nil, err
	}
	classes, enc, err := encodeClasses(y)
	if err != nil {
		return nil, err
	}
	k := len(classes)
	nProblems := k
	if k == 2 {
		nProblems = 1
	}
	m := &LinearModel{
		Classes:   classes,
		Coef:      mat.NewDense(nProblems, g.Cols, nil),
		Intercept: make([]float64, nProblems),
		Converged: true,
	}
	solver := newDualCD(g, bias, c, s.Loss, tol, maxIter)
	iters := make([]int, nProblems)
	// The one-vs-rest problems are independent, each with its own
	// coordinate-order stream derived from Seed: solve them concurrently.
	parallelFor(nProblems, func(p int) {
		pos := p
		if k == 2 {
			pos = 1
		}
		sign := make([]float64, g.Rows)
		for i, e := range enc {
			if e == pos {
				sign[i] = 1
			} else {
				sign[i] = -1
			}
		}
		rng := rand.New(rand.NewPCG(s.Seed, uint64(p)))
		iters[p] = solver.solve(sign, m.Coef.RawRowView(p), &m.Intercept[p], rng)
	})
	for _, it := range iters {
		m.Iterations = max(m.Iterations, it)
		if it >= maxIter {
			m.Converged = false
		}
	}
	return m, nil
}

func defaultFloat(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// dualCD holds the data of liblinear's solve_l2r_l1l2_svc.
type dualCD struct {
	x       blas64.General
	bias    float64 // value of the bias feature (0: none)
	upper   float64 // box bound on α: C for hinge, +∞ for squared hinge
	diag    float64 // ½C⁻¹ added to Q_ii for squared hinge, 0 for hinge
	tol     float64
	maxIter int
	qd      []float64 // ‖x_i‖² + bias² + diag
}

func newDualCD(x blas64.General, bias, c float64, loss SVMLoss, tol float64, maxIter int) *dualCD {
	s := &dualCD{x: x, bias: bias, tol: tol, maxIter: maxIter, qd: make([]float64, x.Rows)}
	if loss == Hinge {
		s.upper, s.diag = c, 0
	} else {
		s.upper, s.diag = math.Inf(1), 0.5/c
	}
	for i := range x.Rows {
		row := x.Data[i*x.Stride : i*x.Stride+x.Cols]
		s.qd[i] = floats.Dot(row, row) + bias*bias + s.diag
	}
	return s
}

// solve runs dual coordinate descent for labels sign (±1) and writes the
// weights into w and the bias weight times the bias value into b. It
// returns the number of passes. It may run concurrently with other calls.
func (s *dualCD) solve(sign, w []float64, b *float64, rng *rand.Rand) int {
	n, d := s.x.Rows, s.x.Cols
	for i := range w {
		w[i] = 0
	}
	wb := 0.0 // weight of the bias feature
	alpha := make([]float64, n)
	index := make([]int, n)
	for i := range index {
		index[i] = i
	}
	active := n
	pgMaxOld, pgMinOld := math.Inf(1), math.Inf(-1)
	iter := 0
	for iter < s.maxIter {
		pgMaxNew, pgMinNew := math.Inf(-1), math.Inf(1)
		for i := 0; i < active; i++ {
			j := i + rng.IntN(active-i)
			index[i], index[j] = index[j], index[i]
		}
		for t := 0; t < active; t++ {
			i := index[t]
			yi := sign[i]
			xi := s.x.Data[i*s.x.Stride : i*s.x.Stride+d]
			a := alpha[i]
			grad := yi*(floats.Dot(w, xi)+wb*s.bias) - 1 + a*s.diag
			pg := 0.0
			switch {
			case a == 0:
				if grad > pgMaxOld {
					active--
					index[t], index[active] = index[active], index[t]
					t--
					continue
				}
				if grad < 0 {
					pg = grad
				}
			case a == s.upper:
				if grad < pgMinOld {
					active--
					index[t], index[active] = index[active], index[t]
					t--
					continue
				}
				if grad > 0 {
					pg = grad
				}
			default:
				pg = grad
			}
			pgMaxNew = max(pgMaxNew, pg)
			pgMinNew = min(pgMinNew, pg)
			if math.Abs(pg) > 1e-12 {
				na := min(max(a-grad/s.qd[i], 0), s.upper)
				alpha[i] = na
				step := (na - a) * yi
				floats.AddScaled(w, step, xi)
				wb += step * s.bias
			}
		}
		iter++
		if pgMaxNew-pgMinNew <= s.tol {
			if active == n {
				break
			}
			// Converged on the shrunk set: check everything again.
			active = n
			pgMaxOld, pgMinOld = math.Inf(1), math.Inf(-1)
			continue
		}
		pgMaxOld, pgMinOld = pgMaxNew, pgMinNew
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
		if pgMinOld >= 0 {
			pgMinOld = math.Inf(-1)
		}
	}
	*b = wb * s.bias
	return iter
}

// DecisionFunction returns the n×k scores (n×1 for two classes).
func (m *LinearModel) DecisionFunction(x mat.Matrix) (*mat.Dense, error) {
	_, d := m.Coef.Dims()
	g, err := checkFeatures(x, d)
	if err != nil {
		return nil, err
	}
	return linearScores(g, m.Coef.RawMatrix(), m.Intercept), nil
}

// Predict returns the class with the largest score (first on ties), or for
// two classes Classes[1] when the score is positive.
func (m *LinearModel) Predict(x mat.Matrix) ([]int, error) {
	s, err := m.DecisionFunction(x)
	if err != nil {
		return nil, err
	}
	return predictFromScores(s.RawMatrix(), m.Classes), nil
}
