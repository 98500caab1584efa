package nn

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/nn/vecmath"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// batchNormState is what the BatchNorm op shares with its layer: running
// statistics updated by training-mode forward passes, and the batch
// statistics of the last forward pass, which its backward pass reuses.
type batchNormState struct {
	runningMean, runningVar *Param // [C], float like the graph
	numBatches              *Param // [] int64 (may be nil)
	momentum, eps           float64
	train                   bool
	mean, rstd              []float64 // of the last forward pass
	partial                 []float64 // per-block partial sums, 2·C per block
	// counts, if set (training only), says that row r stands for counts[r]
	// identical rows (BatchNorm.ForwardRepeated); nil means one each.
	counts []float64
	total  float64 // Σ counts
}

// bnBlockRows is the number of rows per partial sum in the channel
// reductions. It is fixed (not derived from the number of workers), so the
// summation order, and therefore every bit of the result, does not depend on
// GOMAXPROCS.
const bnBlockRows = 256

// batchNormOp normalises the last (channel) dimension of x with batch
// statistics over all other dimensions (training) or running statistics
// (evaluation), then applies γ and β.
func batchNormOp(x, gamma, beta *G.Node, st *batchNormState) (*G.Node, error) {
	xs := x.Shape()
	c := xs[xs.Dims()-1]
	op := &fusedOp{name: "BatchNorm", params: fmt.Sprintf("c=%d,train=%t", c, st.train), outShape: xs.Clone(),
		diffWRT: []bool{true, true, true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			return batchNormForward(yd, vals, c, st)
		case []float64:
			return batchNormForward(yd, vals, c, st)
		}
		return nil
	}
	op.backward = func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		gg := newGradGroup("BatchNormGrad", []tensor.Shape{xs.Clone(), {c}, {c}}, func(outs, vals []*tensor.Dense) error {
			switch dy := floatData(vals[3]).(type) {
			case []float32:
				batchNormBackward(outs, vals, dy, c, st)
			case []float64:
				batchNormBackward(outs, vals, dy, c, st)
			}
			return nil
		})
		return gg.pieces(in[0], in[1], in[2], grad)
	}
	return op.apply(x, gamma, beta)
}

// channelReduce computes, per channel j, a[j] = Σ_r f(r, j) and
// b[j] = Σ_r g(r, j) over the rows of a [rows, c] array, in float64, with
// rows split into fixed blocks summed in parallel and combined in order.
// fill(lo, hi, pa, pb) adds the contributions of rows [lo, hi) into the
// block's partials pa, pb (each of length c, zeroed). b may be nil when only
// one sum is needed.
func (st *batchNormState) channelReduce(rows, c int, a, b []float64, fill func(lo, hi int, pa, pb []float64)) {
	blocks := (rows + bnBlockRows - 1) / bnBlockRows
	if cap(st.partial) < 2*c*blocks {
		st.partial = make([]float64, 2*c*blocks)
	}
	part := st.partial[:2*c*blocks]
	clear(part)
	ParallelFor(blocks, 1, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			fill(k*bnBlockRows, min((k+1)*bnBlockRows, rows), part[2*c*k:2*c*k+c], part[2*c*k+c:2*c*(k+1)])
		}
	})
	clear(a)
	clear(b)
	for k := 0; k < blocks; k++ {
		pa, pb := part[2*c*k:2*c*k+c], part[2*c*k+c:2*c*(k+1)]
		for j := range a {
			a[j] += pa[j]
		}
		for j := range b {
			b[j] += pb[j]
		}
	}
}

func (st *batchNormState) stats(c int) (mean, rstd []float64) {
	if len(st.mean) != c {
		st.mean, st.rstd = make([]float64, c), make([]float64, c)
	}
	return st.mean, st.rstd
}

