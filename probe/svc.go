package probe

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// SVC is scikit-learn's SVC(kernel="linear"), i.e. libsvm's C-SVC with a
// linear kernel (Chang & Lin, LIBSVM, 2011): for every pair of classes
// (i < j, classes sorted, class i positive) it solves the dual
//
//	min_α ½ αᵀQα − Σα   s.t.  Σ y_t α_t = 0,  0 ≤ α_t ≤ C,  Q_st = y_s y_t x_s·x_t
//
// by SMO with libsvm's second-order working-set selection (Fan, Chen & Lin,
// JMLR 2005) until the maximal violation is below Tol, and takes libsvm's
// bias (the mean of y_t∇_t over free α_t, else the middle of the feasible
// interval). The bias is NOT regularised, unlike LinearSVC's. A sample is
// predicted by one-vs-one voting: pair (i, j) votes for i when w·x − ρ > 0,
// else for j, and the class with most votes wins, the lowest index on ties
// (libsvm's svm_predict, which scikit-learn's SVC.predict uses).
//
// Point-JEPA's linear-SVM protocol is SVC{C: 0.012}.
//
// Differences from libsvm, none of which changes the optimum: no shrinking
// heuristic (it only saves time in libsvm), the kernel values are kept in
// float64 (libsvm caches them as float32), and the kernel of each pair's
// samples is computed in one BLAS call when it fits in CacheMB (otherwise
// columns are computed on demand and kept in a cache of that size, as
// libsvm does).
//
// The zero value is scikit-learn's SVC(kernel="linear") defaults: C=1,
// tol=1e-3, cache_size=200 MB, no iteration limit beyond libsvm's own
// (max(10⁷, 100·l)).
type SVC struct {
	C       float64 // zero means 1
	Tol     float64 // zero means 1e-3
	MaxIter int     // SMO iterations per pair; zero means libsvm's max(10⁷, 100·l)
	CacheMB float64 // kernel cache per pair in MiB; zero means 200
}

// SVCModel is a fitted one-vs-one linear SVM. With the linear kernel each
// pairwise decision function Σ_t y_t α_t x_t·x − ρ is kept as a weight
// vector w and ρ.
type SVCModel struct {
	Classes []int
	// Coef holds one row w per pair (i, j), i < j, in the order
	// (0,1), (0,2), …, (0,k−1), (1,2), …; Rho the matching ρ
	// (scikit-learn's intercept_ is −ρ, with a sign flip for two classes).
	Coef *mat.Dense
	Rho  []float64
	// SupportVectors is the number of α_t > 0 per pair; Iterations the SMO
	// iterations per pair. Converged is false if a pair hit MaxIter.
	SupportVectors []int
	Iterations     []int
	Converged      bool
}

func (s SVC) params() (c, tol, cacheBytes float64, err error) {
	c = defaultFloat(s.C, 1)
	tol = defaultFloat(s.Tol, 1e-3)
	cacheBytes = defaultFloat(s.CacheMB, 200) * (1 << 20)
	if !(c > 0) || math.IsInf(c, 0) || !(tol > 0) || s.MaxIter < 0 || !(cacheBytes > 0) {
		return 0, 0, 0, fmt.Errorf("probe: SVC needs C > 0, Tol > 0, MaxIter ≥ 0, CacheMB > 0; got C=%v Tol=%v MaxIter=%d CacheMB=%v", s.C, s.Tol, s.MaxIter, s.CacheMB)
	}
	return c, tol, cacheBytes, nil
}

// Fit fits the classifier.
func (s SVC) Fit(x mat.Matrix, y []int) (Predictor, error) {
	return s.FitSVC(x, y)
}

