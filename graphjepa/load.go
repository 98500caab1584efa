package graphjepa

// Load reads a model saved by Save, or the final checkpoint of a jepa run
// directory written by Pretrain.
func Load(dir string) (*Model, error) {
	return nil, errNotImplemented
}
