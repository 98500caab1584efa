package nn

import (
	"fmt"
	"github.com/nongrid/jepa/nn/vecmath"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// AttentionConfig configures AttentionOp. The zero value is invalid: Heads
// must be set.
type AttentionConfig struct {
	// Heads is the number of heads; the feature dimensions of q, k and v are
	// split into Heads equal contiguous blocks (PyTorch's head layout).
	Heads int
	// Scale multiplies q·kᵀ; 0 means 1/√(head dim).
	Scale float64
	// Dropout is the attention-probability dropout rate (training only;
	// timm's attn_drop). Rand must be set when Dropout > 0.
	Dropout float64
	Rand    *rand.Rand
}

// attnView locates q, k or v inside a node: feature columns [off, off+width)
// of rows of length ld.
type attnView struct {
	off, width, ld int
}

// AttentionOp computes multi-head scaled dot-product attention as one fused
// op:
//
//	P = softmax(scale·q·kᵀ + mask),  W = P ⊙ weights,  out = W·v
//
// per head, with no transposed or reshaped copies of q, k, v.
//
// Shapes: q [B,T,Hd], k [B,S,Hd], v [B,S,Hv] (H heads of widths d and v) →
// out [B,T,Hv]. keyMask, if not nil, is [B,S] with 1 for keys to attend and 0
// for padding (a padded key gets probability 0; a row whose keys are all
// padded yields zeros instead of NaN). weights, if not nil, is [B,T,S] and
// multiplies the probabilities after the softmax without renormalisation,
// shared by all heads: Graph-JEPA's "Hadamard" attention with the patch
// overlap matrix. Masks and weights are data: they get no gradient.
func AttentionOp(q, k, v, keyMask, weights *G.Node, cfg AttentionConfig) (*G.Node, error) {
	qs, ks, vs := q.Shape(), k.Shape(), v.Shape()
	if qs.Dims() != 3 || ks.Dims() != 3 || vs.Dims() != 3 {
		return nil, fmt.Errorf("nn: AttentionOp: q, k, v must be [B,T,D], got %v, %v, %v", qs, ks, vs)
	}
	if ks[0] != qs[0] || vs[0] != qs[0] || ks[1] != vs[1] || ks[2] != qs[2] {
		return nil, fmt.Errorf("nn: AttentionOp: shapes q %v, k %v, v %v do not fit [B,T,D], [B,S,D], [B,S,Dv]", qs, ks, vs)
	}
	return attention([]*G.Node{q, k, v}, []attnView{{0, qs[2], qs[2]}, {0, ks[2], ks[2]}, {0, vs[2], vs[2]}},
		qs[0], qs[1], ks[1], keyMask, weights, cfg)
}

// PackedAttentionOp is AttentionOp for self-attention on a packed
// projection qkv [B,T,3D] (q, k and v side by side, timm's layout) → [B,T,D].
// Its gradient is a single [B,T,3D] tensor.
func PackedAttentionOp(qkv, keyMask, weights *G.Node, cfg AttentionConfig) (*G.Node, error) {
	s := qkv.Shape()
	if s.Dims() != 3 || s[2]%3 != 0 {
		return nil, fmt.Errorf("nn: PackedAttentionOp: qkv must be [B,T,3D], got %v", s)
	}
	d := s[2] / 3
	return attention([]*G.Node{qkv}, []attnView{{0, d, 3 * d}, {d, d, 3 * d}, {2 * d, d, 3 * d}},
		s[0], s[1], s[1], keyMask, weights, cfg)
}

func attention(src []*G.Node, views []attnView, b, t, s int, keyMask, weights *G.Node, cfg AttentionConfig) (*G.Node, error) {
	h := cfg.Heads
	if h <= 0 || views[0].width%h != 0 || views[2].width%h != 0 {
		return nil, fmt.Errorf("nn: attention: %d heads do not divide the feature widths %d and %d", h, views[0].width, views[2].width)
	}
	dh, dv := views[0].width/h, views[2].width/h
	scale := cfg.Scale
	if scale == 0 {
		scale = 1 / math.Sqrt(float64(dh))
	}
	if cfg.Dropout < 0 || cfg.Dropout >= 1 || (cfg.Dropout > 0 && cfg.Rand == nil) {
		return nil, fmt.Errorf("nn: attention: dropout %g needs 0 ≤ p < 1 and a Rand", cfg.Dropout)
	}
	if keyMask != nil && !keyMask.Shape().Eq(tensor.Shape{b, s}) {
		return nil, fmt.Errorf("nn: attention: key mask shape %v, want [%d %d]", keyMask.Shape(), b, s)
	}
	if weights != nil && !weights.Shape().Eq(tensor.Shape{b, t, s}) {
		return nil, fmt.Errorf("nn: attention: weights shape %v, want [%d %d %d]", weights.Shape(), b, t, s)
	}
	k := &attnKernel{b: b, t: t, s: s, h: h, dh: dh, dv: dv, scale: scale, views: views,
		nsrc: len(src), hasMask: keyMask != nil, hasWeights: weights != nil, drop: cfg.Dropout, rng: cfg.Rand}
	children := append(G.Nodes{}, src...)
	if keyMask != nil {
		children = append(children, keyMask)
	}
	if weights != nil {
		children = append(children, weights)
	}
	diff := make([]bool, len(children))
	for i := range src {
		diff[i] = true
	}
	op := &fusedOp{name: "Attention", params: fmt.Sprintf("h=%d,scale=%g,drop=%g", h, scale, cfg.Dropout),
		outShape: tensor.Shape{b, t, h * dv}, diffWRT: diff}
	op.forward = func(y *tensor.Dense, vals []*tensor.Dense) error {
		switch yd := floatData(y).(type) {
		case []float32:
			attnForward(k, yd, vals)
		case []float64:
			attnForward(k, yd, vals)
		}
		return nil
	}
	op.backward = func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
		shapes := make([]tensor.Shape, len(src))
		for i, n := range src {
			shapes[i] = n.Shape()
		}
		gg := newGradGroup("AttentionGrad", shapes, func(outs, vals []*tensor.Dense) error {
			switch dy := floatData(vals[len(vals)-1]).(type) {
			case []float32:
				attnBackward(k, outs, vals, dy)
			case []float64:
				attnBackward(k, outs, vals, dy)
			}
			return nil
		})
		args := append(G.Nodes{}, in...)
		pieces, err := gg.pieces(append(args, grad)...)
		if err != nil {
			return nil, err
		}
		return append(pieces, make(G.Nodes, len(in)-len(src))...), nil
	}
	return op.apply(children...)
}

