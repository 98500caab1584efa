package graphjepa

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
)

func TestParseShard(t *testing.T) {
	for s, want := range map[string]Shard{"0/1": {Index: 0, Count: 1}, "3/50": {Index: 3, Count: 50}, " 49/50 ": {Index: 49, Count: 50}} {
		got, err := ParseShard(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
	}
	for s, msg := range map[string]string{
		"3/2": `shard 3/2: the index must be in 0..1`, "2/2": "the index must be in 0..1",
		"0/0": "shard 0/0: the shard count must be at least 1", "a/b": `shard "a/b": i and n must be integers`,
		"-1/4": "the index must be in 0..3", "1": `shard "1": want i/n`, "1/2/3": "must be integers", "": "want i/n",
		"1/-2": "the shard count must be at least 1",
	} {
		_, err := ParseShard(s)
		require.ErrorContains(t, err, msg, s)
	}
	sh := Shard{Index: 2, Count: 4}
	assert.Equal(t, []int{2, 6, 10}, sh.Jobs(12))
	assert.True(t, sh.Owns(6))
	assert.False(t, sh.Owns(7))
	assert.True(t, Shard{}.Whole())
	assert.Equal(t, "0/1", Shard{}.String())
	assert.Equal(t, []int{0, 1, 2}, Shard{}.Jobs(3))
}

// lockedFake is a fakePretrain safe for side-by-side jobs.
type lockedFake struct {
	mu sync.Mutex
	fakePretrain
}

func (l *lockedFake) fn(ctx context.Context, set *datasets.GraphSet, cfg Config, opt Options) (embedder, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fakePretrain.fn(ctx, set, cfg, opt)
}

// withoutTimes drops what differs between two runs of the same jobs: wall
// times and the resumed mark.
func withoutTimes(res *ReproduceResult) ReproduceResult {
	r := *res
	r.Seconds = 0
	r.FoldResults = nil
	for _, fr := range res.FoldResults {
		fr.Seconds, fr.PretrainSeconds, fr.Resumed = 0, 0, false
		r.FoldResults = append(r.FoldResults, fr)
	}
	return r
}

func shardTestConfig(t *testing.T, dir string, pre pretrainFunc) ReproduceConfig {
	return ReproduceConfig{Model: smallReproduceConfig(t, "MUTAG"), Runs: 2, Folds: 3, RunDir: dir, pretrain: pre}
}

func TestReproduceShardsMergeToTheWholeRun(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 12})
	set.Name = "MUTAG"
	ctx := context.Background()
	whole, err := Reproduce(ctx, set, shardTestConfig(t, t.TempDir(), (&fakePretrain{}).fn))
	require.NoError(t, err)
	require.Len(t, whole.FoldResults, 6)
	for _, fr := range whole.FoldResults {
		assert.Len(t, fr.EmbeddingChecksum, 16)
		assert.NotEmpty(t, fr.CodeVersion)
		assert.Len(t, fr.ConfigHash, 32)
	}
	assert.NotEqual(t, whole.FoldResults[0].EmbeddingChecksum, whole.FoldResults[1].EmbeddingChecksum)

	// Side by side: the same results.
	par := shardTestConfig(t, "", (&lockedFake{}).fn)
	par.Jobs = 4
	got, err := Reproduce(ctx, set, par)
	require.NoError(t, err)
	assert.Equal(t, withoutTimes(whole), withoutTimes(got))

	// Three shards in one shared directory (the second with 2 jobs side by
	// side), and three shards in directories of their own.
	shared := t.TempDir()
	own := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	for i := range 3 {
		fp := &lockedFake{}
		c := shardTestConfig(t, shared, fp.fn)
		c.Shard, c.Jobs = Shard{Index: i, Count: 3}, i
		part, err := Reproduce(ctx, set, c)
		require.NoError(t, err)
		assert.Equal(t, Shard{Index: i, Count: 3}.String(), part.Shard)
		require.Len(t, part.FoldResults, 2)
		assert.Equal(t, 2, fp.calls, "shard %d runs its 2 jobs", i)
		assert.Equal(t, i, JobIndex(part.FoldResults[0].Run, part.FoldResults[0].Fold, 3))
		assert.Equal(t, i+3, JobIndex(part.FoldResults[1].Run, part.FoldResults[1].Fold, 3))
		c.RunDir = own[i]
		_, err = Reproduce(ctx, set, c)
		require.NoError(t, err)
	}
	for _, dirs := range [][]string{{shared}, own} {
		merged, err := Merge(dirs...)
		require.NoError(t, err, "%v", dirs)
		assert.Equal(t, withoutTimes(whole), withoutTimes(merged), "%v", dirs)
		assert.Equal(t, whole.Report, merged.Report)
	}

	// A restarted shard loads its jobs.
	fp := &fakePretrain{}
	c := shardTestConfig(t, shared, fp.fn)
	c.Shard = Shard{Index: 1, Count: 3}
	_, err = Reproduce(ctx, set, c)
	require.NoError(t, err)
	assert.Zero(t, fp.calls)

	// More shards than jobs, a shard without a run directory.
	c.Shard = Shard{Index: 0, Count: 7}
	_, err = Reproduce(ctx, set, c)
	require.ErrorContains(t, err, "Shard 0/7: more shards than jobs, some would have no job (the protocol has 6 jobs, so use at most 6 shards)")
	c.Shard, c.RunDir = Shard{Index: 0, Count: 2}, ""
	_, err = Reproduce(ctx, set, c)
	require.ErrorContains(t, err, "Shard 0/2 needs a RunDir")
	c.Shard = Shard{Index: 3, Count: 2}
	_, err = Reproduce(ctx, set, c)
	require.ErrorContains(t, err, "Shard: shard 3/2: the index must be in 0..1")
}

