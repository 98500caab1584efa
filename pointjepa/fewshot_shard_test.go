package pointjepa

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
)

// withoutTimes drops the wall times, the only fields that differ between
// two runs of the same episodes.
func withoutTimes(r FewShotReport) FewShotReport {
	r.EmbedSeconds, r.FitSeconds = 0, 0
	return r
}

// sameScores requires the per-fold accuracies of two reports to be equal
// with ==, bit for bit.
func sameScores(t *testing.T, want, got FewShotReport) {
	t.Helper()
	require.Len(t, got.Results, len(want.Results))
	for i, w := range want.Results {
		ws, gs := w.Accuracy.Runs[0].Scores, got.Results[i].Accuracy.Runs[0].Scores
		require.Len(t, gs, len(ws))
		for f := range ws {
			if ws[f] != gs[f] {
				t.Errorf("%s fold %d: %v, want %v", w.Setting, f, gs[f], ws[f])
			}
		}
		if w.Accuracy.Mean != got.Results[i].Accuracy.Mean || w.Accuracy.Std != got.Results[i].Accuracy.Std {
			t.Errorf("%s: %v ± %v, want %v ± %v", w.Setting, got.Results[i].Accuracy.Mean, got.Results[i].Accuracy.Std, w.Accuracy.Mean, w.Accuracy.Std)
		}
	}
}

// readJobs reads the episode records of a run directory, by job.
func readJobs(t *testing.T, dir string) map[int]FewShotJob {
	t.Helper()
	h, err := readFewShotHeader(dir)
	require.NoError(t, err)
	out := map[int]FewShotJob{}
	for si, s := range h.Config.Settings {
		for f := range h.Config.Folds {
			j := jepa.JobIndex(si, f, h.Config.Folds)
			b, err := os.ReadFile(filepath.Join(dir, fewShotJobDir, fewShotJobName(si, s, f)))
			if os.IsNotExist(err) {
				continue
			}
			require.NoError(t, err)
			jf, err := decodeFewShotJob(b, j, h.Config)
			require.NoError(t, err)
			out[j] = jf.FewShotJob
		}
	}
	return out
}

