package probe

import (
	"encoding/json"
	"fmt"
	"math"
)

// Run is one run (one seed) of an evaluation protocol: a score per fold or
// per episode, with their mean and population standard deviation (numpy's
// np.std, divisor n).
type Run struct {
	Seed   uint64    `json:"seed"`
	Scores []float64 `json:"scores"`
	Mean   float64   `json:"mean"`
	Std    float64   `json:"std"`
}

// NewRun returns the Run of the given scores.
func NewRun(seed uint64, scores []float64) Run {
	m, s := meanStd(scores)
	return Run{Seed: seed, Scores: scores, Mean: m, Std: s}
}

// What Report.Std measures.
const (
	// StdOverFolds: the mean over runs of each run's population std over
	// folds (or episodes), Graph-JEPA's "Averages over 5 runs" line
	// (graph-jepa core/trainer.py, run_k_fold).
	StdOverFolds = "mean over runs of the population std over folds"
	// StdOverRuns: the population std of the per-run means, Graph-JEPA's
	// ZINC report (10 seeds, one test MAE each).
	StdOverRuns = "population std over runs"
)

// Report is a final mean ± std. It prints as "91.25 ± 5.75" and marshals to
// JSON with the same text in a "text" field.
type Report struct {
	Metric   string  `json:"metric"` // e.g. "accuracy (%)" or "MAE"
	Mean     float64 `json:"mean"`
	Std      float64 `json:"std"`
	StdOf    string  `json:"std_of"` // StdOverFolds or StdOverRuns
	Runs     []Run   `json:"runs,omitempty"`
	Decimals int     `json:"decimals"` // digits after the point in String; zero means 2
}

// SummarizeFolds aggregates runs the way Graph-JEPA reports TU datasets:
// Mean is the mean over runs of the fold means, Std the mean over runs of
// the fold population stds (so the Std of a single run is its fold std, as
// for the few-shot mean ± std over 10 episodes). It returns an error for no
// runs or a run without scores.
func SummarizeFolds(metric string, runs []Run) (Report, error) {
	if err := checkRuns(runs); err != nil {
		return Report{}, err
	}
	r := Report{Metric: metric, StdOf: StdOverFolds, Runs: runs}
	for _, run := range runs {
		r.Mean += run.Mean
		r.Std += run.Std
	}
	r.Mean /= float64(len(runs))
	r.Std /= float64(len(runs))
	return r, nil
}

// SummarizeRuns reports mean ± population std of the run means (one score
// per run, as Graph-JEPA's ZINC MAE over 10 seeds). It returns an error for
// no runs or a run without scores.
func SummarizeRuns(metric string, runs []Run) (Report, error) {
	if err := checkRuns(runs); err != nil {
		return Report{}, err
	}
	means := make([]float64, len(runs))
	for i, run := range runs {
		means[i] = run.Mean
	}
	m, s := meanStd(means)
	return Report{Metric: metric, Mean: m, Std: s, StdOf: StdOverRuns, Runs: runs}, nil
}

func checkRuns(runs []Run) error {
	if len(runs) == 0 {
		return fmt.Errorf("%w: no runs to summarize", ErrEmpty)
	}
	for i, r := range runs {
		if len(r.Scores) == 0 {
			return fmt.Errorf("%w: run %d (seed %d) has no scores", ErrEmpty, i, r.Seed)
		}
		for j, v := range r.Scores {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("probe: run %d (seed %d) score %d is %v", i, r.Seed, j, v)
			}
		}
	}
	return nil
}

// String formats the report as "mean ± std" with Decimals digits.
func (r Report) String() string {
	d := r.Decimals
	if d == 0 {
		d = 2
	}
	return fmt.Sprintf("%.*f ± %.*f", d, r.Mean, d, r.Std)
}

// MarshalJSON adds the printed form as "text".
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	return json.Marshal(struct {
		plain
		Text string `json:"text"`
	}{plain(r), r.String()})
}

// meanStd returns the mean and population standard deviation.
func meanStd(v []float64) (mean, std float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		d := x - mean
		std += d * d
	}
	return mean, math.Sqrt(std / float64(len(v)))
}