func TestMergeRefusesBadShards(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 12})
	set.Name = "MUTAG"
	ctx := context.Background()
	mk := func(i, n int, mod func(*ReproduceConfig)) string {
		dir := t.TempDir()
		for s := range n {
			if s != i && i >= 0 {
				continue
			}
			c := shardTestConfig(t, dir, (&fakePretrain{}).fn)
			c.Shard = Shard{Index: s, Count: n}
			if mod != nil {
				mod(&c)
			}
			_, err := Reproduce(ctx, set, c)
			require.NoError(t, err)
		}
		return dir
	}
	a, b := mk(0, 2, nil), mk(1, 2, nil)
	_, err := Merge(a, b)
	require.NoError(t, err)

	_, err = Merge(a)
	require.ErrorContains(t, err, "3 of the 6 jobs are missing from "+a+": run 0 fold 1 (job 1, shard 1/2); run 1 fold 0 (job 3, shard 1/2); run 1 fold 2 (job 5, shard 1/2)")
	_, err = Merge(a, a)
	require.ErrorContains(t, err, "given twice")
	_, err = Merge(a, mk(-1, 2, nil))
	require.ErrorContains(t, err, "run 0 fold 0 (job 0) is in two files")
	_, err = Merge(a, mk(1, 2, func(c *ReproduceConfig) { c.Model.Epochs = 2 }))
	require.ErrorContains(t, err, "hold runs of different configurations (model.epochs: "+a+" has 1")
	_, err = Merge(a, t.TempDir())
	require.ErrorContains(t, err, "reproduce.json")

	// Edited, truncated, from another configuration, from other code.
	job := filepath.Join(b, "folds", "run-1-fold-2.json")
	orig, err := os.ReadFile(job)
	require.NoError(t, err)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(orig, &rec))
	rec["accuracy"] = 100.0
	edited, _ := json.Marshal(rec)
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{edited, "shard 1/2, file " + job + ": digest"},
		{orig[:len(orig)/2], "shard ?, file " + job + ": truncated or not a job record"},
		{[]byte(`{"run":1,"fold":2,"accuracy":50}`), "no digest (written by an older graphjepa)"},
	} {
		require.NoError(t, os.WriteFile(job, tc.data, 0o644))
		_, err = Merge(a, b)
		require.ErrorContains(t, err, tc.want)
	}
	fr := ReproduceFold{Run: 1, Fold: 2, Accuracy: 50, CodeVersion: "other", ConfigHash: rec["config_hash"].(string)}
	other, err := encodeJobRecord(fr, Shard{Index: 1, Count: 2})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(job, other, 0o644))
	_, err = Merge(a, b)
	require.ErrorContains(t, err, `computed by code version "other"`)
	fr.CodeVersion, fr.ConfigHash = CodeVersion(), "0123"
	other, _ = encodeJobRecord(fr, Shard{Index: 1, Count: 2})
	require.NoError(t, os.WriteFile(job, other, 0o644))
	_, err = Merge(a, b)
	require.ErrorContains(t, err, "computed for configuration 0123")
	// Reproduce itself refuses the edited file too.
	require.NoError(t, os.WriteFile(job, edited, 0o644))
	c := shardTestConfig(t, b, (&fakePretrain{}).fn)
	c.Shard = Shard{Index: 1, Count: 2}
	_, err = Reproduce(ctx, set, c)
	require.ErrorContains(t, err, "run-1-fold-2.json: not the result of run 1 fold 2: digest")
	require.NoError(t, os.WriteFile(job, orig, 0o644))
	_, err = Merge(a, b)
	require.NoError(t, err)
}

func TestReproduceZINCShards(t *testing.T) {
	mk := func(seed uint64) *datasets.GraphSet {
		s := datasets.SyntheticGraphs(datasets.SyntheticConfig{Seed: seed, GraphsPerClass: 5})
		for _, g := range s.Graphs {
			g.Target = []float32{float32(g.NumNodes()) / 10}
			g.Y = -1
		}
		s.NumClasses = 0
		return s
	}
	val, test := mk(1), mk(2)
	ctx := context.Background()
	cfg := ReproduceConfig{Dataset: "ZINC", Model: smallReproduceConfig(t, "ZINC"), Runs: 3, RunDir: t.TempDir(), pretrain: (&fakePretrain{}).fn}
	whole, err := ReproduceZINC(ctx, nil, val, test, cfg)
	require.NoError(t, err)
	shared := t.TempDir()
	for i := range 2 {
		c := cfg
		c.RunDir, c.Shard, c.pretrain = shared, Shard{Index: i, Count: 2}, (&fakePretrain{}).fn
		part, err := ReproduceZINC(ctx, nil, val, test, c)
		require.NoError(t, err)
		assert.Len(t, part.FoldResults, 2-i, "jobs 0, 2 and 1")
	}
	merged, err := Merge(shared)
	require.NoError(t, err)
	assert.Equal(t, withoutTimes(whole), withoutTimes(merged))
	assert.Equal(t, 3, merged.Report.Decimals)
	assert.Equal(t, "MAE", merged.Report.Metric)
}
