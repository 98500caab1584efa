package jepa

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MaskedBCEWithLogitsLoss adds the multi-task classification loss of
// pretrain-gnns' finetune.py (Hu et al., ICLR 2020): binary cross-entropy
// on logits (torch.nn.BCEWithLogitsLoss(reduction="none")) summed over the
// present labels and divided by their number,
//
//	ℓ(x, y) = max(x, 0) − x·y + log(1 + e^−|x|),  loss = Σ_present ℓ / #present.
//
// Shapes: logits [B, T]; labels and present hold B·T entries in row-major
// order (labels in {0, 1}; entries with present false are ignored, as
// pretrain-gnns' y = 0). The labels are data: no gradient flows to them.
// The gradient with respect to logit x of a present label is
// (σ(x) − y)/#present. It returns an error if the lengths do not match,
// no label is present, or a present label is not 0 or 1.
func MaskedBCEWithLogitsLoss(logits *G.Node, labels []float32, present []bool) (*G.Node, error) {
	return maskedTaskLoss("MaskedBCEWithLogitsLoss", logits, labels, present, bceKind)
}

// MaskedMSELoss adds the regression counterpart of MaskedBCEWithLogitsLoss:
// Σ_present (x − y)² / #present over the present entries of labels (the
// fine-tuning loss of the MoleculeNet regression sets, on standardised
// targets). Shapes and errors as MaskedBCEWithLogitsLoss, without the 0/1
// rule.
func MaskedMSELoss(pred *G.Node, labels []float32, present []bool) (*G.Node, error) {
	return maskedTaskLoss("MaskedMSELoss", pred, labels, present, maskedMSEKind)
}

type taskKind int

const (
	bceKind taskKind = iota
	maskedMSEKind
)

func maskedTaskLoss(name string, x *G.Node, labels []float32, present []bool, kind taskKind) (*G.Node, error) {
	n := x.Shape().TotalSize()
	if len(labels) != n || len(present) != n {
		return nil, fmt.Errorf("jepa: %s: %d outputs of shape %v but %d labels and %d presence flags", name, n, x.Shape(), len(labels), len(present))
	}
	count := 0
	for i, ok := range present {
		if !ok {
			continue
		}
		count++
		if kind == bceKind && labels[i] != 0 && labels[i] != 1 {
			return nil, fmt.Errorf("jepa: %s: label %d is %v, want 0 or 1", name, i, labels[i])
		}
		if math.IsNaN(float64(labels[i])) || math.IsInf(float64(labels[i]), 0) {
			return nil, fmt.Errorf("jepa: %s: label %d is %v", name, i, labels[i])
		}
	}
	if count == 0 {
		return nil, fmt.Errorf("jepa: %s: no label present among %d", name, n)
	}
	y := append([]float32(nil), labels...)
	w := append([]bool(nil), present...)
	inv := 1 / float64(count)
	shape := x.Shape().Clone()
	op := nn.CustomOp{
		Name: name, OutShape: tensor.Shape{1}, DiffWRT: []bool{true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			var s float64
			if out.Dtype() == tensor.Float32 {
				s = taskLossSum(in[0].Float32s()[:n], y, w, kind)
				out.Float32s()[0] = float32(s * inv)
				return nil
			}
			s = taskLossSum(in[0].Float64s()[:n], y, w, kind)
			out.Float64s()[0] = s * inv
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			gg := nn.NewGradGroup(name+"Grad", []tensor.Shape{shape}, func(outs, vals []*tensor.Dense) error {
				if vals[0].Dtype() == tensor.Float32 {
					taskLossGrad(outs[0].Float32s()[:n], vals[0].Float32s()[:n], y, w, float64(vals[1].Float32s()[0])*inv, kind)
					return nil
				}
				taskLossGrad(outs[0].Float64s()[:n], vals[0].Float64s()[:n], y, w, vals[1].Float64s()[0]*inv, kind)
				return nil
			})
			return gg.Pieces(in[0], grad)
		},
	}
	return scalarOp(op, x)
}

// taskLossSum returns Σ_present ℓ(x_i, y_i) in float64.
func taskLossSum[T float32 | float64](x []T, y []float32, present []bool, kind taskKind) float64 {
	var s float64
	for i, v := range x {
		if !present[i] {
			continue
		}
		xv, yv := float64(v), float64(y[i])
		if kind == maskedMSEKind {
			s += (xv - yv) * (xv - yv)
			continue
		}
		s += max(xv, 0) - xv*yv + math.Log1p(math.Exp(-math.Abs(xv)))
	}
	return s
}

// taskLossGrad writes dx_i = g·ℓ'(x_i, y_i) (0 where absent), g already
// divided by the number of present labels.
func taskLossGrad[T float32 | float64](dx, x []T, y []float32, present []bool, g float64, kind taskKind) {
	for i, v := range x {
		if !present[i] {
			dx[i] = 0
			continue
		}
		xv, yv := float64(v), float64(y[i])
		if kind == maskedMSEKind {
			dx[i] = T(2 * (xv - yv) * g)
			continue
		}
		dx[i] = T((sigmoid(xv) - yv) * g)
	}
}

// sigmoid is 1/(1+e^−x), computed without overflow for either sign.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
