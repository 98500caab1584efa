package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPartitionCommandJSON(t *testing.T) {
	root := dataGraphsDir(t)
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	args := []string{"--data", filepath.Join(root, "tu", "PROTEINS"), "--parts", "32", "--min-nodes", "32", "--limit", "20", "--seed", "3", "--json", "--write-metis", dir}
	require.NoError(t, runPartition(args, &out, &errOut), errOut.String())
	var raw map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &raw), out.String())
	for _, k := range []string{"graphs", "parts", "edge_cut_total", "max_imbalance", "seconds"} {
		assert.Contains(t, raw, k)
	}
	var s partitionSummary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.Equal(t, 20, s.Graphs)
	assert.Equal(t, 32, s.Parts)
	assert.Positive(t, s.EdgeCutTotal)
	assert.Less(t, s.EdgeCutTotal, s.Edges)
	assert.Positive(t, s.Skipped)
	files, err := filepath.Glob(filepath.Join(dir, "*.graph"))
	require.NoError(t, err)
	assert.Len(t, files, 20)
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	header := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
	assert.Len(t, header, 2, "METIS header: n m")

	// the same run again gives the same cut (deterministic for a seed)
	var out2 bytes.Buffer
	require.NoError(t, runPartition(args[:len(args)-2], &out2, &errOut))
	var s2 partitionSummary
	require.NoError(t, json.Unmarshal(out2.Bytes(), &s2))
	assert.Equal(t, s.EdgeCutTotal, s2.EdgeCutTotal)
}

func TestPartitionCommandTable(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, runPartition([]string{"--data", "synthetic", "--parts", "8", "--kway"}, &out, &errOut), errOut.String())
	for _, w := range []string{"graphs", "edge cut total", "max imbalance", "seconds", "k-way"} {
		assert.Contains(t, out.String(), w)
	}
	out.Reset()
	require.NoError(t, runPartition([]string{"--data", "synthetic", "--parts", "4", "--method", "louvain"}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "louvain")
}

func TestPartitionCommandErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{}, "--data is required"},
		{[]string{"--data", "synthetic", "--parts", "0"}, "--parts 0"},
		{[]string{"--data", "synthetic", "--min-nodes", "-1"}, "--min-nodes -1"},
		{[]string{"--data", "synthetic", "--limit", "-2"}, "--limit -2"},
		{[]string{"--data", "synthetic", "--ufactor", "-1"}, "--ufactor -1"},
		{[]string{"--data", "synthetic", "--ncuts", "-1"}, "--ncuts -1"},
		{[]string{"--data", "synthetic", "--method", "spectral"}, "--method"},
		{[]string{"--data", filepath.Join(t.TempDir(), "missing")}, "missing"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		err := runPartition(c.args, &out, &errOut)
		require.Error(t, err, c.args)
		assert.Contains(t, err.Error(), c.want)
	}
	var out, errOut bytes.Buffer
	require.NoError(t, runPartition([]string{"--help"}, &out, &errOut))
	assert.Contains(t, out.String(), "examples:\n  graphjepa partition")
}
