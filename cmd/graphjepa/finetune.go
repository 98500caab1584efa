package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/graphjepa"
	"gonum.org/v1/gonum/stat"
)

func init() {
	register(command{name: "finetune", summary: "fine-tune a saved model's encoder with a task head on a molecule file over seeds (pretrain-gnns' protocol), beside the same architecture untrained", run: runFineTune})
}

const fineTuneNote = "per seed: a copy of the encoder (patch encoder, PE encoder, target transformer, masked mean) and a new Linear head trained on the training molecules " +
	"(pretrain-gnns' finetune.py settings unless overridden: 100 epochs, batch 32, Adam lr 1e-3, dropout 0.5 before the head, masked BCE; " +
	"regression: MSE on standardised targets), scored after every epoch; final = test after the last epoch, best-valid = test at the epoch of the best validation score. " +
	"ROC-AUC is the mean over the tasks with both classes in the split (pretrain-gnns skips the others); RMSE is in the labels' units."

// fineTuneRuns are the per-seed results of one encoder.
type fineTuneRuns struct {
	Final      []float64                   `json:"final"`
	BestValid  []float64                   `json:"at_best_valid"`
	BestEpoch  []int                       `json:"best_epoch"`
	FinalMean  float64                     `json:"final_mean"`
	FinalStd   float64                     `json:"final_std"`
	BestMean   float64                     `json:"at_best_valid_mean"`
	BestStd    float64                     `json:"at_best_valid_std"`
	Seconds    []float64                   `json:"seconds"`
	EpochCurve [][]graphjepa.FineTuneEpoch `json:"epochs,omitempty"`
}

func (r *fineTuneRuns) add(ft *graphjepa.FineTuned, seconds float64, curves bool) {
	best, ep := ft.AtBestValid()
	r.Final = append(r.Final, ft.Final())
	r.BestValid = append(r.BestValid, best)
	r.BestEpoch = append(r.BestEpoch, ep)
	r.Seconds = append(r.Seconds, seconds)
	if curves {
		r.EpochCurve = append(r.EpochCurve, ft.Epochs)
	}
	r.FinalMean, r.FinalStd = stat.PopMeanStdDev(r.Final, nil) // numpy std, as the published tables
	r.BestMean, r.BestStd = stat.PopMeanStdDev(r.BestValid, nil)
}

// fineTuneSummary is what "graphjepa finetune --json" prints.
type fineTuneSummary struct {
	Dataset    string                   `json:"dataset"`
	Molecules  int                      `json:"molecules"`
	Unparsable int                      `json:"unparsable"`
	Model      string                   `json:"model"`
	Split      string                   `json:"split"`
	SplitSeed  uint32                   `json:"split_seed"`
	Train      int                      `json:"train"`
	Valid      int                      `json:"valid"`
	Test       int                      `json:"test"`
	Tasks      int                      `json:"tasks"`
	ScoredTest int                      `json:"scored_test_tasks"`
	Metric     string                   `json:"metric"` // "roc_auc" or "rmse"
	Config     graphjepa.FineTuneConfig `json:"config"` // the first seed's; Seed varies
	Seeds      []uint64                 `json:"seeds"`
	Pretrained *fineTuneRuns            `json:"pretrained,omitempty"`
	Untrained  *fineTuneRuns            `json:"untrained,omitempty"`
	Seconds    float64                  `json:"seconds"`
	Note       string                   `json:"note"`
}

