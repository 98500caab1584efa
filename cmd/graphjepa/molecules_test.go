package main

import (
	"bytes"
	"encoding/json"
	"os"
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
	dir := t.TempDir()
	csv := filepath.Join(dir, "mine.csv")
	require.NoError(t, os.WriteFile(csv, []byte("smiles,active\nCCO,1\nC1CC,0\nc1ccccc1O,0\nCC(=O)O,1\n"), 0o644))
	var out, errOut bytes.Buffer
	require.NoError(t, runData([]string{"--data", csv, "--json"}, &out, &errOut))
	var s moleculeSummary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.Equal(t, 4, s.Rows)
	assert.Equal(t, 3, s.Molecules)
	require.Len(t, s.UnparsableAt, 1)
	assert.Equal(t, 3, s.UnparsableAt[0].Line, "the unclosed ring is on line 3")
	assert.Contains(t, errOut.String(), "mine:3: not used:")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", csv, "--mol-features", "rdkit"}, "--mol-features"},
		{[]string{"--data", csv, "--folds", "5"}, "molecules are split by scaffold"},
		{[]string{"--data", filepath.Join(dir, "missing.csv")}, "missing.csv"},
		{[]string{"--data", csv, "--smiles-column", "SMILES_X"}, "SMILES_X"},
	} {
		err := runData(tc.args, &out, &errOut)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
}

func TestPretrainFlagsReadMolecules(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "mine.csv")
	require.NoError(t, os.WriteFile(csv, []byte("smiles,active\nCCO,1\nc1ccccc1O,0\n"), 0o644))
	d := dataFlags{data: csv, features: "zero"}
	set, err := d.load()
	require.NoError(t, err)
	require.Len(t, set.Graphs, 2)
	assert.Equal(t, 2, set.NumClasses)
	assert.Equal(t, 3, set.Graphs[0].NumNodes(), "CCO: heavy atoms only")
}