// FitSVC is Fit returning the concrete model.
func (s SVC) FitSVC(x mat.Matrix, y []int) (*SVCModel, error) {
	c, tol, cacheBytes, err := s.params()
	if err != nil {
		return nil, err
	}
	g, err := checkFeatures(x, 0)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(g.Rows, len(y)); err != nil {
		return nil, err
	}
	classes, enc, err := encodeClasses(y)
	if err != nil {
		return nil, err
	}
	k := len(classes)
	members := make([][]int, k)
	for i, e := range enc {
		members[e] = append(members[e], i)
	}
	nPairs := k * (k - 1) / 2
	m := &SVCModel{
		Classes:        classes,
		Coef:           mat.NewDense(nPairs, g.Cols, nil),
		Rho:            make([]float64, nPairs),
		SupportVectors: make([]int, nPairs),
		Iterations:     make([]int, nPairs),
		Converged:      true,
	}
	p := 0
	for i := range k {
		for j := i + 1; j < k; j++ {
			rows := append(append([]int(nil), members[i]...), members[j]...)
			sign := make([]float64, len(rows))
			for t := range sign {
				if t < len(members[i]) {
					sign[t] = 1
				} else {
					sign[t] = -1
				}
			}
			sub := selectRows(g, rows)
			smo := newSMO(sub, sign, c, tol, s.MaxIter, cacheBytes)
			iter, ok := smo.solve()
			m.Iterations[p] = iter
			m.Converged = m.Converged && ok
			m.Rho[p] = smo.rho()
			// w = Σ_t y_t α_t x_t
			w := blas64.Vector{N: g.Cols, Inc: 1, Data: m.Coef.RawRowView(p)}
			for t, a := range smo.alpha {
				if a > 0 {
					m.SupportVectors[p]++
					blas64.Axpy(sign[t]*a, blas64.Vector{N: g.Cols, Inc: 1, Data: sub.Data[t*sub.Stride : t*sub.Stride+g.Cols]}, w)
				}
			}
			p++
		}
	}
	return m, nil
}

// DecisionFunction returns the n×(k(k−1)/2) pairwise values w·x − ρ.
func (m *SVCModel) DecisionFunction(x mat.Matrix) (*mat.Dense, error) {
	_, d := m.Coef.Dims()
	g, err := checkFeatures(x, d)
	if err != nil {
		return nil, err
	}
	neg := make([]float64, len(m.Rho))
	for i, r := range m.Rho {
		neg[i] = -r
	}
	return linearScores(g, m.Coef.RawMatrix(), neg), nil
}

// Predict returns the one-vs-one vote winner for every row of x.
func (m *SVCModel) Predict(x mat.Matrix) ([]int, error) {
	dec, err := m.DecisionFunction(x)
	if err != nil {
		return nil, err
	}
	k := len(m.Classes)
	votes := make([]int, k)
	out := make([]int, dec.RawMatrix().Rows)
	for r := range out {
		row := dec.RawRowView(r)
		for c := range votes {
			votes[c] = 0
		}
		p := 0
		for i := range k {
			for j := i + 1; j < k; j++ {
				if row[p] > 0 {
					votes[i]++
				} else {
					votes[j]++
				}
				p++
			}
		}
		best := 0
		for c := 1; c < k; c++ {
			if votes[c] > votes[best] {
				best = c
			}
		}
		out[r] = m.Classes[best]
	}
	return out, nil
}

// smoTau replaces a non-positive curvature in the working-set selection and
// update, as libsvm's TAU.
const smoTau = 1e-12

// smo is libsvm's Solver for C-SVC without shrinking, on a linear kernel.
type smo struct {
	y       []float64
	c, eps  float64
	maxIter int
	alpha   []float64
	grad    []float64 // ∇ of the dual objective: Qα − 1
	qd      []float64 // Q_tt = ‖x_t‖²
	kernel  kernelColumns
}

func newSMO(x blas64.General, y []float64, c, eps float64, maxIter int, cacheBytes float64) *smo {
	l := x.Rows
	if maxIter == 0 {
		maxIter = max(10000000, 100*l)
	}
	s := &smo{y: y, c: c, eps: eps, maxIter: maxIter,
		alpha: make([]float64, l), grad: make([]float64, l), qd: make([]float64, l)}
	for t := range l {
		s.grad[t] = -1
		row := blas64.Vector{N: x.Cols, Inc: 1, Data: x.Data[t*x.Stride : t*x.Stride+x.Cols]}
		s.qd[t] = blas64.Dot(row, row)
	}
	if float64(l)*float64(l)*8 <= cacheBytes {
		s.kernel = newFullKernel(x)
	} else {
		s.kernel = newCachedKernel(x, cacheBytes)
	}
	return s
}

