package gnn

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
)

// BlockConfig configures a Block. The zero value is Graph-JEPA's patch
// encoder block (Graph-ViT-MLPMixer's GNN with bn=True, res=True,
// dropout=0).
type BlockConfig struct {
	// NoResidual drops the "+ x" (res=False).
	NoResidual bool
	// Dropout is applied after the ReLU in training graphs.
	Dropout float64
}

// Block is one message-passing layer with normalisation, activation and a
// residual connection, as Graph-JEPA's patch encoder stacks them
// (spec/graph-jepa.md §5):
//
//	h = Conv(x, edges, e);  h = BatchNorm(h);  h = ReLU(h);  h = Dropout(h);  y = h + x
//
// Without dropout the ReLU and the residual add run as one fused op.
//
// Shapes: x [N, D] → [N, D] (with the residual, the conv must keep the
// width; without it, [N, Dout]).
//
// Parameters: the conv's and the norm's, under the names they were built
// with (Graph-JEPA: "gnns.<i>.convs.0.*" and "gnns.<i>.norms.0.*").
type Block struct {
	Conv   Conv
	Norm   *nn.BatchNorm // nil: no normalisation (bn=False)
	cfg    BlockConfig
	params nn.Params
}

// NewBlock returns a block around conv and norm (norm may be nil).
func NewBlock(conv Conv, norm *nn.BatchNorm, cfg BlockConfig) *Block {
	b := &Block{Conv: conv, Norm: norm, cfg: cfg}
	b.params.AddAll(conv.Params())
	if norm != nil {
		b.params.AddAll(norm.Params())
	}
	return b
}

// Params returns the conv's and the norm's parameters.
func (b *Block) Params() *nn.Params { return &b.params }

// Forward adds the block to g; edgeAttr is passed to the conv (nil for
// convs without edge features).
func (b *Block) Forward(g *nn.Graph, x *G.Node, edges *Edges, edgeAttr *G.Node) (*G.Node, error) {
	h, err := b.Conv.Forward(g, x, edges, edgeAttr)
	if err != nil {
		return nil, err
	}
	if b.Norm != nil {
		if h, err = b.Norm.Forward(g, h); err != nil {
			return nil, err
		}
	}
	res := x
	if b.cfg.NoResidual {
		res = nil
	}
	if b.cfg.Dropout > 0 && g.Train() {
		if h, err = reluResidual(h, nil); err != nil {
			return nil, fmt.Errorf("gnn: block: %w", err)
		}
		if h, err = (nn.Dropout{P: b.cfg.Dropout}).Forward(g, h); err != nil {
			return nil, err
		}
		if res == nil {
			return h, nil
		}
		if !res.Shape().Eq(h.Shape()) {
			return nil, fmt.Errorf("gnn: block: residual shape %v does not match layer output shape %v", res.Shape(), h.Shape())
		}
		return G.Add(h, res)
	}
	y, err := reluResidual(h, res)
	if err != nil {
		return nil, fmt.Errorf("gnn: block: %w", err)
	}
	return y, nil
}
