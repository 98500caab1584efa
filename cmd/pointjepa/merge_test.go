package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stripFewShotTimes removes what must differ between two runs of the same
// episodes: wall times and run directories.
func stripFewShotTimes(m map[string]any) map[string]any {
	for _, k := range []string{"wall_s", "embed_s", "fit_s", "run_dir", "run_dirs"} {
		delete(m, k)
	}
	return m
}

// mergeJSON runs pointjepa merge --json DIR... and decodes its stdout
// (runJSON appends --json, but merge takes its flags first).
func mergeJSON(t *testing.T, dirs ...string) map[string]any {
	t.Helper()
	code, out, errs := runCmd(append([]string{"merge", "--json"}, dirs...)...)
	require.Equal(t, 0, code, "%v\n%s", dirs, errs)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &m), "stdout must be one JSON object: %q", out)
	return m
}

var fewShotWallLine = regexp.MustCompile(`(?m)^wall time: .*\n`)

// TestShardedFewShotEqualsOneRun runs a reduced few-shot protocol (2
// settings × 2 folds on the synthetic set, an untrained tiny model) once
// and as 3 shards on one run directory, for the linear probe, and as 2
// shards in directories of their own for the fine-tuning form; pointjepa
// merge must print the same JSON and table, wall times and run directories
// aside.
func TestShardedFewShotEqualsOneRun(t *testing.T) {
	base := append([]string{"fewshot", "--points", "64", "--max-train", "64", "--max-test", "40",
		"--settings", "3w2s,2w3s", "--query", "2", "--folds", "2", "--batch", "8"}, tinyModel...)
	arg := func(extra ...string) []string { return append(append([]string{}, base...), extra...) }
	tmp := t.TempDir()

	want := stripFewShotTimes(runJSON(t, arg()...))
	code, wantText, errs := runCmd(arg()...)
	require.Equal(t, 0, code, errs)
	shared := filepath.Join(tmp, "shared")
	for i := range 3 {
		s := runJSON(t, arg("--run", shared, "--shard", fmt.Sprintf("%d/3", i))...)
		assert.Equal(t, fmt.Sprintf("%d/3", i), s["shard"])
		assert.Len(t, s["jobs"], map[int]int{0: 2, 1: 1, 2: 1}[i], "jobs 0 and 3 go to shard 0")
		assert.Nil(t, s["results"])
	}
	code, shardText, errs := runCmd(arg("--run", shared, "--shard", "1/3")...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, shardText, "job 1 (3w2s fold 1): accuracy")
	assert.Contains(t, shardText, "(from the run directory)")
	assert.Contains(t, shardText, "pointjepa merge "+shared)

	got := stripFewShotTimes(mergeJSON(t, shared))
	assert.Equal(t, want, got)
	code, gotText, errs := runCmd("merge", shared)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, fewShotWallLine.ReplaceAllString(wantText, ""), fewShotWallLine.ReplaceAllString(gotText, ""))
	assert.Contains(t, gotText, "3w2s")
	assert.Equal(t, "small", got["preset"])
	assert.Equal(t, "svm", got["probe"])
	require.Len(t, got["results"], 2)

	// The fine-tuning form, 2 shards in 2 directories.
	ft := arg("--finetune", "--ft-epochs", "1", "--ft-warmup-epochs", "-1", "--ft-batch-size", "4")
	wantFT := stripFewShotTimes(runJSON(t, ft...))
	dirs := []string{filepath.Join(tmp, "ft0"), filepath.Join(tmp, "ft1")}
	for i, d := range dirs {
		runJSON(t, append(ft, "--run", d, "--shard", fmt.Sprintf("%d/2", i))...)
	}
	gotFT := stripFewShotTimes(mergeJSON(t, dirs[0], dirs[1]))
	assert.Equal(t, wantFT, gotFT)
	assert.Equal(t, "finetune", gotFT["probe"])
	// Shards of the two forms are different configurations.
	code, _, errs = runCmd("merge", shared, dirs[0])
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "hold few-shot runs of different configurations")
}

func TestFewShotShardFlagsAndMergeErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--run", dir, "--shard", "3/2"}, "--shard: shard 3/2: the index must be in 0..1"},
		{[]string{"--run", dir, "--shard", "0/0"}, "--shard: shard 0/0: the shard count must be at least 1"},
		{[]string{"--run", dir, "--shard", "a/b"}, `--shard: shard "a/b": i and n must be integers`},
		{[]string{"--shard", "0/2"}, "--shard 0/2 needs --run DIR"},
		{[]string{"--run", dir, "--shard", "0/41", "--folds", "10"}, "--shard 0/41: more shards than episodes (4 settings × 10 folds = 40)"},
	} {
		code, _, errs := runCmd(append([]string{"fewshot"}, tc.args...)...)
		assert.Equal(t, 1, code, "%v", tc.args)
		assert.Contains(t, errs, tc.want, "%v", tc.args)
		assert.NotContains(t, errs, "panic", "%v", tc.args)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no run directory"},
		{[]string{"d", "--json"}, "flags go first"},
		{[]string{dir}, "fewshot.json"},
		{[]string{"--bogus", dir}, "flag provided but not defined: -bogus"},
	} {
		code, _, errs := runCmd(append([]string{"merge"}, tc.args...)...)
		assert.Equal(t, 1, code, "%v", tc.args)
		assert.Contains(t, errs, tc.want, "%v", tc.args)
	}
	code, out, errs := runCmd("merge", "--help")
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "usage: pointjepa merge [--json] DIR...")
	assert.Contains(t, out, "-json")
}

// The merge JSON decodes into the fewshot output type (one struct for both).
func TestMergeOutputType(t *testing.T) {
	var o fewShotOutput
	require.NoError(t, json.Unmarshal([]byte(`{"probe":"svm","folds":2,"results":[],"shard":"0/2"}`), &o))
	assert.Equal(t, "svm", o.Probe)
	assert.Equal(t, "0/2", o.Shard)
}
