package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
)

// tinyModel are the flags of a model small enough for command tests, on
// 64-point synthetic clouds.
var tinyModel = []string{
	"--preset", "small", "--width", "16", "--depth", "1", "--heads", "2",
	"--groups", "16", "--group-size", "8", "--model-points", "64",
}

var tinyPredictor = []string{"--pred-width", "8", "--pred-depth", "1", "--pred-heads", "2"}

// runJSON runs a command with --json and decodes its stdout.
func runJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := runCmd(append(args, "--json")...)
	require.Equal(t, 0, code, "%v\n%s", args, errs)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &m), "stdout must be one JSON object: %q", out)
	return m
}

// TestCommandsEndToEnd pretrains a tiny model, then evaluates, few-shots,
// embeds and benchmarks it through the commands, checking the JSON keys
// the coordinator reads.
func TestCommandsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("pretrains a model")
	}
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	args := append([]string{"pretrain", "--points", "64", "--max-train", "32", "--epochs", "2", "--warmup-epochs", "-1", "--batch", "8", "--run", run}, tinyModel...)
	pre := runJSON(t, append(args, tinyPredictor...)...)
	assert.Equal(t, 32.0, pre["train_clouds"])
	assert.Equal(t, 8.0, pre["steps"], "2 epochs of 32/8 steps")
	for _, k := range []string{"pred_std", "target_std", "min_pred_std", "min_target_std", "collapse_alarm", "final_loss", "train_clouds_per_s", "wall_s"} {
		assert.Contains(t, pre, k)
	}
	// Resuming a finished run restores its last checkpoint and runs no step.
	res0 := runJSON(t, "pretrain", "--points", "64", "--max-train", "32", "--run", run, "--resume")
	assert.Equal(t, 8.0, res0["steps"])
	assert.Equal(t, "resumed", res0["preset"])
	assert.Equal(t, pre["final_loss"], res0["final_loss"])

	model := filepath.Join(run, "model")
	assert.Equal(t, model, pre["model_dir"])
	_, err := os.Stat(model)
	require.NoError(t, err)

	data := []string{"--points", "64", "--max-train", "64", "--max-test", "40"}
	ev := runJSON(t, append([]string{"eval", "--model", model, "--untrained"}, data...)...)
	assert.Equal(t, 64.0, ev["train_clouds"])
	assert.Equal(t, 40.0, ev["test_clouds"])
	assert.Equal(t, 32.0, ev["feature_dim"], "[max, mean] of width 16")
	assert.Equal(t, 93.7, ev["paper_svm_accuracy"])
	assert.Equal(t, true, ev["trained"])
	for _, k := range []string{"svm_accuracy", "untrained_svm_accuracy"} {
		require.Contains(t, ev, k)
		assert.GreaterOrEqual(t, ev[k].(float64), 0.0)
		assert.LessOrEqual(t, ev[k].(float64), 100.0)
	}

	fs := runJSON(t, append([]string{"fewshot", "--model", model, "--settings", "5w10s,3w5s", "--query", "5", "--folds", "2"}, data[:2]...)...)
	res := fs["results"].([]any)
	require.Len(t, res, 2)
	r0 := res[0].(map[string]any)
	assert.Equal(t, "5w10s", r0["setting"])
	assert.Equal(t, 97.4, r0["paper"].(map[string]any)["mean"])
	assert.Len(t, r0["accuracy"].(map[string]any)["runs"].([]any)[0].(map[string]any)["scores"], 2)
	assert.Nil(t, res[1].(map[string]any)["paper"], "3w5s is not a paper setting")
	assert.Contains(t, fs["protocol"], "test split")

	out := filepath.Join(dir, "emb")
	em := runJSON(t, append([]string{"embed", "--model", model, "--split", "test", "--out", out}, data...)...)
	assert.Equal(t, 40.0, em["rows"])
	assert.Equal(t, 32.0, em["dim"])
	b, err := os.ReadFile(filepath.Join(out, "features.npy"))
	require.NoError(t, err)
	h, err := datasets.ParseNpyHeader("features.npy", b)
	require.NoError(t, err)
	assert.Equal(t, []int{40, 32}, h.Shape)
	idx, err := os.ReadFile(filepath.Join(out, "index.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(idx), "row,split,id,label,class,path\n0,test,")

	be := runJSON(t, append(append([]string{"bench", "--batch", "4", "--steps", "1", "--warmup", "0", "--embed-clouds", "8", "--embed-batch", "8"}, tinyModel...), tinyPredictor...)...)
	assert.Equal(t, "small", be["preset"])
	assert.Greater(t, be["train_clouds_per_s"].(float64), 0.0)
	assert.Greater(t, be["embed_clouds_per_s"].(float64), 0.0)
	assert.Equal(t, 7.7, be["reference"].(map[string]any)["train_clouds_per_s"])

	ft := runJSON(t, "finetune", "--model", model, "--points", "64", "--max-train", "16", "--max-test", "8",
		"--epochs", "2", "--freeze-epochs", "1", "--warmup-epochs", "-1", "--batch-size", "8")
	assert.Equal(t, "modelnet40", ft["finetune_preset"])
	assert.Equal(t, 2.0, ft["finetune_config"].(map[string]any)["epochs"])
	assert.Equal(t, 0.1, ft["finetune_config"].(map[string]any)["label_smoothing"], "the preset's value where no flag was given")
	assert.Len(t, ft["accs"], 2)
	assert.InDelta(t, 100*ft["best_acc"].(float64), ft["best_accuracy"].(float64), 1e-9)
	assert.Equal(t, 93.8, ft["paper_modelnet40"].(map[string]any)["mean"])

	fsft := runJSON(t, "fewshot", "--model", model, "--points", "64", "--settings", "2w4s", "--query", "2", "--folds", "2",
		"--finetune", "--ft-epochs", "1", "--ft-warmup-epochs", "-1", "--ft-batch-size", "4")
	assert.Equal(t, "finetune", fsft["probe"])
	assert.Contains(t, fsft["protocol"], "full fine-tuning per episode")
	assert.Len(t, fsft["results"].([]any)[0].(map[string]any)["accuracy"].(map[string]any)["runs"].([]any)[0].(map[string]any)["scores"], 2)

	// The saved model decides its architecture.
	code, _, errs := runCmd("eval", "--model", model, "--width", "32")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "--width with --model")
}
