package probe

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
)

// logisticLoss evaluates scikit-learn's L2-penalised logistic objective and
// its gradient over a parameter vector θ = [W (k×d, row-major) | b (k)]:
//
//	f(θ) = scale·Σ_i loss_i(x_i W^T + b) + scale·lambda/2·‖W‖²
//
// with the binomial loss log(1+e^z) − y·z for k = 1 (y ∈ {0, 1}) and the
// multinomial loss logsumexp(z) − z_y otherwise; the intercepts b are not
// penalised. lambda is 1/C and scale is 1, or 1/n for the mean-loss scaling
// of scikit-learn ≥ 1.4 (same minimiser, different stopping point).
//
// The last evaluated θ and its residuals (p − y) are cached, so the
// gradient at the point just evaluated costs one matrix product.
type logisticLoss struct {
	x      blas64.General // n×d
	y      []int          // class index per sample
	k, d   int            // k = 1 for the binomial case
	lambda float64
	scale  float64
	noBias bool

	z      []float64 // n×k scores, then residuals
	cached []float64 // θ whose residuals z holds
	valid  bool
	fval   float64
}

func newLogisticLoss(x blas64.General, y []int, k int, lambda, scale float64, noBias bool) *logisticLoss {
	dim := k * x.Cols
	if !noBias {
		dim += k
	}
	return &logisticLoss{
		x: x, y: y, k: k, d: x.Cols, lambda: lambda, scale: scale, noBias: noBias,
		z:      make([]float64, x.Rows*k),
		cached: make([]float64, dim),
	}
}

func (l *logisticLoss) dim() int { return len(l.cached) }

// eval computes f(θ) and leaves the residuals p − y in l.z.
func (l *logisticLoss) eval(theta []float64) float64 {
	if l.valid && equal(theta, l.cached) {
		return l.fval
	}
	n, k, d := l.x.Rows, l.k, l.d
	// Z = X Wᵀ row by row: for these skinny products (k ≪ d) gonum's
	// assembly dot product beats its general Gemm several times over.
	for i := range n {
		xi := l.x.Data[i*l.x.Stride : i*l.x.Stride+d]
		zi := l.z[i*k : (i+1)*k]
		for c := range zi {
			zi[c] = floats.Dot(xi, theta[c*d:(c+1)*d])
		}
	}
	var bias []float64
	if !l.noBias {
		bias = theta[k*d:]
	}
	var loss float64
	if k == 1 {
		var b float64
		if bias != nil {
			b = bias[0]
		}
		for i, z := range l.z {
			z += b
			yi := float64(l.y[i])
			// log(1+e^z) computed without overflow; p = sigmoid(z).
			var lp, p float64
			if z > 0 {
				e := math.Exp(-z)
				lp = z + math.Log1p(e)
				p = 1 / (1 + e)
			} else {
				e := math.Exp(z)
				lp = math.Log1p(e)
				p = e / (1 + e)
			}
			loss += lp - yi*z
			l.z[i] = p - yi
		}
	} else {
		for i := range n {
			row := l.z[i*k : (i+1)*k]
			m := math.Inf(-1)
			for c := range row {
				if bias != nil {
					row[c] += bias[c]
				}
				m = max(m, row[c])
			}
			yi := l.y[i]
			zy := row[yi] - m
			var s float64
			for c, v := range row {
				e := math.Exp(v - m)
				row[c] = e
				s += e
			}
			// loss = logsumexp(z) − z_y = log(s) − (z_y − m).
			loss += math.Log(s) - zy
			inv := 1 / s
			for c := range row {
				row[c] *= inv
			}
			row[yi] -= 1
		}
	}
	w := theta[:k*d]
	f := l.scale * (loss + 0.5*l.lambda*floats.Dot(w, w))
	copy(l.cached, theta)
	l.valid = true
	l.fval = f
	return f
}

// grad writes ∇f(θ) into dst.
func (l *logisticLoss) grad(dst, theta []float64) {
	l.eval(theta)
	n, k, d := l.x.Rows, l.k, l.d
	// ∇W = scale·(Rᵀ X + λ W), accumulated row by row (see eval).
	gw := dst[:k*d]
	floats.ScaleTo(gw, l.scale*l.lambda, theta[:k*d])
	for i := range n {
		xi := l.x.Data[i*l.x.Stride : i*l.x.Stride+d]
		for c, r := range l.z[i*k : (i+1)*k] {
			if r != 0 {
				floats.AddScaled(gw[c*d:(c+1)*d], l.scale*r, xi)
			}
		}
	}
	if !l.noBias {
		gb := dst[k*l.d:]
		for c := range gb {
			gb[c] = 0
		}
		for i := range n {
			for c, v := range l.z[i*k : (i+1)*k] {
				gb[c] += v
			}
		}
		for c := range gb {
			gb[c] *= l.scale
		}
	}
}

func equal(a, b []float64) bool {
	for i, v := range a {
		if v != b[i] {
			return false
		}
	}
	return true
}
