package nn

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LayerNormOp normalises the last dimension of x to zero mean and unit
// variance (biased variance, as torch.nn.functional.layer_norm) and, when
// gamma and beta are not nil, applies y = x̂·γ + β. It is one fused op with a
// hand-written backward pass (gorgonia's InverseSqrt has a wrong gradient).
//
// Shapes: x [..., D], gamma [D], beta [D] → y [..., D].
func LayerNormOp(x, gamma, beta *G.Node, eps float64) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() < 1 {
		return nil, fmt.Errorf("nn: LayerNormOp: input must have rank ≥ 1, got shape %v", xs)
	}
	d := xs[xs.Dims()-1]
	affine := gamma != nil || beta != nil
	if affine {
		if gamma == nil || beta == nil {
			return nil, fmt.Errorf("nn: LayerNormOp: gamma and beta must both be given or both be nil")
		}
		if !gamma.Shape().Eq(tensor.Shape{d}) || !beta.Shape().Eq(tensor.Shape{d}) {
			return nil, fmt.Errorf("nn: LayerNormOp: input shape %v does not match weight shape %v / bias shape %v (want [%d])", xs, gamma.Shape(), beta.Shape(), d)
		}
	}
	op := &fusedOp{name: "LayerNorm", params: fmt.Sprintf("d=%d,eps=%g,affine=%t", d, eps, affine), outShape: xs.Clone()}
	children := G.Nodes{x}
	if affine {
		children = append(children, gamma, beta)
	}
	op.diffWRT = make([]bool, len(children))
	for i := range op.diffWRT {
		op.diffWRT[i] = true
	}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			layerNormForward(yd, vals, d, eps)
		case []float64:
			layerNormForward(yd, vals, d, eps)
		}
		return nil
	}
	op.backward = func(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		shapes := []tensor.Shape{xs.Clone()}
		if affine {
			shapes = append(shapes, tensor.Shape{d}, tensor.Shape{d})
		}
		gg := newGradGroup("LayerNormGrad", shapes, func(outs, vals []*tensor.Dense) error {
			switch dy := floatData(vals[len(vals)-1]).(type) {
			case []float32:
				layerNormBackward(outs, vals, dy, d, eps)
			case []float64:
				layerNormBackward(outs, vals, dy, d, eps)
			}
			return nil
		})
		args := append(G.Nodes{}, inputs...)
		return gg.pieces(append(args, grad)...)
	}
	return op.apply(children...)
}

// rowStats returns the mean and 1/sqrt(var+eps) of a row (biased variance,
// two passes for accuracy).
func rowStats[T float](row []T, eps float64) (mean, rstd T) {
	var s float64
	for _, v := range row {
		s += float64(v)
	}
	m := s / float64(len(row))
	var q float64
	for _, v := range row {
		dv := float64(v) - m
		q += dv * dv
	}
	return T(m), T(1 / math.Sqrt(q/float64(len(row))+eps))
}

func layerNormForward[T float](y []T, vals []*tensor.Dense, d int, eps float64) {
	x := data[T](vals[0])
	var gamma, beta []T
	if len(vals) == 3 {
		gamma, beta = data[T](vals[1]), data[T](vals[2])
	}
	rows := rowsOf(len(x), d)
	ParallelFor(rows, 64, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			xr, yr := x[r*d:(r+1)*d], y[r*d:(r+1)*d]
			mean, rstd := rowStats(xr, eps)
			if gamma == nil {
				for j, v := range xr {
					yr[j] = (v - mean) * rstd
				}
				continue
			}
			for j, v := range xr {
				yr[j] = (v-mean)*rstd*gamma[j] + beta[j]
			}
		}
	})
}

// layerNormBackward: with x̂ = (x−μ)·r and g = dy·γ,
// dx = r·(g − mean(g) − x̂·mean(g·x̂)), dγ = Σ dy·x̂, dβ = Σ dy.
func layerNormBackward[T float](outs, vals []*tensor.Dense, dy []T, d int, eps float64) {
	x := data[T](vals[0])
	dx := data[T](outs[0])
	var gamma, dgamma, dbeta []T
	if len(outs) == 3 {
		gamma = data[T](vals[1])
		dgamma, dbeta = data[T](outs[1]), data[T](outs[2])
		clear(dgamma)
		clear(dbeta)
	}
	rows := rowsOf(len(x), d)
	invD := 1 / float64(d)
	for r := 0; r < rows; r++ {
		xr, dyr, dxr := x[r*d:(r+1)*d], dy[r*d:(r+1)*d], dx[r*d:(r+1)*d]
		mean, rstd := rowStats(xr, eps)
		var sg, sgx float64
		for j, v := range xr {
			xh := (v - mean) * rstd
			g := dyr[j]
			if gamma != nil {
				dgamma[j] += g * xh
				dbeta[j] += g
				g *= gamma[j]
			}
			sg += float64(g)
			sgx += float64(g * xh)
		}
		mg, mgx := T(sg*invD), T(sgx*invD)
		for j, v := range xr {
			xh := (v - mean) * rstd
			g := dyr[j]
			if gamma != nil {
				g *= gamma[j]
			}
			dxr[j] = rstd * (g - mg - xh*mgx)
		}
	}
}