func (s *smo) upper(t int) bool { return s.alpha[t] >= s.c }
func (s *smo) lower(t int) bool { return s.alpha[t] <= 0 }

// selectWorkingSet returns libsvm's WSS3 pair, or ok=false at optimality.
func (s *smo) selectWorkingSet() (i, j int, ok bool) {
	gmax := math.Inf(-1)
	i = -1
	for t, yt := range s.y {
		if yt > 0 {
			if !s.upper(t) && -s.grad[t] >= gmax {
				gmax, i = -s.grad[t], t
			}
		} else if !s.lower(t) && s.grad[t] >= gmax {
			gmax, i = s.grad[t], t
		}
	}
	var ki []float64
	if i != -1 {
		ki = s.kernel.column(i)
	}
	gmax2 := math.Inf(-1)
	j = -1
	objMin := math.Inf(1)
	for t, yt := range s.y {
		var diff float64
		if yt > 0 {
			if s.lower(t) {
				continue
			}
			diff = gmax + s.grad[t]
			gmax2 = max(gmax2, s.grad[t])
		} else {
			if s.upper(t) {
				continue
			}
			diff = gmax - s.grad[t]
			gmax2 = max(gmax2, -s.grad[t])
		}
		if diff > 0 {
			// quad = Q_ii + Q_tt − 2 y_i y_t Q_it = K_ii + K_tt − 2 K_it
			quad := s.qd[i] + s.qd[t] - 2*ki[t]
			if quad <= 0 {
				quad = smoTau
			}
			if obj := -diff * diff / quad; obj <= objMin {
				j, objMin = t, obj
			}
		}
	}
	if gmax+gmax2 < s.eps || j == -1 {
		return 0, 0, false
	}
	return i, j, true
}

// solve runs SMO and returns the iterations and whether it converged.
func (s *smo) solve() (int, bool) {
	iter := 0
	for iter < s.maxIter {
		i, j, ok := s.selectWorkingSet()
		if !ok {
			return iter, true
		}
		iter++
		ki, kj := s.kernel.column(i), s.kernel.column(j)
		yi, yj := s.y[i], s.y[j]
		qij := yi * yj * ki[j]
		ai, aj := s.alpha[i], s.alpha[j]
		c := s.c
		if yi != yj {
			quad := s.qd[i] + s.qd[j] + 2*qij
			if quad <= 0 {
				quad = smoTau
			}
			delta := (-s.grad[i] - s.grad[j]) / quad
			diff := ai - aj
			s.alpha[i] += delta
			s.alpha[j] += delta
			if diff > 0 {
				if s.alpha[j] < 0 {
					s.alpha[j], s.alpha[i] = 0, diff
				}
			} else if s.alpha[i] < 0 {
				s.alpha[i], s.alpha[j] = 0, -diff
			}
			if diff > 0 { // C_i − C_j = 0 here (one C for both classes)
				if s.alpha[i] > c {
					s.alpha[i], s.alpha[j] = c, c-diff
				}
			} else if s.alpha[j] > c {
				s.alpha[j], s.alpha[i] = c, c+diff
			}
		} else {
			quad := s.qd[i] + s.qd[j] - 2*qij
			if quad <= 0 {
				quad = smoTau
			}
			delta := (s.grad[i] - s.grad[j]) / quad
			sum := ai + aj
			s.alpha[i] -= delta
			s.alpha[j] += delta
			if sum > c {
				if s.alpha[i] > c {
					s.alpha[i], s.alpha[j] = c, sum-c
				}
			} else if s.alpha[j] < 0 {
				s.alpha[j], s.alpha[i] = 0, sum
			}
			if sum > c {
				if s.alpha[j] > c {
					s.alpha[j], s.alpha[i] = c, sum-c
				}
			} else if s.alpha[i] < 0 {
				s.alpha[i], s.alpha[j] = 0, sum
			}
		}
		// ∇_t += Q_ti Δα_i + Q_tj Δα_j = y_t (y_i Δα_i K_ti + y_j Δα_j K_tj)
		di := yi * (s.alpha[i] - ai)
		dj := yj * (s.alpha[j] - aj)
		for t, yt := range s.y {
			s.grad[t] += yt * (di*ki[t] + dj*kj[t])
		}
	}
	return iter, false
}

