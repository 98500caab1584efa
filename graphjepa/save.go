package graphjepa

import "errors"

var errNotImplemented = errors.New("graphjepa: not implemented yet")

// Save writes the model to dir: model.safetensors with the reference's
// PyTorch state-dict names (context_encoder.…, target_encoder.…) and
// config.json.
func (m *Model) Save(dir string) error {
	return errNotImplemented
}
