package pointjepa

// Load reads a model written by Save (or a Pretrain run directory).
func Load(dir string) (*Model, error) { return nil, errNotYet }