// rho returns libsvm's bias ρ of the decision function Σ y_t α_t K(x_t, x) − ρ.
func (s *smo) rho() float64 {
	ub, lb := math.Inf(1), math.Inf(-1)
	var sum float64
	var free int
	for t, yt := range s.y {
		yg := yt * s.grad[t]
		switch {
		case s.upper(t):
			if yt < 0 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		case s.lower(t):
			if yt > 0 {
				ub = min(ub, yg)
			} else {
				lb = max(lb, yg)
			}
		default:
			free++
			sum += yg
		}
	}
	if free > 0 {
		return sum / float64(free)
	}
	return (ub + lb) / 2
}

// kernelColumns gives columns of the linear kernel matrix K = X Xᵀ. A
// returned column stays valid until the next call.
type kernelColumns interface {
	column(i int) []float64
}

// fullKernel holds all of K, computed with one BLAS rank-k update.
type fullKernel struct {
	k blas64.General
}

func newFullKernel(x blas64.General) *fullKernel {
	l := x.Rows
	k := blas64.General{Rows: l, Cols: l, Stride: l, Data: make([]float64, l*l)}
	blas64.Syrk(blas.NoTrans, 1, x, 0, blas64.Symmetric{Uplo: blas.Upper, N: l, Stride: l, Data: k.Data})
	for i := range l {
		for j := i + 1; j < l; j++ {
			k.Data[j*l+i] = k.Data[i*l+j]
		}
	}
	return &fullKernel{k: k}
}

func (f *fullKernel) column(i int) []float64 {
	return f.k.Data[i*f.k.Stride : i*f.k.Stride+f.k.Cols]
}

// cachedKernel computes columns on demand and keeps the most recently used
// ones within a byte budget (at least two, which SMO needs at once).
type cachedKernel struct {
	x      blas64.General
	slotOf []int // column → slot, −1 if not cached
	owner  []int // slot → column
	used   []int // slot → last use
	data   [][]float64
	clock  int
}

func newCachedKernel(x blas64.General, cacheBytes float64) *cachedKernel {
	l := x.Rows
	slots := max(2, int(cacheBytes/(8*float64(l))))
	slots = min(slots, l)
	c := &cachedKernel{x: x, slotOf: make([]int, l), owner: make([]int, slots), used: make([]int, slots), data: make([][]float64, slots)}
	for i := range c.slotOf {
		c.slotOf[i] = -1
	}
	for s := range c.owner {
		c.owner[s] = -1
	}
	return c
}

func (c *cachedKernel) column(i int) []float64 {
	c.clock++
	if s := c.slotOf[i]; s >= 0 {
		c.used[s] = c.clock
		return c.data[s]
	}
	s := 0
	for t := range c.used {
		if c.used[t] < c.used[s] {
			s = t
		}
	}
	if o := c.owner[s]; o >= 0 {
		c.slotOf[o] = -1
	}
	if c.data[s] == nil {
		c.data[s] = make([]float64, c.x.Rows)
	}
	xi := blas64.Vector{N: c.x.Cols, Inc: 1, Data: c.x.Data[i*c.x.Stride : i*c.x.Stride+c.x.Cols]}
	blas64.Gemv(blas.NoTrans, 1, c.x, xi, 0, blas64.Vector{N: c.x.Rows, Inc: 1, Data: c.data[s]})
	c.owner[s], c.slotOf[i], c.used[s] = i, s, c.clock
	return c.data[s]
}