func runFineTune(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("finetune", flag.ContinueOnError)
	df := addDataFlags(fs)
	modelDir := fs.String("model", "", "a model saved by pretrain, or a pretrain run directory (required)")
	seeds := fs.Int("seeds", 10, "fine-tuning seeds 0..K-1 (pretrain-gnns: 10)")
	firstSeed := fs.Uint64("first-seed", 0, "seed of the first run; runs use first-seed .. first-seed+seeds-1")
	epochs := fs.Int("epochs", 0, "fine-tuning epochs; 0: pretrain-gnns' 100")
	batch := fs.Int("batch-size", 0, "molecules per step; 0: 32")
	lr := fs.Float64("lr", 0, "Adam learning rate; 0: 1e-3")
	decay := fs.Float64("decay", 0, "Adam weight decay (L2); 0: none")
	dropout := fs.Float64("dropout", 0, "dropout on the embedding before the head; 0: 0.5, negative: none")
	which := fs.String("encoders", "both", "pretrained, untrained (--model's architecture, initialised from each seed) or both")
	splitName := fs.String("split", splitScaffold, splitScaffold+" (pretrain-gnns' 80/10/10), "+splitRandomScaffold+" or "+splitRandom)
	splitSeed := fs.Uint("split-seed", 0, "seed of --split random-scaffold and random, 0..4294967295")
	curves := fs.Bool("curves", false, "--json: include every epoch's loss and scores")
	var partitioner string
	addPartitionerFlag(fs, &partitioner)
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end")
	usage(fs, stderr, "finetune --model DIR --data FILE.csv [--seeds 10] [--epochs 100] [--encoders both] [--json]",
		"Fine-tunes the encoder of a saved model with a linear task head on a molecule file (MoleculeNet CSV),\n"+
			"once per seed, on the 80/10/10 scaffold split, as pretrain-gnns' finetune.py: 100 epochs, batch 32,\n"+
			"Adam lr 1e-3, dropout 0.5, BCE over the present labels (0/1 columns), or MSE on standardised targets\n"+
			"for real-valued columns (ESOL, FreeSolv, Lipophilicity: RMSE). After every epoch the validation and\n"+
			"test splits are scored; the report gives, over the seeds, the test score after the last epoch and at\n"+
			"the best validation epoch, for the pre-trained encoder and for the same architecture untrained\n"+
			"(--encoders both, the default: the no-pretraining baseline, initialised from each seed).",
		"graphjepa finetune --model models/bbbp --data ../shared/data/molecules/moleculenet/bbbp.csv",
		"graphjepa finetune --model models/esol --data ../shared/data/molecules/moleculenet/delaney.csv --seeds 3 --epochs 30 --json")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case *modelDir == "":
		fs.Usage()
		return errors.New("--model is required")
	case df.data == "" || !isMoleculeFile(df.data, df.format):
		return fmt.Errorf("--data %q: finetune takes a molecule file (.csv, .csv.gz, .smi, or --format %s)", df.data, formatMolecules)
	case *seeds < 1 || *seeds > 1000:
		return fmt.Errorf("--seeds %d: want 1..1000", *seeds)
	case *epochs < 0 || *batch < 0:
		return fmt.Errorf("--epochs %d / --batch-size %d: want ≥ 0 (0: the default)", *epochs, *batch)
	case *splitSeed > 1<<32-1:
		return fmt.Errorf("--split-seed %d: want 0..4294967295", *splitSeed)
	case *which != "both" && *which != "pretrained" && *which != "untrained":
		return fmt.Errorf("--encoders %q: want pretrained, untrained or both", *which)
	}
	if err := checkSplitName(*splitName); err != nil {
		return err
	}
	if _, err := resolvePartitioner(partitioner); err != nil {
		return err
	}
	ms, err := loadMolecules(df.data, "pretrain-gnns", "")
	if err != nil {
		return err
	}
	for _, u := range ms.Unparsable {
		fmt.Fprintf(stderr, "graphjepa finetune: %s:%d: not used: %s (%s)\n", ms.Name, u.Line, u.Err, u.SMILES)
	}
	if len(ms.Tasks) == 0 {
		return fmt.Errorf("--data %s: no label columns to fine-tune on", df.data)
	}
	m, err := loadModel(*modelDir, partitioner)
	if err != nil {
		return err
	}
	if _, err := m.Embed(ms.Graphs[:1]); err != nil {
		return fmt.Errorf("--data %s does not fit --model %s: %w", df.data, *modelDir, err)
	}
	sp, err := moleculeSplit(ms, *splitName, uint32(*splitSeed))
	if err != nil {
		return fmt.Errorf("--split %s: %w", *splitName, err)
	}
	start := time.Now()
	cfg := graphjepa.FineTuneConfig{Epochs: *epochs, BatchSize: *batch, LR: *lr, WeightDecay: *decay, Dropout: *dropout,
		Regression: !ms.Classification}
	sum := fineTuneSummary{Dataset: ms.Name, Molecules: len(ms.Graphs), Unparsable: len(ms.Unparsable), Model: *modelDir,
		Split: *splitName, Train: len(sp.Train), Valid: len(sp.Valid), Test: len(sp.Test), Tasks: len(ms.Tasks), Metric: "roc_auc",
		Config: cfg, Note: fineTuneNote}
	if *splitName != splitScaffold {
		sum.SplitSeed = uint32(*splitSeed)
	}
	if cfg.Regression {
		sum.Metric = "rmse"
	}
	for k := range *seeds {
		sum.Seeds = append(sum.Seeds, *firstSeed+uint64(k))
	}
	if sum.Pretrained, sum.Untrained, sum.ScoredTest, err = fineTuneSeeds(context.Background(), m, ms, sp, cfg, sum.Seeds, *which, *curves, stderr); err != nil {
		return err
	}
	sum.Seconds = time.Since(start).Seconds()
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	return printFineTune(stdout, sum)
}

