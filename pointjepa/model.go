package pointjepa

import "errors"

// Model is a Point-JEPA model: tokenizer, positional MLP, student and EMA
// teacher encoders and the predictor, with its configuration.
type Model struct {
	cfg Config
}

// New returns an untrained model for cfg (resolved first), initialised from
// cfg.Seed with PyTorch's default inits (§1.7).
func New(cfg Config) (*Model, error) {
	cfg, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	return &Model{cfg: cfg}, nil
}

// Config returns the model's resolved configuration.
func (m *Model) Config() Config { return m.cfg }

var errNotYet = errors.New("pointjepa: not implemented yet")
