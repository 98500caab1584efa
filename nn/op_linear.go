package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LinearOp adds y = x·Wᵀ + b to the graph as one fused op, with W in
// PyTorch layout [out, in] and b of shape [out] (b may be nil).
//
// Shapes: x [..., in] (rank ≥ 1) → y [..., out]. The backward pass computes
// dx = dy·W, dW = dyᵀ·x and db = Σ dy with three GEMM-sized operations and no
// transposed copies.
func LinearOp(x, w, b *G.Node) (*G.Node, error) {
	ws := w.Shape()
	xs := x.Shape()
	if ws.Dims() != 2 {
		return nil, fmt.Errorf("nn: LinearOp: weight %s must be [out, in], got shape %v", w.Name(), ws)
	}
	out, in := ws[0], ws[1]
	if xs.Dims() < 1 || xs[xs.Dims()-1] != in {
		return nil, fmt.Errorf("nn: LinearOp: input shape %v does not match weight %s shape %v (want last dimension %d)", xs, w.Name(), ws, in)
	}
	if b != nil && (b.Shape().Dims() != 1 || b.Shape()[0] != out) {
		return nil, fmt.Errorf("nn: LinearOp: bias %s shape %v does not match weight shape %v (want [%d])", b.Name(), b.Shape(), ws, out)
	}
	ys := xs.Clone()
	ys[ys.Dims()-1] = out
	op := &fusedOp{name: "Linear", params: fmt.Sprintf("%dx%d", out, in), outShape: ys}
	children := G.Nodes{x, w}
	if b != nil {
		children = append(children, b)
	}
	op.diffWRT = make([]bool, len(children))
	for i := range op.diffWRT {
		op.diffWRT[i] = true
	}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			linearForward(yd, vals, out, in)
		case []float64:
			linearForward(yd, vals, out, in)
		}
		return nil
	}
	op.backward = func(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		shapes := []tensor.Shape{xs.Clone(), ws.Clone()}
		if b != nil {
			shapes = append(shapes, tensor.Shape{out})
		}
		gg := newGradGroup("LinearGrad", shapes, func(outs, vals []*tensor.Dense) error {
			// vals: x, w, dy
			switch dy := floatData(vals[2]).(type) {
			case []float32:
				linearBackward(outs, vals, dy, out, in)
			case []float64:
				linearBackward(outs, vals, dy, out, in)
			}
			return nil
		})
		return gg.pieces(inputs[0], inputs[1], grad)
	}
	return op.apply(children...)
}

func linearForward[T float](y []T, vals []*tensor.Dense, out, in int) {
	x, w := data[T](vals[0]), data[T](vals[1])
	rows := rowsOf(len(x), in)
	beta := T(0)
	if len(vals) == 3 {
		b := data[T](vals[2])
		for r := 0; r < rows; r++ {
			copy(y[r*out:(r+1)*out], b)
		}
		beta = 1
	}
	gemm(false, true, rows, out, in, 1, x, in, w, in, beta, y, out)
}

func linearBackward[T float](outs, vals []*tensor.Dense, dy []T, out, in int) {
	x, w := data[T](vals[0]), data[T](vals[1])
	rows := rowsOf(len(x), in)
	dx, dw := data[T](outs[0]), data[T](outs[1])
	gemm(false, false, rows, in, out, 1, dy, out, w, in, 0, dx, in)
	gemm(true, false, out, in, rows, 1, dy, out, x, in, 0, dw, in)
	if len(outs) == 3 {
		db := data[T](outs[2])
		clear(db)
		for r := 0; r < rows; r++ {
			row := dy[r*out : (r+1)*out]
			for j, v := range row {
				db[j] += v
			}
		}
	}
}
