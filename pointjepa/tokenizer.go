package pointjepa

import (
	"math/rand/v2"

	"github.com/nongrid/jepa/gnn"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
)

// tokenizer embeds patches (spec §1.3): the grouping (FPS centers, KNN
// neighbours, centring) is datasets.Grouper, run on the CPU side before the
// graph; the graph part is the two-stage mini-PointNet "PointNetSmall",
// named as the reference's tokenizer.embedding.encoder.*, with train-mode
// BatchNorm statistics over all B·G·K points in training graphs.
type tokenizer struct {
	pn *gnn.MiniPointNet
}

func newTokenizer(cfg *Config, rng *rand.Rand) *tokenizer {
	return &tokenizer{gnn.NewMiniPointNet("tokenizer.embedding.encoder", gnn.MiniPointNetConfig{
		Hidden1: cfg.TokenHidden1, Global: cfg.TokenGlobal, Hidden2: cfg.TokenHidden2, Out: cfg.Width,
	}, rng)}
}

func (t *tokenizer) Params() *nn.Params { return t.pn.Params() }

// forward maps patches [B·G, K, 3] to tokens [B·G, Width].
func (t *tokenizer) forward(g *nn.Graph, patches *G.Node) (*G.Node, error) {
	return t.pn.Forward(g, patches)
}

// posMLP is a positional embedding of centers, Linear(3→hidden) → GELU →
// Linear(hidden→out) (§1.4), named "<name>.0" and "<name>.2" as the
// reference's nn.Sequential.
type posMLP struct {
	l0, l2 *nn.Linear
	params nn.Params
}

func newPosMLP(name string, hidden, out int, rng *rand.Rand) *posMLP {
	p := &posMLP{
		l0: nn.NewLinear(name+".0", 3, hidden, nn.LinearConfig{}, rng),
		l2: nn.NewLinear(name+".2", hidden, out, nn.LinearConfig{}, rng),
	}
	p.params.AddAll(p.l0.Params(), p.l2.Params())
	return p
}

func (p *posMLP) Params() *nn.Params { return &p.params }

// forward maps centers [..., 3] to [..., out].
func (p *posMLP) forward(g *nn.Graph, c *G.Node) (*G.Node, error) {
	h, err := p.l0.Forward(g, c)
	if err != nil {
		return nil, err
	}
	if h, err = nn.GELU(h); err != nil {
		return nil, err
	}
	return p.l2.Forward(g, h)
}
