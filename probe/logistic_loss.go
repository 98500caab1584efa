package probe

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
)

// lossChunk is the number of rows per work unit of the logistic loss. It is
// fixed, not derived from the number of CPUs, so the floating-point
// summation order (within a chunk, then over chunks in order) and hence the
// result are the same on every machine.
const lossChunk = 128

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
// The scores are computed in chunks of lossChunk rows on all CPUs; the last
// evaluated θ and its residuals (p − y) are cached, so the gradient at the
// point just evaluated costs one more pass over the data, made of dot
// products of the residual columns with the columns of X (kept transposed),
// chunked over columns. Both passes compute gonum's assembly dot product
// (through dotMany, to the same bits, four dot products at a time), which
// for these skinny products (k ≪ d) is several times faster than gonum's
// general Gemm, and every output is one dot product or a sum in fixed
// order, so the result does not depend on the number of CPUs.
type logisticLoss struct {
	x      blas64.General // n×d
	y      []int          // class index per sample
	k, d   int            // k = 1 for the binomial case
	lambda float64
	scale  float64
	noBias bool

	xt      []float64 // d×n, X transposed
	z       []float64 // n×k scores
	rt      []float64 // k×n residuals p − y, transposed
	partF   []float64 // loss per chunk
	cached  []float64 // θ whose residuals rt holds
	valid   bool
	fval    float64
	nChunks int
}

func newLogisticLoss(x blas64.General, y []int, k int, lambda, scale float64, noBias bool) *logisticLoss {
	dim := k * x.Cols
	if !noBias {
		dim += k
	}
	nc := (x.Rows + lossChunk - 1) / lossChunk
	n, d := x.Rows, x.Cols
	l := &logisticLoss{
		x: x, y: y, k: k, d: d, lambda: lambda, scale: scale, noBias: noBias,
		xt:      make([]float64, d*n),
		z:       make([]float64, n*k),
		rt:      make([]float64, k*n),
		partF:   make([]float64, nc),
		cached:  make([]float64, dim),
		nChunks: nc,
	}
	for i := range n {
		for j, v := range x.Data[i*x.Stride : i*x.Stride+d] {
			l.xt[j*n+i] = v
		}
	}
	return l
}

func (l *logisticLoss) dim() int { return len(l.cached) }

func (l *logisticLoss) chunk(c int) (lo, hi int) {
	return c * lossChunk, min((c+1)*lossChunk, l.x.Rows)
}

// eval computes f(θ) and leaves the residuals p − y in l.rt.
func (l *logisticLoss) eval(theta []float64) float64 {
	if l.valid && equal(theta, l.cached) {
		return l.fval
	}
	parallelFor(l.nChunks, func(c int) {
		lo, hi := l.chunk(c)
		l.partF[c] = l.evalRows(theta, lo, hi)
	})
	var loss float64
	for _, v := range l.partF {
		loss += v
	}
	w := theta[:l.k*l.d]
	f := l.scale * (loss + 0.5*l.lambda*floats.Dot(w, w))
	copy(l.cached, theta)
	l.valid = true
	l.fval = f
	return f
}

// evalRows computes the scores and residuals of rows [lo, hi) and returns
// their summed loss.
func (l *logisticLoss) evalRows(theta []float64, lo, hi int) float64 {
	k, d := l.k, l.d
	var bias []float64
	if !l.noBias {
		bias = theta[k*d:]
	}
	if k < 4 {
		// Few classes: share each weight row over the data rows.
		var dots [4]float64
		for c := range k {
			for i := lo; i < hi; i += 4 {
				g := min(4, hi-i)
				dotMany(theta[c*d:(c+1)*d], l.x.Data[i*l.x.Stride:], l.x.Stride, dots[:g])
				for q, v := range dots[:g] {
					l.z[(i+q)*k+c] = v
				}
			}
		}
	}
	var loss float64
	for i := lo; i < hi; i++ {
		row := l.z[i*k : (i+1)*k]
		if k >= 4 {
			dotMany(l.x.Data[i*l.x.Stride:i*l.x.Stride+d], theta, d, row)
		}
		if bias != nil {
			for c := range row {
				row[c] += bias[c]
			}
		}
		if k == 1 {
			z, yi := row[0], float64(l.y[i])
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
			l.rt[i] = p - yi
			continue
		}
		m := math.Inf(-1)
		for _, v := range row {
			m = max(m, v)
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
		n := l.x.Rows
		for c, e := range row {
			l.rt[c*n+i] = e * inv
		}
		l.rt[yi*n+i] -= 1
	}
	return loss
}

// grad writes ∇f(θ) into dst.
func (l *logisticLoss) grad(dst, theta []float64) {
	l.eval(theta)
	n, k, d := l.x.Rows, l.k, l.d
	// ∇W[c, j] = scale·(r_c · X[:, j] + λ W[c, j]), in column chunks.
	// Each output is the dot product floats.Dot(r_c, X[:, j]), computed by
	// dotMany four at a time to the same bits.
	parallelFor((d+lossChunk-1)/lossChunk, func(ch int) {
		var buf [16]float64
		j0, j1 := ch*lossChunk, min((ch+1)*lossChunk, d)
		if k < 4 {
			for c := range k {
				for j := j0; j < j1; j += 4 {
					g := min(4, j1-j)
					dotMany(l.rt[c*n:(c+1)*n], l.xt[j*n:], n, buf[:g])
					for q, v := range buf[:g] {
						dst[c*d+j+q] = l.scale * (v + l.lambda*theta[c*d+j+q])
					}
				}
			}
			return
		}
		dots := buf[:0]
		if k > len(buf) {
			dots = make([]float64, k)
		}
		dots = dots[:k]
		for j := j0; j < j1; j++ {
			dotMany(l.xt[j*n:(j+1)*n], l.rt, n, dots)
			for c, v := range dots {
				dst[c*d+j] = l.scale * (v + l.lambda*theta[c*d+j])
			}
		}
	})
	if !l.noBias {
		for c := range k {
			dst[k*d+c] = l.scale * floats.Sum(l.rt[c*n:(c+1)*n])
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
