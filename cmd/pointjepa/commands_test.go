package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
)

// runCmd runs the dispatcher and returns the exit code, stdout and stderr.
func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpExitsZero(t *testing.T) {
	for _, c := range []string{"pretrain", "embed", "eval", "fewshot", "finetune", "bench", "data"} {
		for _, h := range []string{"--help", "-h"} {
			code, out, errs := runCmd(c, h)
			assert.Equal(t, 0, code, "%s %s: %s", c, h, errs)
			assert.Contains(t, out, "usage: pointjepa "+c, c)
			assert.Regexp(t, "examples:\n  (GOMAXPROCS=. )?pointjepa "+c, out, c)
			assert.Contains(t, out, "-json", c)
			assert.Empty(t, errs, c)
		}
	}
	// A bad flag prints the usage on stderr and fails.
	code, out, errs := runCmd("eval", "--bogus")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "flag provided but not defined: -bogus")
	assert.Contains(t, errs, "usage: pointjepa eval")
}

// TestFlagErrors: every numeric flag is range-checked before work starts,
// with a message naming the flag; nothing panics.
func TestFlagErrors(t *testing.T) {
	existing := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(existing, jepa.ConfigFile), []byte("{}"), 0o644))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"data", "--points", "-5"}, "--points -5: want 0..16777216"},
		{[]string{"data", "--points", "9999999999"}, "--points 9999999999: want"},
		{[]string{"data", "--points", "16000000"}, "would need about 143.1 GiB"},
		{[]string{"data", "--classes", "7"}, "--classes 7"},
		{[]string{"eval", "--batch", "0"}, "--batch 0: want 1..65536"},
		{[]string{"eval", "--batch", "-3"}, "--batch -3"},
		{[]string{"eval", "--c", "0"}, "--c 0"},
		{[]string{"eval", "--c", "NaN"}, "--c NaN"},
		{[]string{"eval", "--points", "-1"}, "--points -1"},
		{[]string{"eval", "--max-train", "-1"}, "--max-train -1"},
		{[]string{"eval", "--preset", "huge"}, `--preset: pointjepa: unknown preset "huge"`},
		{[]string{"eval", "--width", "100000"}, "--width 100000: want 1..8192"},
		{[]string{"eval", "--width", "8192", "--depth", "256", "--heads", "8"}, "a model of width 8192 × depth 256 (predictor 96 × 2) would need about"},
		{[]string{"eval", "--groups", "2000"}, "Config.Groups (--groups) = 2000 exceeds"},
		{[]string{"eval", "--width", "100", "--heads", "3"}, "Config.Heads (--heads) = 3 does not divide"},
		{[]string{"eval", "--model", "x", "--depth", "3"}, "--depth with --model"},
		{[]string{"eval", "--model", "x", "--readout", "pma"}, "--readout with --model"},
		{[]string{"eval", "--model", "x", "--preset", "paper"}, "--preset with --model"},
		{[]string{"eval", "--model", filepath.Join(existing, "nope")}, "--model " + filepath.Join(existing, "nope")},
		{[]string{"eval", "--format", "ply"}, `unknown --format "ply"`},
		{[]string{"eval", "extra"}, `unexpected arguments ["extra"]`},
		{[]string{"pretrain", "--batch", "-5"}, "--batch -5: want 1..65536"},
		{[]string{"pretrain", "--batch", "100000000"}, "--batch 100000000"},
		{[]string{"pretrain", "--batch", "60000"}, "--batch 60000 (training, preset cpu) would need about"},
		{[]string{"pretrain", "--epochs", "0"}, "--epochs 0"},
		{[]string{"pretrain", "--lr", "-1"}, "--lr -1"},
		{[]string{"pretrain", "--tau-min", "2"}, "--tau-min 2"},
		{[]string{"pretrain", "--epochs", "2"}, "(--warmup-epochs) = 2, want < Epochs = 2"},
		{[]string{"pretrain", "--sequencer", "hilbert"}, `Config.Sequencer (--sequencer) = "hilbert"`},
		{[]string{"pretrain", "--resume"}, "--resume needs --run"},
		{[]string{"pretrain", "--resume", "--run", "/nonexistent/run", "--width", "8"}, "drop --width"},
		{[]string{"pretrain", "--lr-interval", "batch"}, `Config.LRInterval (--lr-interval) = "batch"`},
		{[]string{"pretrain", "--run", existing}, "already holds a run"},
		{[]string{"pretrain", "--batch", "400"}, "--batch 400 exceeds the 320 training clouds"},
		{[]string{"fewshot", "--settings", "5w0s"}, `--settings: pointjepa: few-shot setting "5w0s"`},
		{[]string{"fewshot", "--folds", "0"}, "--folds 0"},
		{[]string{"fewshot", "--query", "-1"}, "--query -1"},
		{[]string{"fewshot", "--probe", "knn"}, `--probe "knn"`},
		{[]string{"embed", "--split", "val"}, `--split "val"`},
		{[]string{"embed", "--batch", "0"}, "--batch 0"},
		{[]string{"bench", "--steps", "0"}, "--steps 0"},
		{[]string{"bench", "--batch", "-1"}, "--batch -1"},
		{[]string{"bench", "--embed-batch", "0"}, "--embed-batch 0"},
		{[]string{"bench", "--embed-clouds", "0"}, "--embed-clouds 0"},
		{[]string{"finetune", "--epochs", "99999999"}, "--epochs 99999999"},
	} {
		code, _, errs := runCmd(tc.args...)
		assert.Equal(t, 1, code, "%v", tc.args)
		assert.Contains(t, errs, tc.want, "%v", tc.args)
		assert.NotContains(t, errs, "panic", "%v", tc.args)
	}
}

