package probe

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
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
// heuristic (it only saves time in libsvm), and the kernel values are kept
// in float64 (libsvm caches them as float32). The kernel is computed more
// cheaply than libsvm's row-by-row cache: the kernel of all training samples
// in one BLAS call when it fits in CacheMB, every pair using blocks of it
// (else each pair's kernel, else columns on demand within CacheMB), and
// CrossValidate computes the kernel of all samples once for all folds.
// Pairs are solved concurrently.
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
	if _, _, _, err := s.params(); err != nil {
		return nil, err
	}
	g, err := checkSamples(x, len(y))
	if err != nil {
		return nil, err
	}
	rows := make([]int, g.Rows)
	for i := range rows {
		rows[i] = i
	}
	return s.fitRows(g, nil, rows, y)
}

// gramBytes is the kernel budget; CrossValidate computes the linear kernel
// of all samples once when it fits, and every fold reuses it.
func (s SVC) gramBytes() float64 {
	return defaultFloat(s.CacheMB, 200) * (1 << 20)
}

// fitRows fits on the samples rows of g (labels y, one per row). gram, if
// not nil, is the linear kernel of all rows of g.
func (s SVC) fitRows(g blas64.General, gram *gramMatrix, rows, y []int) (*SVCModel, error) {
	c, tol, cacheBytes, err := s.params()
	if err != nil {
		return nil, err
	}
	classes, enc, err := encodeClasses(y)
	if err != nil {
		return nil, err
	}
	k := len(classes)
	members := make([][]int, k) // indices into g
	for t, e := range enc {
		members[e] = append(members[e], rows[t])
	}
	// The training samples ordered by class: the kernel of every pair is
	// then made of contiguous blocks of one training kernel, computed (or
	// gathered from gram) once.
	var ordered []int
	offset := make([]int, k)
	for c, mem := range members {
		offset[c] = len(ordered)
		ordered = append(ordered, mem...)
	}
	var train *fullKernel
	switch {
	case gram != nil:
		train, _ = gram.sub(ordered)
	case gramFits(len(ordered), cacheBytes):
		train, _ = newFullKernel(selectRows(g, ordered))
	}
	type pair struct{ p, i, j int }
	var pairs []pair
	for i := range k {
		for j := i + 1; j < k; j++ {
			pairs = append(pairs, pair{len(pairs), i, j})
		}
	}
	m := &SVCModel{
		Classes:        classes,
		Coef:           mat.NewDense(len(pairs), g.Cols, nil),
		Rho:            make([]float64, len(pairs)),
		SupportVectors: make([]int, len(pairs)),
		Iterations:     make([]int, len(pairs)),
		Converged:      true,
	}
	converged := make([]bool, len(pairs))
	// The pairs are independent: solve them concurrently, each writing its
	// own results, so the model does not depend on the scheduling.
	parallelFor(len(pairs), func(q int) {
		pr := pairs[q]
		sub := append(append([]int(nil), members[pr.i]...), members[pr.j]...)
		sign := make([]float64, len(sub))
		for t := range sign {
			if t < len(members[pr.i]) {
				sign[t] = 1
			} else {
				sign[t] = -1
			}
		}
		var kernel kernelColumns
		var diag []float64
		switch {
		case train != nil:
			kernel, diag = train.pairBlock(offset[pr.i], len(members[pr.i]), offset[pr.j], len(members[pr.j]))
		case gramFits(len(sub), cacheBytes):
			kernel, diag = newFullKernel(selectRows(g, sub))
		default:
			kernel, diag = newCachedKernel(selectRows(g, sub), cacheBytes)
		}
		smo := newSMO(sign, c, tol, s.MaxIter, kernel, diag)
		iter, ok := smo.solve()
		m.Iterations[pr.p] = iter
		converged[pr.p] = ok
		m.Rho[pr.p] = smo.rho()
		// w = Σ_t y_t α_t x_t
		w := m.Coef.RawRowView(pr.p)
		for t, a := range smo.alpha {
			if a > 0 {
				m.SupportVectors[pr.p]++
				r := sub[t]
				floats.AddScaled(w, sign[t]*a, g.Data[r*g.Stride:r*g.Stride+g.Cols])
			}
		}
	})
	for _, ok := range converged {
		m.Converged = m.Converged && ok
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

func newSMO(y []float64, c, eps float64, maxIter int, kernel kernelColumns, diag []float64) *smo {
	l := len(y)
	if maxIter == 0 {
		maxIter = max(10000000, 100*l)
	}
	s := &smo{y: y, c: c, eps: eps, maxIter: maxIter, kernel: kernel, qd: diag,
		alpha: make([]float64, l), grad: make([]float64, l)}
	for t := range s.grad {
		s.grad[t] = -1
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

// gramFits reports whether an l×l float64 kernel fits in the byte budget.
func gramFits(l int, budget float64) bool {
	return float64(l)*float64(l)*8 <= budget
}

// gramMatrix is the linear kernel X Xᵀ of all rows of a feature matrix.
type gramMatrix struct {
	n int
	k []float64 // n×n, both triangles
}

func newGramMatrix(x blas64.General) *gramMatrix {
	const tile = 32
	l, d := x.Rows, x.Cols
	k := make([]float64, l*l)
	row := func(i int) []float64 { return x.Data[i*x.Stride : i*x.Stride+d] }
	// Every entry is one dot product, so splitting the work over CPUs does
	// not change the result. Tiles keep the rows they combine in cache.
	nt := (l + tile - 1) / tile
	parallelFor(nt, func(bi int) {
		for bj := bi; bj < nt; bj++ {
			for i := bi * tile; i < min((bi+1)*tile, l); i++ {
				xi := row(i)
				for j := max(i, bj*tile); j < min((bj+1)*tile, l); j++ {
					v := floats.Dot(xi, row(j))
					k[i*l+j] = v
					k[j*l+i] = v
				}
			}
		}
	})
	return &gramMatrix{n: l, k: k}
}

// sub gathers the kernel of the given rows and its diagonal.
func (g *gramMatrix) sub(rows []int) (*fullKernel, []float64) {
	l := len(rows)
	f := &fullKernel{l: l, k: make([]float64, l*l)}
	diag := make([]float64, l)
	for a, r := range rows {
		src := g.k[r*g.n : (r+1)*g.n]
		dst := f.k[a*l : (a+1)*l]
		for b, c := range rows {
			dst[b] = src[c]
		}
		diag[a] = src[r]
	}
	return f, diag
}

// pairBlock returns the kernel of the rows [a, a+na) followed by
// [b, b+nb), and its diagonal.
func (f *fullKernel) pairBlock(a, na, b, nb int) (*fullKernel, []float64) {
	l := na + nb
	out := &fullKernel{l: l, k: make([]float64, l*l)}
	diag := make([]float64, l)
	for r := range l {
		src := a + r
		if r >= na {
			src = b + r - na
		}
		row := f.k[src*f.l : (src+1)*f.l]
		dst := out.k[r*l : (r+1)*l]
		copy(dst[:na], row[a:a+na])
		copy(dst[na:], row[b:b+nb])
		diag[r] = row[src]
	}
	return out, diag
}

// fullKernel holds all of an l×l kernel.
type fullKernel struct {
	l int
	k []float64
}

// newFullKernel computes the kernel of the rows of x and its diagonal.
func newFullKernel(x blas64.General) (*fullKernel, []float64) {
	g := newGramMatrix(x)
	diag := make([]float64, g.n)
	for i := range diag {
		diag[i] = g.k[i*g.n+i]
	}
	return &fullKernel{l: g.n, k: g.k}, diag
}

func (f *fullKernel) column(i int) []float64 {
	return f.k[i*f.l : (i+1)*f.l]
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

func newCachedKernel(x blas64.General, cacheBytes float64) (*cachedKernel, []float64) {
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
	diag := make([]float64, l)
	for i := range diag {
		xi := x.Data[i*x.Stride : i*x.Stride+x.Cols]
		diag[i] = floats.Dot(xi, xi)
	}
	return c, diag
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
	xi := c.x.Data[i*c.x.Stride : i*c.x.Stride+c.x.Cols]
	col := c.data[s]
	for t := range col {
		col[t] = floats.Dot(c.x.Data[t*c.x.Stride:t*c.x.Stride+c.x.Cols], xi)
	}
	c.owner[s], c.slotOf[i], c.used[s] = i, s, c.clock
	return col
}
