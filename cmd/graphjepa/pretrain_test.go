package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pretrainCmd(args []string, out, errOut *bytes.Buffer) error {
	return runPretrain(args, out, errOut)
}
func embedCmd(args []string, out, errOut *bytes.Buffer) error { return runEmbed(args, out, errOut) }
func evalCmd(args []string, out, errOut *bytes.Buffer) error  { return runEval(args, out, errOut) }

func TestPretrainEmbedEval(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model")
	m := runJSON(t, pretrainCmd, append([]string{"--data", mutagDir(t), "--out", model}, tinyModel...)...)
	assert.Equal(t, "MUTAG", m["dataset"])
	assert.Equal(t, 188.0, m["graphs"])
	assert.Greater(t, m["params"].(float64), 1000.0)
	assert.FileExists(t, filepath.Join(model, "model.safetensors"))

	npy := filepath.Join(dir, "e.npy")
	e := runJSON(t, embedCmd, "--model", model, "--data", mutagDir(t), "--out", npy)
	assert.Equal(t, 188.0, e["graphs"])
	assert.Equal(t, 16.0, e["dim"])
	b, err := os.ReadFile(npy)
	require.NoError(t, err)
	assert.Equal(t, "\x93NUMPY", string(b[:6]))
	assert.Contains(t, string(b[:128]), "(188, 16)")

	csvPath := filepath.Join(dir, "e.csv")
	runJSON(t, embedCmd, "--model", model, "--data", mutagDir(t), "--out", csvPath, "--transform", "train", "--seed", "3")
	f, err := os.Open(csvPath)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 189)
	assert.Equal(t, []string{"graph", "label", "e0"}, rows[0][:3])
	assert.Len(t, rows[1], 18)

	ev := runJSON(t, evalCmd, "--model", model, "--data", mutagDir(t), "--folds", "5")
	assert.Equal(t, 5.0, ev["folds"])
	assert.Len(t, ev["fold_accuracies"], 5)
	assert.Greater(t, ev["accuracy_mean"].(float64), 50.0)
}

func TestPretrainEmbedEvalFlags(t *testing.T) {
	cases := []struct {
		cmd  func([]string, *bytes.Buffer, *bytes.Buffer) error
		args []string
		want string
	}{
		{pretrainCmd, []string{"--data", "synthetic"}, "--out is required"},
		{pretrainCmd, []string{"--out", "x"}, "--data is required"},
		{pretrainCmd, []string{"--data", "synthetic", "--out", "x", "--batch-size", "-1"}, "--batch-size -1"},
		{pretrainCmd, []string{"--data", "synthetic", "--out", "x", "--features", "bogus"}, "unknown feature rule"},
		{pretrainCmd, []string{"--data", "synthetic", "--out", "x", "--partitioner", "nope"}, "--partitioner \"nope\": unknown; known: recursive-bisection, louvain, bfs-placeholder"},
		{embedCmd, []string{"--data", "synthetic", "--out", "x.npy"}, "--model is required"},
		{evalCmd, []string{"--model", "m", "--data", "synthetic", "--partitioner", "nope"}, "--partitioner \"nope\""},
		{embedCmd, []string{"--model", "m", "--data", "synthetic", "--out", "x.txt"}, "want a .npy or .csv file"},
		{embedCmd, []string{"--model", "m", "--data", "synthetic", "--out", "x.npy", "--transform", "both"}, "--transform \"both\""},
		{embedCmd, []string{"--model", "/no/such/model", "--data", "synthetic", "--out", filepath.Join(t.TempDir(), "x.npy")}, "/no/such/model"},
		{evalCmd, []string{"--model", "m", "--data", "synthetic", "--folds", "1"}, "--folds 1: want 2..100"},
		{evalCmd, []string{"--model", "m", "--data", "synthetic", "--max-iter", "0"}, "--max-iter 0"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		err := tc.cmd(tc.args, &out, &errOut)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
}

func TestPartitionerFlag(t *testing.T) {
	f, err := resolvePartitioner("")
	require.NoError(t, err)
	assert.Nil(t, f, "empty flag: the configuration's own")
	for _, name := range []string{"recursive-bisection", "louvain", "bfs-placeholder"} {
		f, err = resolvePartitioner(name)
		require.NoError(t, err, name)
		assert.NotNil(t, f, name)
	}

	var mf modelFlags
	cfg, _, err := mf.config("PROTEINS")
	require.NoError(t, err)
	assert.Equal(t, "recursive-bisection", cfg.Patch.PartitionerName, "the default")
	assert.NotNil(t, cfg.Patch.Partitioner)
	mf.partitioner = "louvain"
	cfg, _, err = mf.config("PROTEINS")
	require.NoError(t, err)
	assert.Equal(t, "louvain", cfg.Patch.PartitionerName)
	assert.NotNil(t, cfg.Patch.Partitioner)
}
