package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/pointjepa"
)

func init() {
	register(command{
		name:    "finetune",
		summary: "supervised fine-tuning with the §2.3 classification head; test accuracy per epoch",
		run:     runFinetune,
	})
}

// paperFinetuneModelNet40 is Point-JEPA's ModelNet40 fine-tuning accuracy
// (1k points, no voting), percent, mean ± std over 10 seeds (spec §3.3).
var paperFinetuneModelNet40 = pointjepa.PaperResult{Mean: 93.8, Std: 0.2}

// finetuneOutput is what "pointjepa finetune --json" prints.
type finetuneOutput struct {
	Model          string                   `json:"model,omitempty"`
	Preset         string                   `json:"preset,omitempty"`
	Pretrained     bool                     `json:"pretrained"`
	Data           string                   `json:"data"`
	Format         string                   `json:"format"`
	TrainClouds    int                      `json:"train_clouds"`
	TestClouds     int                      `json:"test_clouds"`
	FinetunePreset string                   `json:"finetune_preset"`
	Config         pointjepa.FinetuneConfig `json:"finetune_config"`
	pointjepa.FinetuneResult
	// BestAccuracy and LastAccuracy are BestAcc and LastAcc in percent.
	BestAccuracy    float64               `json:"best_accuracy"`
	LastAccuracy    float64               `json:"last_accuracy"`
	PaperModelNet40 pointjepa.PaperResult `json:"paper_modelnet40"`
	Run             string                `json:"run,omitempty"`
	WallSeconds     float64               `json:"wall_s"`
	GOMAXPROCS      int                   `json:"gomaxprocs"`
}

func runFinetune(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("finetune", flag.ContinueOnError)
	enc := addEncoderFlags(fs)
	df := addDataFlags(fs)
	var given pointjepa.FinetuneConfig
	sf := bindStruct(fs, &given, "", "FinetuneConfig")
	ftPreset := fs.String("finetune-preset", "modelnet40", "fine-tuning preset the FinetuneConfig flags override: modelnet40, fewshot or scanobjectnn (go doc pointjepa.FinetunePreset)")
	run := fs.String("run", "", "run directory for the fine-tuning metrics and checkpoints; empty means none written")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end (progress goes to stderr)")
	done, err := parseFlags(fs, args, usage{
		name:     "finetune",
		synopsis: "[--model DIR] [--data DIR] [FinetuneConfig flags] [--json]",
		about: "Supervised transfer (spec §2.3, pointjepa.Finetune): the pretrained tokenizer, positional MLP and\n" +
			"student encoder with the reference's classification head ([max, mean] → 256 → 256 → classes with\n" +
			"BatchNorm, ReLU, dropout 0.5), cross-entropy with label smoothing, the encoder frozen for the first\n" +
			"epochs and then trained; reports the best and last test accuracy, beside the paper's ModelNet40\n" +
			"93.8 ± 0.2. Without --model it fine-tunes an untrained model of --preset (training from scratch).\n" +
			"The FinetuneConfig flags map 1:1 to its fields and override --finetune-preset (modelnet40 by default).",
		examples: []string{
			"pointjepa finetune --model runs/cpu/model --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz --json",
			"pointjepa finetune --preset small --epochs 2 --freeze-epochs 1 --warmup-epochs -1 --max-train 64 --max-test 32",
		},
	}, stdout, stderr)
	if done || err != nil {
		return err
	}
	if err := df.check(); err != nil {
		return err
	}
	if err := sf.check(maxEpochs); err != nil {
		return err
	}
	fc, err := pointjepa.FinetunePreset(*ftPreset)
	if err != nil {
		return fmt.Errorf("--finetune-preset: %w", err)
	}
	sf.applyTo(&fc)
	t0 := time.Now()
	m, pretrained, err := enc.load()
	if err != nil {
		return err
	}
	cfg := m.Config()
	b := fc.BatchSize
	if b <= 0 {
		b = 32 // the reference's fine-tuning batch
	}
	if err := checkMemory(batchBytes(cfg, b, true), fmt.Sprintf("fine-tuning batch %d", b)); err != nil {
		return err
	}
	train, test, format, err := loadData(df, stderr)
	if err != nil {
		return err
	}
	if test == nil {
		return fmt.Errorf("--data %s has no test split; finetune reports the test accuracy", dataName(df.path))
	}
	for _, s := range []*datasets.PointSet{train, test} {
		if err := checkClouds(s, needs(cfg, true)); err != nil {
			return err
		}
	}
	ctx, stop := commandContext()
	defer stop()
	res, err := pointjepa.Finetune(ctx, m, train, test, fc, pointjepa.Options{RunDir: *run, Log: stderr})
	if err != nil {
		return err
	}
	out := finetuneOutput{
		Pretrained: pretrained, Data: df.path, Format: format, TrainClouds: train.Len(), TestClouds: test.Len(),
		FinetunePreset: *ftPreset, Config: fc, FinetuneResult: res, BestAccuracy: 100 * res.BestAcc, LastAccuracy: 100 * res.LastAcc, PaperModelNet40: paperFinetuneModelNet40, Run: *run,
		WallSeconds: time.Since(t0).Seconds(), GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
	if pretrained {
		out.Model = enc.model
	} else {
		out.Preset = enc.mf.preset
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	fmt.Fprintf(stdout, "fine-tuned %s on %d clouds, tested on %d\n", map[bool]string{true: filepath.Clean(enc.model), false: "an untrained " + enc.mf.preset + " model"}[pretrained], train.Len(), test.Len())
	fmt.Fprintf(stdout, "best test accuracy %.2f %% (epoch %d), last %.2f %%; paper (ModelNet40, ShapeNet-55 pretraining) %s %%\n",
		out.BestAccuracy, res.BestEpoch, out.LastAccuracy, paperFinetuneModelNet40)
	fmt.Fprintf(stdout, "wall time %.1f s\n", out.WallSeconds)
	return nil
}
