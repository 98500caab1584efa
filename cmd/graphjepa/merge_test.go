package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTinyTU writes a TU data set of 24 small graphs (12 cycles, 12
// stars) into dir/T and returns that folder.
func writeTinyTU(t *testing.T, dir string) string {
	t.Helper()
	dir = filepath.Join(dir, "T")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	var a, ind, lab strings.Builder
	node := 1
	for g := range 24 {
		n := 5 + g%4
		for v := range n {
			fmt.Fprintf(&ind, "%d\n", g+1)
			var u int
			if g%2 == 0 {
				u = (v + 1) % n // cycle
			} else if v > 0 {
				u = 0 // star
			} else {
				continue
			}
			fmt.Fprintf(&a, "%d, %d\n%d, %d\n", node+v, node+u, node+u, node+v)
		}
		node += n
		fmt.Fprintf(&lab, "%d\n", g%2)
	}
	for name, s := range map[string]string{"T_A.txt": a.String(), "T_graph_indicator.txt": ind.String(), "T_graph_labels.txt": lab.String()} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644))
	}
	return dir
}

// buildGraphjepa builds this command into a temporary folder.
func buildGraphjepa(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "graphjepa")
	cmd := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// runBin runs the binary with GOMAXPROCS=1 (the summation order of large
// matrix products depends on it) and returns its stdout.
func runBin(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Run(), "%s %s: %s", bin, strings.Join(args, " "), errOut.String())
	return out.String()
}

// stripTimes removes what must differ between two runs of the same jobs:
// wall times and run directories.
func stripTimes(t *testing.T, js string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &m), js)
	delete(m, "wall_seconds")
	delete(m, "run_dir")
	for _, fr := range m["fold_results"].([]any) {
		delete(fr.(map[string]any), "seconds")
		delete(fr.(map[string]any), "pretrain_seconds")
	}
	return m
}

var wallLine = regexp.MustCompile(`(?m)^wall time .*\n`)

// TestShardedReproduceEqualsOneProcess runs a reduced protocol (2 runs × 2
// folds of a 24-graph set, a tiny model, 1 epoch) once in one process with
// 2 jobs side by side, and as 3 shards in 3 separate processes started
// together on one run directory; graphjepa merge must print the same
// report and JSON, bit for bit, wall times and run directories aside.
func TestShardedReproduceEqualsOneProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs it as 6 processes")
	}
	bin := buildGraphjepa(t)
	tmp := t.TempDir()
	data := writeTinyTU(t, tmp)
	base := append([]string{"reproduce", "--dataset", "MUTAG", "--data", data, "--runs", "2", "--folds", "2", "--batch-size", "8"}, tinyModel...)
	arg := func(extra ...string) []string { return append(append([]string{}, base...), extra...) }

	single := filepath.Join(tmp, "single")
	wantJSON := runBin(t, bin, arg("--run", single, "--jobs", "2", "--json")...)
	wantText := runBin(t, bin, arg("--run", single)...) // every job from the run directory

	shared := filepath.Join(tmp, "shared")
	var wg sync.WaitGroup
	outs := make([]string, 3)
	for i := range 3 {
		wg.Go(func() { outs[i] = runBin(t, bin, arg("--run", shared, "--shard", fmt.Sprintf("%d/3", i), "--json")...) })
	}
	wg.Wait()
	for i, o := range outs {
		var s shardSummary
		require.NoError(t, json.Unmarshal([]byte(o), &s), o)
		assert.Equal(t, fmt.Sprintf("%d/3", i), s.Shard)
		assert.Equal(t, 4, s.TotalJobs)
		assert.Equal(t, map[int]int{0: 2, 1: 1, 2: 1}[i], s.Jobs, "jobs 0 and 3 go to shard 0")
	}
	gotJSON := runBin(t, bin, "merge", "--json", shared)
	gotText := runBin(t, bin, "merge", shared)

	want, got := stripTimes(t, wantJSON), stripTimes(t, gotJSON)
	assert.Equal(t, want, got)
	assert.Equal(t, wallLine.ReplaceAllString(wantText, ""), wallLine.ReplaceAllString(gotText, ""))
	assert.Contains(t, gotText, "nongrid/jepa  ")
	assert.Contains(t, gotText, "REDUCED protocol")
	// The numbers themselves: 4 jobs with accuracies and distinct
	// embedding checksums.
	frs := got["fold_results"].([]any)
	require.Len(t, frs, 4)
	sums := map[any]bool{}
	for _, fr := range frs {
		sums[fr.(map[string]any)["embedding_checksum"]] = true
		assert.Equal(t, 1.0, fr.(map[string]any)["gomaxprocs"])
	}
	assert.Len(t, sums, 4)
	assert.NotNil(t, got["accuracy_mean"])
}

func TestShardFlagsAndMergeErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--dataset", "MUTAG", "--run", "x", "--shard", "3/2"}, "--shard: shard 3/2: the index must be in 0..1"},
		{[]string{"--dataset", "MUTAG", "--run", "x", "--shard", "0/0"}, "--shard: shard 0/0: the shard count must be at least 1"},
		{[]string{"--dataset", "MUTAG", "--run", "x", "--shard", "a/b"}, `--shard: shard "a/b": i and n must be integers`},
		{[]string{"--dataset", "MUTAG", "--shard", "0/2"}, "--shard 0/2 needs --run DIR"},
		{[]string{"--dataset", "MUTAG", "--jobs", "0"}, "--jobs 0: out of range"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		err := runReproduce(tc.args, &out, &errOut)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
	var out, errOut bytes.Buffer
	require.ErrorContains(t, runMerge(nil, &out, &errOut), "no run directory")
	require.ErrorContains(t, runMerge([]string{"d", "--json"}, &out, &errOut), "flags go first")
	require.ErrorContains(t, runMerge([]string{t.TempDir()}, &out, &errOut), "reproduce.json")
}
