package pointjepa

import (
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// predictor is the reference's TransformerPredictor (spec §1.8), with its
// names under "predictor.": predictor_embed (Width→PredWidth), mask_token
// [1,1,PredWidth] (zeros), its own positional MLP positional_encoding,
// the unused predictor_norm (kept for the state dict; it gets no gradient,
// like a torch parameter whose grad stays None), predictor_proj
// (PredWidth→Width) and the transformer predictor.predictor (positions
// added once, final LayerNorm, constant drop-path).
type predictor struct {
	embed, proj *nn.Linear
	maskToken   *nn.Param
	pos         *posMLP
	norm        *nn.LayerNorm
	t           *nn.Transformer
	params      nn.Params
}

func newPredictor(cfg *Config, rng *rand.Rand) *predictor {
	p := &predictor{}
	p.embed = nn.NewLinear("predictor.predictor_embed", cfg.Width, cfg.PredWidth, nn.LinearConfig{}, rng)
	p.maskToken = nn.NewParam("predictor.mask_token", tensor.Float32, 1, 1, cfg.PredWidth)
	p.pos = newPosMLP("predictor.positional_encoding", cfg.PosHidden, cfg.PredWidth, rng)
	p.norm = nn.NewLayerNorm("predictor.predictor_norm", cfg.PredWidth, nn.LayerNormConfig{})
	for _, q := range p.norm.Params().List() {
		q.Grad = nil
	}
	p.proj = nn.NewLinear("predictor.predictor_proj", cfg.PredWidth, cfg.Width, nn.LinearConfig{}, rng)
	p.t = nn.NewTransformer("predictor.predictor", cfg.PredWidth, nn.TransformerConfig{
		Depth:            cfg.PredDepth,
		Block:            blockConfig(cfg.PredHeads, cfg.MLPRatio, on(cfg.Dropout), on(cfg.AttnDropout)),
		DropPath:         on(cfg.PredDropPath),
		ConstantDropPath: !cfg.PredLinspace,
		FinalNorm:        true,
	}, rng)
	p.params.AddAll(p.embed.Params())
	p.params.Add(p.maskToken)
	p.params.AddAll(p.pos.Params(), p.norm.Params(), p.proj.Params(), p.t.Params())
	return p
}

func (p *predictor) Params() *nn.Params { return &p.params }

// forward predicts the M target blocks of every cloud at once, stacked
// along the batch axis (the reference loops over the blocks with the same
// context encoding; drop-path and dropout draw per stacked sample):
//
//	ctx        [B, n, Width]  student output (after its final LayerNorm)
//	ctxCenters [B·n, 3]       centers of the context tokens
//	tgtCenters [M·B·k, 3]     centers of the targets, block-major
//	rep        [M·B·n]        row b·n+j for stacked row (m·B+b)·n+j
//
// and returns [M·B, k, Width].
func (p *predictor) forward(g *nn.Graph, ctx, ctxCenters, tgtCenters *G.Node, rep *nn.Indices, M, B, n, k int) (*G.Node, error) {
	P := p.embed.Out
	x, err := p.embed.Forward(g, ctx)
	if err != nil {
		return nil, err
	}
	x = G.Must(G.Reshape(x, tensor.Shape{B * n, P}))
	pc, err := p.pos.forward(g, ctxCenters)
	if err != nil {
		return nil, err
	}
	if M > 1 {
		if x, err = nn.Gather(x, rep); err != nil {
			return nil, err
		}
		if pc, err = nn.Gather(pc, rep); err != nil {
			return nil, err
		}
	}
	x = G.Must(G.Reshape(x, tensor.Shape{M * B, n, P}))
	pc = G.Must(G.Reshape(pc, tensor.Shape{M * B, n, P}))
	pt, err := p.pos.forward(g, tgtCenters)
	if err != nil {
		return nil, err
	}
	mask := G.Must(G.Reshape(g.Param(p.maskToken), tensor.Shape{P}))
	if pt, err = addRow(pt, mask); err != nil {
		return nil, err
	}
	pt = G.Must(G.Reshape(pt, tensor.Shape{M * B, k, P}))
	xin, err := concatTokens(x, nil, k) // mask tokens enter as zeros plus their positions
	if err != nil {
		return nil, err
	}
	pin, err := concatTokens(pc, pt, k)
	if err != nil {
		return nil, err
	}
	y, err := p.t.Forward(g, xin, pin, nil, nil)
	if err != nil {
		return nil, err
	}
	if y, err = sliceTokens(y, n, k); err != nil { // [M·B, k, P], also for k = 1
		return nil, err
	}
	return p.proj.Forward(g, y)
}
