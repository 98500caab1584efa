package graphjepa

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets"
	"gonum.org/v1/gonum/mat"
)

// Embed returns the reference's evaluation embedding of every graph (spec
// graph-jepa.md §10, encode() under model.eval()): the evaluation transform
// (no edge drop), patch embeddings plus the mean-pooled patch PE, the
// target encoder over all p slots with the overlap weights and empty slots
// masked as keys, then the mean over the non-empty slots. Row i is
// graphs[i]; the width is Hidden. The evaluation transform draws the slot
// placement of graphs with fewer than p nodes from the model's seed, so the
// same model embeds the same graphs identically.
//
// Graphs whose feature widths differ from the model's, or that hold NaN or
// infinite features, are an error naming the graph's index.
func (m *Model) Embed(graphs []*datasets.Graph) (*mat.Dense, error) {
	return m.embed(graphs, false, m.cfg.Seed^0x0e_3b_ed)
}

// EmbedTraining embeds graphs the way the reference embeds its training
// fold: through the training transform (random slot placement, random
// partitions after the edge drop) drawn from seed, then encode() under
// model.eval() as Embed (the PE is mean-pooled there too). Row i is
// graphs[i].
func (m *Model) EmbedTraining(graphs []*datasets.Graph, seed uint64) (*mat.Dense, error) {
	return m.embed(graphs, true, seed)
}

func (m *Model) embed(graphs []*datasets.Graph, train bool, seed uint64) (*mat.Dense, error) {
	if len(graphs) == 0 {
		return nil, fmt.Errorf("graphjepa: Embed: no graphs")
	}
	if err := m.checkGraphs(graphs); err != nil {
		return nil, err
	}
	p, err := NewPatcher(m.cfg.Patch, graphs)
	if err != nil {
		return nil, fmt.Errorf("graphjepa: Embed: %w", err)
	}
	d := m.cfg.Hidden
	out := mat.NewDense(len(graphs), d, nil)
	rng := rand.New(rand.NewPCG(seed, 0xe3bed))
	var b PatchBatch
	var peBuf []float32
	bs := m.cfg.EvalBatchSize
	idx := make([]int, 0, bs)
	for lo := 0; lo < len(graphs); lo += bs {
		idx = idx[:0]
		for i := lo; i < min(lo+bs, len(graphs)); i++ {
			idx = append(idx, i)
		}
		if err := p.Batch(&b, idx, train, rng); err != nil {
			return nil, fmt.Errorf("graphjepa: Embed: %w", err)
		}
		pe := peFor(&b, batchPoolsMax(m.cfg.Patch.PEPooling, train), encodePoolsMax(m.cfg.Patch.PEPooling),
			func(i int) []float32 { return p.NodeRWSE(b.Graphs[i]) }, &peBuf)
		emb, err := m.embedBatch(&b, pe)
		if err != nil {
			return nil, fmt.Errorf("graphjepa: Embed: graphs %d..%d: %w", lo, lo+len(idx)-1, err)
		}
		for r, gi := range b.Graphs {
			row := out.RawRowView(gi)
			for c := range row {
				row[c] = emb[r*d+c]
			}
		}
	}
	return out, nil
}

// embedBatch runs encode() on one batch and returns [B, d] row-major.
func (m *Model) embedBatch(b *PatchBatch, pe []float32) ([]float64, error) {
	bg, err := m.build(b, pe, kindEmbed, nil)
	if err != nil {
		return nil, err
	}
	defer bg.close()
	if err := bg.prog.Run(); err != nil {
		return nil, err
	}
	return bg.emb.Float64s(), nil
}

// checkGraphs verifies that graphs fit the model's encoders.
func (m *Model) checkGraphs(graphs []*datasets.Graph) error {
	f, ef, err := inputWidths(graphs, m.cfg, "graph")
	if err != nil {
		return err
	}
	if m.inputLin != nil && f != m.f {
		return fmt.Errorf("graphjepa: graph 0 has node feature width %d, the model's input_encoder takes %d (Linear(%d, %d))", f, m.f, m.f, m.cfg.Hidden)
	}
	if m.edgeLin != nil && ef != m.ef {
		return fmt.Errorf("graphjepa: graph 0 has edge feature width %d, the model's edge_encoder takes %d (Linear(%d, %d))", ef, m.ef, m.ef, m.cfg.Hidden)
	}
	return nil
}
