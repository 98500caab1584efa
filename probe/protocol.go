package probe

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets/split"
)

// AccuracyPercent is the Metric of reports whose scores are accuracies in
// percent.
const AccuracyPercent = "accuracy (%)"

// KFoldAccuracy runs stratified k-fold cross-validation of clf on x and y
// with the folds of s (GraphJEPAFolds for Graph-JEPA's protocol) and
// returns the run: one test accuracy in percent per fold (Run.Seed is left
// zero; Repeat sets it).
func KFoldAccuracy(clf Classifier, x mat.Matrix, y []int, s split.StratifiedKFold) (Run, error) {
	folds, err := s.Split(y)
	if err != nil {
		return Run{}, err
	}
	res, err := CrossValidate(clf, x, y, folds, 0)
	if err != nil {
		return Run{}, err
	}
	scores := Accuracies(res)
	for i := range scores {
		scores[i] *= 100
	}
	return NewRun(0, scores), nil
}

// Repeat calls run once per seed (for example: pre-train with the seed,
// embed, then KFoldAccuracy) and returns the runs in seed order, stopping at
// the first error. Summarize them with SummarizeFolds (Graph-JEPA's TU
// report) or SummarizeRuns (its ZINC report).
func Repeat(seeds []uint64, run func(seed uint64) (Run, error)) ([]Run, error) {
	if len(seeds) == 0 {
		return nil, fmt.Errorf("%w: no seeds", ErrEmpty)
	}
	runs := make([]Run, 0, len(seeds))
	for _, s := range seeds {
		r, err := run(s)
		if err != nil {
			return nil, fmt.Errorf("probe: seed %d: %w", s, err)
		}
		r.Seed = s
		runs = append(runs, r)
	}
	return runs, nil
}

// FewShot runs episodes N-way K-shot tasks drawn from y with rng: for each
// it fits clf on the support samples and scores it on the query samples.
// The run holds one query accuracy in percent per episode; SummarizeFolds
// of it gives the papers' mean ± std over episodes (Point-BERT's protocol
// uses 10 episodes).
//
// The papers fine-tune the whole network on each episode; FewShot is the
// frozen-feature variant, a linear probe per episode.
func FewShot(clf Classifier, x mat.Matrix, y []int, cfg split.EpisodeConfig, episodes int, rng *rand.Rand) (Run, error) {
	if episodes <= 0 {
		return Run{}, fmt.Errorf("probe: FewShot needs a positive number of episodes, got %d", episodes)
	}
	g, err := checkSamples(x, len(y))
	if err != nil {
		return Run{}, err
	}
	scores := make([]float64, episodes)
	for e := range episodes {
		ep, err := split.SampleEpisode(y, cfg, rng)
		if err != nil {
			return Run{}, err
		}
		r, err := runFold(clf, g, nil, y, split.Fold{Train: ep.Support, Test: ep.Query})
		if err != nil {
			return Run{}, fmt.Errorf("probe: episode %d: %w", e, err)
		}
		scores[e] = 100 * r.Accuracy
	}
	return NewRun(0, scores), nil
}
