package gnn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// SetForm selects which Set Transformer the blocks implement.
type SetForm int

const (
	// PaperForm follows Lee et al., "Set Transformer: A Framework for
	// Attention-based Permutation-Invariant Neural Networks" (ICML 2019):
	//
	//	Multihead(X, Y) = concat_j softmax(XW^Q_j (YW^K_j)ᵀ / √d_h) YW^V_j · W^O
	//	H = LayerNorm(X + Multihead(X, Y)),  MAB(X, Y) = LayerNorm(H + rFF(H))
	//
	// with d_h = D/heads and rFF = Linear → ReLU → Linear.
	PaperForm SetForm = iota
	// OfficialForm follows the authors' code (juho-lee/set_transformer,
	// modules.py), which differs in ways that change results and weight
	// shapes (spec/conventions.md §1.3):
	//
	//	Q = fc_q(X), K = fc_k(Y), V = fc_v(Y)
	//	O = Q + concat_j softmax(Q_j K_jᵀ / √D) V_j     (projected-Q residual, no W^O, scale √D not √d_h)
	//	O = ln0(O);  O = O + ReLU(fc_o(O));  O = ln1(O)  (LayerNorms only with ln=True)
	OfficialForm
)

// Switch is an on/off option whose zero value means "the form's default".
type Switch int8

const (
	SwitchDefault Switch = iota
	SwitchOn
	SwitchOff
)

// MABConfig configures a MAB and the blocks built from it. Heads must be
// set; the zero value of the rest is the paper's form.
type MABConfig struct {
	Dtype tensor.Dtype // Float32 when zero
	Heads int
	Form  SetForm
	// LayerNorm: the paper's blocks have both LayerNorms (default on); the
	// official code's MAB has them only with ln=True (default off).
	LayerNorm Switch
	// FFHidden is the hidden width of the paper form's rFF (D when zero).
	// The official form's rFF is one D→D Linear.
	FFHidden int
}

// MAB is the multihead attention block MAB(X, Y) of the Set Transformer
// (see SetForm for the two variants). keyMask marks the valid elements of
// Y (1) and the padding (0), so sets of different sizes can share a batch;
// padded keys get attention weight 0 and a query whose keys are all padding
// gets a zero attention output. Rows of X that are padding still produce
// (meaningless) outputs; carry their mask on.
//
// Shapes: x [B, T, dimQ], y [B, S, dimK], keyMask [B, S] or nil →
// [B, T, D]. The paper form needs dimQ = D (the residual adds X).
//
// Parameters — paper form: "<name>.q_proj", "<name>.k_proj",
// "<name>.v_proj", "<name>.out_proj" (W^O), "<name>.ln0", "<name>.ln1",
// "<name>.rff.0", "<name>.rff.2"; official form, as its state dict:
// "<name>.fc_q", "<name>.fc_k", "<name>.fc_v", "<name>.fc_o" and, with ln,
// "<name>.ln0", "<name>.ln1". Linear layers use PyTorch's default init.
type MAB struct {
	Q, K, V  *nn.Linear
	Out      *nn.Linear // W^O (paper form only)
	FF1, FF2 *nn.Linear // paper: rff.0, rff.2; official: FF1 = fc_o, FF2 nil
	LN0, LN1 *nn.LayerNorm
	D        int
	cfg      MABConfig
	params   nn.Params
}

// NewMAB returns a MAB from queries of width dimQ and keys of width dimK to
// outputs of width dim. It panics if Heads does not divide dim, or (paper
// form) dimQ ≠ dim: programmer errors.
func NewMAB(name string, dimQ, dimK, dim int, cfg MABConfig, rng *rand.Rand) *MAB {
	if cfg.Heads <= 0 || dim%cfg.Heads != 0 {
		panic(fmt.Sprintf("gnn: NewMAB %s: %d heads must divide width %d", name, cfg.Heads, dim))
	}
	if cfg.Form == PaperForm && dimQ != dim {
		panic(fmt.Sprintf("gnn: NewMAB %s: the paper form adds X to the output, so dimQ %d must equal dim %d", name, dimQ, dim))
	}
	dt := dtypeOr(cfg.Dtype)
	lc := nn.LinearConfig{Dtype: dt}
	m := &MAB{D: dim, cfg: cfg}
	lin := func(n string, in, out int) *nn.Linear {
		l := nn.NewLinear(name+"."+n, in, out, lc, rng)
		m.params.AddAll(l.Params())
		return l
	}
	ln := func(n string) *nn.LayerNorm {
		l := nn.NewLayerNorm(name+"."+n, dim, nn.LayerNormConfig{Dtype: dt})
		m.params.AddAll(l.Params())
		return l
	}
	if cfg.Form == OfficialForm {
		m.Q, m.K, m.V = lin("fc_q", dimQ, dim), lin("fc_k", dimK, dim), lin("fc_v", dimK, dim)
		if cfg.LayerNorm == SwitchOn {
			m.LN0 = ln("ln0")
		}
		m.FF1 = lin("fc_o", dim, dim)
		if cfg.LayerNorm == SwitchOn {
			m.LN1 = ln("ln1")
		}
		return m
	}
	m.Q, m.K, m.V = lin("q_proj", dimQ, dim), lin("k_proj", dimK, dim), lin("v_proj", dimK, dim)
	m.Out = lin("out_proj", dim, dim)
	if cfg.LayerNorm != SwitchOff {
		m.LN0 = ln("ln0")
	}
	hidden := cfg.FFHidden
	if hidden == 0 {
		hidden = dim
	}
	m.FF1, m.FF2 = lin("rff.0", dim, hidden), lin("rff.2", hidden, dim)
	if cfg.LayerNorm != SwitchOff {
		m.LN1 = ln("ln1")
	}
	return m
}