// writeCloudSet writes a <class>/<split>/<id>.npy tree; clouds maps a
// relative path to its points (n×3, row-major).
func writeCloudSet(t *testing.T, clouds map[string][]float32) string {
	t.Helper()
	root := t.TempDir()
	for rel, pts := range clouds {
		var b bytes.Buffer
		require.NoError(t, datasets.WriteNpy(&b, pts, len(pts)/3, 3))
		p := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
	}
	return root
}

// sphere returns n points on a unit sphere (a valid cloud).
func sphere(n int) []float32 {
	out := make([]float32, 0, 3*n)
	for i := range n {
		z := 1 - 2*(float64(i)+0.5)/float64(n)
		r := math.Sqrt(1 - z*z)
		phi := float64(i) * math.Pi * (3 - math.Sqrt(5))
		out = append(out, float32(r*math.Cos(phi)), float32(r*math.Sin(phi)), float32(z))
	}
	return out
}

// TestBadClouds: too few points, NaN coordinates and a cloud of identical
// points are errors naming the file, found before any work.
func TestBadClouds(t *testing.T) {
	good := map[string][]float32{
		"a/train/a_1.npy": sphere(1024), "a/test/a_2.npy": sphere(1024),
		"b/train/b_1.npy": sphere(1024), "b/test/b_2.npy": sphere(1024),
	}
	withBad := func(rel string, pts []float32) (string, string) {
		m := map[string][]float32{}
		for k, v := range good {
			m[k] = v
		}
		m[rel] = pts
		root := writeCloudSet(t, m)
		return root, filepath.Join(root, rel)
	}
	few, fewPath := withBad("b/train/b_1.npy", sphere(40))
	nan := sphere(1024)
	nan[3*7+1] = float32(math.NaN())
	nanRoot, nanPath := withBad("a/test/a_2.npy", nan)
	same, samePath := withBad("a/train/a_1.npy", make([]float32, 3*1024))
	for _, cmd := range []string{"eval", "fewshot", "embed", "pretrain", "finetune"} {
		args := func(root string) []string {
			a := []string{cmd, "--data", root}
			if cmd == "pretrain" {
				a = append(a, "--batch", "1", "--run", filepath.Join(t.TempDir(), "run"))
			}
			return a
		}
		code, _, errs := runCmd(args(few)...)
		assert.Equal(t, 1, code, cmd)
		if cmd == "pretrain" || cmd == "finetune" {
			assert.Contains(t, errs, fewPath+": 40 points, the model needs at least 1024 (64 centers (--groups) × 32 neighbours (--group-size), training subsamples to 1024 points (--model-points))", cmd)
		} else {
			assert.Contains(t, errs, fewPath+": 40 points, the model needs at least 64 (64 centers (--groups) × 32 neighbours (--group-size))", cmd)
		}
		if cmd != "pretrain" { // pretrain reads only the training split
			code, _, errs = runCmd(args(nanRoot)...)
			assert.Equal(t, 1, code, cmd)
			assert.Contains(t, errs, nanPath, cmd)
			assert.Contains(t, strings.ToLower(errs), "nan", cmd)
		}
		code, _, errs = runCmd(args(same)...)
		assert.Equal(t, 1, code, cmd)
		assert.Contains(t, errs, samePath+": points: all 1024 points are equal to", cmd)
	}
	// Smaller patches make the small cloud acceptable to the checks.
	code, _, errs := runCmd("eval", "--data", few, "--groups", "16", "--group-size", "8", "--max-train", "1", "--max-test", "1")
	assert.NotContains(t, errs, "40 points")
	_ = code
}