// TestFewShotShardsMergeToTheWholeRun runs a reduced linear-probe protocol
// (2 settings × 3 folds, an untrained tiny Model, embedding batches of 16)
// in one call and as 3 shards in a shared directory and 2 shards in
// directories of their own; the merged reports must equal the one-call
// report, every score bit for bit.
func TestFewShotShardsMergeToTheWholeRun(t *testing.T) {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 8, TestPerClass: 4})
	m, err := New(tinyConfig())
	require.NoError(t, err)
	ctx := context.Background()
	base := FewShotConfig{Settings: []FewShotSetting{{3, 4}, {2, 5}}, Folds: 3, Query: 3, Batch: 16, Info: json.RawMessage(`{"who":"test"}`)}
	whole, err := FewShot(ctx, m, train, test, base)
	require.NoError(t, err)
	require.Len(t, whole.Results, 2)
	assert.Empty(t, whole.Shard)
	assert.Nil(t, whole.Jobs)

	// The same with a run directory: the same report, 6 records.
	dir := t.TempDir()
	c := base
	c.RunDir = dir
	withDir, err := FewShot(ctx, m, train, test, c)
	require.NoError(t, err)
	assert.Equal(t, withoutTimes(whole), withoutTimes(withDir))
	jobs := readJobs(t, dir)
	require.Len(t, jobs, 6)
	sums := map[string]bool{}
	for j, job := range jobs {
		assert.Equal(t, j, job.Job)
		assert.Len(t, job.ConfigHash, 32)
		assert.Equal(t, jepa.JobCodeVersion(), job.CodeVersion)
		assert.Positive(t, job.GOMAXPROCS)
		sums[job.EmbeddingChecksum] = true
	}
	assert.Len(t, sums, 1, "one embedding for all episodes")

	shared := t.TempDir()
	own := []string{t.TempDir(), t.TempDir()}
	for i := range 3 {
		c := base
		c.RunDir, c.Shard = shared, jepa.Shard{Index: i, Count: 3}
		part, err := FewShot(ctx, m, train, test, c)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("%d/3", i), part.Shard)
		assert.Empty(t, part.Results)
		require.Len(t, part.Jobs, 2)
		assert.Equal(t, []int{i, i + 3}, []int{part.Jobs[0].Job, part.Jobs[1].Job})
		assert.Equal(t, jobs[i].Accuracy, part.Jobs[0].Accuracy)
		assert.Equal(t, jobs[i].EmbeddingChecksum, part.Jobs[0].EmbeddingChecksum, "the shard embeds what the whole run embeds")
	}
	for i := range 2 {
		c := base
		c.RunDir, c.Shard = own[i], jepa.Shard{Index: i, Count: 2}
		_, err := FewShot(ctx, m, train, test, c)
		require.NoError(t, err)
	}
	for _, dirs := range [][]string{{shared}, own, {dir}} {
		merged, err := MergeFewShot(dirs...)
		require.NoError(t, err, "%v", dirs)
		assert.Equal(t, withoutTimes(whole), withoutTimes(merged.Report), "%v", dirs)
		sameScores(t, whole, merged.Report)
		assert.JSONEq(t, `{"who":"test"}`, string(merged.Info))
		assert.Equal(t, jobs[0].GOMAXPROCS, merged.GOMAXPROCS)
	}

	// A rerun finds every episode recorded and embeds nothing.
	var log strings.Builder
	c = base
	c.RunDir, c.Shard, c.Log = shared, jepa.Shard{Index: 1, Count: 3}, &log
	again, err := FewShot(ctx, m, train, test, c)
	require.NoError(t, err)
	assert.NotContains(t, log.String(), "embed few-shot")
	assert.Contains(t, log.String(), "(from the run directory)")
	assert.True(t, again.Jobs[0].Resumed)

	// Embedding only the clouds of one's own episodes would not do: the
	// features of a cloud depend on what is embedded with it.
	p, err := planFewShot(train, test, base)
	require.NoError(t, err)
	pool, _ := p.pool(train, test)
	all, err := embedClouds(ctx, m, pool, 16, "all", nil)
	require.NoError(t, err)
	part, err := embedClouds(ctx, m, pool[1:], 16, "part", nil)
	require.NoError(t, err)
	assert.NotEqual(t, all.RawRowView(1), part.RawRowView(0), "the pitfall the full embedding avoids")
}

