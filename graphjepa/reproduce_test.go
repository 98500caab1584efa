package graphjepa

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/probe"
)

// fakeModel embeds a graph as its mean node features, its size and a
// little seeded noise: a stand-in for a pre-trained model that lets the
// protocol be tested on its own.
type fakeModel struct{ seed uint64 }

func (m fakeModel) embed(graphs []*datasets.Graph, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 7))
	f := graphs[0].F
	x := mat.NewDense(len(graphs), f+1, nil)
	for i, g := range graphs {
		n := g.NumNodes()
		for v := range n {
			for k, a := range g.Features(v) {
				x.Set(i, k, x.At(i, k)+float64(a)/float64(n))
			}
		}
		x.Set(i, f, float64(n)/10+0.01*rng.NormFloat64())
	}
	return x
}

func (m fakeModel) Embed(graphs []*datasets.Graph) (*mat.Dense, error) {
	return m.embed(graphs, m.seed), nil
}

func (m fakeModel) EmbedTraining(graphs []*datasets.Graph, seed uint64) (*mat.Dense, error) {
	return m.embed(graphs, seed), nil
}

// fakePretrain counts its calls and fails on call failAt (1-based; 0 never).
type fakePretrain struct {
	calls, failAt int
	seeds         []uint64
	trainSizes    []int
	valSizes      []int
}

func (f *fakePretrain) fn(ctx context.Context, set *datasets.GraphSet, cfg Config, opt Options) (embedder, error) {
	f.calls++
	if f.calls == f.failAt {
		return nil, errors.New("killed")
	}
	f.seeds = append(f.seeds, cfg.Seed)
	f.trainSizes = append(f.trainSizes, len(set.Graphs))
	f.valSizes = append(f.valSizes, len(opt.Validation))
	return fakeModel{cfg.Seed}, nil
}

func smallReproduceConfig(t *testing.T, name string) Config {
	t.Helper()
	cfg, err := Preset(name)
	require.NoError(t, err)
	cfg.Epochs = 1
	return cfg
}

func TestReproduceProtocolAndResume(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{})
	set.Name = "MUTAG" // compare against a paper number
	dir := t.TempDir()
	fp := &fakePretrain{}
	cfg := ReproduceConfig{Model: smallReproduceConfig(t, "MUTAG"), Runs: 2, Folds: 3, RunDir: dir, pretrain: fp.fn}
	want, err := Reproduce(context.Background(), set, cfg)
	require.NoError(t, err)
	require.Len(t, want.FoldResults, 6)
	assert.Equal(t, 6, fp.calls)
	assert.Equal(t, []int{162, 162, 162, 162, 162, 162}, fp.trainSizes, "9/10 of 180 graphs")
	assert.Equal(t, []int{18, 18, 18, 18, 18, 18}, fp.valSizes, "the test fold is the validation set")
	assert.Equal(t, FoldSeed(42, 0), fp.seeds[0])
	assert.Equal(t, FoldSeed(21, 2), fp.seeds[5])
	assert.NotEqual(t, fp.seeds[0], fp.seeds[1])
	// Summary: mean over runs of fold means, mean over runs of fold stds.
	var runs []probe.Run
	for r := range 2 {
		var acc []float64
		for _, fr := range want.FoldResults[3*r : 3*r+3] {
			acc = append(acc, fr.Accuracy)
			assert.Equal(t, r, fr.Run)
		}
		runs = append(runs, probe.NewRun(probe.GraphJEPASeeds[r], acc))
	}
	rep, err := probe.SummarizeFolds(probe.AccuracyPercent, runs)
	require.NoError(t, err)
	assert.InDelta(t, rep.Mean, want.Report.Mean, 1e-12)
	assert.InDelta(t, rep.Std, want.Report.Std, 1e-12)
	assert.Greater(t, want.Report.Mean, 50.0, "the fake features separate the synthetic classes")
	assert.True(t, want.Reduced)
	assert.False(t, want.Comparable)
	assert.True(t, want.HasPaper)
	assert.Equal(t, 91.25, want.Paper.Mean)
	assert.Contains(t, want.Notes, "reduced: 3 of the 10 folds (the paper runs all 10)")
	assert.Contains(t, want.Notes, "reduced: 2 of the paper's 5 runs")
	assert.Contains(t, want.Notes, "reduced: 1 pre-training epochs (the paper's config: 50)")
	assert.Equal(t, DefaultPartitionerName, want.Partitioner, "synthetic graphs reach 40 nodes ≥ 32")
	assert.FileExists(t, filepath.Join(dir, "reproduce.json"))
	assert.FileExists(t, filepath.Join(dir, "folds", "run-1-fold-2.json"))

	// A killed run continues from the first unfinished fold.
	dir2 := t.TempDir()
	killed := &fakePretrain{failAt: 5}
	cfg.RunDir, cfg.pretrain = dir2, killed.fn
	_, err = Reproduce(context.Background(), set, cfg)
	require.ErrorContains(t, err, "run 1 fold 1: pre-training: killed")
	resumed := &fakePretrain{}
	cfg.pretrain = resumed.fn
	var loaded int
	cfg.OnFold = func(fr ReproduceFold) {
		if fr.Resumed {
			loaded++
		}
	}
	got, err := Reproduce(context.Background(), set, cfg)
	require.NoError(t, err)
	assert.Equal(t, 4, loaded, "4 folds finished before the kill")
	assert.Equal(t, 2, resumed.calls)
	assert.Equal(t, []uint64{FoldSeed(21, 1), FoldSeed(21, 2)}, resumed.seeds)
	for i := range want.FoldResults {
		assert.Equal(t, want.FoldResults[i].Accuracy, got.FoldResults[i].Accuracy, "fold %d", i)
	}
	assert.Equal(t, want.Report.Mean, got.Report.Mean)

	// A run directory of another configuration is refused.
	other := cfg
	other.Model.Epochs = 2
	_, err = Reproduce(context.Background(), set, other)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds a reproduce run of another configuration")
	assert.Contains(t, err.Error(), "model.epochs: the directory has 1, this call 2")
	other = cfg
	other.Folds = 4
	_, err = Reproduce(context.Background(), set, other)
	require.ErrorContains(t, err, "folds: the directory has 3, this call 4")
	other = cfg
	other.Seeds = []uint64{1, 2}
	_, err = Reproduce(context.Background(), set, other)
	require.ErrorContains(t, err, "seeds: the directory has [42,21], this call [1,2]")
	// A corrupt fold file is an error naming it.
	require.NoError(t, os.WriteFile(filepath.Join(dir2, "folds", "run-0-fold-1.json"), []byte("{"), 0o644))
	_, err = Reproduce(context.Background(), set, cfg)
	require.ErrorContains(t, err, "run-0-fold-1.json: not the result of run 0 fold 1")
}

