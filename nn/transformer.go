package nn

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BlockConfig configures a pre-LN transformer block. Heads must be set. The
// zero value of the rest is PyTorch's nn.TransformerEncoderLayer default
// where one exists (ReLU, dropout 0 here, LayerNorm eps 1e-5) with an MLP
// ratio of 4 and biases everywhere.
type BlockConfig struct {
	Dtype      tensor.Dtype
	Heads      int
	MLPRatio   float64 // hidden width = MLPRatio·D; 4 when zero
	Activation Activation
	// Attention: projection layout, biases, init (see
	// MultiHeadAttentionConfig; Heads, Dtype and dropouts are set from here).
	Attention   MultiHeadAttentionConfig
	Dropout     float64 // after the attention projection and in the MLP (proj_drop, drop)
	AttnDropout float64 // on attention probabilities
	DropPath    float64 // stochastic depth on both residual branches
	Eps         float64 // LayerNorm eps; 1e-5 when zero
	MLPInit     LinearConfig
}

// Block is a pre-LN transformer block (Xiong et al. 2020; timm's ViT block):
//
//	x = x + DropPath(Attn(LN1(x)))
//	x = x + DropPath(MLP(LN2(x))),  MLP = fc2(Dropout(act(fc1(·))))
//
// Parameters: "<name>.norm1", "<name>.attn", "<name>.norm2", "<name>.mlp.fc1",
// "<name>.mlp.fc2".
type Block struct {
	Norm1, Norm2 *LayerNorm
	Attn         *MultiHeadAttention
	FC1, FC2     *Linear
	cfg          BlockConfig
	params       Params
}

// NewBlock returns a block of width dim.
func NewBlock(name string, dim int, cfg BlockConfig, rng *rand.Rand) *Block {
	dt := dtypeOr(cfg.Dtype)
	ratio := cfg.MLPRatio
	if ratio == 0 {
		ratio = 4
	}
	hidden := int(float64(dim) * ratio)
	ac := cfg.Attention
	ac.Dtype, ac.Heads, ac.Dropout, ac.ProjDropout = dt, cfg.Heads, cfg.AttnDropout, cfg.Dropout
	mc := cfg.MLPInit
	mc.Dtype = dt
	b := &Block{cfg: cfg,
		Norm1: NewLayerNorm(joinName(name, "norm1"), dim, LayerNormConfig{Dtype: dt, Eps: cfg.Eps}),
		Attn:  NewMultiHeadAttention(joinName(name, "attn"), dim, ac, rng),
		Norm2: NewLayerNorm(joinName(name, "norm2"), dim, LayerNormConfig{Dtype: dt, Eps: cfg.Eps}),
	}
	b.FC1 = NewLinear(joinName(name, "mlp.fc1"), dim, hidden, mc, rng)
	b.FC2 = NewLinear(joinName(name, "mlp.fc2"), hidden, dim, mc, rng)
	b.params.AddAll(b.Norm1.Params(), b.Attn.Params(), b.Norm2.Params(), b.FC1.Params(), b.FC2.Params())
	return b
}

// Params returns the block's parameters.
func (b *Block) Params() *Params { return &b.params }

// Forward adds the block to g. x is [B,T,D]; keyMask [B,T] and weights
// [B,T,T] may be nil (see MultiHeadAttention).
func (b *Block) Forward(g *Graph, x, keyMask, weights *G.Node) (y *G.Node, err error) {
	defer catch(&err, "nn: block "+b.Norm1.name())
	h, err := b.Norm1.Forward(g, x)
	if err != nil {
		return nil, err
	}
	if h, err = b.Attn.Forward(g, h, keyMask, weights); err != nil {
		return nil, err
	}
	if h, err = (DropPath{P: b.cfg.DropPath}).Forward(g, h); err != nil {
		return nil, err
	}
	x = G.Must(G.Add(x, h))
	if h, err = b.Norm2.Forward(g, x); err != nil {
		return nil, err
	}
	if h, err = b.FC1.Forward(g, h); err != nil {
		return nil, err
	}
	if h, err = b.cfg.Activation.Apply(h); err != nil {
		return nil, err
	}
	if h, err = (Dropout{P: b.cfg.Dropout}).Forward(g, h); err != nil {
		return nil, err
	}
	if h, err = b.FC2.Forward(g, h); err != nil {
		return nil, err
	}
	if h, err = (Dropout{P: b.cfg.Dropout}).Forward(g, h); err != nil {
		return nil, err
	}
	if h, err = (DropPath{P: b.cfg.DropPath}).Forward(g, h); err != nil {
		return nil, err
	}
	return G.Add(x, h)
}

