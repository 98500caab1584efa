package jepa

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// SmoothL1Loss adds torch.nn.SmoothL1Loss(beta=beta) with mean reduction:
// for d = pred − target,
//
//	ℓ(d) = ½d²/β if |d| < β, |d| − ½β otherwise;  loss = mean over all elements.
//
// β = 0 is the L1 loss (torch's special case). Graph-JEPA uses β = 1
// (MUTAG, PROTEINS, EXP) or β = 0.5 (the other datasets); Point-JEPA β = 2.
// The gradient with respect to pred is (1/n)·(−1 if d ≤ −β, 1 if d ≥ β,
// d/β otherwise), torch's smooth_l1_loss_backward including its choice at
// d = 0 when β = 0 (−1), and its negative for target; build target from an input
// or a separate program when it must not be differentiated (the JEPA
// targets are computed under no_grad).
//
// Shapes: pred and target of the same shape (any rank) → a scalar. The
// differences are taken in the graph's precision and summed in float64, so
// a float32 loss may differ from torch's float32 reduction in the last bit.
// It returns an error if the shapes differ or β is negative or not finite.
func SmoothL1Loss(pred, target *G.Node, beta float64) (*G.Node, error) {
	if !(beta >= 0) || math.IsInf(beta, 0) {
		return nil, fmt.Errorf("jepa: SmoothL1Loss: beta must be finite and ≥ 0, got %v", beta)
	}
	return pairLoss("SmoothL1Loss", fmt.Sprintf("beta=%g", beta), pred, target, smoothL1Kind, beta)
}

// MSELoss adds torch.nn.MSELoss() with mean reduction: mean((pred −
// target)²) over all elements (Graph-JEPA's jepa.dist=1 ablation).
//
// Shapes: pred and target of the same shape → a scalar. See SmoothL1Loss
// for precision and for gradients with respect to target.
func MSELoss(pred, target *G.Node) (*G.Node, error) {
	return pairLoss("MSELoss", "", pred, target, mseKind, 0)
}

// pairKind selects the elementwise function of pairLoss.
type pairKind int

const (
	smoothL1Kind pairKind = iota
	mseKind
)

// pairLoss adds mean_i ℓ(pred_i − target_i) as one fused op.
func pairLoss(name, params string, pred, target *G.Node, kind pairKind, beta float64) (*G.Node, error) {
	ps, ts := pred.Shape(), target.Shape()
	if !ps.Eq(ts) {
		return nil, fmt.Errorf("jepa: %s: pred shape %v differs from target shape %v", name, ps, ts)
	}
	if pred.Dtype() != target.Dtype() {
		return nil, fmt.Errorf("jepa: %s: pred is %v but target is %v", name, pred.Dtype(), target.Dtype())
	}
	n := ps.TotalSize()
	if n == 0 {
		return nil, fmt.Errorf("jepa: %s: empty input of shape %v", name, ps)
	}
	op := nn.CustomOp{
		Name: name, Params: params, OutShape: tensor.Shape{1}, DiffWRT: []bool{true, true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			if out.Dtype() == tensor.Float32 {
				out.Float32s()[0] = float32(pairLossSum(in[0].Float32s()[:n], in[1].Float32s()[:n], kind, beta) / float64(n))
				return nil
			}
			out.Float64s()[0] = pairLossSum(in[0].Float64s()[:n], in[1].Float64s()[:n], kind, beta) / float64(n)
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			gg := nn.NewGradGroup(name+"Grad", []tensor.Shape{ps.Clone(), ts.Clone()}, func(outs, vals []*tensor.Dense) error {
				if vals[0].Dtype() == tensor.Float32 {
					g := float64(vals[2].Float32s()[0]) / float64(n)
					pairLossGrad(outs[0].Float32s()[:n], outs[1].Float32s()[:n], vals[0].Float32s()[:n], vals[1].Float32s()[:n], g, kind, beta)
				} else {
					g := vals[2].Float64s()[0] / float64(n)
					pairLossGrad(outs[0].Float64s()[:n], outs[1].Float64s()[:n], vals[0].Float64s()[:n], vals[1].Float64s()[:n], g, kind, beta)
				}
				return nil
			})
			return gg.Pieces(in[0], in[1], grad)
		},
	}
	return scalarOp(op, pred, target)
}

// pairLossSum returns Σ ℓ(p_i − t_i) in float64; each difference is rounded
// to T first, as torch computes it.
func pairLossSum[T float32 | float64](p, t []T, kind pairKind, beta float64) float64 {
	t = t[:len(p)]
	var s0, s1 float64
	switch kind {
	case mseKind:
		for i := range p {
			d := float64(p[i] - t[i])
			if i&1 == 0 {
				s0 += d * d
			} else {
				s1 += d * d
			}
		}
	case smoothL1Kind:
		half := 0.5 * beta
		for i := range p {
			d := math.Abs(float64(p[i] - t[i]))
			var v float64
			if d < beta {
				v = 0.5 * d * d / beta
			} else {
				v = d - half
			}
			if i&1 == 0 {
				s0 += v
			} else {
				s1 += v
			}
		}
	}
	return s0 + s1
}

// pairLossGrad writes dp = g·ℓ'(p − t) and dt = −dp, g already divided by
// the number of elements.
func pairLossGrad[T float32 | float64](dp, dt, p, t []T, g float64, kind pairKind, beta float64) {
	dp, dt, t = dp[:len(p)], dt[:len(p)], t[:len(p)]
	for i := range p {
		d := float64(p[i] - t[i])
		var v float64
		switch kind {
		case mseKind:
			v = 2 * d * g
		case smoothL1Kind:
			switch { // torch's smooth_l1_backward kernel, ties included
			case d <= -beta:
				v = -g
			case d >= beta:
				v = g
			default:
				v = d / beta * g
			}
		}
		dp[i] = T(v)
		dt[i] = T(-v)
	}
}

// scalarOp applies op, whose output has shape [1], and reduces it to a
// scalar node with gorgonia's Sum. nn's custom ops hand out tensor values
// even for 0-dim outputs, which gorgonia's scalar arithmetic (adding two
// losses, scaling one) rejects; Sum yields a proper scalar value.
func scalarOp(op nn.CustomOp, inputs ...*G.Node) (*G.Node, error) {
	v, err := nn.ApplyCustomOp(op, inputs...)
	if err != nil {
		return nil, err
	}
	return G.Sum(v)
}
