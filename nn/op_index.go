package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Indices is an integer vector read by the index ops (Gather, ScatterAdd,
// SegmentMean, SegmentMax) every time the graph runs. Its length is fixed
// when the graph is built; its values may change between runs, which lets
// one compiled program serve every batch of the same size (edge indices,
// node-to-graph vectors, embedding ids).
type Indices struct {
	name string
	data []int
}

// NewIndices returns n zero indices named name (the name appears in errors).
func NewIndices(name string, n int) *Indices { return &Indices{name: name, data: make([]int, n)} }

// IndicesOf returns indices holding a copy of v.
func IndicesOf(name string, v []int) *Indices {
	return &Indices{name: name, data: append([]int(nil), v...)}
}

// Len returns the fixed length.
func (ix *Indices) Len() int { return len(ix.data) }

// Ints returns the values; callers may write them in place between runs.
func (ix *Indices) Ints() []int { return ix.data }

// Set copies v in; it returns an error if the length differs.
func (ix *Indices) Set(v []int) error {
	if len(v) != len(ix.data) {
		return fmt.Errorf("nn: indices %q have length %d, got %d values", ix.name, len(ix.data), len(v))
	}
	copy(ix.data, v)
	return nil
}

// check returns an error if an index is outside [0, n).
func (ix *Indices) check(n int) error {
	for i, v := range ix.data {
		if v < 0 || v >= n {
			return fmt.Errorf("indices %q: element %d is %d, outside [0, %d)", ix.name, i, v, n)
		}
	}
	return nil
}

// rowWidth returns the product of all but the first dimension.
func rowWidth(s tensor.Shape) int {
	w := 1
	for _, d := range s[1:] {
		w *= d
	}
	return w
}

// Gather returns the rows x[idx[i]] (torch.index_select along dimension 0).
// Shapes: x [n, ...], idx length m → [m, ...]. Its gradient scatters back
// with ScatterAdd (duplicate indices accumulate).
func Gather(x *G.Node, idx *Indices) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() < 1 {
		return nil, fmt.Errorf("nn: Gather: input must have rank ≥ 1, got shape %v", xs)
	}
	n, w := xs[0], rowWidth(xs)
	outShape := append(tensor.Shape{idx.Len()}, xs[1:]...)
	op := &fusedOp{name: "Gather", params: idx.name, outShape: outShape, diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		if err := idx.check(n); err != nil {
			return err
		}
		switch yd := floatData(y).(type) {
		case []float32:
			gatherRows(yd, data[float32](vals[0]), idx.data, w)
		case []float64:
			gatherRows(yd, data[float64](vals[0]), idx.data, w)
		}
		return nil
	}
	op.backward = func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		dx, err := ScatterAdd(grad, idx, n)
		return G.Nodes{dx}, err
	}
	return op.apply(x)
}

func gatherRows[T float](dst, src []T, idx []int, w int) {
	for i, r := range idx {
		copy(dst[i*w:(i+1)*w], src[r*w:(r+1)*w])
	}
}

// scatterRows adds src row i into dst row idx[i] (dst must be zeroed).
func scatterRows[T float](dst, src []T, idx []int, w int) {
	for i, r := range idx {
		d, s := dst[r*w:(r+1)*w], src[i*w:(i+1)*w]
		for j, v := range s {
			d[j] += v
		}
	}
}

// ScatterAdd sums the rows of src into n output rows: out[idx[i]] += src[i]
// (segment sum; torch_scatter's scatter_add / PyG's "sum" aggregation). Rows
// no index points at are zero. The sum runs in index order, so results are
// bit-for-bit deterministic. Shapes: src [m, ...], idx length m → [n, ...].
func ScatterAdd(src *G.Node, idx *Indices, n int) (*G.Node, error) {
	ss := src.Shape()
	if ss.Dims() < 1 || ss[0] != idx.Len() {
		return nil, fmt.Errorf("nn: ScatterAdd: source shape %v does not match %d indices %q", ss, idx.Len(), idx.name)
	}
	w := rowWidth(ss)
	outShape := append(tensor.Shape{n}, ss[1:]...)
	op := &fusedOp{name: "ScatterAdd", params: fmt.Sprintf("%s,n=%d", idx.name, n), outShape: outShape, diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		if err := idx.check(n); err != nil {
			return err
		}
		switch yd := floatData(y).(type) {
		case []float32:
			clear(yd)
			scatterRows(yd, data[float32](vals[0]), idx.data, w)
		case []float64:
			clear(yd)
			scatterRows(yd, data[float64](vals[0]), idx.data, w)
		}
		return nil
	}
	op.backward = func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		d, err := Gather(grad, idx)
		return G.Nodes{d}, err
	}
	return op.apply(src)
}

