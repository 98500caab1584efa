package pointjepa

// Save writes the model to dir: config.json and model.safetensors with the
// reference's tensor names.
func (m *Model) Save(dir string) error { return errNotYet }
