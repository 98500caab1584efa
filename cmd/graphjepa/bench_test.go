package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func benchCmd(args []string, out, errOut *bytes.Buffer) error { return runBench(args, out, errOut) }

func TestBenchCommandTiny(t *testing.T) {
	m := runJSON(t, benchCmd, "--preset", "MUTAG", "--data", mutagDir(t), "--hidden", "16", "--heads", "2",
		"--encoder-layers", "1", "--gnn-layers", "1", "--timed-epochs", "1", "--repeat", "1")
	for _, k := range []string{"preset", "train_graphs_per_s", "epoch_seconds", "embed_graphs_per_s"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, "MUTAG", m["preset"])
	assert.Equal(t, 169.0, m["train_graphs"], "the training fold of the first split")
	assert.Equal(t, 19.0, m["test_graphs"])
	assert.Equal(t, 2.0, m["steps_per_epoch"])
	assert.Greater(t, m["embed_graphs_per_s"].(float64), 0.0)
	assert.Greater(t, m["patch_graphs_per_s"].(float64), 0.0)
	assert.NotContains(t, m, "limited")

	// --limit times the first graphs of the fold and estimates the rest.
	l := runJSON(t, benchCmd, "--preset", "MUTAG", "--data", mutagDir(t), "--hidden", "16", "--heads", "2",
		"--encoder-layers", "1", "--gnn-layers", "1", "--timed-epochs", "1", "--repeat", "1", "--limit", "40")
	assert.Equal(t, 40.0, l["train_graphs"])
	assert.Equal(t, 5.0, l["test_graphs"], "⌈40/9⌉")
	assert.Equal(t, true, l["limited"])
	assert.Equal(t, 169.0, l["fold_train_graphs"])
	assert.InDelta(t, l["epoch_seconds"].(float64)*169/40, l["full_epoch_seconds_estimate"].(float64), 1e-9)
}

func TestBenchCommandFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", "synthetic", "--timed-epochs", "0"}, "--timed-epochs 0: want 1..100"},
		{[]string{"--data", "synthetic", "--repeat", "101"}, "--repeat 101: want 1..100"},
		{[]string{"--data", "synthetic", "--epochs", "3"}, "use --timed-epochs"},
		{[]string{"--data", "synthetic", "--heads", "-1"}, "--heads -1"},
		{nil, "--data is required"},
		{[]string{"--data", "synthetic", "--limit", "-2"}, "--limit -2: want a graph count"},
	} {
		var out, errOut bytes.Buffer
		err := runBench(tc.args, &out, &errOut)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want)
	}
}