// fineTuneSeeds fine-tunes the encoders which names ("pretrained": m,
// "untrained": m's architecture initialised from each seed, or "both") once
// per seed on the split sp of ms, and returns their runs (nil for an encoder
// not run) and the number of tasks scored on test.
func fineTuneSeeds(ctx context.Context, m *graphjepa.Model, ms *datasets.MoleculeSet, sp split.MoleculeSplit, cfg graphjepa.FineTuneConfig,
	seeds []uint64, which string, curves bool, stderr io.Writer) (pre, unt *fineTuneRuns, scored int, err error) {
	T := len(ms.Tasks)
	part := func(idx []int) graphjepa.TaskData {
		d := graphjepa.TaskData{}
		for _, i := range idx {
			d.Graphs = append(d.Graphs, ms.Graphs[i])
			d.Labels = append(d.Labels, ms.Labels[i*T:(i+1)*T]...)
			d.Present = append(d.Present, ms.Mask[i*T:(i+1)*T]...)
		}
		return d
	}
	train, valid, test := part(sp.Train), part(sp.Valid), part(sp.Test)
	if which != "untrained" {
		pre = &fineTuneRuns{}
	}
	if which != "pretrained" {
		unt = &fineTuneRuns{}
	}
	metric := "roc_auc"
	if cfg.Regression {
		metric = "rmse"
	}
	for _, seed := range seeds {
		cfg.Seed = seed
		for _, enc := range []struct {
			name string
			runs *fineTuneRuns
		}{{"pretrained", pre}, {"untrained", unt}} {
			if enc.runs == nil {
				continue
			}
			base := m
			if enc.name == "untrained" {
				ucfg := m.Config()
				ucfg.Seed = seed
				if base, err = untrainedModel(ms.GraphSet, ucfg); err != nil {
					return nil, nil, 0, err
				}
			}
			t0 := time.Now()
			ft, err := graphjepa.FineTune(ctx, base, T, train, valid, test, cfg, nil)
			if err != nil {
				return nil, nil, 0, fmt.Errorf("seed %d, %s encoder: %w", seed, enc.name, err)
			}
			enc.runs.add(ft, time.Since(t0).Seconds(), curves)
			scored = len(ft.ScoredTest)
			best, ep := ft.AtBestValid()
			fmt.Fprintf(stderr, "graphjepa finetune %s: seed %d, %s encoder: final test %s %.4f, at best valid (epoch %d) %.4f (%.0f s)\n",
				ms.Name, seed, enc.name, metric, ft.Final(), ep, best, time.Since(t0).Seconds())
		}
	}
	return pre, unt, scored, nil
}

func printFineTune(w io.Writer, s fineTuneSummary) error {
	fmt.Fprintf(w, "%s: %d molecules, %s split %d / %d / %d, %d tasks (%d scored on test), %d seeds, metric %s\n",
		s.Dataset, s.Molecules, s.Split, s.Train, s.Valid, s.Test, s.Tasks, s.ScoredTest, len(s.Seeds), s.Metric)
	for _, r := range []struct {
		name string
		runs *fineTuneRuns
	}{{"pre-trained (" + s.Model + ")", s.Pretrained}, {"untrained", s.Untrained}} {
		if r.runs == nil {
			continue
		}
		fmt.Fprintf(w, "  %-40s final %.4f ± %.4f   at best valid %.4f ± %.4f\n", r.name, r.runs.FinalMean, r.runs.FinalStd, r.runs.BestMean, r.runs.BestStd)
	}
	_, err := fmt.Fprintf(w, "%.0f s\nnote: %s\n", s.Seconds, s.Note)
	return err
}
