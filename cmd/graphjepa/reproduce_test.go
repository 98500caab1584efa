package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyModel is a model small enough for tests (the paper's is d = 512).
var tinyModel = []string{"--hidden", "16", "--heads", "2", "--encoder-layers", "1", "--gnn-layers", "1", "--epochs", "1"}

func mutagDir(t *testing.T) string { return filepath.Join(dataGraphsDir(t), "tu", "MUTAG") }

// runJSON runs a command with --json and decodes its one JSON object.
func runJSON(t *testing.T, cmd func([]string, *bytes.Buffer, *bytes.Buffer) error, args ...string) map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	require.NoError(t, cmd(append(args, "--json"), &out, &errOut), errOut.String())
	var m map[string]any
	dec := json.NewDecoder(&out)
	require.NoError(t, dec.Decode(&m), out.String())
	assert.False(t, dec.More(), "exactly one JSON object on stdout")
	return m
}

func reproduceCmd(args []string, out, errOut *bytes.Buffer) error {
	return runReproduce(args, out, errOut)
}

func TestReproduceCommandTinyAndResume(t *testing.T) {
	run := t.TempDir()
	args := append([]string{"--dataset", "MUTAG", "--data", mutagDir(t), "--runs", "1", "--folds", "2", "--run", run}, tinyModel...)
	m := runJSON(t, reproduceCmd, args...)
	for _, k := range []string{"dataset", "runs", "folds", "epochs", "accuracy_mean", "accuracy_std", "paper_mean", "paper_std", "fold_accuracies", "wall_seconds"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, "MUTAG", m["dataset"])
	assert.Equal(t, 1.0, m["runs"])
	assert.Equal(t, 2.0, m["folds"])
	assert.Equal(t, 1.0, m["epochs"])
	assert.Equal(t, 91.25, m["paper_mean"])
	assert.Equal(t, 5.75, m["paper_std"])
	assert.Equal(t, true, m["reduced"])
	acc := m["fold_accuracies"].([]any)[0].([]any)
	require.Len(t, acc, 2)
	mean := (acc[0].(float64) + acc[1].(float64)) / 2
	assert.InDelta(t, mean, m["accuracy_mean"].(float64), 1e-9)
	assert.Greater(t, mean, 40.0)

	// Restarted with the same arguments: every fold comes from the run
	// directory, the numbers are the same.
	var out, errOut bytes.Buffer
	require.NoError(t, runReproduce(args, &out, &errOut))
	assert.Contains(t, errOut.String(), "fold 1/2: accuracy")
	assert.Contains(t, errOut.String(), "from the run directory")
	assert.Contains(t, out.String(), "REDUCED protocol")
	assert.Contains(t, out.String(), "paper (Graph-JEPA)  91.25 ± 5.75")
	m2 := runJSON(t, reproduceCmd, args...)
	assert.Equal(t, m["fold_accuracies"], m2["fold_accuracies"])

	// A one-fold protocol takes its job from that run directory.
	out.Reset()
	errOut.Reset()
	one := append([]string{"--dataset", "MUTAG", "--data", mutagDir(t), "--runs", "1", "--folds", "1", "--reuse", run}, tinyModel...)
	require.NoError(t, runReproduce(one, &out, &errOut))
	assert.Contains(t, errOut.String(), "fold 1/1: accuracy")
	assert.Contains(t, errOut.String(), "(from "+run+")")
	assert.Contains(t, out.String(), "1 from "+run)
	assert.Contains(t, out.String(), "(1 of the 1 jobs were computed earlier; all jobs' own times add up to")

	// Another configuration in the same run directory is refused.
	other := append(append([]string{}, args...), "--epochs", "2")
	err := runReproduce(other, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds a reproduce run of another configuration")
	assert.Contains(t, err.Error(), "model.epochs")
}

func TestReproduceCommandZINCPartial(t *testing.T) {
	if testing.Short() {
		t.Skip("ZINC pre-training on 1000 graphs")
	}
	dir := filepath.Join(dataGraphsDir(t), "zinc12k_partial")
	m := runJSON(t, reproduceCmd, append([]string{"--dataset", "ZINC", "--data", dir, "--runs", "1"}, tinyModel...)...)
	assert.Contains(t, m["protocol"], "PARTIAL")
	assert.Equal(t, false, m["comparable"])
	assert.Equal(t, 0.434, m["paper_mean"])
	assert.Greater(t, m["mae_mean"].(float64), 0.0)
	notes := strings.Join(toStrings(m["notes"]), "\n")
	assert.Contains(t, notes, "not comparable")
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestReproduceCommandFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, "--dataset is required"},
		{[]string{"--dataset", "MUTAG", "--runs", "6"}, "--runs 6: want 1..5"},
		{[]string{"--dataset", "ZINC", "--runs", "11"}, "--runs 11: want 1..10"},
		{[]string{"--dataset", "MUTAG", "--folds", "11"}, "--folds 11: want 1..10"},
		{[]string{"--dataset", "MUTAG", "--folds", "-1"}, "--folds -1"},
		{[]string{"--dataset", "MUTAG", "--epochs", "-3"}, "--epochs -3"},
		{[]string{"--dataset", "MUTAG", "--lr", "2"}, "--lr 2"},
		{[]string{"--dataset", "MUTAG", "--hidden", "30", "--heads", "4"}, "--hidden 30 is not a multiple of --heads 4"},
		{[]string{"--dataset", "MUTAG", "--preset", "NOPE"}, "unknown preset"},
		{[]string{"--dataset", "MUTAG", "extra"}, "unexpected arguments"},
		{[]string{"--dataset", "ZINC", "--data", "/no/such/dir"}, "ZINC needs a folder"},
		{[]string{"--dataset", "MUTAG", "--reuse", "a,,b"}, `--reuse "a,,b": an empty directory name`},
		{[]string{"--dataset", "MUTAG", "--run", "runs/x", "--reuse", "runs/x/"}, "--reuse runs/x/: that is the --run directory itself"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		err := runReproduce(tc.args, &out, &errOut)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
}

func TestCommandsHelp(t *testing.T) {
	for _, name := range []string{"reproduce", "pretrain", "embed", "eval", "bench", "quickstart"} {
		var out, errOut bytes.Buffer
		assert.Equal(t, 0, run([]string{name, "--help"}, &out, &errOut), name)
		assert.Contains(t, errOut.String()+out.String(), "usage: graphjepa "+name, name)
		assert.Contains(t, errOut.String()+out.String(), "examples:", name)
	}
}