// TransformerConfig configures a Transformer stack. Depth and Block.Heads
// must be set.
type TransformerConfig struct {
	Depth int
	Block BlockConfig
	// DropPath is the stochastic-depth rate of the last block; block i gets
	// DropPath·i/(Depth−1) (timm's linspace rule, Point-JEPA's encoder)
	// unless ConstantDropPath gives every block the same rate (Point-JEPA's
	// predictor). Block.DropPath is ignored.
	DropPath         float64
	ConstantDropPath bool
	// FinalNorm adds a LayerNorm "<name>.norm" after the last block.
	FinalNorm bool
	// PosEveryBlock adds the positional input before every block (Point-JEPA's
	// encoder); otherwise it is added once, before the first block.
	PosEveryBlock bool
}

// Transformer is a stack of pre-LN blocks "<name>.blocks.<i>" with an
// optional final LayerNorm.
type Transformer struct {
	Blocks []*Block
	Norm   *LayerNorm
	cfg    TransformerConfig
	params Params
}

// NewTransformer returns a stack of width dim.
func NewTransformer(name string, dim int, cfg TransformerConfig, rng *rand.Rand) *Transformer {
	if cfg.Depth <= 0 {
		panic(fmt.Sprintf("nn: NewTransformer %s: depth must be positive, got %d", name, cfg.Depth))
	}
	t := &Transformer{cfg: cfg}
	for i := 0; i < cfg.Depth; i++ {
		bc := cfg.Block
		bc.DropPath = cfg.DropPath
		if !cfg.ConstantDropPath {
			bc.DropPath = 0
			if cfg.Depth > 1 {
				bc.DropPath = cfg.DropPath * float64(i) / float64(cfg.Depth-1)
			}
		}
		b := NewBlock(fmt.Sprintf("%s.blocks.%d", name, i), dim, bc, rng)
		t.Blocks = append(t.Blocks, b)
		t.params.AddAll(b.Params())
	}
	if cfg.FinalNorm {
		t.Norm = NewLayerNorm(joinName(name, "norm"), dim, LayerNormConfig{Dtype: dtypeOr(cfg.Block.Dtype), Eps: cfg.Block.Eps})
		t.params.AddAll(t.Norm.Params())
	}
	return t
}

// Params returns every parameter of the stack.
func (t *Transformer) Params() *Params { return &t.params }

// Forward adds the stack to g and returns its output (after the final norm
// when configured). pos [B,T,D], keyMask [B,T] and weights [B,T,T] may be nil.
func (t *Transformer) Forward(g *Graph, x, pos, keyMask, weights *G.Node) (*G.Node, error) {
	out, _, err := t.ForwardHidden(g, x, pos, keyMask, weights)
	return out, err
}

// ForwardHidden is Forward that also returns the output of every block
// (before the final norm): Point-JEPA's targets are the last block's output
// before the encoder's final LayerNorm.
func (t *Transformer) ForwardHidden(g *Graph, x, pos, keyMask, weights *G.Node) (out *G.Node, hidden []*G.Node, err error) {
	defer catch(&err, "nn: transformer")
	if pos != nil && !pos.Shape().Eq(x.Shape()) {
		return nil, nil, fmt.Errorf("nn: transformer: positional input shape %v does not match input shape %v", pos.Shape(), x.Shape())
	}
	for i, b := range t.Blocks {
		if pos != nil && (i == 0 || t.cfg.PosEveryBlock) {
			x = G.Must(G.Add(x, pos))
		}
		if x, err = b.Forward(g, x, keyMask, weights); err != nil {
			return nil, nil, err
		}
		hidden = append(hidden, x)
	}
	if t.Norm != nil {
		if x, err = t.Norm.Forward(g, x); err != nil {
			return nil, nil, err
		}
	}
	return x, hidden, nil
}
