package graphjepa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
)

// stepper is what jepa.Trainer runs: the Model over a training set, one
// freshly patched and shuffled epoch at a time (the reference's DataLoader
// with shuffle=True over a dataset whose transform patches on the fly).
type stepper struct {
	m       *Model
	patcher *Patcher
	indices []int // graphs of the training set (into the Patcher)

	stream *Stream
	perm   []int
	values map[string]float64
	peBuf  []float32

	nanStep int // tests: report a NaN loss at this step

	// BenchEpoch's accumulators (nil: not timed)
	timing, waiting *time.Duration
	graphs          *int
}

func newStepper(m *Model, p *Patcher, indices []int) *stepper {
	return &stepper{m: m, patcher: p, indices: indices, perm: make([]int, len(indices)), values: map[string]float64{}}
}

func (s *stepper) Params() *nn.Params        { return &s.m.params }
func (s *stepper) OnlineParams() []*nn.Param { return s.m.OnlineParams() }
func (s *stepper) TargetParams() []*nn.Param { return s.m.TargetParams() }

// StepsPerEpoch is ⌈training graphs / BatchSize⌉ (drop_last=False).
func (s *stepper) StepsPerEpoch() int {
	bs := s.m.cfg.BatchSize
	return (len(s.indices) + bs - 1) / bs
}

// StartEpoch shuffles the training graphs and starts patching the epoch's
// batches in the background; both draw only from rng (seeded by the
// trainer from the run seed and the epoch), so a resumed epoch sees the
// same batches.
func (s *stepper) StartEpoch(epoch int, rng *rand.Rand) error {
	s.closeStream()
	copy(s.perm, s.indices)
	rng.Shuffle(len(s.perm), func(i, j int) { s.perm[i], s.perm[j] = s.perm[j], s.perm[i] })
	st, err := s.patcher.Stream(context.Background(), StreamConfig{
		Indices: s.perm, BatchSize: s.m.cfg.BatchSize, Train: true, Seed: rng.Uint64(), Epochs: 1,
	})
	if err != nil {
		return err
	}
	s.stream = st
	return nil
}

func (s *stepper) closeStream() {
	if s.stream != nil {
		s.stream.Close()
		s.stream = nil
	}
}

// Step runs forward and backward on the next batch of the epoch.
func (s *stepper) Step(ctx context.Context, sc *jepa.StepContext) (jepa.StepResult, error) {
	if err := ctx.Err(); err != nil {
		return jepa.StepResult{}, err
	}
	if s.stream == nil {
		return jepa.StepResult{}, errors.New("graphjepa: step before StartEpoch")
	}
	t0 := time.Now()
	b, err := s.stream.Next()
	t1 := time.Now()
	if err == io.EOF {
		return jepa.StepResult{}, fmt.Errorf("graphjepa: step %d: the epoch has no batch left", sc.Step)
	}
	if err != nil {
		return jepa.StepResult{}, err
	}
	loss, pred, target, err := s.m.runLoss(b, kindTrain, s.patcher, &s.peBuf)
	if err != nil {
		return jepa.StepResult{}, fmt.Errorf("graphjepa: step %d: %w", sc.Step, err)
	}
	if s.timing != nil {
		*s.waiting += t1.Sub(t0)
		*s.timing += time.Since(t1)
		*s.graphs += b.B
	}
	if sc.Step == s.nanStep {
		loss = math.NaN()
	}
	s.values[jepa.KeyPredStd] = jepa.TokenStd(pred, 2, nil)
	s.values[jepa.KeyTargetStd] = jepa.TokenStd(target, 2, nil)
	return jepa.StepResult{Loss: loss, Samples: b.B, Values: s.values}, nil
}

// runLoss builds and runs the JEPA-loss graph of b (kindTrain adds the
// gradients to the parameters) and returns the loss, the predictions and
// the targets ([B·T, 2] each, row-major). p supplies the node RWSE when the
// batch's PE must be pooled again.
func (m *Model) runLoss(b *PatchBatch, kind graphKind, p *Patcher, peBuf *[]float32) (loss float64, pred, target []float64, err error) {
	train := kind == kindTrain
	pe := peFor(b, batchPoolsMax(m.cfg.Patch.PEPooling, train), forwardPoolsMax(m.cfg.Patch.PEPooling),
		func(i int) []float32 { return p.NodeRWSE(b.Graphs[i]) }, peBuf)
	bg, err := m.build(b, pe, kind, nil)
	if err != nil {
		return 0, nil, nil, err
	}
	defer bg.close()
	if err := bg.prog.Run(); err != nil {
		return 0, nil, nil, err
	}
	if train {
		loss = bg.prog.Loss()
	} else {
		loss = bg.loss.Scalar()
	}
	return loss, bg.pred.Float64s(), bg.target.Float64s(), nil
}
