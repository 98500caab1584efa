package pointjepa

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// crossEntropy adds torch.nn.CrossEntropyLoss(label_smoothing=eps) with mean
// reduction over the N rows of logits [N, C]:
//
//	loss = (1/N) Σ_i [ −(1−ε)·log p_i,y_i − (ε/C)·Σ_c log p_i,c ],  p = softmax(logits)
//
// labels are read at every run (their length N is fixed). The gradient with
// respect to the logits is (p − q)/N with q = (1−ε)·onehot(y) + ε/C. Log-
// softmax is computed in float64 with the row maximum subtracted.
func crossEntropy(logits *G.Node, labels []int, eps float64) (*G.Node, error) {
	s := logits.Shape()
	if s.Dims() != 2 || s[0] != len(labels) {
		return nil, fmt.Errorf("pointjepa: cross entropy: logits %v for %d labels, want [N, C]", s, len(labels))
	}
	N, C := s[0], s[1]
	check := func() error {
		for i, y := range labels {
			if y < 0 || y >= C {
				return fmt.Errorf("pointjepa: cross entropy: label %d of row %d outside [0, %d)", y, i, C)
			}
		}
		return nil
	}
	return nn.ApplyCustomOp(nn.CustomOp{
		Name: "cross_entropy", Params: fmt.Sprintf("eps=%g", eps), OutShape: tensor.Shape{},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			if err := check(); err != nil {
				return err
			}
			x := floats(in[0])
			var total float64
			for i := 0; i < N; i++ {
				row := x[i*C : (i+1)*C]
				lse := logSumExp(row)
				var sum float64
				for _, v := range row {
					sum += v - lse
				}
				total += -(1-eps)*(row[labels[i]]-lse) - eps/float64(C)*sum
			}
			setScalar(out, total/float64(N))
			return nil
		},
		Backward: func(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
			g, err := nn.ApplyCustomOp(nn.CustomOp{
				Name: "cross_entropy_grad", Params: fmt.Sprintf("eps=%g", eps), OutShape: s.Clone(),
				Forward: func(o *tensor.Dense, in []*tensor.Dense) error {
					x, up := floats(in[0]), scalarOf(in[1])
					for i := 0; i < N; i++ {
						row := x[i*C : (i+1)*C]
						lse := logSumExp(row)
						for c, v := range row {
							q := eps / float64(C)
							if c == labels[i] {
								q += 1 - eps
							}
							setAt(o, i*C+c, up*(math.Exp(v-lse)-q)/float64(N))
						}
					}
					return nil
				},
			}, in[0], grad)
			if err != nil {
				return nil, err
			}
			return G.Nodes{g}, nil
		},
		DiffWRT: []bool{true},
	}, logits)
}

func logSumExp(row []float64) float64 {
	m := math.Inf(-1)
	for _, v := range row {
		m = max(m, v)
	}
	var s float64
	for _, v := range row {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// floats returns a float tensor's data as float64s (a copy for float32).
func floats(t *tensor.Dense) []float64 {
	switch d := t.Data().(type) {
	case []float64:
		return d
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	}
	panic(fmt.Sprintf("pointjepa: floats of %T", t.Data()))
}

func setAt(t *tensor.Dense, i int, v float64) {
	switch d := t.Data().(type) {
	case []float64:
		d[i] = v
	case []float32:
		d[i] = float32(v)
	}
}