func TestFewShotShardErrors(t *testing.T) {
	train, test := syntheticSets(t)
	ctx := context.Background()
	base := FewShotConfig{Settings: []FewShotSetting{{3, 4}, {2, 5}}, Folds: 3, Query: 3, EmbedderID: "radial"}
	run := func(dir string, sh jepa.Shard, mod func(*FewShotConfig)) error {
		c := base
		c.RunDir, c.Shard = dir, sh
		if mod != nil {
			mod(&c)
		}
		_, err := FewShot(ctx, &radialEmbedder{}, train, test, c)
		return err
	}
	for _, tc := range []struct {
		dir  string
		sh   jepa.Shard
		mod  func(*FewShotConfig)
		want string
	}{
		{t.TempDir(), jepa.Shard{Index: 3, Count: 2}, nil, "FewShotConfig.Shard: shard 3/2: the index must be in 0..1"},
		{t.TempDir(), jepa.Shard{Index: 0, Count: -1}, nil, "FewShotConfig.Shard: shard 0/-1"},
		{"", jepa.Shard{Index: 0, Count: 2}, nil, "FewShotConfig.Shard 0/2 needs a RunDir"},
		{t.TempDir(), jepa.Shard{Index: 0, Count: 7}, nil, "Shard 0/7: more shards than episodes, some would have none (the protocol has 2 settings × 3 folds = 6 episodes, so use at most 6 shards)"},
		{t.TempDir(), jepa.Shard{}, func(c *FewShotConfig) { c.EmbedderID = "" }, "needs FewShotConfig.EmbedderID"},
	} {
		require.ErrorContains(t, run(tc.dir, tc.sh, tc.mod), tc.want)
	}

	a, b := t.TempDir(), t.TempDir()
	require.NoError(t, run(a, jepa.Shard{Index: 0, Count: 2}, nil))
	require.NoError(t, run(b, jepa.Shard{Index: 1, Count: 2}, nil))
	_, err := MergeFewShot(a, b)
	require.NoError(t, err)
	require.ErrorContains(t, run(a, jepa.Shard{Index: 1, Count: 2}, func(c *FewShotConfig) { c.Seed = 5 }),
		"run directory "+a+" holds a few-shot run of another configuration (seed: the directory has 0, this call 5)")

	_, err = MergeFewShot(a)
	require.ErrorContains(t, err, "3 of the 6 episodes are missing from "+a+": 3w4s fold 1 (job 1, shard 1/2); 2w5s fold 0 (job 3, shard 1/2); 2w5s fold 2 (job 5, shard 1/2)")
	_, err = MergeFewShot()
	require.ErrorContains(t, err, "no run directory")
	_, err = MergeFewShot(a, a)
	require.ErrorContains(t, err, "given twice")
	whole := t.TempDir()
	require.NoError(t, run(whole, jepa.Shard{}, nil))
	_, err = MergeFewShot(a, whole)
	require.ErrorContains(t, err, "3w4s fold 0 (job 0) is in two files")
	other := t.TempDir()
	require.NoError(t, run(other, jepa.Shard{Index: 1, Count: 2}, func(c *FewShotConfig) { c.Query = 2 }))
	_, err = MergeFewShot(a, other)
	require.ErrorContains(t, err, "hold few-shot runs of different configurations (query: "+a+" has 3, "+other+" 2)")
	_, err = MergeFewShot(a, t.TempDir())
	require.ErrorContains(t, err, "fewshot.json")

	// Edited, truncated, of another configuration, of other code.
	job := filepath.Join(b, fewShotJobDir, "setting-1-2w5s-fold-2.json")
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
		{orig[:len(orig)/2], "shard ?, file " + job + ": truncated or not a record"},
		{[]byte(`{"job":5,"setting_index":1,"setting":"2w5s","fold":2,"accuracy":50}`), `digest ""`},
		{[]byte(`{"job":4}`), "holds job 4"},
	} {
		require.NoError(t, os.WriteFile(job, tc.data, 0o644))
		_, err = MergeFewShot(a, b)
		require.ErrorContains(t, err, tc.want)
	}
	write := func(mod func(*fewShotJobFile)) {
		var jf fewShotJobFile
		require.NoError(t, json.Unmarshal(orig, &jf))
		mod(&jf)
		jf.Digest = jf.digest()
		out, _ := json.Marshal(jf)
		require.NoError(t, os.WriteFile(job, out, 0o644))
	}
	write(func(jf *fewShotJobFile) { jf.CodeVersion = "other" })
	_, err = MergeFewShot(a, b)
	require.ErrorContains(t, err, `computed by code version "other"`)
	write(func(jf *fewShotJobFile) { jf.ConfigHash = "0123" })
	_, err = MergeFewShot(a, b)
	require.ErrorContains(t, err, "computed for configuration 0123")
	write(func(jf *fewShotJobFile) { jf.EmbeddingChecksum = "feed" })
	_, err = MergeFewShot(a, b)
	require.ErrorContains(t, err, "embeddings feed, but")
	write(func(jf *fewShotJobFile) { jf.EmbeddingChecksum, jf.GOMAXPROCS = "feed", jf.GOMAXPROCS+1 })
	m, err := MergeFewShot(a, b)
	require.NoError(t, err, "other GOMAXPROCS: other last bits are allowed")
	require.Len(t, m.Report.Notes, 1)
	assert.Contains(t, m.Report.Notes[0], "different GOMAXPROCS")
	assert.Zero(t, m.GOMAXPROCS)
	// The shard itself refuses the edited file too.
	require.NoError(t, os.WriteFile(job, edited, 0o644))
	require.ErrorContains(t, run(b, jepa.Shard{Index: 1, Count: 2}, nil), "setting-1-2w5s-fold-2.json: not the record of 2w5s fold 2: digest")
	require.NoError(t, os.WriteFile(job, orig, 0o644))
	_, err = MergeFewShot(a, b)
	require.NoError(t, err)
	// An edited header.
	hpath := filepath.Join(b, fewShotHeaderFile)
	hb, err := os.ReadFile(hpath)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(hpath, []byte(strings.Replace(string(hb), `"query": 3`, `"query": 4`, 1)), 0o644))
	_, err = MergeFewShot(a, b)
	require.ErrorContains(t, err, hpath+": digest")
}