func TestReproduceBadConfig(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 10})
	fp := &fakePretrain{}
	base := ReproduceConfig{Model: smallReproduceConfig(t, "MUTAG"), pretrain: fp.fn}
	for _, tc := range []struct {
		mod  func(*ReproduceConfig)
		want string
	}{
		{func(c *ReproduceConfig) { c.Runs = 6 }, "Runs = 6: want 1..5"},
		{func(c *ReproduceConfig) { c.Runs = -1 }, "Runs = -1"},
		{func(c *ReproduceConfig) { c.Folds = 11 }, "Folds = 11: want 1..10"},
		{func(c *ReproduceConfig) { c.Seeds = []uint64{} }, "Seeds: empty"},
		{func(c *ReproduceConfig) { c.Model.Patch.Patches = 1 }, "Patches = 1"},
	} {
		c := base
		tc.mod(&c)
		_, err := Reproduce(context.Background(), set, c)
		require.ErrorContains(t, err, tc.want)
	}
	_, err := Reproduce(context.Background(), &datasets.GraphSet{Name: "x"}, base)
	require.ErrorContains(t, err, "empty data set")
	assert.Zero(t, fp.calls)
}

func TestReproduceZINCPartial(t *testing.T) {
	mk := func(seed uint64) *datasets.GraphSet {
		s := datasets.SyntheticGraphs(datasets.SyntheticConfig{Seed: seed, GraphsPerClass: 10})
		for _, g := range s.Graphs {
			g.Target = []float32{float32(g.NumNodes()) / 10}
			g.Y = -1
		}
		s.NumClasses = 0
		return s
	}
	val, test := mk(1), mk(2)
	fp := &fakePretrain{}
	cfg := ReproduceConfig{Dataset: "ZINC", Model: smallReproduceConfig(t, "ZINC"), Runs: 2, RunDir: t.TempDir(), pretrain: fp.fn}
	res, err := ReproduceZINC(context.Background(), nil, val, test, cfg)
	require.NoError(t, err)
	assert.Equal(t, 2, fp.calls)
	assert.Equal(t, []int{0, 0}, fp.valSizes, "partial: no held-out loss")
	assert.Equal(t, []int{30, 30}, fp.trainSizes, "partial: pre-trained on val")
	assert.False(t, res.Comparable)
	assert.Contains(t, res.Protocol, "PARTIAL")
	assert.Less(t, res.Report.Mean, 0.1, "the size feature predicts the size target")
	assert.Equal(t, 0.434, res.Paper.Mean)
	assert.Len(t, res.FoldResults, 2)

	// Full split: val drives the schedule.
	fp2 := &fakePretrain{}
	cfg.RunDir, cfg.pretrain = "", fp2.fn
	res, err = ReproduceZINC(context.Background(), mk(3), val, test, cfg)
	require.NoError(t, err)
	assert.Equal(t, []int{30, 30}, fp2.valSizes)
	assert.NotContains(t, res.Protocol, "PARTIAL")
	// A graph without a target is an error naming it.
	bad := mk(4)
	bad.Graphs[3].Target = nil
	_, err = ReproduceZINC(context.Background(), nil, bad, test, cfg)
	require.ErrorContains(t, err, "val graph 3 has no regression target")
}

func TestPaper(t *testing.T) {
	r, ok := Paper("imdb-b")
	require.True(t, ok)
	assert.Equal(t, PaperResult{"IMDB-BINARY", "accuracy (%)", 73.68, 3.25}, r)
	_, ok = Paper("NCI1")
	assert.False(t, ok)
}
