package graphjepa

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
)

func TestReproduceReusesAnotherProtocolsJobs(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{})
	set.Name = "MUTAG"
	big := t.TempDir()
	full := &fakePretrain{}
	cfg := ReproduceConfig{Model: smallReproduceConfig(t, "MUTAG"), Runs: 2, Folds: 3, RunDir: big, pretrain: full.fn}
	want, err := Reproduce(context.Background(), set, cfg)
	require.NoError(t, err)
	require.Equal(t, 6, full.calls)

	// A smaller protocol (1 run × 2 folds) takes its jobs from the bigger
	// one's directory and computes nothing.
	small := t.TempDir()
	none := &fakePretrain{}
	sc := ReproduceConfig{Model: cfg.Model, Runs: 1, Folds: 2, RunDir: small, Reuse: []string{big}, pretrain: none.fn}
	got, err := Reproduce(context.Background(), set, sc)
	require.NoError(t, err)
	assert.Equal(t, 0, none.calls)
	require.Len(t, got.FoldResults, 2)
	for i, fr := range got.FoldResults {
		assert.Equal(t, want.FoldResults[i].Accuracy, fr.Accuracy)
		assert.Equal(t, want.FoldResults[i].EmbeddingChecksum, fr.EmbeddingChecksum)
		assert.Equal(t, big, fr.ReusedFrom)
	}
	assert.Contains(t, got.Notes, "jobs taken from run directories of the same configuration with other runs or folds (the same computation): 2 from "+big)

	// They were written to the smaller protocol's directory: a restart
	// loads them from there, still marked with where they came from.
	again, err := Reproduce(context.Background(), set, ReproduceConfig{Model: cfg.Model, Runs: 1, Folds: 2, RunDir: small, pretrain: none.fn})
	require.NoError(t, err)
	assert.Equal(t, 0, none.calls)
	assert.Equal(t, got.Report, again.Report)
	assert.Equal(t, big, again.FoldResults[1].ReusedFrom)

	// A bigger protocol computes only what the smaller one lacks: 3 runs ×
	// 4 folds, 6 jobs taken (run seeds 42, 21; folds 0..2), 6 computed.
	more := &fakePretrain{}
	bc := ReproduceConfig{Model: cfg.Model, Runs: 3, Folds: 4, Reuse: []string{small, big}, pretrain: more.fn}
	res, err := Reproduce(context.Background(), set, bc)
	require.NoError(t, err)
	assert.Equal(t, 6, more.calls)
	assert.Equal(t, []uint64{FoldSeed(42, 3), FoldSeed(21, 3), FoldSeed(95, 0), FoldSeed(95, 1), FoldSeed(95, 2), FoldSeed(95, 3)}, more.seeds)
	assert.Equal(t, big, res.FoldResults[JobIndex(0, 0, 4)].ReusedFrom, "the job came from big through small")
	assert.Equal(t, want.FoldResults[JobIndex(1, 2, 3)].Accuracy, res.FoldResults[JobIndex(1, 2, 4)].Accuracy)
	assert.Empty(t, res.FoldResults[JobIndex(2, 0, 4)].ReusedFrom)

	// Other seeds at a run index are other jobs: nothing is taken.
	seeded := &fakePretrain{}
	_, err = Reproduce(context.Background(), set, ReproduceConfig{Model: cfg.Model, Runs: 1, Folds: 1, Seeds: []uint64{7}, Reuse: []string{big}, pretrain: seeded.fn})
	require.NoError(t, err)
	assert.Equal(t, 1, seeded.calls)

	// A directory of another configuration, or none at all, is refused.
	other := sc
	other.RunDir = ""
	other.Model.Epochs = 2
	_, err = Reproduce(context.Background(), set, other)
	require.ErrorContains(t, err, "run directory "+big+" was made with another configuration (model.epochs: the directory has 1, this call 2)")
	other = sc
	other.RunDir, other.Reuse = "", []string{t.TempDir()}
	_, err = Reproduce(context.Background(), set, other)
	require.ErrorContains(t, err, "ReproduceConfig.Reuse")
	require.ErrorContains(t, err, "reproduce.json")
}