// SegmentMean averages the rows of src by segment: out[s] = mean of src[i]
// over i with idx[i] = s; empty segments are zero (PyG's "mean"
// aggregation, global_mean_pool). Shapes: src [m, ...] → [n, ...].
func SegmentMean(src *G.Node, idx *Indices, n int) (*G.Node, error) {
	ss := src.Shape()
	if ss.Dims() < 1 || ss[0] != idx.Len() {
		return nil, fmt.Errorf("nn: SegmentMean: source shape %v does not match %d indices %q", ss, idx.Len(), idx.name)
	}
	w := rowWidth(ss)
	outShape := append(tensor.Shape{n}, ss[1:]...)
	inv := make([]float64, n) // 1/count per segment (0 when empty), refreshed each run
	op := &fusedOp{name: "SegmentMean", params: fmt.Sprintf("%s,n=%d", idx.name, n), outShape: outShape, diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		if err := idx.check(n); err != nil {
			return err
		}
		segmentInverseCounts(inv, idx.data)
		switch yd := floatData(y).(type) {
		case []float32:
			segmentMean(yd, data[float32](vals[0]), idx.data, inv, w)
		case []float64:
			segmentMean(yd, data[float64](vals[0]), idx.data, inv, w)
		}
		return nil
	}
	op.backward = func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		bop := &fusedOp{name: "SegmentMeanGrad", params: idx.name, outShape: ss.Clone()}
		bop.forward = func(dx *tensor.Dense, vals []*tensor.Dense) error {
			switch d := floatData(dx).(type) {
			case []float32:
				segmentMeanGrad(d, data[float32](vals[0]), idx.data, inv, w)
			case []float64:
				segmentMeanGrad(d, data[float64](vals[0]), idx.data, inv, w)
			}
			return nil
		}
		d, err := bop.apply(grad)
		return G.Nodes{d}, err
	}
	return op.apply(src)
}

func segmentInverseCounts(inv []float64, idx []int) {
	clear(inv)
	for _, s := range idx {
		inv[s]++
	}
	for s, c := range inv {
		if c > 0 {
			inv[s] = 1 / c
		}
	}
}

func segmentMean[T float](dst, src []T, idx []int, inv []float64, w int) {
	clear(dst)
	scatterRows(dst, src, idx, w)
	for s, f := range inv {
		if f == 1 || f == 0 {
			continue
		}
		fv := T(f)
		row := dst[s*w : (s+1)*w]
		for j := range row {
			row[j] *= fv
		}
	}
}

func segmentMeanGrad[T float](dx, dy []T, idx []int, inv []float64, w int) {
	for i, s := range idx {
		f := T(inv[s])
		d, g := dx[i*w:(i+1)*w], dy[s*w:(s+1)*w]
		for j, v := range g {
			d[j] = v * f
		}
	}
}

// SegmentMax takes the elementwise maximum of the rows of src by segment
// (PyG's "max" aggregation, global_max_pool); empty segments are zero. The
// gradient flows to the first row holding each maximum. Shapes: src [m, ...]
// → [n, ...].
func SegmentMax(src *G.Node, idx *Indices, n int) (*G.Node, error) {
	ss := src.Shape()
	if ss.Dims() < 1 || ss[0] != idx.Len() {
		return nil, fmt.Errorf("nn: SegmentMax: source shape %v does not match %d indices %q", ss, idx.Len(), idx.name)
	}
	w := rowWidth(ss)
	outShape := append(tensor.Shape{n}, ss[1:]...)
	arg := make([]int32, n*w) // source row of each maximum, −1 for empty segments
	op := &fusedOp{name: "SegmentMax", params: fmt.Sprintf("%s,n=%d", idx.name, n), outShape: outShape, diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		if err := idx.check(n); err != nil {
			return err
		}
		switch yd := floatData(y).(type) {
		case []float32:
			segmentMax(yd, arg, data[float32](vals[0]), idx.data, w)
		case []float64:
			segmentMax(yd, arg, data[float64](vals[0]), idx.data, w)
		}
		return nil
	}
	op.backward = func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		bop := &fusedOp{name: "SegmentMaxGrad", params: idx.name, outShape: ss.Clone()}
		bop.forward = func(dx *tensor.Dense, vals []*tensor.Dense) error {
			switch d := floatData(dx).(type) {
			case []float32:
				segmentMaxGrad(d, data[float32](vals[0]), arg, w)
			case []float64:
				segmentMaxGrad(d, data[float64](vals[0]), arg, w)
			}
			return nil
		}
		d, err := bop.apply(grad)
		return G.Nodes{d}, err
	}
	return op.apply(src)
}

func segmentMax[T float](dst []T, arg []int32, src []T, idx []int, w int) {
	for i := range arg {
		arg[i] = -1
	}
	for i, s := range idx {
		d, a, r := dst[s*w:(s+1)*w], arg[s*w:(s+1)*w], src[i*w:(i+1)*w]
		for j, v := range r {
			if a[j] < 0 || v > d[j] {
				d[j] = v
				a[j] = int32(i)
			}
		}
	}
	for i, a := range arg {
		if a < 0 {
			dst[i] = 0
		}
	}
}

func segmentMaxGrad[T float](dx, dy []T, arg []int32, w int) {
	clear(dx)
	for k, a := range arg {
		if a >= 0 {
			dx[int(a)*w+k%w] += dy[k]
		}
	}
}
