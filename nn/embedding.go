package nn

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// EmbeddingConfig configures an Embedding; the zero value is
// torch.nn.Embedding's default (float32, N(0,1) init).
type EmbeddingConfig struct {
	Dtype tensor.Dtype
	Init  Init    // InitDefault (N(0,1)), InitTruncNormal, InitZeros
	Std   float64 // InitTruncNormal std; 0.02 when zero
}

// Embedding looks up rows of a table (torch.nn.Embedding): ids in [0, Num)
// select rows of Weight [Num, Dim]. Graph-JEPA embeds ZINC atom and bond
// types this way.
type Embedding struct {
	Weight   *Param
	Num, Dim int
	params   Params
}

// NewEmbedding returns an embedding table named "<name>.weight".
func NewEmbedding(name string, num, dim int, cfg EmbeddingConfig, rng *rand.Rand) *Embedding {
	e := &Embedding{Num: num, Dim: dim, Weight: NewParam(joinName(name, "weight"), dtypeOr(cfg.Dtype), num, dim)}
	switch cfg.Init {
	case InitDefault:
		FillNormal(e.Weight, rng, 0, 1)
	case InitTruncNormal:
		std := cfg.Std
		if std == 0 {
			std = 0.02
		}
		FillTruncNormal(e.Weight, rng, 0, std, -2, 2)
	case InitZeros:
	default:
		panic(fmt.Sprintf("nn: NewEmbedding %s: unsupported init %d", name, cfg.Init))
	}
	e.params.Add(e.Weight)
	return e
}

// Params returns the table.
func (e *Embedding) Params() *Params { return &e.params }

// Forward returns the rows selected by ids: [ids.Len(), Dim]. An id outside
// [0, Num) makes the run fail with an error naming the indices.
func (e *Embedding) Forward(g *Graph, ids *Indices) (*G.Node, error) {
	return Gather(g.Param(e.Weight), ids)
}
