package pointjepa

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
)

// pretrainInterrupted runs Pretrain's loop with a step hook that calls
// interrupt(trainer, cancel) after every step, checkpointing every every
// steps (0: at the end of each epoch, as Pretrain).
func pretrainInterrupted(t *testing.T, set *datasets.PointSet, cfg Config, dir string, every int, interrupt func(*jepa.Trainer, context.CancelFunc)) error {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := newTrainModel(m, set)
	if err != nil {
		t.Fatal(err)
	}
	defer tm.close()
	tcfg, err := m.trainerConfig(tm.StepsPerEpoch())
	if err != nil {
		t.Fatal(err)
	}
	tcfg.Progress = jepa.ProgressOff
	tcfg.CheckpointEvery = every
	tr, err := jepa.New(tm, tcfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr.OnStep("interrupt", jepa.PriorityLast, func(_ context.Context, tr *jepa.Trainer) error {
		interrupt(tr, cancel)
		return nil
	})
	return runTrainer(ctx, tr, m, Options{RunDir: dir})
}

// TestResumePretrainBitForBit: a pretraining run cancelled mid-epoch —
// resumed from the last end-of-epoch checkpoint, or from a checkpoint in the
// middle of an epoch (so the feeder replays the epoch's first batches) — and
// continued with ResumePretrain ends with every
// parameter (student, EMA teacher, predictor, tokenizer, BatchNorm
// statistics) and every logged loss of the uninterrupted run, bit for bit.
func TestResumePretrainBitForBit(t *testing.T) {
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 4, TestPerClass: 1})
	cfg := tinyConfig()
	cfg.Epochs, cfg.WarmupEpochs, cfg.LRInterval = 3, 1, LRPerStep
	spe := train.Len() / cfg.BatchSize
	if spe < 3 {
		t.Fatalf("%d steps per epoch, the test needs ≥ 3", spe)
	}
	root := t.TempDir()
	full := filepath.Join(root, "full")
	want, err := Pretrain(context.Background(), train, cfg, Options{RunDir: full})
	if err != nil {
		t.Fatal(err)
	}
	cut := spe + 2 // the third step of the second epoch
	for _, c := range []struct {
		name      string
		interrupt func(*jepa.Trainer, context.CancelFunc)
		every     int
		restart   int // the step the resumed run starts after
	}{
		{"epoch-checkpoint", func(tr *jepa.Trainer, cancel context.CancelFunc) {
			if tr.Step() == cut {
				cancel()
			}
		}, 0, spe},
		{"mid-epoch-checkpoint", func(tr *jepa.Trainer, cancel context.CancelFunc) {
			if tr.Step() == cut+1 {
				cancel()
			}
		}, cut, cut},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(root, c.name)
			err := pretrainInterrupted(t, train, cfg, dir, c.every, c.interrupt)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: err %v, want context.Canceled", err)
			}
			list, err := jepa.Checkpoints(dir)
			if err != nil || len(list) == 0 || list[len(list)-1].Step != c.restart {
				t.Fatalf("checkpoints %v (err %v), want the newest at step %d", list, err, c.restart)
			}
			got, err := ResumePretrain(context.Background(), train, Options{RunDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if got.steps != 3*spe {
				t.Fatalf("resumed run ended at step %d, want %d", got.steps, 3*spe)
			}
			wp, gp := want.params.List(), got.params.List()
			if len(wp) != len(gp) {
				t.Fatalf("%d parameters, want %d", len(gp), len(wp))
			}
			for i, p := range wp {
				a, ok := p.Value.Data().([]float32)
				if !ok { // counters (BatchNorm's num_batches_tracked)
					if !reflect.DeepEqual(p.Value.Data(), gp[i].Value.Data()) {
						t.Fatalf("%s = %v, want %v (uninterrupted)", p.Name, gp[i].Value.Data(), p.Value.Data())
					}
					continue
				}
				b := gp[i].Value.Data().([]float32)
				for j := range a {
					if math.Float32bits(a[j]) != math.Float32bits(b[j]) {
						t.Fatalf("%s[%d] = %v, want %v (uninterrupted)", p.Name, j, b[j], a[j])
					}
				}
			}
			a := stepLosses(t, full)
			b := stepLosses(t, dir)
			if len(a) != len(b) {
				t.Fatalf("%d step records, want %d", len(b), len(a))
			}
			for i := range a {
				if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
					t.Fatalf("step %d: loss %v, want %v", i+1, b[i], a[i])
				}
			}
		})
	}
}

// stepLosses reads the per-step losses of a run directory.
func stepLosses(t *testing.T, dir string) []float64 {
	t.Helper()
	recs, err := jepa.ReadMetrics(filepath.Join(dir, jepa.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	var out []float64
	for _, r := range recs {
		if r.Kind == jepa.KindStep {
			v, _ := r.Get(jepa.KeyLoss)
			out = append(out, v)
		}
	}
	return out
}

// TestResumePretrainErrors: a missing run, a run of another model and a
// different training set are errors naming the directory.
func TestResumePretrainErrors(t *testing.T) {
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 4, TestPerClass: 1})
	dir := t.TempDir()
	if _, err := ResumePretrain(context.Background(), train, Options{RunDir: filepath.Join(dir, "none")}); err == nil {
		t.Error("no run: no error")
	}
	if _, err := ResumePretrain(context.Background(), train, Options{}); err == nil {
		t.Error("no run directory: no error")
	}
	cfg := tinyConfig()
	cfg.Epochs = 2
	run := filepath.Join(dir, "run")
	if _, err := Pretrain(context.Background(), train, cfg, Options{RunDir: run}); err != nil {
		t.Fatal(err)
	}
	half := &datasets.PointSet{Clouds: train.Clouds[:train.Len()/2]}
	_, err := ResumePretrain(context.Background(), half, Options{RunDir: run})
	if err == nil || !strings.Contains(err.Error(), "steps per epoch") {
		t.Errorf("half the set: err %v, want one about steps per epoch", err)
	}
}
