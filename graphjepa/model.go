package graphjepa

import (
	"errors"
)

var errNotImplemented = errors.New("graphjepa: not implemented yet")

// Model is a Graph-JEPA model: the node and edge encoders, the GINE patch
// encoder, the context and target transformers and the predictor (spec
// graph-jepa.md §1, §5, §7), with its resolved Config and the input widths
// it was built for.
type Model struct {
	cfg Config
}

// Config returns the model's resolved configuration.
func (m *Model) Config() Config { return m.cfg }

// NumParams returns the number of trainable scalars per part, as the
// reference's count_parameters counts them: "context_encoder",
// "target_encoder", "gnn" (the GINE blocks with their output Linear),
// "U", "predictor", "patch_pe", "rw_encoder" (built but unused, as in the
// reference), "input_encoder", "edge_encoder" and "total".
func (m *Model) NumParams() map[string]int { return nil }
