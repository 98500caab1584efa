package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/nongrid/jepa/internal/shareddata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataCommandMoleculeNet(t *testing.T) {
	path := filepath.Join(shareddata.Dir(t, "molecules", "moleculenet"), "bbbp.csv")
	var out, errOut bytes.Buffer
	require.NoError(t, runData([]string{"--data", path, "--json"}, &out, &errOut), errOut.String())
	var s moleculeSummary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s), out.String())
	assert.Equal(t, 2039, s.Rows)
	assert.Equal(t, 2039, s.Molecules+s.Unparsable)
	assert.Equal(t, 1, s.Tasks)
	assert.True(t, s.Classification)
	assert.Equal(t, s.Molecules, s.ScaffoldSplit.Train+s.ScaffoldSplit.Valid+s.ScaffoldSplit.Test)
	assert.InDelta(t, 0.8, float64(s.ScaffoldSplit.Train)/float64(s.Molecules), 0.01)

	out.Reset()
	require.NoError(t, runData([]string{"--data", path, "--mol-features", "ogb"}, &out, &errOut))
	assert.Contains(t, out.String(), "ogb-smiles2graph: 174 node, 13 edge columns")
	assert.Contains(t, out.String(), "scaffold split")
}

func TestDataCommandMoleculesBadInput(t *testing.T) {
	csv := filepath.Join("..", "..", "testdata", "molecules", "malformed.csv")
	var out, errOut bytes.Buffer
	require.NoError(t, runData([]string{"--data", csv, "--json"}, &out, &errOut))
	var s moleculeSummary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.Equal(t, 6, s.Rows)
	assert.Equal(t, 3, s.Molecules)
	var lines []int
	for _, u := range s.UnparsableAt {
		lines = append(lines, u.Line)
	}
	assert.Equal(t, []int{3, 5, 6}, lines, "unclosed ring, unclosed branch, unknown element")
	assert.Contains(t, errOut.String(), "malformed:3: not used:")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", csv, "--mol-features", "rdkit"}, "--mol-features"},
		{[]string{"--data", csv, "--folds", "5"}, "molecules are split by scaffold"},
		{[]string{"--data", filepath.Join(t.TempDir(), "missing.csv")}, "missing.csv"},
		{[]string{"--data", csv, "--smiles-column", "SMILES_X"}, "SMILES_X"},
	} {
		err := runData(tc.args, &out, &errOut)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
}

func TestDataCommandMoleculeFixtures(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, runData([]string{"--data", filepath.Join("..", "..", "testdata", "molecules", "tiny.csv"), "--json"}, &out, &errOut))
	var s moleculeSummary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.Equal(t, 8, s.Molecules)
	require.Len(t, s.Balance, 2, "the name column is not a task")
	assert.Equal(t, 1, s.Balance[0].Missing)
	assert.Equal(t, 1, s.Balance[1].Missing)

	out.Reset()
	require.NoError(t, runData([]string{"--data", filepath.Join("..", "..", "testdata", "molecules", "tiny.smi")}, &out, &errOut))
	assert.Contains(t, out.String(), "5 (5 molecules, 0 unparsable)")
}

func TestPretrainFlagsReadMolecules(t *testing.T) {
	d := dataFlags{data: filepath.Join("..", "..", "testdata", "molecules", "tiny.csv"), features: "zero"}
	set, err := d.load()
	require.NoError(t, err)
	require.Len(t, set.Graphs, 8)
	assert.Equal(t, 3, set.Graphs[0].NumNodes(), "CCO: heavy atoms only")
}
