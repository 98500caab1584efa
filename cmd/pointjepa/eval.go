package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/nongrid/jepa/pointjepa"
)

func init() {
	register(command{
		name:    "eval",
		summary: "linear-SVM accuracy of frozen features, all train → all test (§2.1), beside the untrained floor",
		run:     runEval,
	})
}

// evalOutput is what "pointjepa eval --json" prints. Accuracies are percent.
type evalOutput struct {
	Model   string `json:"model,omitempty"` // --model directory; empty for an untrained --preset
	Preset  string `json:"preset,omitempty"`
	Trained bool   `json:"trained"`
	Data    string `json:"data"`
	Format  string `json:"format"`

	pointjepa.SVMResult
	UntrainedSVMAccuracy *float64 `json:"untrained_svm_accuracy,omitempty"`
	UntrainedFeatureStd  *float64 `json:"untrained_feature_std,omitempty"`
	PaperSVMAccuracy     float64  `json:"paper_svm_accuracy"`
	PaperSVMStd          float64  `json:"paper_svm_std"`
	C                    float64  `json:"c"`
	WallSeconds          float64  `json:"wall_s"`
	GOMAXPROCS           int      `json:"gomaxprocs"`
}

// encoderFlags choose the encoder to evaluate: a saved model, or an
// untrained model of a preset.
type encoderFlags struct {
	model string
	mf    *modelFlags
}

func addEncoderFlags(fs *flag.FlagSet) *encoderFlags {
	e := &encoderFlags{}
	fs.StringVar(&e.model, "model", "", "model directory written by pretrain (its model/ folder or the run directory); empty means an untrained model of --preset")
	e.mf = addModelFlags(fs, "small", false)
	return e
}

// load returns the encoder: Load(--model), or New of the preset with the
// flags' overrides. Architecture flags with --model are an error (the saved
// configuration decides).
func (e *encoderFlags) load() (m *pointjepa.Model, trained bool, err error) {
	given := e.mf.set()
	if e.model != "" {
		var arch []string
		for _, f := range e.mf.ints {
			if f.flag != "workers" {
				arch = append(arch, f.flag)
			}
		}
		for _, f := range e.mf.strs {
			arch = append(arch, f.flag)
		}
		for _, f := range arch {
			if given[f] {
				return nil, false, fmt.Errorf("--%s with --model: the saved model's configuration decides (drop the flag)", f)
			}
		}
		if given["preset"] {
			return nil, false, fmt.Errorf("--preset with --model: the saved model's configuration decides (drop the flag)")
		}
		m, err := pointjepa.Load(e.model)
		if err != nil {
			return nil, false, fmt.Errorf("--model %s: %w", e.model, err)
		}
		return m, true, nil
	}
	cfg, err := e.mf.config()
	if err != nil {
		return nil, false, err
	}
	m, err = pointjepa.New(cfg)
	return m, false, err
}

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	enc := addEncoderFlags(fs)
	df := addDataFlags(fs)
	c := fs.Float64("c", 0.012, "SVC penalty C (§2.1: 0.012)")
	batch := fs.Int("batch", pointjepa.DefaultEvalBatch, "clouds per embedding batch (speed and memory only)")
	untrained := fs.Bool("untrained", false, "also evaluate an untrained encoder of the same configuration and seed: the floor pretraining must beat")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end (progress goes to stderr)")
	done, err := parseFlags(fs, args, usage{
		name:     "eval",
		synopsis: "[--model DIR] [--untrained] [--data DIR] [flags]",
		about: "Point-JEPA's linear-SVM protocol (spec §2.1): embed every training and test cloud with the frozen\n" +
			"student ([max, mean] of its final-LayerNorm tokens), fit scikit-learn's SVC(C=0.012, kernel=\"linear\")\n" +
			"(probe.SVC, libsvm-exact) on all training features and report the test accuracy in percent, beside the\n" +
			"paper's 93.7 ± 0.2 (pretrained on ShapeNet-55 for 500 epochs on a GPU). --untrained adds the floor.",
		examples: []string{
			"pointjepa eval --model runs/cpu/model --untrained --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz --json",
			"pointjepa eval --preset small --max-train 400 --max-test 200",
		},
	}, stdout, stderr)
	if done || err != nil {
		return err
	}
	if err := df.check(); err != nil {
		return err
	}
	if err := floatRange("c", *c, 1e-12, 1e12, "the SVC penalty, > 0"); err != nil {
		return err
	}
	if err := intRange("batch", *batch, 1, maxBatch, "clouds per embedding batch"); err != nil {
		return err
	}
	t0 := time.Now()
	fr, err := loadFrozen(enc, df, *batch, "eval fits on train and scores on test", stderr)
	if err != nil {
		return err
	}
	m, trained, cfg, train, test, format := fr.model, fr.trained, fr.cfg, fr.train, fr.test, fr.format
	ctx, stop := commandContext()
	defer stop()
	out := evalOutput{
		Trained: trained, Data: df.path, Format: format,
		PaperSVMAccuracy: pointjepa.PaperSVMAccuracy.Mean, PaperSVMStd: pointjepa.PaperSVMAccuracy.Std,
		C: *c, GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
	if trained {
		out.Model = enc.model
	} else {
		out.Preset = enc.mf.preset
	}
	scfg := pointjepa.SVMConfig{C: *c, Batch: *batch, Log: stderr}
	fmt.Fprintf(stderr, "eval: %s encoder\n", map[bool]string{true: "pretrained", false: "untrained"}[trained])
	if out.SVMResult, err = pointjepa.EvalSVM(ctx, m, train, test, scfg); err != nil {
		return err
	}
	if *untrained && trained {
		fmt.Fprintln(stderr, "eval: untrained encoder of the same configuration (the floor)")
		floor, err := pointjepa.New(cfg)
		if err != nil {
			return err
		}
		r, err := pointjepa.EvalSVM(ctx, floor, train, test, scfg)
		if err != nil {
			return err
		}
		out.UntrainedSVMAccuracy, out.UntrainedFeatureStd = &r.Accuracy, &r.FeatureStd
	} else if *untrained {
		out.UntrainedSVMAccuracy, out.UntrainedFeatureStd = &out.Accuracy, &out.FeatureStd
	}
	out.WallSeconds = time.Since(t0).Seconds()
	if *asJSON {
		return writeJSON(stdout, out)
	}
	return printEval(stdout, out)
}

func printEval(w io.Writer, o evalOutput) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "linear SVM (SVC C=%g, linear kernel), %d train → %d test clouds, %d classes\n", o.C, o.TrainClouds, o.TestClouds, o.Classes)
	what := "untrained"
	if o.Trained {
		what = "pretrained"
	}
	fmt.Fprintf(tw, "%s\t%.2f %%\tfeature std %.4f\n", what, o.Accuracy, o.FeatureStd)
	if o.UntrainedSVMAccuracy != nil && o.Trained {
		fmt.Fprintf(tw, "untrained (floor)\t%.2f %%\tfeature std %.4f\n", *o.UntrainedSVMAccuracy, *o.UntrainedFeatureStd)
	}
	fmt.Fprintf(tw, "paper (ShapeNet-55, 500 epochs, GPU)\t%.1f ± %.1f %%\n", o.PaperSVMAccuracy, o.PaperSVMStd)
	fmt.Fprintf(tw, "wall time\t%.1f s\n", o.WallSeconds)
	return tw.Flush()
}