func TestEvenSubsetAndSwap(t *testing.T) {
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 64})
	sub := evenSubset(train, 80)
	require.Equal(t, 80, sub.Len())
	counts := sub.ClassCounts()
	for _, c := range counts {
		assert.Equal(t, 10, c, "class proportions kept: %v", counts)
	}
	assert.Same(t, train, evenSubset(train, 0))
	assert.Same(t, train, evenSubset(train, 10000))

	p := train.Clouds[3].Points[5]
	swapYZ(train)
	assert.Equal(t, r3.Vector{X: p.X, Y: p.Z, Z: p.Y}, train.Clouds[3].Points[5])
}

func TestReadMonitors(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"kind":"step","step":1,"epoch":0,"loss":1.5,"pred_std":0.3,"target_std":0.9}`,
		`{"kind":"step","step":2,"epoch":0,"loss":1.2,"pred_std":0.005,"target_std":0.8}`,
		`{"kind":"epoch","step":2,"epoch":0,"loss":1.3}`,
		`{"kind":"step","step":3,"epoch":1,"loss":1.1,"pred_std":0.2,"target_std":0.7}`,
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, jepa.MetricsFile), []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	m, steps, err := readMonitors(dir)
	require.NoError(t, err)
	assert.Equal(t, 3, steps)
	assert.Equal(t, jsonFloat(1.1), m.FinalLoss)
	assert.Equal(t, jsonFloat(0.2), m.PredStd)
	assert.Equal(t, jsonFloat(0.7), m.TargetStd)
	assert.Equal(t, jsonFloat(0.005), m.MinPredStd)
	assert.Equal(t, jsonFloat(0.7), m.MinTargetStd)
	assert.True(t, m.CollapseAlarm)
	assert.Equal(t, 1, m.CollapseSteps)

	_, _, err = readMonitors(t.TempDir())
	assert.Error(t, err)

	// A run that logged no std prints null, not an invalid NaN.
	require.NoError(t, os.WriteFile(filepath.Join(dir, jepa.MetricsFile), []byte(`{"kind":"step","step":1,"epoch":0,"loss":"NaN"}`+"\n"), 0o644))
	m, _, err = readMonitors(dir)
	require.NoError(t, err)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"final_loss":null,"pred_std":null`)
	assert.False(t, m.CollapseAlarm)
}

func TestBindStruct(t *testing.T) {
	type cfg struct {
		Epochs    int     `json:"epochs"`
		BatchSize int     `json:"batch_size"`
		Smooth    float64 `json:"label_smoothing"`
		Freeze    bool    `json:"freeze,omitempty"`
		Name      string  `json:"name"`
		Skip      []int   `json:"skip"`
		Seed      uint64  `json:"seed"`
		hidden    int
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("seed", 0, "taken")
	var c cfg
	sf := bindStruct(fs, &c, "", "X")
	require.NoError(t, fs.Parse([]string{"--epochs", "7", "--batch-size", "16", "--label-smoothing", "0.2", "--freeze", "--name", "n", "--ft-seed", "3"}))
	assert.Equal(t, cfg{Epochs: 7, BatchSize: 16, Smooth: 0.2, Freeze: true, Name: "n", Seed: 3}, c)
	assert.NoError(t, sf.check(100))
	preset := cfg{Epochs: 100, Name: "p", Skip: []int{1}}
	sf.applyTo(&preset)
	assert.Equal(t, cfg{Epochs: 7, BatchSize: 16, Smooth: 0.2, Freeze: true, Name: "n", Skip: []int{1}, Seed: 3}, preset, "given flags override the preset")
	assert.Nil(t, fs.Lookup("skip"))

	require.NoError(t, fs.Parse([]string{"--epochs", "1000"}))
	assert.ErrorContains(t, sf.check(100), "--epochs 1000")
	fs2 := flag.NewFlagSet("y", flag.ContinueOnError)
	var c2 cfg
	sf2 := bindStruct(fs2, &c2, "", "X")
	require.NoError(t, fs2.Parse([]string{"--label-smoothing", "Inf"}))
	assert.ErrorContains(t, sf2.check(100), "--label-smoothing +Inf")
	preset = cfg{Epochs: 100}
	sf2.applyTo(&preset)
	assert.Equal(t, 100, preset.Epochs, "flags not given leave the preset alone")
}

func TestHumanBytes(t *testing.T) {
	assert.Equal(t, "512 B", humanBytes(512))
	assert.Equal(t, "1.5 KiB", humanBytes(1536))
	assert.Equal(t, "2.0 GiB", humanBytes(2<<30))
	assert.NoError(t, checkMemory(1, "tiny"))
	assert.ErrorContains(t, checkMemory(1<<62, "--x 5"), "--x 5 would need about 4.0 EiB")
}
