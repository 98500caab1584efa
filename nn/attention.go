package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MultiHeadAttentionConfig configures a MultiHeadAttention layer. Heads must
// be set; the zero value of the rest is bias on every projection, PyTorch's
// default init, no dropout, scale 1/√(head dim), separate q/k/v projections.
type MultiHeadAttentionConfig struct {
	Dtype tensor.Dtype
	Heads int
	// Packed uses one projection "qkv" [3D, D] and an output "proj" (timm's
	// ViT and Point-JEPA's encoders). Otherwise the projections are
	// "q_proj", "k_proj", "v_proj" and "out_proj" (Graph-JEPA's layout),
	// which also allows cross-attention.
	Packed      bool
	NoQKVBias   bool
	Dropout     float64 // dropout on attention probabilities (attn_drop)
	ProjDropout float64 // dropout after the output projection (proj_drop)
	Scale       float64 // 0: 1/√(head dim)
	// QKVInit and OutInit initialise the projections (zero value: PyTorch's
	// default). Graph-JEPA uses xavier_uniform with gain 1/√2 for q, k, v
	// and xavier_uniform with a zero bias for the output.
	QKVInit, OutInit LinearConfig
}

// MultiHeadAttention is multi-head scaled dot-product attention (Vaswani et
// al. 2017) with an optional key padding mask and an optional
// multiplicative weight on the attention probabilities (Graph-JEPA's
// Hadamard attention). It runs on the fused AttentionOp.
//
// Shapes: x [B,T,D] (queries), kv [B,S,D] (keys and values), keyMask [B,S]
// (1 attend, 0 padding), weights [B,T,S] → [B,T,D].
type MultiHeadAttention struct {
	QKV, Q, K, V, Out *Linear
	Dim               int
	cfg               MultiHeadAttentionConfig
	params            Params
}

// GraphJEPAAttentionInit returns the projection inits Graph-JEPA's
// transformer uses: xavier_uniform(gain 1/√2) for q, k, v and xavier_uniform
// with a zero bias for the output projection.
func GraphJEPAAttentionInit() (qkv, out LinearConfig) {
	return LinearConfig{Init: InitXavierUniform, Gain: 1 / math.Sqrt2},
		LinearConfig{Init: InitXavierUniform, ZeroBias: true}
}

// NewMultiHeadAttention returns an attention layer of width dim.
func NewMultiHeadAttention(name string, dim int, cfg MultiHeadAttentionConfig, rng *rand.Rand) *MultiHeadAttention {
	if cfg.Heads <= 0 || dim%cfg.Heads != 0 {
		panic(fmt.Sprintf("nn: NewMultiHeadAttention %s: %d heads must divide width %d", name, cfg.Heads, dim))
	}
	dt := dtypeOr(cfg.Dtype)
	a := &MultiHeadAttention{Dim: dim, cfg: cfg}
	qc, oc := cfg.QKVInit, cfg.OutInit
	qc.Dtype, oc.Dtype = dt, dt
	qc.NoBias = cfg.NoQKVBias
	if cfg.Packed {
		a.QKV = NewLinear(joinName(name, "qkv"), dim, 3*dim, qc, rng)
		a.Out = NewLinear(joinName(name, "proj"), dim, dim, oc, rng)
		a.params.AddAll(a.QKV.Params(), a.Out.Params())
	} else {
		a.Q = NewLinear(joinName(name, "q_proj"), dim, dim, qc, rng)
		a.K = NewLinear(joinName(name, "k_proj"), dim, dim, qc, rng)
		a.V = NewLinear(joinName(name, "v_proj"), dim, dim, qc, rng)
		a.Out = NewLinear(joinName(name, "out_proj"), dim, dim, oc, rng)
		a.params.AddAll(a.Q.Params(), a.K.Params(), a.V.Params(), a.Out.Params())
	}
	return a
}

// Params returns the projections' parameters.
func (a *MultiHeadAttention) Params() *Params { return &a.params }

// Forward adds self-attention over x to g. keyMask and weights may be nil.
func (a *MultiHeadAttention) Forward(g *Graph, x, keyMask, weights *G.Node) (*G.Node, error) {
	return a.ForwardCross(g, x, x, keyMask, weights)
}

// ForwardCross adds attention of queries x over keys and values kv to g.
// Packed layers only support self-attention (kv == x).
func (a *MultiHeadAttention) ForwardCross(g *Graph, x, kv, keyMask, weights *G.Node) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() != 3 || xs[2] != a.Dim {
		return nil, fmt.Errorf("nn: attention %s: input shape %v, want [B,T,%d]", a.Out.Weight.Name, xs, a.Dim)
	}
	if ks := kv.Shape(); ks.Dims() != 3 || ks[2] != a.Dim || ks[0] != xs[0] {
		return nil, fmt.Errorf("nn: attention %s: key/value shape %v does not fit query shape %v", a.Out.Weight.Name, ks, xs)
	}
	cfg := AttentionConfig{Heads: a.cfg.Heads, Scale: a.cfg.Scale}
	if g.Train() && a.cfg.Dropout > 0 {
		cfg.Dropout, cfg.Rand = a.cfg.Dropout, g.Rand()
	}
	var ctx *G.Node
	var err error
	if a.cfg.Packed {
		if kv != x {
			return nil, fmt.Errorf("nn: attention %s: a packed qkv projection only supports self-attention", a.Out.Weight.Name)
		}
		qkv, err := a.QKV.Forward(g, x)
		if err != nil {
			return nil, err
		}
		if ctx, err = PackedAttentionOp(qkv, keyMask, weights, cfg); err != nil {
			return nil, err
		}
	} else {
		q, err := a.Q.Forward(g, x)
		if err != nil {
			return nil, err
		}
		k, err := a.K.Forward(g, kv)
		if err != nil {
			return nil, err
		}
		v, err := a.V.Forward(g, kv)
		if err != nil {
			return nil, err
		}
		if ctx, err = AttentionOp(q, k, v, keyMask, weights, cfg); err != nil {
			return nil, err
		}
	}
	out, err := a.Out.Forward(g, ctx)
	if err != nil {
		return nil, err
	}
	return Dropout{P: a.cfg.ProjDropout}.Forward(g, out)
}
