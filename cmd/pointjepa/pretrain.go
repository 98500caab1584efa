package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/pointjepa"
)

func init() {
	register(command{
		name:    "pretrain",
		summary: "pretrain a Point-JEPA model on the training clouds (labels ignored) and save it",
		run:     runPretrain,
	})
}

// pretrainOutput is what "pointjepa pretrain --json" prints.
type pretrainOutput struct {
	Preset      string           `json:"preset"`
	Config      pointjepa.Config `json:"config"`
	Run         string           `json:"run"`
	ModelDir    string           `json:"model_dir"`
	Data        string           `json:"data"`
	Format      string           `json:"format"`
	TrainClouds int              `json:"train_clouds"`
	Epochs      int              `json:"epochs"`
	Steps       int              `json:"steps"`
	WallSeconds float64          `json:"wall_s"`
	CloudsPerS  float64          `json:"train_clouds_per_s"`
	GOMAXPROCS  int              `json:"gomaxprocs"`
	runMonitors
	// With --eval: the linear-SVM accuracy after pretraining and of the
	// untrained floor (percent).
	SVM                  *pointjepa.SVMResult `json:"svm,omitempty"`
	SVMAccuracy          *float64             `json:"svm_accuracy,omitempty"`
	UntrainedSVMAccuracy *float64             `json:"untrained_svm_accuracy,omitempty"`
	PaperSVMAccuracy     *float64             `json:"paper_svm_accuracy,omitempty"`
}

// runMonitors summarises the loss and collapse monitors of a run's
// metrics.jsonl: the prediction and target token std (Point-JEPA's
// token_std) and whether they fell to the collapse alarm's thresholds
// (jepa.CollapseConfig defaults: prediction ≤ 0.01, target ≤ 0.1).
// Values a run did not log (or that are NaN) print as JSON null.
type runMonitors struct {
	FinalLoss      jsonFloat `json:"final_loss"`
	PredStd        jsonFloat `json:"pred_std"`   // last step
	TargetStd      jsonFloat `json:"target_std"` // last step
	MinPredStd     jsonFloat `json:"min_pred_std"`
	MinTargetStd   jsonFloat `json:"min_target_std"`
	CollapseAlarm  bool      `json:"collapse_alarm"`
	CollapseSteps  int       `json:"collapse_steps"` // steps at or below a threshold
	MetricsRecords int       `json:"metrics_records"`
}

// Thresholds of the collapse alarm (jepa.CollapseConfig's zero value).
const (
	collapsePredStd   = 0.01
	collapseTargetStd = 0.1
)

// readMonitors reads runDir/metrics.jsonl.
func readMonitors(runDir string) (runMonitors, int, error) {
	recs, err := jepa.ReadMetrics(filepath.Join(runDir, jepa.MetricsFile))
	if err != nil {
		return runMonitors{}, 0, err
	}
	nan := jsonFloat(math.NaN())
	m := runMonitors{FinalLoss: nan, PredStd: nan, TargetStd: nan, MinPredStd: jsonFloat(math.Inf(1)), MinTargetStd: jsonFloat(math.Inf(1)), MetricsRecords: len(recs)}
	steps := 0
	for i := range recs {
		r := &recs[i]
		if r.Kind != jepa.KindStep {
			continue
		}
		steps = max(steps, r.Step)
		if v, ok := r.Get(jepa.KeyLoss); ok {
			m.FinalLoss = jsonFloat(v)
		}
		p, okp := r.Get(jepa.KeyPredStd)
		t, okt := r.Get(jepa.KeyTargetStd)
		if okp {
			m.PredStd, m.MinPredStd = jsonFloat(p), jsonFloat(math.Min(float64(m.MinPredStd), p))
		}
		if okt {
			m.TargetStd, m.MinTargetStd = jsonFloat(t), jsonFloat(math.Min(float64(m.MinTargetStd), t))
		}
		if (okp && p <= collapsePredStd) || (okt && t <= collapseTargetStd) {
			m.CollapseSteps++
		}
	}
	if math.IsInf(float64(m.MinPredStd), 1) {
		m.MinPredStd = nan
	}
	if math.IsInf(float64(m.MinTargetStd), 1) {
		m.MinTargetStd = nan
	}
	m.CollapseAlarm = m.CollapseSteps > 0
	return m, steps, nil
}