// attnKernel holds the geometry of one attention op and the buffers shared
// by its forward and backward passes.
type attnKernel struct {
	b, t, s, h, dh, dv  int
	scale               float64
	views               []attnView // q, k, v
	nsrc                int
	hasMask, hasWeights bool
	drop                float64
	rng                 *rand.Rand
	probs32, mixed32    []float32 // P and W per (b,h): [B,H,T,S]
	probs64, mixed64    []float64
	keep                []float32 // dropout keep factors [B,H,T,S]
}

func (k *attnKernel) buffers32() (p, w []float32) {
	n := k.b * k.h * k.t * k.s
	if len(k.probs32) != n {
		k.probs32, k.mixed32 = make([]float32, n), make([]float32, n)
	}
	return k.probs32, k.mixed32
}

func (k *attnKernel) buffers64() (p, w []float64) {
	n := k.b * k.h * k.t * k.s
	if len(k.probs64) != n {
		k.probs64, k.mixed64 = make([]float64, n), make([]float64, n)
	}
	return k.probs64, k.mixed64
}

func attnBuffers[T float](k *attnKernel) (p, w []T) {
	var z T
	switch any(z).(type) {
	case float32:
		a, b := k.buffers32()
		return any(a).([]T), any(b).([]T)
	default:
		a, b := k.buffers64()
		return any(a).([]T), any(b).([]T)
	}
}

// operands returns the q, k, v data slices and the mask and weights (nil if
// absent) from the op's input values.
func attnOperands[T float](k *attnKernel, vals []*tensor.Dense) (qd, kd, vd, mask, wts []T) {
	if k.nsrc == 1 {
		qd = data[T](vals[0])
		kd, vd = qd, qd
	} else {
		qd, kd, vd = data[T](vals[0]), data[T](vals[1]), data[T](vals[2])
	}
	i := k.nsrc
	if k.hasMask {
		mask = data[T](vals[i])
		i++
	}
	if k.hasWeights {
		wts = data[T](vals[i])
	}
	return
}

func attnForward[T float](k *attnKernel, out []T, vals []*tensor.Dense) {
	qd, kd, vd, mask, wts := attnOperands[T](k, vals)
	probs, mixed := attnBuffers[T](k)
	if k.drop > 0 {
		n := len(probs)
		if len(k.keep) != n {
			k.keep = make([]float32, n)
		}
		sc := float32(1 / (1 - k.drop))
		for i := range k.keep {
			if k.rng.Float64() < k.drop {
				k.keep[i] = 0
			} else {
				k.keep[i] = sc
			}
		}
	}
	qv, kv, vv := k.views[0], k.views[1], k.views[2]
	hv := k.h * k.dv
	tsz := k.t * k.s
	ParallelFor(k.b, 1, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			for h := 0; h < k.h; h++ {
				base := (b*k.h + h) * tsz
				p := probs[base : base+tsz]
				qo := b*k.t*qv.ld + qv.off + h*k.dh
				ko := b*k.s*kv.ld + kv.off + h*k.dh
				gemm(false, true, k.t, k.s, k.dh, T(k.scale), qd[qo:], qv.ld, kd[ko:], kv.ld, 0, p, k.s)
				softmaxRows(p, k.t, k.s, maskRow(mask, b, k.s))
				w := p
				if wts != nil || k.drop > 0 {
					w = mixed[base : base+tsz]
					copy(w, p)
					if wts != nil {
						a := wts[b*tsz : (b+1)*tsz]
						for i := range w {
							w[i] *= a[i]
						}
					}
					if k.drop > 0 {
						m := k.keep[base : base+tsz]
						for i := range w {
							w[i] *= T(m[i])
						}
					}
				}
				vo := b*k.s*vv.ld + vv.off + h*k.dv
				gemm(false, false, k.t, k.dv, k.s, 1, w, k.s, vd[vo:], vv.ld, 0, out[b*k.t*hv+h*k.dv:], hv)
			}
		}
	})
}

