package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MaxAxis1 takes the maximum over the middle axis: x [N,K,C] → [N,C]
// (PointNet's max-pool over the points of a set, torch.max(x, dim=1)). The
// gradient flows to the first position holding each maximum.
func MaxAxis1(x *G.Node) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() != 3 || s[1] == 0 {
		return nil, fmt.Errorf("nn: MaxAxis1: input must be [N,K,C] with K ≥ 1, got shape %v", s)
	}
	n, k, c := s[0], s[1], s[2]
	arg := make([]int32, n*c)
	op := &fusedOp{name: "MaxAxis1", outShape: tensor.Shape{n, c}, diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			maxAxis1(yd, arg, data[float32](vals[0]), n, k, c)
		case []float64:
			maxAxis1(yd, arg, data[float64](vals[0]), n, k, c)
		}
		return nil
	}
	op.backward = func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		bop := &fusedOp{name: "MaxAxis1Grad", outShape: s.Clone()}
		bop.forward = func(dx *tensor.Dense, vals []*tensor.Dense) error {
			switch d := floatData(dx).(type) {
			case []float32:
				maxAxis1Grad(d, data[float32](vals[0]), arg, k, c)
			case []float64:
				maxAxis1Grad(d, data[float64](vals[0]), arg, k, c)
			}
			return nil
		}
		d, err := bop.apply(grad)
		return G.Nodes{d}, err
	}
	return op.apply(x)
}

func maxAxis1[T float](y []T, arg []int32, x []T, n, k, c int) {
	ParallelFor(n, 64, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			yr, ar := y[i*c:(i+1)*c], arg[i*c:(i+1)*c]
			copy(yr, x[i*k*c:i*k*c+c])
			clear(ar)
			for j := 1; j < k; j++ {
				row := x[(i*k+j)*c : (i*k+j+1)*c]
				for f, v := range row {
					if v > yr[f] {
						yr[f] = v
						ar[f] = int32(j)
					}
				}
			}
		}
	})
}

// maxAxis1Grad writes every element of dx once: dy where the row held the
// maximum, 0 elsewhere (no separate clearing pass over [N,K,C]).
func maxAxis1Grad[T float](dx, dy []T, arg []int32, k, c int) {
	n := len(arg) / c
	ParallelFor(n, 64, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ar, g := arg[i*c:(i+1)*c], dy[i*c:(i+1)*c]
			for j := 0; j < k; j++ {
				row := dx[(i*k+j)*c : (i*k+j+1)*c]
				for f := range row {
					if int(ar[f]) == j {
						row[f] = g[f]
					} else {
						row[f] = 0
					}
				}
			}
		}
	})
}

// RepeatAxis1 repeats x [N,C] k times along a new middle axis → [N,k,C]
// (broadcasting a set's global feature back to its members). The gradient
// sums over the copies.
func RepeatAxis1(x *G.Node, k int) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() != 2 || k <= 0 {
		return nil, fmt.Errorf("nn: RepeatAxis1: input must be [N,C] and k ≥ 1, got shape %v, k=%d", s, k)
	}
	n, c := s[0], s[1]
	op := &fusedOp{name: "RepeatAxis1", params: fmt.Sprint(k), outShape: tensor.Shape{n, k, c}, diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			repeatAxis1(yd, data[float32](vals[0]), n, k, c)
		case []float64:
			repeatAxis1(yd, data[float64](vals[0]), n, k, c)
		}
		return nil
	}
	op.backward = func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		bop := &fusedOp{name: "RepeatAxis1Grad", outShape: s.Clone()}
		bop.forward = func(dx *tensor.Dense, vals []*tensor.Dense) error {
			switch d := floatData(dx).(type) {
			case []float32:
				sumAxis1(d, data[float32](vals[0]), n, k, c)
			case []float64:
				sumAxis1(d, data[float64](vals[0]), n, k, c)
			}
			return nil
		}
		d, err := bop.apply(grad)
		return G.Nodes{d}, err
	}
	return op.apply(x)
}

func repeatAxis1[T float](y, x []T, n, k, c int) {
	for i := 0; i < n; i++ {
		src := x[i*c : (i+1)*c]
		for j := 0; j < k; j++ {
			copy(y[(i*k+j)*c:(i*k+j+1)*c], src)
		}
	}
}

func sumAxis1[T float](y, x []T, n, k, c int) {
	for i := 0; i < n; i++ {
		dst := y[i*c : (i+1)*c]
		copy(dst, x[i*k*c:i*k*c+c])
		for j := 1; j < k; j++ {
			for f, v := range x[(i*k+j)*c : (i*k+j+1)*c] {
				dst[f] += v
			}
		}
	}
}

// ConcatLast concatenates tensors along their last dimension (torch.cat(xs,
// dim=-1)); all leading dimensions must match. Shapes: [..., C1], [..., C2],
// … → [..., ΣCi].
func ConcatLast(xs ...*G.Node) (*G.Node, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("nn: ConcatLast: no inputs")
	}
	s0 := xs[0].Shape()
	if s0.Dims() < 1 {
		return nil, fmt.Errorf("nn: ConcatLast: inputs must have rank ≥ 1, got shape %v", s0)
	}
	lead := s0[:s0.Dims()-1]
	widths := make([]int, len(xs))
	total := 0
	for i, x := range xs {
		s := x.Shape()
		if s.Dims() != s0.Dims() || !s[:s.Dims()-1].Eq(lead) {
			return nil, fmt.Errorf("nn: ConcatLast: input %d has shape %v, incompatible with input 0 shape %v", i, s, s0)
		}
		widths[i] = s[s.Dims()-1]
		total += widths[i]
	}
	rows := lead.TotalSize()
	if lead.Dims() == 0 {
		rows = 1
	}
	outShape := append(lead.Clone(), total)
	diff := make([]bool, len(xs))
	for i := range diff {
		diff[i] = true
	}
	op := &fusedOp{name: "ConcatLast", params: fmt.Sprint(widths), outShape: outShape, diffWRT: diff}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			concatLast(yd, vals, widths, total, rows)
		case []float64:
			concatLast(yd, vals, widths, total, rows)
		}
		return nil
	}
	op.backward = func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		shapes := make([]tensor.Shape, len(xs))
		for i, x := range xs {
			shapes[i] = x.Shape()
		}
		gg := newGradGroup("ConcatLastGrad", shapes, func(outs, vals []*tensor.Dense) error {
			switch dy := floatData(vals[0]).(type) {
			case []float32:
				splitLast(outs, dy, widths, total, rows)
			case []float64:
				splitLast(outs, dy, widths, total, rows)
			}
			return nil
		})
		return gg.pieces(grad)
	}
	return op.apply(xs...)
}

func concatLast[T float](y []T, vals []*tensor.Dense, widths []int, total, rows int) {
	off := 0
	for i, v := range vals {
		x, w := data[T](v), widths[i]
		for r := 0; r < rows; r++ {
			copy(y[r*total+off:r*total+off+w], x[r*w:(r+1)*w])
		}
		off += w
	}
}

func splitLast[T float](outs []*tensor.Dense, dy []T, widths []int, total, rows int) {
	off := 0
	for i, o := range outs {
		x, w := data[T](o), widths[i]
		for r := 0; r < rows; r++ {
			copy(x[r*w:(r+1)*w], dy[r*total+off:r*total+off+w])
		}
		off += w
	}
}
