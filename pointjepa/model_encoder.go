package pointjepa

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/gnn"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
)

// encoder is the student/teacher token encoder: positions are added before
// every block (§1.4); out is after the final LayerNorm, last the output of
// the last block before it (the teacher's target, §1.7).
type encoder interface {
	nn.Module
	forward(g *nn.Graph, x, pos *G.Node) (out, last *G.Node, err error)
}

// newEncoder builds the encoder named name ("student", "teacher.ema_model")
// of cfg. A teacher (eval) encoder has no dropout and no drop-path.
func newEncoder(name string, cfg *Config, teacher bool, rng *rand.Rand) encoder {
	drop, attn, dp := on(cfg.Dropout), on(cfg.AttnDropout), on(cfg.DropPath)
	if teacher {
		drop, attn, dp = 0, 0, 0
	}
	switch cfg.Encoder {
	case EncoderISAB:
		return newISABEncoder(name, cfg, rng)
	default:
		return &transformerEncoder{nn.NewTransformer(name, cfg.Width, nn.TransformerConfig{
			Depth:         cfg.Depth,
			Block:         blockConfig(cfg.Heads, cfg.MLPRatio, drop, attn),
			DropPath:      dp,
			FinalNorm:     true,
			PosEveryBlock: true,
		}, rng)}
	}
}

// blockConfig is the reference's timm-style block: packed qkv with bias,
// GELU, LayerNorm eps 1e-5, PyTorch default inits (§1.7).
func blockConfig(heads int, ratio, drop, attnDrop float64) nn.BlockConfig {
	return nn.BlockConfig{
		Heads:       heads,
		MLPRatio:    ratio,
		Activation:  nn.ActGELU,
		Attention:   nn.MultiHeadAttentionConfig{Packed: true},
		Dropout:     drop,
		AttnDropout: attnDrop,
	}
}

type transformerEncoder struct{ t *nn.Transformer }

func (e *transformerEncoder) Params() *nn.Params { return e.t.Params() }

func (e *transformerEncoder) forward(g *nn.Graph, x, pos *G.Node) (*G.Node, *G.Node, error) {
	out, hidden, err := e.t.ForwardHidden(g, x, pos, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	return out, hidden[len(hidden)-1], nil
}

// isabEncoder is the Set Transformer option (Config.Encoder "isab"): Depth
// induced set attention blocks ISAB_m (Lee et al. 2019, paper form:
// post-LayerNorm MABs with a ReLU rFF of width MLPRatio·Width) named
// "<name>.blocks.<i>", positions added before every block, then a final
// LayerNorm "<name>.norm". Its cost per block grows as n·m instead of n².
// It has no dropout or drop-path.
type isabEncoder struct {
	blocks []*gnn.ISAB
	norm   *nn.LayerNorm
	params nn.Params
}

func newISABEncoder(name string, cfg *Config, rng *rand.Rand) *isabEncoder {
	e := &isabEncoder{}
	mc := gnn.MABConfig{Heads: cfg.Heads, FFHidden: int(float64(cfg.Width) * cfg.MLPRatio)}
	for i := 0; i < cfg.Depth; i++ {
		b := gnn.NewISAB(fmt.Sprintf("%s.blocks.%d", name, i), cfg.Width, cfg.Width, cfg.Inducing, mc, rng)
		e.blocks = append(e.blocks, b)
		e.params.AddAll(b.Params())
	}
	e.norm = nn.NewLayerNorm(name+".norm", cfg.Width, nn.LayerNormConfig{})
	e.params.AddAll(e.norm.Params())
	return e
}

func (e *isabEncoder) Params() *nn.Params { return &e.params }

func (e *isabEncoder) forward(g *nn.Graph, x, pos *G.Node) (*G.Node, *G.Node, error) {
	var err error
	for _, b := range e.blocks {
		if x, err = G.Add(x, pos); err != nil {
			return nil, nil, err
		}
		if x, err = b.Forward(g, x, nil); err != nil {
			return nil, nil, err
		}
	}
	out, err := e.norm.Forward(g, x)
	return out, x, err
}
