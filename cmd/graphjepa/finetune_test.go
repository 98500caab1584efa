package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func finetuneCmd(args []string, out, errOut *bytes.Buffer) error {
	return runFineTune(args, out, errOut)
}

// TestFineTuneCLI pre-trains a tiny MOLECULES model for one epoch and
// fine-tunes it and its untrained twin over two seeds on the scaffold
// fixture (classification), then on a real-valued column (regression).
func TestFineTuneCLI(t *testing.T) {
	csv := writeScaffoldCSV(t)
	model := filepath.Join(t.TempDir(), "model")
	runJSON(t, pretrainCmd, append([]string{"--data", csv, "--out", model, "--preset", "MOLECULES"}, tinyModel...)...)

	s := runJSON(t, finetuneCmd, "--model", model, "--data", csv, "--seeds", "2", "--epochs", "3", "--curves")
	assert.Equal(t, "roc_auc", s["metric"])
	assert.Equal(t, []any{96.0, 12.0, 12.0}, []any{s["train"], s["valid"], s["test"]})
	assert.Equal(t, 2.0, s["scored_test_tasks"], "the constant task is not scored")
	assert.Equal(t, []any{0.0, 1.0}, s["seeds"])
	for _, enc := range []string{"pretrained", "untrained"} {
		r := s[enc].(map[string]any)
		final := r["final"].([]any)
		require.Len(t, final, 2, enc)
		for _, v := range final {
			assert.True(t, v.(float64) >= 0 && v.(float64) <= 1, "%s: a ROC-AUC, got %v", enc, v)
		}
		require.Len(t, r["epochs"].([]any)[0].([]any), 3)
	}
	assert.NotEqual(t, s["pretrained"].(map[string]any)["final"], s["untrained"].(map[string]any)["final"])

	// Regression: a real-valued column.
	reg := writeRegressionCSV(t, csv)
	r := runJSON(t, finetuneCmd, "--model", model, "--data", reg, "--seeds", "1", "--epochs", "2", "--encoders", "pretrained")
	assert.Equal(t, "rmse", r["metric"])
	assert.Nil(t, r["untrained"])
	v := r["pretrained"].(map[string]any)["final"].([]any)[0].(float64)
	assert.True(t, v > 0 && v < 10, "an RMSE in the labels' units, got %v", v)

	var out, errOut bytes.Buffer
	require.ErrorContains(t, runFineTune([]string{"--model", model, "--data", csv, "--seeds", "0"}, &out, &errOut), "--seeds 0")
	require.ErrorContains(t, runFineTune([]string{"--model", model, "--data", csv, "--encoders", "x"}, &out, &errOut), "--encoders")
	require.ErrorContains(t, runFineTune([]string{"--model", model, "--data", "synthetic"}, &out, &errOut), "molecule file")
	require.ErrorContains(t, runFineTune([]string{"--data", csv}, &out, &errOut), "--model is required")
}

// TestPretrainMoleculeUnion pre-trains on two molecule files at once: the
// second repeats the first (every molecule a duplicate), and the scaffold
// test split of each is left out.
func TestPretrainMoleculeUnion(t *testing.T) {
	a := writeScaffoldCSV(t)
	b := writeScaffoldCSV(t)
	model := filepath.Join(t.TempDir(), "model")
	p := runJSON(t, pretrainCmd, append([]string{"--data", a + "," + b, "--exclude-test", "scaffold", "--out", model}, tinyModel...)...)
	assert.Equal(t, "MOLECULENET", p["preset"], "the union's name, an alias of MOLECULES")
	assert.Equal(t, true, p["config"].(map[string]any)["patch"].(map[string]any)["repeat_targets"], "the MOLECULES preset")
	assert.Equal(t, 108.0, p["graphs"], "120 molecules without the 12 of the test split")
	u := p["union"].(map[string]any)
	assert.Equal(t, "scaffold", u["exclude_test"])
	parts := u["parts"].([]any)
	assert.Equal(t, map[string]any{"name": "scaffolds", "molecules": 120.0, "kept": 108.0, "duplicates": 0.0, "excluded": 12.0}, parts[0])
	assert.Equal(t, 108.0, parts[1].(map[string]any)["duplicates"])

	var out, errOut bytes.Buffer
	err := runPretrain([]string{"--data", a, "--exclude-test", "scaffold", "--out", model}, &out, &errOut)
	require.ErrorContains(t, err, "for --data listing several molecule files")
	err = runPretrain([]string{"--data", a + "," + b, "--exclude-test", "time", "--out", model}, &out, &errOut)
	require.ErrorContains(t, err, "--exclude-test")
}

// TestReproduceMolecules runs the molecule transfer protocol (frozen
// embeddings, then fine-tuning of both encoders) on the scaffold fixture.
func TestReproduceMolecules(t *testing.T) {
	csv := writeScaffoldCSV(t)
	model := filepath.Join(t.TempDir(), "model")
	runJSON(t, pretrainCmd, append([]string{"--data", csv, "--out", model, "--preset", "MOLECULES"}, tinyModel...)...)
	s := runJSON(t, reproduceCmd, "--dataset", "BBBP", "--data", csv, "--model", model, "--runs", "2", "--epochs", "2")
	assert.Equal(t, true, s["reduced"])
	assert.Equal(t, 72.0, s["graphmae_finetuned"])
	fr := s["frozen"].(map[string]any)
	assert.Equal(t, 2.0, fr["scored_tasks"])
	assert.NotNil(t, fr["pretrained"])
	assert.Len(t, s["finetuned_pretrained"].(map[string]any)["final"], 2)
	assert.Len(t, s["finetuned_untrained"].(map[string]any)["final"], 2)

	r := runJSON(t, reproduceCmd, "--dataset", "ESOL", "--data", writeRegressionCSV(t, csv), "--model", model, "--runs", "1", "--epochs", "1")
	assert.Equal(t, "rmse", r["metric"])
	rmse := r["frozen"].(map[string]any)["pretrained"].(float64)
	assert.True(t, rmse > 0 && rmse < 5, "a ridge RMSE in the labels' units, got %v", rmse)
	assert.Nil(t, r["graphmae_finetuned"])

	var out, errOut bytes.Buffer
	require.ErrorContains(t, runReproduce([]string{"--dataset", "BBBP", "--data", csv}, &out, &errOut), "--model is required")
	require.ErrorContains(t, runReproduce([]string{"--dataset", "MUTAG", "--model", model}, &out, &errOut), "for molecule files")
}

// writeRegressionCSV writes the molecules of the scaffold fixture csv with
// one real-valued column.
func writeRegressionCSV(t *testing.T, csv string) string {
	t.Helper()
	reg := filepath.Join(t.TempDir(), "reg.csv")
	raw, err := os.ReadFile(csv)
	require.NoError(t, err)
	var b bytes.Buffer
	for i, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		f := bytes.SplitN(line, []byte(","), 2)
		if i == 0 {
			b.WriteString("smiles,logS\n")
			continue
		}
		b.Write(f[0])
		b.WriteString(",")
		b.WriteString([]string{"-1.5", "0.25", "2", "3.75"}[i%4])
		b.WriteString("\n")
	}
	require.NoError(t, os.WriteFile(reg, b.Bytes(), 0o644))
	return reg
}