func batchNormForward[T float](y []T, vals []*tensor.Dense, c int, st *batchNormState) error {
	x, gamma, beta := data[T](vals[0]), data[T](vals[1]), data[T](vals[2])
	rows := rowsOf(len(x), c)
	mean, rstd := st.stats(c)
	rm, rv := data[T](st.runningMean.Value), data[T](st.runningVar.Value)
	if st.train && st.counts != nil {
		if len(st.counts) != rows {
			return fmt.Errorf("BatchNorm: %d row counts for an input with %d rows", len(st.counts), rows)
		}
		repeatedStats(x, c, st)
		updateRunningStats(rm, rv, mean, rstd, st.total, st)
	} else if st.train {
		if rows < 2 {
			return fmt.Errorf("BatchNorm in training mode needs more than 1 value per channel, got input with %d rows", rows)
		}
		// Two passes (mean, then squared deviations) for accuracy.
		st.channelReduce(rows, c, mean, nil, func(lo, hi int, pa, _ []float64) {
			if x32, ok := any(x).([]float32); ok {
				for r := lo; r < hi; r++ {
					vecmath.AddFloat64(pa, x32[r*c:(r+1)*c])
				}
				return
			}
			for r := lo; r < hi; r++ {
				for j, v := range x[r*c : (r+1)*c] {
					pa[j] += float64(v)
				}
			}
		})
		for j := range mean {
			mean[j] /= float64(rows)
		}
		variance := rstd // reused: rstd is computed from it below
		st.channelReduce(rows, c, variance, nil, func(lo, hi int, pa, _ []float64) {
			if x32, ok := any(x).([]float32); ok {
				for r := lo; r < hi; r++ {
					vecmath.AddSquaredDeviations(pa, x32[r*c:(r+1)*c], mean)
				}
				return
			}
			for r := lo; r < hi; r++ {
				for j, v := range x[r*c : (r+1)*c] {
					d := float64(v) - mean[j]
					pa[j] += d * d
				}
			}
		})
		for j := range variance {
			variance[j] /= float64(rows)
		}
		updateRunningStats(rm, rv, mean, rstd, float64(rows), st)
	} else {
		for j := range mean {
			mean[j], rstd[j] = float64(rm[j]), 1/math.Sqrt(float64(rv[j])+st.eps)
		}
	}
	scale := make([]T, c)
	shift := make([]T, c)
	for j := range scale {
		s := float64(gamma[j]) * rstd[j]
		scale[j] = T(s)
		shift[j] = T(float64(beta[j]) - mean[j]*s)
	}
	if x32, ok := any(x).([]float32); ok {
		y32, s32, t32 := any(y).([]float32), any(scale).([]float32), any(shift).([]float32)
		ParallelFor(rows, 256, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				vecmath.ScaleShift(y32[r*c:(r+1)*c], x32[r*c:(r+1)*c], s32, t32)
			}
		})
		return nil
	}
	ParallelFor(rows, 256, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			xr, yr := x[r*c:(r+1)*c], y[r*c:(r+1)*c]
			for j, v := range xr {
				yr[j] = v*scale[j] + shift[j]
			}
		}
	})
	return nil
}

// batchNormBackward: training mode (batch statistics) with x̂ = (x−μ)·r and
// g = dy·γ: dx = r·(g − mean(g) − x̂·mean(g·x̂)) per channel; evaluation mode
// (constant statistics): dx = g·r. In both, dγ = Σ dy·x̂ and dβ = Σ dy. The
// statistics are those of the forward pass of the same run.
func batchNormBackward[T float](outs, vals []*tensor.Dense, dy []T, c int, st *batchNormState) {
	x, gamma := data[T](vals[0]), data[T](vals[1])
	dx, dgamma, dbeta := data[T](outs[0]), data[T](outs[1]), data[T](outs[2])
	rows := rowsOf(len(x), c)
	mean, rstd := st.mean, st.rstd
	sdy := make([]float64, c)
	sdyx := make([]float64, c)
	st.channelReduce(rows, c, sdy, sdyx, func(lo, hi int, pa, pb []float64) {
		if x32, ok := any(x).([]float32); ok {
			dy32 := any(dy).([]float32)
			for r := lo; r < hi; r++ {
				vecmath.AddGradientMoments(pa, pb, dy32[r*c:(r+1)*c], x32[r*c:(r+1)*c], mean)
			}
			return
		}
		for r := lo; r < hi; r++ {
			xr, dyr := x[r*c:(r+1)*c], dy[r*c:(r+1)*c]
			for j, v := range xr {
				g := float64(dyr[j])
				pa[j] += g
				pb[j] += g * (float64(v) - mean[j])
			}
		}
	})
	if st.train && st.counts != nil {
		repeatedBackward(dx, dgamma, dbeta, dy, x, gamma, sdy, sdyx, st)
		return
	}
	for j := range dgamma {
		sdyx[j] *= rstd[j] // Σ dy·x̂
		dgamma[j] = T(sdyx[j])
		dbeta[j] = T(sdy[j])
	}
	// dx = a·dy + b·x + k per channel.
	a := make([]T, c)
	b := make([]T, c)
	k := make([]T, c)
	n := float64(rows)
	for j := range a {
		gr := float64(gamma[j]) * rstd[j]
		a[j] = T(gr)
		if !st.train {
			continue
		}
		// dx = γr·(dy − Σdy/n − x̂·Σ(dy·x̂)/n), x̂ = (x−μ)r
		mdy, mdyx := sdy[j]/n, sdyx[j]/n
		b[j] = T(-gr * mdyx * rstd[j])
		k[j] = T(gr * (-mdy + mdyx*rstd[j]*mean[j]))
	}
	if x32, ok := any(x).([]float32); ok {
		dy32, dx32 := any(dy).([]float32), any(dx).([]float32)
		a32, b32, k32 := any(a).([]float32), any(b).([]float32), any(k).([]float32)
		ParallelFor(rows, 256, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				vecmath.Affine2(dx32[r*c:(r+1)*c], dy32[r*c:(r+1)*c], x32[r*c:(r+1)*c], a32, b32, k32)
			}
		})
		return
	}
	ParallelFor(rows, 256, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			xr, dyr, dxr := x[r*c:(r+1)*c], dy[r*c:(r+1)*c], dx[r*c:(r+1)*c]
			for j := range dxr {
				dxr[j] = a[j]*dyr[j] + b[j]*xr[j] + k[j]
			}
		}
	})
}

