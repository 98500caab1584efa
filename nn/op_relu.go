package nn

import (
	"math"

	"github.com/nongrid/jepa/nn/vecmath"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ReLU returns max(x, 0) elementwise; the gradient is 1 where x > 0 and 0
// elsewhere (0 at 0, as PyTorch).
//
// The kernels are branch-free: activation signs are random, so a
// compare-and-branch per element mispredicts half the time (≈10× slower on
// random data), and Go does not turn float compares into conditional moves.
// They test the IEEE bits instead: x > 0 exactly when its bits b, read as a
// signed integer, satisfy b > 0, i.e. when −b & ^b has its sign bit set. A
// positive NaN counts as positive. float32 runs vecmath.ReLU and
// vecmath.ReLUGrad (AVX2 where available, the same bits).
func ReLU(x *G.Node) (*G.Node, error) {
	op := &fusedOp{name: "ReLU", outShape: x.Shape(), diffWRT: []bool{true}}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			xd := data[float32](vals[0])
			ParallelFor(len(xd), 1<<15, func(lo, hi int) { vecmath.ReLU(yd[lo:hi], xd[lo:hi]) })
		case []float64:
			xd := data[float64](vals[0])
			ParallelFor(len(xd), 1<<15, func(lo, hi int) {
				for i, v := range xd[lo:hi] {
					yd[lo+i] = math.Float64frombits(math.Float64bits(v) & pos64(v))
				}
			})
		}
		return nil
	}
	op.backward = func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		bop := &fusedOp{name: "ReLUGrad", outShape: x.Shape()}
		bop.forward = func(dx *tensor.Dense, vals []*tensor.Dense) error {
			switch d := floatData(dx).(type) {
			case []float32:
				xd, dy := data[float32](vals[0]), data[float32](vals[1])
				ParallelFor(len(xd), 1<<15, func(lo, hi int) { vecmath.ReLUGrad(d[lo:hi], xd[lo:hi], dy[lo:hi]) })
			case []float64:
				xd, dy := data[float64](vals[0]), data[float64](vals[1])
				ParallelFor(len(xd), 1<<15, func(lo, hi int) {
					for i, v := range xd[lo:hi] {
						d[lo+i] = math.Float64frombits(math.Float64bits(dy[lo+i]) & pos64(v))
					}
				})
			}
			return nil
		}
		d, err := bop.apply(in[0], grad)
		return G.Nodes{d}, err
	}
	return op.apply(x)
}

// pos64 returns all ones when v > 0 and zero otherwise, without a branch
// (the float64 counterpart of vecmath's positivity test).
func pos64(v float64) uint64 {
	b := int64(math.Float64bits(v))
	return uint64((-b & ^b) >> 63)
}
