package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// writeScaffoldCSV writes 120 molecules of 30 Bemis–Murcko scaffolds (two
// carbon rings of 3 to 7 atoms joined by a 1- or 2-carbon linker), four
// side chains each (O, N, C, OC on the second ring), so that every
// scaffold group holds both classes of "active" (the side chain has an
// oxygen). "constant" is 0 everywhere (one class: skipped); "partial" is
// present only for the O and C side chains (1 and 0). The rows are
// shuffled (row r holds molecule 53·r mod 120) so that no pattern of the
// file order lines up with the split.
func writeScaffoldCSV(t *testing.T) string {
	t.Helper()
	ring := func(k int, digit string) string { return "C" + digit + strings.Repeat("C", k-2) + "C" + digit }
	var rows []string
	for link := 1; link <= 2; link++ {
		for a := 3; a <= 7; a++ {
			for c := a; c <= 7; c++ {
				for _, side := range []string{"O", "N", "C", "OC"} {
					smi := ring(a, "1") + strings.Repeat("C", link) + ring(c, "2") + side
					active := 0
					if strings.Contains(side, "O") {
						active = 1
					}
					partial := ""
					switch side {
					case "O":
						partial = "1"
					case "C":
						partial = "0"
					}
					rows = append(rows, fmt.Sprintf("%s,%d,0,%s\n", smi, active, partial))
				}
			}
		}
	}
	require.Len(t, rows, 120)
	var b strings.Builder
	b.WriteString("smiles,active,constant,partial\n")
	for r := range rows {
		b.WriteString(rows[(53*r)%len(rows)])
	}
	path := filepath.Join(t.TempDir(), "scaffolds.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// TestEvalMoleculeTasks runs the per-task protocol on features that hold
// the "active" label: its test ROC-AUC must be 1, which only holds when
// the rows, the split and the labels line up.
func TestEvalMoleculeTasks(t *testing.T) {
	ms, err := loadMolecules(writeScaffoldCSV(t), "pretrain-gnns", "")
	require.NoError(t, err)
	require.Len(t, ms.Graphs, 120)
	require.NoError(t, checkMoleculeLabels(ms, "scaffolds.csv"))
	sp, err := moleculeSplit(ms, splitScaffold, 0)
	require.NoError(t, err)
	assert.Equal(t, []int{96, 12, 12}, []int{len(sp.Train), len(sp.Valid), len(sp.Test)}, "30 groups of 4: 24/3/3")
	x := mat.NewDense(120, 2, nil)
	for i := range 120 {
		x.Set(i, 0, float64(ms.Labels[i*3])+0.01*float64(i%7))
		x.Set(i, 1, float64((i*37)%11))
	}
	grid, err := parseCGrid(defaultCGrid)
	require.NoError(t, err)
	tasks, err := evalMolecules(ms, x, sp, moleculeEval{split: splitScaffold, cGrid: grid, maxIter: 1000})
	require.NoError(t, err)
	require.Len(t, tasks, 3)

	act := tasks[0]
	assert.Equal(t, "active", act.Task)
	assert.Equal(t, []int{96, 12, 12, 48}, []int{act.NTrain, act.NValid, act.NTest, act.PosTrain})
	require.NotNil(t, act.TestROCAUC, act.Skipped)
	assert.Equal(t, 1.0, *act.TestROCAUC)
	assert.Equal(t, 1.0, *act.ValidROCAUC)
	assert.Equal(t, 0.01, act.C, "ties keep the first C of the grid")

	assert.Nil(t, tasks[1].TestROCAUC)
	assert.Contains(t, tasks[1].Skipped, "one class in train (0 positive of 96")

	part := tasks[2]
	assert.Equal(t, []int{48, 6, 6}, []int{part.NTrain, part.NValid, part.NTest}, "only the labelled molecules")
	require.NotNil(t, part.TestROCAUC, part.Skipped)

	// The same split from the random splitters covers every molecule once.
	for _, name := range []string{splitRandomScaffold, splitRandom} {
		sp, err := moleculeSplit(ms, name, 3)
		require.NoError(t, err, name)
		seen := map[int]bool{}
		for _, part := range [][]int{sp.Train, sp.Valid, sp.Test} {
			for _, i := range part {
				seen[i] = true
			}
		}
		assert.Len(t, seen, 120, name)
	}
	_, err = moleculeSplit(ms, "foo", 0)
	assert.ErrorContains(t, err, "--split")
}

// TestEvalMoleculesCLI pre-trains a tiny MOLECULES model for one epoch and
// scores it (and its untrained floor) with eval --split scaffold.
func TestEvalMoleculesCLI(t *testing.T) {
	csv := writeScaffoldCSV(t)
	model := filepath.Join(t.TempDir(), "model")
	p := runJSON(t, pretrainCmd, append([]string{"--data", csv, "--out", model, "--preset", "MOLECULES"}, tinyModel...)...)
	assert.Equal(t, "MOLECULES", p["preset"])

	ev := runJSON(t, evalCmd, "--model", model, "--data", csv, "--split", "scaffold")
	assert.Equal(t, "scaffold", ev["split"])
	assert.Equal(t, 120.0, ev["molecules"])
	assert.Equal(t, []any{96.0, 12.0, 12.0}, []any{ev["train"], ev["valid"], ev["test"]})
	assert.Equal(t, []any{0.01, 0.1, 1.0, 10.0}, ev["c_grid"])
	assert.Equal(t, false, ev["untrained"])
	assert.Equal(t, 2.0, ev["scored_tasks"])
	assert.Equal(t, 1.0, ev["skipped_tasks"])
	tasks := ev["tasks"].([]any)
	require.Len(t, tasks, 3)
	sum := 0.0
	for _, raw := range tasks {
		task := raw.(map[string]any)
		for _, k := range []string{"task", "n_train", "n_valid", "n_test", "valid_roc_auc", "test_roc_auc"} {
			assert.Contains(t, task, k)
		}
		if task["task"] == "constant" {
			assert.Nil(t, task["test_roc_auc"])
			assert.Contains(t, task["skipped"], "one class in train")
			continue
		}
		auc := task["test_roc_auc"].(float64)
		assert.True(t, auc >= 0 && auc <= 1, "%v", task)
		assert.Contains(t, []any{0.01, 0.1, 1.0, 10.0}, task["c"])
		sum += auc
	}
	assert.InDelta(t, sum/2, ev["roc_auc_mean"], 1e-12)

	// The untrained floor: same command, deterministic.
	u1 := runJSON(t, evalCmd, "--model", model, "--data", csv, "--untrained")
	u2 := runJSON(t, evalCmd, "--model", model, "--data", csv, "--untrained")
	assert.Equal(t, true, u1["untrained"])
	assert.Equal(t, "scaffold", u1["split"], "molecules default to the scaffold split")
	assert.Equal(t, u1["tasks"], u2["tasks"])

	// The table, and the default split said on stderr.
	var out, errOut bytes.Buffer
	require.NoError(t, evalCmd([]string{"--model", model, "--data", csv}, &out, &errOut))
	assert.Contains(t, errOut.String(), "--split scaffold")
	assert.Contains(t, out.String(), "mean test ROC-AUC over 2 of 3 tasks")
	assert.Regexp(t, `constant +96 +12 +12 +skipped +one class in train`, out.String())

	// Random scaffold split with a seed.
	rs := runJSON(t, evalCmd, "--model", model, "--data", csv, "--split", "random-scaffold", "--split-seed", "2", "--c-grid", "1")
	assert.Equal(t, "random-scaffold", rs["split"])
	assert.Equal(t, 2.0, rs["split_seed"])
	assert.Equal(t, []any{1.0}, rs["c_grid"])

	// No task with both classes in every part: reported, then an error.
	tiny := filepath.Join("..", "..", "testdata", "molecules", "tiny.csv")
	out.Reset()
	err := evalCmd([]string{"--model", model, "--data", tiny, "--json"}, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no task has both classes")
	assert.Contains(t, out.String(), `"skipped_tasks": 2`)
}

func TestEvalMoleculesBadInput(t *testing.T) {
	csv := writeScaffoldCSV(t)
	dir := t.TempDir()
	regression := filepath.Join(dir, "esol.csv")
	require.NoError(t, os.WriteFile(regression, []byte("smiles,logS\nCCO,0.5\nCCC,-1.25\n"), 0o644))
	smi := filepath.Join("..", "..", "testdata", "molecules", "tiny.smi")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "m", "--data", csv, "--split", "foo"}, "--split"},
		{[]string{"--model", "m", "--data", csv, "--folds", "5"}, "molecules are split by scaffold"},
		{[]string{"--model", "m", "--data", "synthetic", "--split", "scaffold"}, "--split"},
		{[]string{"--model", "m", "--data", csv, "--c-grid", "0,1"}, "--c-grid"},
		{[]string{"--model", "m", "--data", csv, "--c-grid", "a"}, "--c-grid"},
		{[]string{"--model", "m", "--data", csv, "--split-seed", "4294967296"}, "--split-seed"},
		{[]string{"--model", "m", "--data", smi}, "no label columns"},
		{[]string{"--model", "m", "--data", regression}, "regression"},
		{[]string{"--model", filepath.Join(dir, "nomodel"), "--data", csv}, "nomodel"},
	} {
		var out, errOut bytes.Buffer
		err := evalCmd(tc.args, &out, &errOut)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
}

// TestMoleculeFilesPickTheMoleculesPreset: pretrain on bbbp.csv (any
// MoleculeNet file name) without --preset uses MOLECULES.
func TestMoleculeFilesPickTheMoleculesPreset(t *testing.T) {
	var mf modelFlags
	cfg, _, err := mf.config("bbbp")
	require.NoError(t, err)
	assert.Equal(t, 256, cfg.Hidden)
	assert.True(t, cfg.Patch.RepeatTargets)
}

// TestEvalUntrainedGraphSet: --untrained works on graph sets too, with
// the --folds protocol unchanged.
func TestEvalUntrainedGraphSet(t *testing.T) {
	model := filepath.Join(t.TempDir(), "model")
	runJSON(t, pretrainCmd, append([]string{"--data", "synthetic", "--out", model}, tinyModel...)...)
	tr := runJSON(t, evalCmd, "--model", model, "--data", "synthetic", "--folds", "3")
	un := runJSON(t, evalCmd, "--model", model, "--data", "synthetic", "--folds", "3", "--untrained")
	assert.Nil(t, tr["untrained"], "omitted unless set")
	assert.Equal(t, true, un["untrained"])
	assert.Len(t, un["fold_accuracies"], 3)
	assert.NotEqual(t, tr["fold_accuracies"], un["fold_accuracies"])
}
