package graphjepa

// Save writes the model to dir: model.safetensors with the reference's
// PyTorch state-dict names (context_encoder.…, target_encoder.…) and
// config.json.
func (m *Model) Save(dir string) error {
	return errNotImplemented
}
