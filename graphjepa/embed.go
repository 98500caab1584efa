package graphjepa

import (
	"github.com/nongrid/jepa/datasets"
	"gonum.org/v1/gonum/mat"
)

// Embed returns the reference's evaluation embedding of every graph (spec
// graph-jepa.md §10): evaluation transform, patch embeddings plus the
// mean-pooled patch PE, the target encoder over all p slots with the
// overlap weights and a key mask on empty slots, then the mean over the
// non-empty slots. Row i is graphs[i]; the width is Hidden.
func (m *Model) Embed(graphs []*datasets.Graph) (*mat.Dense, error) {
	return nil, errNotImplemented
}

// EmbedTraining embeds graphs the way the reference embeds its training
// fold: through the training transform (random slot placement, random
// partitions after the edge drop) drawn from seed, then the same encoder as
// Embed. Row i is graphs[i].
func (m *Model) EmbedTraining(graphs []*datasets.Graph, seed uint64) (*mat.Dense, error) {
	return nil, errNotImplemented
}
