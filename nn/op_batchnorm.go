package nn

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// batchNormState is what the BatchNorm op shares with its layer: running
// statistics updated by training-mode forward passes.
type batchNormState struct {
	runningMean, runningVar *Param // [C], float like the graph
	numBatches              *Param // [] int64 (may be nil)
	momentum, eps           float64
	train                   bool
}

// batchNormOp normalises the last (channel) dimension of x with batch
// statistics over all other dimensions (training) or running statistics
// (evaluation), then applies γ and β.
func batchNormOp(x, gamma, beta *G.Node, st *batchNormState) (*G.Node, error) {
	xs := x.Shape()
	c := xs[xs.Dims()-1]
	op := &fusedOp{name: "BatchNorm", params: fmt.Sprintf("c=%d,train=%t", c, st.train), outShape: xs.Clone(),
		diffWRT: []bool{true, true, true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := y.Data().(type) {
		case []float32:
			return batchNormForward(yd, vals, c, st)
		case []float64:
			return batchNormForward(yd, vals, c, st)
		}
		return nil
	}
	op.backward = func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		gg := newGradGroup("BatchNormGrad", []tensor.Shape{xs.Clone(), {c}, {c}}, func(outs, vals []*tensor.Dense) error {
			switch dy := vals[3].Data().(type) {
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

// channelStats returns per-channel mean and biased variance of x [rows, c].
func channelStats[T float](x []T, c int, mean, variance []float64) {
	rows := rowsOf(len(x), c)
	clear(mean)
	clear(variance)
	for r := 0; r < rows; r++ {
		for j, v := range x[r*c : (r+1)*c] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(rows)
	}
	for r := 0; r < rows; r++ {
		for j, v := range x[r*c : (r+1)*c] {
			d := float64(v) - mean[j]
			variance[j] += d * d
		}
	}
	for j := range variance {
		variance[j] /= float64(rows)
	}
}

func batchNormForward[T float](y []T, vals []*tensor.Dense, c int, st *batchNormState) error {
	x, gamma, beta := data[T](vals[0]), data[T](vals[1]), data[T](vals[2])
	rows := rowsOf(len(x), c)
	mean := make([]float64, c)
	variance := make([]float64, c)
	rm, rv := data[T](st.runningMean.Value), data[T](st.runningVar.Value)
	if st.train {
		if rows < 2 {
			return fmt.Errorf("BatchNorm in training mode needs more than 1 value per channel, got input with %d rows", rows)
		}
		channelStats(x, c, mean, variance)
		unbias := float64(rows) / float64(rows-1)
		for j := range mean {
			rm[j] = T((1-st.momentum)*float64(rm[j]) + st.momentum*mean[j])
			rv[j] = T((1-st.momentum)*float64(rv[j]) + st.momentum*variance[j]*unbias)
		}
		if st.numBatches != nil {
			st.numBatches.Int64s()[0]++
		}
	} else {
		for j := range mean {
			mean[j], variance[j] = float64(rm[j]), float64(rv[j])
		}
	}
	scale := make([]T, c)
	shift := make([]T, c)
	for j := range scale {
		s := float64(gamma[j]) / math.Sqrt(variance[j]+st.eps)
		scale[j] = T(s)
		shift[j] = T(float64(beta[j]) - mean[j]*s)
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
// (constant statistics): dx = g·r. In both, dγ = Σ dy·x̂ and dβ = Σ dy.
func batchNormBackward[T float](outs, vals []*tensor.Dense, dy []T, c int, st *batchNormState) {
	x, gamma := data[T](vals[0]), data[T](vals[1])
	dx, dgamma, dbeta := data[T](outs[0]), data[T](outs[1]), data[T](outs[2])
	rows := rowsOf(len(x), c)
	mean := make([]float64, c)
	variance := make([]float64, c)
	if st.train {
		channelStats(x, c, mean, variance)
	} else {
		rm, rv := data[T](st.runningMean.Value), data[T](st.runningVar.Value)
		for j := range mean {
			mean[j], variance[j] = float64(rm[j]), float64(rv[j])
		}
	}
	rstd := make([]float64, c)
	for j := range rstd {
		rstd[j] = 1 / math.Sqrt(variance[j]+st.eps)
	}
	sdy := make([]float64, c)
	sdyx := make([]float64, c)
	for r := 0; r < rows; r++ {
		xr, dyr := x[r*c:(r+1)*c], dy[r*c:(r+1)*c]
		for j, v := range xr {
			xh := (float64(v) - mean[j]) * rstd[j]
			sdy[j] += float64(dyr[j])
			sdyx[j] += float64(dyr[j]) * xh
		}
	}
	for j := range dgamma {
		dgamma[j] = T(sdyx[j])
		dbeta[j] = T(sdy[j])
	}
	a := make([]T, c) // dx = a·dy + b·x + k per channel
	b := make([]T, c)
	k := make([]T, c)
	n := float64(rows)
	for j := range a {
		gr := float64(gamma[j]) * rstd[j]
		if !st.train {
			a[j] = T(gr)
			continue
		}
		// dx = γr·(dy − Σdy/n − x̂·Σ(dy·x̂)/n), x̂ = (x−μ)r
		mdy, mdyx := sdy[j]/n, sdyx[j]/n
		a[j] = T(gr)
		b[j] = T(-gr * mdyx * rstd[j])
		k[j] = T(gr * (-mdy + mdyx*rstd[j]*mean[j]))
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