// updateRunningStats turns variance (the biased batch variance, in the rstd
// slice) into rstd and updates the running statistics with the batch
// statistics of n rows, as torch does (running_var with the unbiased
// variance).
func updateRunningStats[T float](rm, rv []T, mean, variance []float64, n float64, st *batchNormState) {
	unbias := n / (n - 1)
	rstd := variance
	for j := range mean {
		v := variance[j]
		rm[j] = T((1-st.momentum)*float64(rm[j]) + st.momentum*mean[j])
		rv[j] = T((1-st.momentum)*float64(rv[j]) + st.momentum*v*unbias)
		rstd[j] = 1 / math.Sqrt(v+st.eps)
	}
	if st.numBatches != nil {
		st.numBatches.Int64s()[0]++
	}
}

// repeatedStats sets st.mean and, in st.rstd, the biased variance of the
// batch in which row r of x [rows, c] appears st.counts[r] times.
func repeatedStats[T float](x []T, c int, st *batchNormState) {
	rows := len(st.counts)
	mean, variance := st.stats(c)
	w := st.counts
	st.channelReduce(rows, c, mean, nil, func(lo, hi int, pa, _ []float64) {
		for r := lo; r < hi; r++ {
			if w[r] == 0 {
				continue
			}
			for j, v := range x[r*c : (r+1)*c] {
				pa[j] += w[r] * float64(v)
			}
		}
	})
	for j := range mean {
		mean[j] /= st.total
	}
	st.channelReduce(rows, c, variance, nil, func(lo, hi int, pa, _ []float64) {
		for r := lo; r < hi; r++ {
			if w[r] == 0 {
				continue
			}
			for j, v := range x[r*c : (r+1)*c] {
				d := float64(v) - mean[j]
				pa[j] += w[r] * d * d
			}
		}
	})
	for j := range variance {
		variance[j] /= st.total
	}
}

// repeatedBackward is batchNormBackward in training mode for repeated rows.
// dy[r] is the sum of the output gradients of row r's repeats, and dx[r] is
// the sum of their input gradients: with g = dy·γ and W = Σ counts,
//
//	dx[r] = γr·(dy[r] − w_r·Σdy/W − w_r·x̂[r]·Σ(dy·x̂)/W),
//
// while dγ = Σ dy·x̂ and dβ = Σ dy are unchanged. sdy and sdyx are the
// channel sums Σ dy and Σ dy·(x−μ) over the rows, as batchNormBackward
// computes them.
func repeatedBackward[T float](dx, dgamma, dbeta, dy, x, gamma []T, sdy, sdyx []float64, st *batchNormState) {
	rows, c := len(st.counts), len(sdy)
	mean, rstd, w := st.mean, st.rstd, st.counts
	a := make([]float64, c)
	b := make([]float64, c)
	k := make([]float64, c)
	for j := range dgamma {
		sdyx[j] *= rstd[j] // Σ dy·x̂
		dgamma[j] = T(sdyx[j])
		dbeta[j] = T(sdy[j])
		gr := float64(gamma[j]) * rstd[j]
		mdy, mdyx := sdy[j]/st.total, sdyx[j]/st.total
		a[j] = gr
		b[j] = -gr * mdyx * rstd[j]
		k[j] = gr * (-mdy + mdyx*rstd[j]*mean[j])
	}
	ParallelFor(rows, 256, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			xr, dyr, dxr := x[r*c:(r+1)*c], dy[r*c:(r+1)*c], dx[r*c:(r+1)*c]
			wr := w[r]
			for j := range dxr {
				dxr[j] = T(a[j]*float64(dyr[j]) + wr*(b[j]*float64(xr[j])+k[j]))
			}
		}
	})
}
