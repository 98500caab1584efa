package jepa

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
)

// NonFiniteError stops a run whose step produced a NaN or an infinity: in
// the loss, in a gradient, or in a parameter after the update. The last
// checkpoint on disk is the one before the step.
type NonFiniteError struct {
	// Step is the 1-based number of the offending step.
	Step int
	// Tensor is "loss", the name of the first parameter (in Params order)
	// holding a non-finite value, or "gradient norm" when every gradient is
	// finite but the sum of their squares overflows.
	Tensor string
	// Grad is true when the value was found in the gradient.
	Grad bool
	// Index is the flat index of the element (0 for the loss).
	Index int
	// Value is the offending value.
	Value float64
}

func (e *NonFiniteError) Error() string {
	where := "value"
	switch {
	case e.Tensor == "loss":
		return fmt.Sprintf("jepa: step %d: loss is %v", e.Step, e.Value)
	case e.Grad:
		where = "gradient"
	}
	return fmt.Sprintf("jepa: step %d: parameter %q: %s element %d is %v", e.Step, e.Tensor, where, e.Index, e.Value)
}

func nonFinite(step int, err error) error {
	if nf, ok := err.(*nn.NonFiniteError); ok {
		return &NonFiniteError{Step: step, Tensor: nf.Param, Grad: nf.Grad, Index: nf.Index, Value: nf.Value}
	}
	return fmt.Errorf("jepa: step %d: %w", step, err)
}

// CollapseError stops a run (CollapseConfig.Action "stop") whose embedding
// standard deviation stayed at or below its threshold.
type CollapseError struct {
	Step      int
	Key       string // KeyPredStd or KeyTargetStd
	Value     float64
	Threshold float64
}

func (e *CollapseError) Error() string {
	return fmt.Sprintf("jepa: step %d: %s %.4g ≤ %.4g: the representation is collapsing", e.Step, e.Key, e.Value, e.Threshold)
}
