package jepa

import (
	"context"
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
)

// Model is the JEPA-specific part of training, what Graph-JEPA and
// Point-JEPA implement for the Trainer.
type Model interface {
	// Params returns every tensor of the model under PyTorch-style names:
	// context (online) encoder, target encoder, predictor, buffers. All of
	// them are saved in checkpoints; the optimizer updates the trainable
	// ones that are not in TargetParams.
	Params() *nn.Params
	// OnlineParams and TargetParams pair the tensors of the context
	// encoder with those of the EMA target encoder (same order, same
	// shapes; see nn.NewEMA). Both empty means no target encoder.
	OnlineParams() []*nn.Param
	TargetParams() []*nn.Param
	// Step runs the forward and backward pass of one mini-batch: it
	// computes the loss and adds its gradients to Param.Grad (zeroed by
	// the trainer before the call), without updating any parameter. Every
	// random draw must come from s.Rand (or from state the model saves,
	// see StateSaver) so that runs and resumes are reproducible.
	Step(ctx context.Context, s *StepContext) (StepResult, error)
}

// StepContext describes the step a Model is asked to run.
type StepContext struct {
	// Step is the 1-based number of this optimizer step in the run.
	Step int
	// Epoch is the 0-based epoch and StepInEpoch the 0-based index of the
	// step within it.
	Epoch, StepInEpoch int
	// Rand is the trainer's generator, saved in checkpoints.
	Rand *rand.Rand
	// LR is the learning rate the optimizer will use for this step.
	LR float64
}

// StepResult is what a Model reports for one step.
type StepResult struct {
	// Loss is the mini-batch loss (a NaN or infinite loss stops the run
	// with a *NonFiniteError).
	Loss float64
	// Samples is the mini-batch size: the weight of Loss in the epoch's
	// mean loss (Graph-JEPA weights by batch size) and the numerator of
	// the throughput. 0 counts as 1.
	Samples int
	// Values are logged in the step's Record, e.g. KeyPredStd and
	// KeyTargetStd (watched by the collapse alarm) or per-term losses. The
	// trainer copies them; the model may reuse the map.
	Values map[string]float64
}

// EpochSizer is implemented by models that know their number of steps per
// epoch (e.g. ⌈dataset size / batch size⌉); Config.StepsPerEpoch 0 uses it.
type EpochSizer interface {
	StepsPerEpoch() int
}

// EpochStarter is implemented by models that prepare each epoch, for
// example by shuffling the data set. StartEpoch is called before the first
// step of every epoch, and again for the current epoch when a run resumes
// mid-epoch; rng is seeded from (Config.Seed, epoch) alone, so the same
// epoch always gets the same draws (the same permutation), resumed or not.
type EpochStarter interface {
	StartEpoch(epoch int, rng *rand.Rand) error
}

// StateSaver is implemented by models that hold state besides their
// parameters (their own generators, a data cursor). The state is saved in
// each checkpoint's state.json and restored on resume.
type StateSaver interface {
	MarshalState() ([]byte, error)
	UnmarshalState([]byte) error
}