func maskRow[T float](mask []T, b, s int) []T {
	if mask == nil {
		return nil
	}
	return mask[b*s : (b+1)*s]
}

// softmaxRows applies a numerically stable softmax to each of the t rows of
// p [t,s] in place; keys with mask 0 get probability 0, and a row with no
// unmasked key becomes all zeros. Float32 rows use the vectorised exp of
// nn/vecmath.
func softmaxRows[T float](p []T, t, s int, mask []T) {
	for i := 0; i < t; i++ {
		row := p[i*s : (i+1)*s]
		mx := T(math.Inf(-1))
		for j, v := range row {
			if (mask == nil || mask[j] != 0) && v > mx {
				mx = v
			}
		}
		if math.IsInf(float64(mx), -1) {
			clear(row)
			continue
		}
		for j := range row {
			if mask != nil && mask[j] == 0 {
				row[j] = T(math.Inf(-1)) // exp(−∞) = 0
			} else {
				row[j] -= mx
			}
		}
		if r32, ok := any(row).([]float32); ok {
			vecmath.Exp(r32, r32)
		} else {
			for j, v := range row {
				row[j] = T(math.Exp(float64(v)))
			}
		}
		var sum T
		for _, v := range row {
			sum += v
		}
		inv := 1 / sum
		for j := range row {
			row[j] *= inv
		}
	}
}

func attnBackward[T float](k *attnKernel, outs, vals []*tensor.Dense, dy []T) {
	qd, kd, vd, _, wts := attnOperands[T](k, vals)
	probs, mixed := attnBuffers[T](k)
	var dq, dk, dvv []T
	if k.nsrc == 1 {
		dq = data[T](outs[0])
		dk, dvv = dq, dq
	} else {
		dq, dk, dvv = data[T](outs[0]), data[T](outs[1]), data[T](outs[2])
	}
	qv, kv, vv := k.views[0], k.views[1], k.views[2]
	hv := k.h * k.dv
	tsz := k.t * k.s
	ParallelFor(k.b, 1, func(lo, hi int) {
		dw := make([]T, tsz)
		for b := lo; b < hi; b++ {
			for h := 0; h < k.h; h++ {
				base := (b*k.h + h) * tsz
				p := probs[base : base+tsz]
				w := p
				if wts != nil || k.drop > 0 {
					w = mixed[base : base+tsz]
				}
				qo := b*k.t*qv.ld + qv.off + h*k.dh
				ko := b*k.s*kv.ld + kv.off + h*k.dh
				vo := b*k.s*vv.ld + vv.off + h*k.dv
				do := dy[b*k.t*hv+h*k.dv:]
				// dW = dO·vᵀ ; dv = Wᵀ·dO
				gemm(false, true, k.t, k.s, k.dv, 1, do, hv, vd[vo:], vv.ld, 0, dw, k.s)
				gemm(true, false, k.s, k.dv, k.t, 1, w, k.s, do, hv, 0, dvv[vo:], vv.ld)
				// dP = dW ⊙ weights ⊙ keep
				if wts != nil {
					a := wts[b*tsz : (b+1)*tsz]
					for i := range dw {
						dw[i] *= a[i]
					}
				}
				if k.drop > 0 {
					m := k.keep[base : base+tsz]
					for i := range dw {
						dw[i] *= T(m[i])
					}
				}
				// dS = P ⊙ (dP − rowsum(dP ⊙ P))
				for i := 0; i < k.t; i++ {
					pr, dr := p[i*k.s:(i+1)*k.s], dw[i*k.s:(i+1)*k.s]
					var dot T
					for j, pv := range pr {
						dot += pv * dr[j]
					}
					for j, pv := range pr {
						dr[j] = pv * (dr[j] - dot)
					}
				}
				// dq = scale·dS·k ; dk = scale·dSᵀ·q
				gemm(false, false, k.t, k.dh, k.s, T(k.scale), dw, k.s, kd[ko:], kv.ld, 0, dq[qo:], qv.ld)
				gemm(true, false, k.s, k.dh, k.t, T(k.scale), dw, k.s, qd[qo:], qv.ld, 0, dk[ko:], kv.ld)
			}
		}
	})
}
