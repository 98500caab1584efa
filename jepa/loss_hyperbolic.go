package jepa

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/hyperbolic"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Geometry selects the model of hyperbolic space of HyperbolicDistLoss.
type Geometry int

const (
	// Poincare is the Poincaré ball of curvature −c (geoopt's
	// PoincareBall; hyperbolic.PoincareBall).
	Poincare Geometry = iota
	// Lorentz is the hyperboloid ⟨x,x⟩_L = −k (geoopt's Lorentz;
	// hyperbolic.Hyperboloid); a point is 1 time + m space coordinates.
	Lorentz
	// Hyperbola is Graph-JEPA's unit hyperbola x² − y² = 1 (points of 2
	// coordinates; hyperbolic.UnitHyperbola).
	Hyperbola
)

// String returns "poincare", "lorentz" or "hyperbola".
func (g Geometry) String() string {
	switch g {
	case Poincare:
		return "poincare"
	case Lorentz:
		return "lorentz"
	case Hyperbola:
		return "hyperbola"
	}
	return fmt.Sprintf("Geometry(%d)", int(g))
}

// HyperbolicLossConfig configures HyperbolicDistLoss. The zero value is the
// geodesic distance on the Poincaré ball of curvature −1 with geoopt's
// guards, one point per row of the last dimension.
type HyperbolicLossConfig struct {
	// Geometry is the model of hyperbolic space (Poincare by default).
	Geometry Geometry
	// Curvature is c of the ball (curvature −c) or k of the hyperboloid
	// (curvature −1/k); 0 means 1. The hyperbola ignores it.
	Curvature float64
	// Unclamped selects Graph-JEPA's unguarded formulas (the ball's plain
	// acosh distance of core/model_utils/hyperbolic_dist.py, the
	// hyperbola's unclamped cosh/sinh), for reproductions; see package
	// hyperbolic.
	Unclamped bool
	// RowDim is the number of trailing elements that form one point; 0
	// means the size of the last dimension. Graph-JEPA's hyperbolic_dist
	// flattens its [B,T,D] inputs to [B,T·D] before taking norms: pass
	// RowDim = T·D to reproduce it.
	RowDim int
}

