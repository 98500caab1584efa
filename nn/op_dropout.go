package nn

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// maskOp multiplies x by a random keep-mask scaled by 1/(1−p), drawn afresh
// by every forward run from rng; the backward pass reuses the same mask.
// group is the number of trailing elements that share one draw: 1 for
// Dropout (every element), the per-sample size for DropPath.
func maskOp(name string, x *G.Node, p float64, group int, rng *rand.Rand) (*G.Node, error) {
	if p < 0 || p >= 1 {
		return nil, fmt.Errorf("nn: %s: probability %g outside [0, 1)", name, p)
	}
	shape := x.Shape()
	n := shape.TotalSize()
	keep := make([]float64, n/group) // 0 or 1/(1−p), one per group
	scale := 1 / (1 - p)
	op := &fusedOp{name: name, params: fmt.Sprintf("p=%g", p), outShape: shape.Clone(), diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		for i := range keep {
			if rng.Float64() < p {
				keep[i] = 0
			} else {
				keep[i] = scale
			}
		}
		switch yd := floatData(y).(type) {
		case []float32:
			applyMask(yd, data[float32](vals[0]), keep, group)
		case []float64:
			applyMask(yd, data[float64](vals[0]), keep, group)
		}
		return nil
	}
	op.backward = func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		bop := &fusedOp{name: name + "Grad", outShape: shape.Clone()}
		bop.forward = func(dx *tensor.Dense, vals []*tensor.Dense) error {
			switch d := floatData(dx).(type) {
			case []float32:
				applyMask(d, data[float32](vals[0]), keep, group)
			case []float64:
				applyMask(d, data[float64](vals[0]), keep, group)
			}
			return nil
		}
		dx, err := bop.apply(grad)
		return G.Nodes{dx}, err
	}
	return op.apply(x)
}

func applyMask[T float](y, x []T, keep []float64, group int) {
	for i, k := range keep {
		kv := T(k)
		yr, xr := y[i*group:(i+1)*group], x[i*group:(i+1)*group]
		for j, v := range xr {
			yr[j] = v * kv
		}
	}
}
