package graphjepa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
)

// KeyValLoss is the key of the held-out JEPA loss in the epoch records of
// metrics.jsonl; ReduceLROnPlateau watches it when Options.Validation is set.
const KeyValLoss = "val_loss"

// Options are the parts of a pre-training run that are not hyper-parameters.
type Options struct {
	// Validation are the held-out graphs, patched once with the evaluation
	// transform; their JEPA loss (model.eval() forward, batch-size-weighted
	// mean) drives ReduceLROnPlateau and the early stop (the reference uses
	// the test fold). Nil: the plateau schedule watches the training loss.
	Validation []*datasets.Graph
	// RunDir, if set, receives config.json, metrics.jsonl, checkpoints and
	// plots (jepa.Trainer). It must not hold a run already.
	RunDir string
	// Log receives progress lines; nil means none.
	Log io.Writer

	nanStep int // tests: report a NaN loss at this step (0: never)
}

// Pretrain builds a model for set and pre-trains it with cfg (spec
// graph-jepa.md §9): Adam (weight decay 0) at cfg.LR over batches of
// cfg.BatchSize graphs, patched anew every epoch with the training
// transform; after every step the target encoder follows the context
// encoder by EMA with the reference's momentum (constant within an epoch
// unless cfg.EMAPerStep); after every epoch the held-out JEPA loss steps
// ReduceLROnPlateau (factor cfg.LRFactor, patience cfg.LRPatience) and the
// run stops early once the learning rate is below cfg.MinLR.
//
// Bad input is an error naming the graph: an empty graph, NaN or infinite
// features, feature widths that differ within set or from the validation
// graphs. A non-finite loss, gradient or parameter stops the run with a
// *jepa.NonFiniteError naming the step; with a RunDir the last checkpoint
// on disk is the one before that step. The model is returned with the
// error whenever one was built (a cancelled run returns the model trained
// so far).
func Pretrain(ctx context.Context, set *datasets.GraphSet, cfg Config, opt Options) (*Model, error) {
	r, err := prepareRun(set, cfg, opt)
	if err != nil {
		return nil, err
	}
	defer r.st.closeStream()
	if err := r.tr.Run(ctx); err != nil {
		return r.m, err
	}
	return r.m, nil
}

// run is a prepared pre-training run.
type run struct {
	m   *Model
	st  *stepper
	val *heldOut
	tr  *jepa.Trainer
}

