package probe

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runOf returns a run whose fold mean and population std are exactly m, s.
func runOf(seed uint64, m, s float64) Run { return NewRun(seed, []float64{m - s, m + s}) }

func TestSummarizeFoldsGraphJEPAMUTAG(t *testing.T) {
	// Graph-JEPA's MUTAG log (spec §12): per-run fold mean ± fold std
	// 92.11 ± 5.88, 91.05 ± 6.68, 90.47 ± 4.61, 91.55 ± 5.35, 91.05 ± 6.25,
	// reported as 91.25 ± 5.75.
	runs := []Run{runOf(42, 92.11, 5.88), runOf(21, 91.05, 6.68), runOf(95, 90.47, 4.61),
		runOf(12, 91.55, 5.35), runOf(35, 91.05, 6.25)}
	r, err := SummarizeFolds(AccuracyPercent, runs)
	require.NoError(t, err)
	assert.Equal(t, "91.25 ± 5.75", r.String())
	assert.InDelta(t, 91.246, r.Mean, 1e-9)
	assert.InDelta(t, 5.754, r.Std, 1e-9)
	assert.Equal(t, StdOverFolds, r.StdOf)
}

func TestSummarizeRunsAndJSON(t *testing.T) {
	runs := []Run{NewRun(21, []float64{0.42}), NewRun(42, []float64{0.44}), NewRun(41, []float64{0.45})}
	r, err := SummarizeRuns("MAE", runs)
	require.NoError(t, err)
	r.Decimals = 3
	assert.Equal(t, "0.437 ± 0.012", r.String())
	m := (0.42 + 0.44 + 0.45) / 3
	pop := math.Sqrt((math.Pow(0.42-m, 2) + math.Pow(0.44-m, 2) + math.Pow(0.45-m, 2)) / 3)
	assert.InDelta(t, pop, r.Std, 1e-12) // np.std of .42, .44, .45 (ddof=0)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "0.437 ± 0.012", back["text"])
	assert.Equal(t, "MAE", back["metric"])
	assert.Equal(t, StdOverRuns, back["std_of"])
	assert.Len(t, back["runs"], 3)
}

func TestNewRunPopulationStd(t *testing.T) {
	r := NewRun(7, []float64{80, 90, 100})
	assert.InDelta(t, 90, r.Mean, 1e-12)
	assert.InDelta(t, math.Sqrt(200.0/3), r.Std, 1e-12) // np.std, ddof=0
}

func TestSummarizeErrors(t *testing.T) {
	_, err := SummarizeFolds(AccuracyPercent, nil)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = SummarizeRuns("MAE", []Run{{Seed: 3}})
	assert.ErrorContains(t, err, "seed 3")
	_, err = SummarizeFolds(AccuracyPercent, []Run{NewRun(1, []float64{1, math.NaN()})})
	assert.ErrorContains(t, err, "NaN")
}