// TestFewShotFinetuneShards: the fine-tuning form, 2 settings × 2 folds of
// a tiny untrained model fine-tuned for 2 epochs, as one call and as 2
// shards run in the opposite order in the same process; every episode's
// accuracy and last training loss must be bit-identical, so an episode
// does not depend on the episodes the process ran before it.
func TestFewShotFinetuneShards(t *testing.T) {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 6, TestPerClass: 3})
	m, err := New(tinyConfig())
	require.NoError(t, err)
	ctx := context.Background()
	ft := FinetuneConfig{Epochs: 2, WarmupEpochs: -1, FreezeEpochs: -1, BatchSize: 4}
	base := FewShotConfig{Settings: []FewShotSetting{{2, 4}, {3, 3}}, Folds: 2, Query: 2}
	whole, err := FewShotFinetune(ctx, m, train, test, base, ft)
	require.NoError(t, err)
	dir := t.TempDir()
	c := base
	c.RunDir = dir
	_, err = FewShotFinetune(ctx, m, train, test, c, ft)
	require.NoError(t, err)
	want := readJobs(t, dir)
	require.Len(t, want, 4)

	shared := t.TempDir()
	for _, i := range []int{1, 0} {
		c := base
		c.RunDir, c.Shard = shared, jepa.Shard{Index: i, Count: 2}
		part, err := FewShotFinetune(ctx, m, train, test, c, ft)
		require.NoError(t, err)
		require.Len(t, part.Jobs, 2)
		for _, job := range part.Jobs {
			w := want[job.Job]
			assert.NotZero(t, job.Loss)
			if job.Accuracy != w.Accuracy || job.Loss != w.Loss || job.BestEpoch != w.BestEpoch {
				t.Errorf("job %d: accuracy %v, loss %v, epoch %d; the whole run had %v, %v, %d", job.Job, job.Accuracy, job.Loss, job.BestEpoch, w.Accuracy, w.Loss, w.BestEpoch)
			}
		}
	}
	merged, err := MergeFewShot(shared)
	require.NoError(t, err)
	assert.Equal(t, withoutTimes(whole), withoutTimes(merged.Report))
	sameScores(t, whole, merged.Report)
	assert.Contains(t, merged.Report.Protocol, "full fine-tuning")
	// A rerun loads its episodes instead of fine-tuning them.
	c = base
	c.RunDir, c.Shard = shared, jepa.Shard{Index: 1, Count: 2}
	again, err := FewShotFinetune(ctx, m, train, test, c, ft)
	require.NoError(t, err)
	for _, job := range again.Jobs {
		assert.True(t, job.Resumed, "job %d", job.Job)
	}
	h, err := readFewShotHeader(shared)
	require.NoError(t, err)
	require.NotNil(t, h.Config.Finetune)
	assert.Equal(t, 2, h.Config.Finetune.Epochs)
	assert.Equal(t, "finetune", h.Config.Form)
	assert.True(t, strings.HasPrefix(h.Config.Model, "model "))
}