// prepareRun validates the input, builds the model, the patchers and the
// trainer with the held-out hook.
func prepareRun(set *datasets.GraphSet, cfg Config, opt Options) (*run, error) {
	if set == nil || len(set.Graphs) == 0 {
		return nil, errors.New("graphjepa: Pretrain: empty data set")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	f, ef, err := inputWidths(set.Graphs, cfg, "training graph")
	if err != nil {
		return nil, err
	}
	if len(opt.Validation) > 0 {
		vf, vef, err := inputWidths(opt.Validation, cfg, "validation graph")
		if err != nil {
			return nil, err
		}
		if vf != f || vef != ef {
			return nil, fmt.Errorf("graphjepa: Pretrain: validation graphs have feature widths %d/%d (node/edge), the training graphs %d/%d", vf, vef, f, ef)
		}
	}
	patcher, err := NewPatcher(cfg.Patch, set.Graphs)
	if err != nil {
		return nil, fmt.Errorf("graphjepa: Pretrain: %w", err)
	}
	r := &run{m: newModel(cfg, f, ef, nn.Float32)}
	idx := make([]int, len(set.Graphs))
	for i := range idx {
		idx[i] = i
	}
	r.st = newStepper(r.m, patcher, idx)
	r.st.nanStep = opt.nanStep
	if len(opt.Validation) > 0 {
		if r.val, err = newHeldOut(r.m, opt.Validation); err != nil {
			return nil, fmt.Errorf("graphjepa: Pretrain: validation: %w", err)
		}
	}
	jcfg, err := r.m.trainerConfig(r.st.StepsPerEpoch(), r.val != nil, opt.Log != nil)
	if err != nil {
		return nil, err
	}
	jcfg.Name = set.Name
	if r.tr, err = jepa.New(r.st, jcfg, opt.RunDir); err != nil {
		return nil, fmt.Errorf("graphjepa: Pretrain: %w", err)
	}
	if opt.Log != nil {
		r.tr.SetOutput(opt.Log)
	}
	if r.val != nil {
		r.tr.OnEpoch(KeyValLoss, jepa.PriorityDefault, func(ctx context.Context, t *jepa.Trainer) error {
			l, err := r.val.loss(ctx)
			if err != nil {
				return err
			}
			t.Record().Set(KeyValLoss, l)
			return nil
		})
	}
	return r, nil
}

// trainerConfig maps the model's Config to the jepa trainer's: Adam
// without weight decay, the plateau schedule on the held-out loss (or the
// training loss) with the early stop, and the EMA schedule.
func (m *Model) trainerConfig(stepsPerEpoch int, validation, progress bool) (jepa.Config, error) {
	cfg := m.cfg
	raw, err := json.Marshal(cfg)
	if err != nil {
		return jepa.Config{}, err
	}
	ema := jepa.EMAConfig{Schedule: jepa.MomentumLinearEpoch, Start: cfg.EMAStart, End: cfg.EMAEnd,
		Total: stepsPerEpoch * cfg.Epochs, Init: jepa.InitIndependent}
	if cfg.EMAPerStep {
		ema.Schedule = jepa.MomentumLinear
	}
	metric := jepa.KeyLoss
	if validation {
		metric = KeyValLoss
	}
	stop := cfg.MinLR
	if stop < 0 {
		stop = 0
	}
	prog := jepa.ProgressOff
	if progress {
		prog = jepa.ProgressLines
	}
	return jepa.Config{
		Seed: cfg.Seed, Epochs: cfg.Epochs, StepsPerEpoch: stepsPerEpoch,
		Optimizer: jepa.OptimizerConfig{Name: "adam", LR: cfg.LR, WeightDecay: -1},
		LR: jepa.LRConfig{Schedule: jepa.SchedulePlateau, PlateauFactor: cfg.LRFactor, PlateauPatience: cfg.LRPatience,
			PlateauMetric: metric, StopBelowLR: stop},
		EMA:      ema,
		Collapse: jepa.CollapseConfig{Action: jepa.CollapseOff},
		Progress: prog,
		NoPlots:  true,
		Model:    raw,
	}, nil
}

// heldOut is the held-out set of a run, patched once with the evaluation
// transform (the reference materialises its test list once per fold).
type heldOut struct {
	m       *Model
	patcher *Patcher
	batches []*PatchBatch
	peBuf   []float32
	timing  *time.Duration // BenchEpoch's accumulator (nil: not timed)
}

func newHeldOut(m *Model, graphs []*datasets.Graph) (*heldOut, error) {
	p, err := NewPatcher(m.cfg.Patch, graphs)
	if err != nil {
		return nil, err
	}
	h := &heldOut{m: m, patcher: p}
	rng := rand.New(rand.NewPCG(m.cfg.Seed, 0x7e57_f01d))
	bs := m.cfg.EvalBatchSize
	for lo := 0; lo < len(graphs); lo += bs {
		idx := make([]int, 0, bs)
		for i := lo; i < min(lo+bs, len(graphs)); i++ {
			idx = append(idx, i)
		}
		b := new(PatchBatch)
		if err := p.Batch(b, idx, false, rng); err != nil {
			return nil, err
		}
		h.batches = append(h.batches, b)
	}
	return h, nil
}

// loss returns the held-out JEPA loss: the batch losses of forward() under
// model.eval() averaged with weights = batch sizes (trainer.py's test()).
func (h *heldOut) loss(ctx context.Context) (float64, error) {
	if h.timing != nil {
		defer func(t0 time.Time) { *h.timing += time.Since(t0) }(time.Now())
	}
	var sum float64
	var n int
	for _, b := range h.batches {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		l, _, _, err := h.m.runLoss(b, kindLoss, h.patcher, &h.peBuf)
		if err != nil {
			return 0, fmt.Errorf("graphjepa: held-out loss: %w", err)
		}
		sum += l * float64(b.B)
		n += b.B
	}
	return sum / float64(n), nil
}

// inputWidths returns the node and edge feature widths the encoders take
// for graphs (an edge width of 1 for graphs without edge features, the
// reference's zeros(E, 1)), or an error naming the first graph that is
// empty or malformed (datasets.Graph.Validate: CSR, NaN or infinite features) or differs in width from
// graph 0. what names the graphs in errors.
func inputWidths(graphs []*datasets.Graph, cfg Config, what string) (f, ef int, err error) {
	for i, g := range graphs {
		if g == nil {
			return 0, 0, fmt.Errorf("graphjepa: %s %d is nil", what, i)
		}
		if g.NumNodes() == 0 {
			return 0, 0, fmt.Errorf("graphjepa: %s %d has no nodes", what, i)
		}
		if err := g.Validate(); err != nil {
			return 0, 0, fmt.Errorf("graphjepa: %s %d: %w", what, i, err)
		}
		gef := max(g.EF, 1)
		if i == 0 {
			f, ef = g.F, gef
		} else if g.F != f || gef != ef {
			return 0, 0, fmt.Errorf("graphjepa: %s %d has feature widths %d/%d (node/edge), graph 0 has %d/%d", what, i, g.F, gef, f, ef)
		}
		if cfg.NodeEncoder == EncoderEmbedding && g.NodeLabel == nil {
			return 0, 0, fmt.Errorf("graphjepa: %s %d has no integer node labels for NodeEncoder %q", what, i, EncoderEmbedding)
		}
		if cfg.NodeEncoder == EncoderLinear && g.F < 1 {
			return 0, 0, fmt.Errorf("graphjepa: %s %d has no node features for NodeEncoder %q", what, i, EncoderLinear)
		}
	}
	return f, ef, nil
}