// Params returns the block's parameters.
func (m *MAB) Params() *nn.Params { return &m.params }

// Forward adds MAB(x, y) to g; keyMask may be nil.
func (m *MAB) Forward(g *nn.Graph, x, y, keyMask *G.Node) (out *G.Node, err error) {
	name := m.Q.Weight.Name
	xs, ys := x.Shape(), y.Shape()
	if xs.Dims() != 3 || ys.Dims() != 3 || xs[0] != ys[0] {
		return nil, fmt.Errorf("gnn: MAB %s: queries %v and keys %v must be [B,T,Dq] and [B,S,Dk]", name, xs, ys)
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("gnn: MAB %s: %w", name, err)
		}
	}()
	defer catchMust(&err)
	q, err := m.Q.Forward(g, x)
	if err != nil {
		return nil, err
	}
	k, err := m.K.Forward(g, y)
	if err != nil {
		return nil, err
	}
	v, err := m.V.Forward(g, y)
	if err != nil {
		return nil, err
	}
	cfg := nn.AttentionConfig{Heads: m.cfg.Heads}
	if m.cfg.Form == OfficialForm {
		cfg.Scale = 1 / math.Sqrt(float64(m.D))
	}
	a, err := nn.AttentionOp(q, k, v, keyMask, nil, cfg)
	if err != nil {
		return nil, err
	}
	var h *G.Node
	if m.cfg.Form == OfficialForm {
		h = G.Must(G.Add(q, a))
	} else {
		o, err := m.Out.Forward(g, a)
		if err != nil {
			return nil, err
		}
		h = G.Must(G.Add(x, o))
	}
	if m.LN0 != nil {
		if h, err = m.LN0.Forward(g, h); err != nil {
			return nil, err
		}
	}
	f, err := m.FF1.Forward(g, h)
	if err != nil {
		return nil, err
	}
	if m.FF2 == nil { // official: O + ReLU(fc_o(O))
		if h, err = reluResidual(f, h); err != nil {
			return nil, err
		}
	} else { // paper: H + rFF(H)
		if f, err = reluResidual(f, nil); err != nil {
			return nil, err
		}
		if f, err = m.FF2.Forward(g, f); err != nil {
			return nil, err
		}
		h = G.Must(G.Add(h, f))
	}
	if m.LN1 != nil {
		if h, err = m.LN1.Forward(g, h); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// catchMust turns a panic from gorgonia's Must (a shape mismatch while
// building) into an error; runtime errors are re-raised.
func catchMust(err *error) {
	r := recover()
	if r == nil {
		return
	}
	if _, rt := r.(runtime.Error); rt {
		panic(r)
	}
	if e, ok := r.(error); ok {
		*err = e
		return
	}
	panic(r)
}

// SAB is the set attention block SAB(X) = MAB(X, X): permutation
// equivariant, O(n²) in the set size.
//
// Shapes: x [B, N, dimIn], mask [B, N] or nil → [B, N, dim].
// Parameters: "<name>.mab.*" (see MAB).
type SAB struct{ MAB *MAB }

// NewSAB returns a SAB from width dimIn to dim.
func NewSAB(name string, dimIn, dim int, cfg MABConfig, rng *rand.Rand) *SAB {
	return &SAB{MAB: NewMAB(name+".mab", dimIn, dimIn, dim, cfg, rng)}
}

// Params returns the block's parameters.
func (s *SAB) Params() *nn.Params { return s.MAB.Params() }

// Forward adds SAB(x) to g; mask marks the valid set elements (nil: all).
func (s *SAB) Forward(g *nn.Graph, x, mask *G.Node) (*G.Node, error) {
	return s.MAB.Forward(g, x, x, mask)
}

// ISAB is the induced set attention block ISAB_m(X) = MAB(X, H) with H =
// MAB(I, X) and I m learnable inducing points: permutation equivariant,
// O(n·m).
//
// Shapes: x [B, N, dimIn], mask [B, N] or nil → [B, N, dim]. The paper
// form needs dimIn = dim (MAB(X, H) adds X); the official form maps dimIn to
// dim. The mask applies to MAB(I, X); MAB(X, H) attends over the m inducing
// outputs, which are never padding.
// Parameters (official names): "<name>.I" [1, m, dim] (xavier_uniform),
// "<name>.mab0.*" = MAB(I, X), "<name>.mab1.*" = MAB(X, H).
type ISAB struct {
	I          *nn.Param
	MAB0, MAB1 *MAB
	params     nn.Params
}

// NewISAB returns an ISAB with m inducing points.
func NewISAB(name string, dimIn, dim, m int, cfg MABConfig, rng *rand.Rand) *ISAB {
	if m <= 0 {
		panic(fmt.Sprintf("gnn: NewISAB %s: need at least one inducing point, got %d", name, m))
	}
	b := &ISAB{I: seeds(name+".I", m, dim, cfg, rng)}
	b.MAB0 = NewMAB(name+".mab0", dim, dimIn, dim, cfg, rng)
	b.MAB1 = NewMAB(name+".mab1", dimIn, dim, dim, cfg, rng)
	b.params.Add(b.I)
	b.params.AddAll(b.MAB0.Params(), b.MAB1.Params())
	return b
}

// seeds returns a [1, k, dim] parameter initialised with xavier_uniform_
// (fan_in = k·dim, fan_out = dim, as PyTorch computes them for that shape).
func seeds(name string, k, dim int, cfg MABConfig, rng *rand.Rand) *nn.Param {
	p := nn.NewParam(name, dtypeOr(cfg.Dtype), 1, k, dim)
	nn.FillXavierUniform(p, rng, 1)
	return p
}

// Params returns the block's parameters.
func (b *ISAB) Params() *nn.Params { return &b.params }

// Forward adds ISAB(x) to g; mask marks the valid set elements (nil: all).
func (b *ISAB) Forward(g *nn.Graph, x, mask *G.Node) (*G.Node, error) {
	i, err := repeatBatch(g.Param(b.I), x.Shape()[0])
	if err != nil {
		return nil, err
	}
	h, err := b.MAB0.Forward(g, i, x, mask)
	if err != nil {
		return nil, err
	}
	return b.MAB1.Forward(g, x, h, nil)
}

// PMA is pooling by multihead attention, PMA_k(Z) = MAB(S, rFF(Z)) with k
// learnable seed vectors S (the paper; the official code omits the rFF:
// MAB(S, Z)). It is invariant to the order of the set elements and, with a
// mask, to the padding.
//
// Shapes: z [B, N, dim], mask [B, N] or nil → [B, k, dim].
// Parameters: "<name>.S" [1, k, dim] (xavier_uniform), "<name>.mab.*", and
// in the paper form "<name>.rff.0", "<name>.rff.2".
type PMA struct {
	S        *nn.Param
	FF1, FF2 *nn.Linear // paper form only
	MAB      *MAB
	params   nn.Params
}

// NewPMA returns a PMA with k seeds.
func NewPMA(name string, dim, k int, cfg MABConfig, rng *rand.Rand) *PMA {
	if k <= 0 {
		panic(fmt.Sprintf("gnn: NewPMA %s: need at least one seed, got %d", name, k))
	}
	p := &PMA{S: seeds(name+".S", k, dim, cfg, rng)}
	p.params.Add(p.S)
	if cfg.Form == PaperForm {
		hidden := cfg.FFHidden
		if hidden == 0 {
			hidden = dim
		}
		lc := nn.LinearConfig{Dtype: dtypeOr(cfg.Dtype)}
		p.FF1 = nn.NewLinear(name+".rff.0", dim, hidden, lc, rng)
		p.FF2 = nn.NewLinear(name+".rff.2", hidden, dim, lc, rng)
		p.params.AddAll(p.FF1.Params(), p.FF2.Params())
	}
	p.MAB = NewMAB(name+".mab", dim, dim, dim, cfg, rng)
	p.params.AddAll(p.MAB.Params())
	return p
}

// Params returns the block's parameters.
func (p *PMA) Params() *nn.Params { return &p.params }

// Forward adds PMA(z) to g; mask marks the valid set elements (nil: all).
func (p *PMA) Forward(g *nn.Graph, z, mask *G.Node) (*G.Node, error) {
	zs := z.Shape()
	if zs.Dims() != 3 {
		return nil, fmt.Errorf("gnn: PMA %s: input must be [B, N, D], got shape %v", p.S.Name, zs)
	}
	var err error
	if p.FF1 != nil {
		if z, err = p.FF1.Forward(g, z); err != nil {
			return nil, err
		}
		if z, err = reluResidual(z, nil); err != nil {
			return nil, err
		}
		if z, err = p.FF2.Forward(g, z); err != nil {
			return nil, err
		}
	}
	s, err := repeatBatch(g.Param(p.S), zs[0])
	if err != nil {
		return nil, err
	}
	return p.MAB.Forward(g, s, z, mask)
}

// repeatBatch repeats a [1, k, d] tensor b times → [b, k, d]; the gradient
// sums over the copies.
func repeatBatch(x *G.Node, b int) (*G.Node, error) {
	return nn.Gather(x, nn.NewIndices("repeat", b))
}
