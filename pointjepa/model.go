package pointjepa

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/gnn"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Model is a Point-JEPA model (spec §1.3–1.8): the patch tokenizer, the
// positional MLP of centers, the student (context) encoder, its EMA teacher
// (target encoder), the predictor, and the reference's unused mask_token
// (kept so that parameter counts and state dicts match). Create one with New,
// Pretrain or Load. A Model is not safe for concurrent use.
type Model struct {
	cfg       Config
	tok       *tokenizer
	pos       *posMLP
	student   encoder
	teacher   encoder
	pred      *predictor
	maskToken *nn.Param
	pma       *gnn.PMA // Readout "pma" only
	params    nn.Params
	steps     int // optimizer steps taken by Pretrain (teacher.step in the state dict)

	emb        *embedder
	embedProgs []*embedProgram
}

// New returns an untrained model for cfg (resolved first; an invalid field is
// an error naming it), initialised from cfg.Seed with PyTorch's default inits
// (§1.7: the reference applies no custom init); the teacher starts as a copy
// of the student. Its features are the floor a pretrained model should beat.
func New(cfg Config) (*Model, error) {
	cfg, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x706f696e746a6570)) // "pointjep"
	m := &Model{cfg: cfg}
	m.pos = newPosMLP("positional_encoding", cfg.PosHidden, cfg.Width, rng)
	m.tok = newTokenizer(&cfg, rng)
	m.maskToken = nn.NewParam("mask_token", tensor.Float32, cfg.Width)
	nn.FillTruncNormal(m.maskToken, rng, 0, 0.02, -0.02, 0.02)
	m.maskToken.Grad = nil // dead code in the reference: never receives a gradient
	m.student = newEncoder("student", &cfg, false, rng)
	m.pred = newPredictor(&cfg, rng)
	m.teacher = newEncoder("teacher.ema_model", &cfg, true, rng)
	for _, p := range m.teacher.Params().List() {
		p.Grad = nil // updated by EMA only
	}
	ema, err := nn.NewEMA(m.teacher.Params().List(), m.student.Params().List())
	if err != nil {
		return nil, fmt.Errorf("pointjepa: pairing teacher and student: %w", err)
	}
	ema.Copy()
	// State-dict order of the reference: positional_encoding, tokenizer,
	// mask_token, student, predictor, teacher.
	m.params.AddAll(m.pos.Params(), m.tok.Params())
	m.params.Add(m.maskToken)
	m.params.AddAll(m.student.Params(), m.pred.Params(), m.teacher.Params())
	if cfg.Readout == ReadoutPMA {
		m.pma = gnn.NewPMA("readout.pma", cfg.Width, 1, gnn.MABConfig{Heads: cfg.Heads}, rng)
		m.params.AddAll(m.pma.Params())
	}
	return m, nil
}

// Config returns the model's resolved configuration.
func (m *Model) Config() Config { return m.cfg }

// Params returns every tensor of the model under the reference's state-dict
// names (see Save), in state-dict order. The slices alias the model.
func (m *Model) Params() *nn.Params { return &m.params }

var errNotYet = errors.New("pointjepa: not implemented yet")

// catch turns a panic of gorgonia's Must helpers while a graph is built into
// an error.
func catch(err *error, what string) {
	if r := recover(); r != nil {
		if e, ok := r.(error); ok {
			*err = fmt.Errorf("pointjepa: %s: %w", what, e)
			return
		}
		*err = fmt.Errorf("pointjepa: %s: %v", what, r)
	}
}

// stopGradient is the identity without a gradient (torch's no_grad /
// detach): the teacher path reads the tokenizer's output and positions but
// sends nothing back.
func stopGradient(x *G.Node) (*G.Node, error) {
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     "stop_gradient",
		OutShape: x.Shape(),
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch d := out.Data().(type) {
			case []float32:
				copy(d, in[0].Data().([]float32))
			case []float64:
				copy(d, in[0].Data().([]float64))
			}
			return nil
		},
	}, x)
}