// HyperbolicDistLoss adds the mean geodesic distance between the matching
// points of pred and target,
//
//	loss = (1/n) Σ_r dist(pred_r, target_r),
//
// where the rows r are consecutive groups of RowDim elements. With
// Poincare, Unclamped and RowDim = T·D for [B,T,D] inputs it is Graph-JEPA's
// hyperbolic_dist (its jepa.dist=2 ablation: the mean over the batch of the
// distances between the flattened rows). The distance and its
// gradient are package hyperbolic's float64 kernels and vector-Jacobian
// products (zero-safe at pred = target, zero where a guard clamps); inputs
// are not projected onto the model.
//
// Shapes: pred and target of the same shape, with a total size that is a
// multiple of RowDim → a scalar. It returns an error naming the shapes
// otherwise, or for a Hyperbola RowDim other than 2, a Lorentz RowDim below
// 2 or an invalid curvature.
func HyperbolicDistLoss(pred, target *G.Node, cfg HyperbolicLossConfig) (*G.Node, error) {
	ps, ts := pred.Shape(), target.Shape()
	if !ps.Eq(ts) {
		return nil, fmt.Errorf("jepa: HyperbolicDistLoss: pred shape %v differs from target shape %v", ps, ts)
	}
	if pred.Dtype() != target.Dtype() {
		return nil, fmt.Errorf("jepa: HyperbolicDistLoss: pred is %v but target is %v", pred.Dtype(), target.Dtype())
	}
	size := ps.TotalSize()
	d := cfg.RowDim
	if d == 0 && ps.Dims() > 0 {
		d = ps[ps.Dims()-1]
	}
	if d <= 0 || size == 0 || size%d != 0 {
		return nil, fmt.Errorf("jepa: HyperbolicDistLoss: input shape %v does not split into rows of %d elements", ps, d)
	}
	switch cfg.Geometry {
	case Poincare, Lorentz:
		if !(cfg.Curvature >= 0) || math.IsInf(cfg.Curvature, 0) {
			return nil, fmt.Errorf("jepa: HyperbolicDistLoss: curvature must be finite and ≥ 0 (0 means 1), got %v", cfg.Curvature)
		}
		if cfg.Geometry == Lorentz && d < 2 {
			return nil, fmt.Errorf("jepa: HyperbolicDistLoss: Lorentz points need at least 2 coordinates, got rows of %d", d)
		}
	case Hyperbola:
		if d != 2 {
			return nil, fmt.Errorf("jepa: HyperbolicDistLoss: hyperbola points have 2 coordinates, got rows of %d", d)
		}
	default:
		return nil, fmt.Errorf("jepa: HyperbolicDistLoss: unknown geometry %v", cfg.Geometry)
	}
	rows := size / d
	k32 := newHypKernel[float32](cfg, rows)
	k64 := newHypKernel[float64](cfg, rows)
	op := nn.CustomOp{
		Name:     "HyperbolicDistLoss",
		Params:   fmt.Sprintf("geometry=%v,c=%g,unclamped=%t,d=%d", cfg.Geometry, cfg.Curvature, cfg.Unclamped, d),
		OutShape: tensor.Shape{1}, DiffWRT: []bool{true, true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			if out.Dtype() == tensor.Float32 {
				out.Float32s()[0] = float32(k32.mean(in[0].Float32s()[:size], in[1].Float32s()[:size], d))
				return nil
			}
			out.Float64s()[0] = k64.mean(in[0].Float64s()[:size], in[1].Float64s()[:size], d)
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			gg := nn.NewGradGroup("HyperbolicDistLossGrad", []tensor.Shape{ps.Clone(), ts.Clone()}, func(outs, vals []*tensor.Dense) error {
				if vals[0].Dtype() == tensor.Float32 {
					k32.grad(outs[0].Float32s()[:size], outs[1].Float32s()[:size], vals[0].Float32s()[:size], vals[1].Float32s()[:size], float64(vals[2].Float32s()[0]), d)
					return nil
				}
				k64.grad(outs[0].Float64s()[:size], outs[1].Float64s()[:size], vals[0].Float64s()[:size], vals[1].Float64s()[:size], vals[2].Float64s()[0], d)
				return nil
			})
			return gg.Pieces(in[0], in[1], grad)
		},
	}
	return scalarOp(op, pred, target)
}

// hypKernel holds the model and the per-row scratch of one
// HyperbolicDistLoss op for one element type.
type hypKernel[T hyperbolic.Float] struct {
	model hyperbolic.Model[T]
	rows  int
	dist  []T // per-row distances
	g     []T // per-row upstream gradients
}

func newHypKernel[T hyperbolic.Float](cfg HyperbolicLossConfig, rows int) *hypKernel[T] {
	var m hyperbolic.Model[T]
	switch cfg.Geometry {
	case Poincare:
		m = hyperbolic.PoincareBall[T]{C: cfg.Curvature, Unclamped: cfg.Unclamped}
	case Lorentz:
		m = hyperbolic.Hyperboloid[T]{K: cfg.Curvature}
	case Hyperbola:
		m = hyperbolic.UnitHyperbola[T]{Unclamped: cfg.Unclamped}
	}
	return &hypKernel[T]{model: m, rows: rows}
}

// mean returns the mean distance between the rows of x and y, summed in
// float64.
func (k *hypKernel[T]) mean(x, y []T, d int) float64 {
	if k.dist == nil {
		k.dist = make([]T, k.rows)
	}
	k.model.Dist(k.dist, x, y, d)
	var s float64
	for _, v := range k.dist {
		s += float64(v)
	}
	return s / float64(k.rows)
}

// grad writes the gradients of g·mean distance with respect to x and y.
func (k *hypKernel[T]) grad(dx, dy, x, y []T, g float64, d int) {
	if k.g == nil {
		k.g = make([]T, k.rows)
	}
	gr := T(g / float64(k.rows))
	for i := range k.g {
		k.g[i] = gr
	}
	k.model.DistVJP(dx, dy, x, y, k.g, d)
}