func runPretrain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pretrain", flag.ContinueOnError)
	mf := addModelFlags(fs, "cpu", true)
	df := addDataFlags(fs)
	run := fs.String("run", "", "run directory for config.json, metrics.jsonl, checkpoints and plots (must not hold a run); empty means runs/<preset>")
	out := fs.String("out", "", "where to save the trained model; empty means <run>/model")
	resume := fs.Bool("resume", false, "continue the run in --run from its newest checkpoint, bit for bit (its config.json gives the model and schedule; give the same --data)")
	eval := fs.Bool("eval", false, "after pretraining, run the linear-SVM protocol (as pointjepa eval --untrained) on the same data")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end (progress goes to stderr)")
	done, err := parseFlags(fs, args, usage{
		name:     "pretrain",
		synopsis: "[--preset cpu|small|paper] [--data DIR] [--run DIR] [flags]",
		about: "Pretrain Point-JEPA (spec §1) on the training split of --data (labels are ignored) and save the model.\n" +
			"The run directory receives config.json, metrics.jsonl (loss, lr, EMA momentum, prediction/target token\n" +
			"std, throughput), checkpoints and plots (pointjepa plot --run DIR). The JSON summary reports the last\n" +
			"and smallest prediction/target token std and whether the collapse alarm fired (prediction std ≤ 0.01 or\n" +
			"target std ≤ 0.1, Point-JEPA's expectations). The paper pretrains on ShapeNet-55 for 500 epochs (batch\n" +
			"512) on a GPU; --preset cpu is a small model and schedule that fits 2 CPU hours on ModelNet40 train.",
		examples: []string{
			"pointjepa pretrain --preset cpu --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz --run runs/cpu --eval --json",
			"pointjepa pretrain --preset small --epochs 2 --warmup-epochs -1 --batch 16 --max-train 64 --run /tmp/pj",
			"pointjepa pretrain --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz --run runs/cpu --resume   # after an interruption",
		},
	}, stdout, stderr)
	if done || err != nil {
		return err
	}
	if err := df.check(); err != nil {
		return err
	}
	var cfg pointjepa.Config
	if *resume {
		if *run == "" {
			return errors.New("--resume needs --run, the directory of the run to continue")
		}
		if g := mf.givenModelFlags(); len(g) > 0 {
			return fmt.Errorf("--resume takes the model and schedule from %s; drop %s", filepath.Join(*run, jepa.ConfigFile), strings.Join(g, ", "))
		}
		if cfg, err = pointjepa.RunConfig(*run); err != nil {
			return fmt.Errorf("--resume --run %s: %w", *run, err)
		}
		mf.preset = "resumed"
	} else if cfg, err = mf.config(); err != nil {
		return err
	}
	if err := checkMemory(batchBytes(cfg, cfg.BatchSize, true), fmt.Sprintf("--batch %d (training, preset %s)", cfg.BatchSize, mf.preset)); err != nil {
		return err
	}
	if *run == "" {
		*run = filepath.Join("runs", mf.preset)
	}
	if *out == "" {
		*out = filepath.Join(*run, "model")
	}
	if _, err := os.Stat(filepath.Join(*run, jepa.ConfigFile)); err == nil {
		if !*resume {
			return fmt.Errorf("--run %s already holds a run (%s); continue it with --resume or choose another directory", *run, jepa.ConfigFile)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--run %s: %w", *run, err)
	}
	t0 := time.Now()
	train, test, format, err := loadData(df, stderr)
	if err != nil {
		return err
	}
	if err := checkClouds(train, needs(cfg, true)); err != nil {
		return err
	}
	if train.Len() < cfg.BatchSize {
		return fmt.Errorf("--batch %d exceeds the %d training clouds: an epoch drops its last partial batch (§1.1), so no step would run", cfg.BatchSize, train.Len())
	}
	if *eval {
		if test == nil {
			return fmt.Errorf("--eval: --data %s has no test split", dataName(df.path))
		}
		if err := checkClouds(test, needs(cfg, true)); err != nil {
			return err
		}
	}
	ctx, stop := commandContext()
	defer stop()
	fmt.Fprintf(stderr, "pretrain: preset %s, %d clouds, %d epochs of %d steps (batch %d), run %s\n",
		mf.preset, train.Len(), cfg.Epochs, train.Len()/cfg.BatchSize, cfg.BatchSize, *run)
	tTrain := time.Now()
	var m *pointjepa.Model
	startStep := 0 // steps done before this process (a resumed run)
	if *resume {
		if list, err := jepa.Checkpoints(*run); err == nil && len(list) > 0 {
			startStep = list[len(list)-1].Step
		}
		m, err = pointjepa.ResumePretrain(ctx, train, pointjepa.Options{RunDir: *run, Log: stderr})
	} else {
		m, err = pointjepa.Pretrain(ctx, train, cfg, pointjepa.Options{RunDir: *run, Log: stderr})
	}
	if err != nil {
		return err
	}
	trainSec := time.Since(tTrain).Seconds()
	if err := m.Save(*out); err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	res := pretrainOutput{
		Preset: mf.preset, Config: m.Config(), Run: *run, ModelDir: *out, Data: df.path, Format: format,
		TrainClouds: train.Len(), Epochs: cfg.Epochs, GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
	res.runMonitors, res.Steps, err = readMonitors(*run)
	if err != nil {
		return err
	}
	res.CloudsPerS = float64((res.Steps-startStep)*cfg.BatchSize) / math.Max(trainSec, 1e-9)
	if res.CollapseAlarm {
		fmt.Fprintf(stderr, "pretrain: collapse alarm: %d steps with prediction std ≤ %g or target std ≤ %g (min %.4g, %.4g)\n",
			res.CollapseSteps, collapsePredStd, collapseTargetStd, res.MinPredStd, res.MinTargetStd)
	}
	if *eval {
		scfg := pointjepa.SVMConfig{Log: stderr}
		r, err := pointjepa.EvalSVM(ctx, m, train, test, scfg)
		if err != nil {
			return err
		}
		floor, err := pointjepa.New(m.Config())
		if err != nil {
			return err
		}
		f, err := pointjepa.EvalSVM(ctx, floor, train, test, scfg)
		if err != nil {
			return err
		}
		paper := pointjepa.PaperSVMAccuracy.Mean
		res.SVM, res.SVMAccuracy, res.UntrainedSVMAccuracy, res.PaperSVMAccuracy = &r, &r.Accuracy, &f.Accuracy, &paper
	}
	res.WallSeconds = time.Since(t0).Seconds()
	if *asJSON {
		return writeJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "pretrained %s on %d clouds: %d steps in %.1f s (%.2f clouds/s)\n", mf.preset, res.TrainClouds, res.Steps, trainSec, res.CloudsPerS)
	fmt.Fprintf(stdout, "final loss %.4g, prediction std %.4g (min %.4g), target std %.4g (min %.4g), collapse alarm %v\n",
		res.FinalLoss, res.PredStd, res.MinPredStd, res.TargetStd, res.MinTargetStd, res.CollapseAlarm)
	fmt.Fprintf(stdout, "model saved to %s\n", res.ModelDir)
	if res.SVMAccuracy != nil {
		fmt.Fprintf(stdout, "linear SVM: %.2f %% (untrained %.2f %%, paper %s)\n", *res.SVMAccuracy, *res.UntrainedSVMAccuracy, pointjepa.PaperSVMAccuracy)
	}
	return nil
}
