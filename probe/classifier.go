package probe

import "gonum.org/v1/gonum/mat"

// Classifier fits a model to features (n×d, one row per sample) and integer
// class labels (any integers; at least two distinct values).
type Classifier interface {
	Fit(x mat.Matrix, y []int) (Predictor, error)
}

// Predictor predicts a label for every row of a feature matrix with the
// number of columns it was fitted on.
type Predictor interface {
	Predict(x mat.Matrix) ([]int, error)
}

// Accuracy returns the fraction of positions where pred equals truth. It
// panics if the lengths differ or are zero (a programmer error).
func Accuracy(pred, truth []int) float64 {
	if len(pred) != len(truth) || len(pred) == 0 {
		panic("probe: Accuracy needs equal, non-zero lengths")
	}
	var ok int
	for i, p := range pred {
		if p == truth[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(pred))
}
