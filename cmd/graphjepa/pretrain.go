package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/graphjepa"
)

func init() {
	register(command{name: "pretrain", summary: "pre-train a Graph-JEPA model on a graph data set and save it", run: runPretrain})
}

// pretrainSummary is what "graphjepa pretrain --json" prints.
type pretrainSummary struct {
	Dataset     string           `json:"dataset"`
	Preset      string           `json:"preset"`
	Graphs      int              `json:"graphs"`
	Validation  int              `json:"validation_graphs"`
	Epochs      int              `json:"epochs"`
	Params      int              `json:"params"`
	Partitioner string           `json:"partitioner,omitempty"`
	Out         string           `json:"out"`
	RunDir      string           `json:"run_dir,omitempty"`
	Seconds     float64          `json:"seconds"`
	Config      graphjepa.Config `json:"config"`
	Union       *moleculeUnion   `json:"union,omitempty"` // --data listing several molecule files
}

func runPretrain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pretrain", flag.ContinueOnError)
	df := addDataFlags(fs)
	mf := addModelFlags(fs)
	out := fs.String("out", "", "folder to save the model in (model.safetensors with PyTorch names, config.json) (required)")
	runDir := fs.String("run", "", "run directory for metrics.jsonl, checkpoints and plots (optional)")
	valData := fs.String("val-data", "", "held-out graphs whose JEPA loss drives the LR plateau schedule (the reference uses its test fold); empty: the training loss")
	excludeTest := fs.String("exclude-test", "", "with --data listing several molecule files: leave out of the union every molecule of each file's test split under this split ("+
		splitScaffold+", "+splitRandomScaffold+" or "+splitRandom+", seed 0), so that no test molecule of the evaluated sets is seen; empty: none")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end")
	usage(fs, stderr, "pretrain --data PATH --out DIR [--preset NAME] [--epochs E] [flags]",
		"Pre-trains Graph-JEPA (self-supervised; labels unused) with the data set's paper preset, or\n"+
			"--preset, overridden by the model flags, and saves the model. Progress goes to stderr.\n"+
			"--data may list several molecule files (a.csv,b.csv,...): their union, every molecule once (by\n"+
			"canonical graph with stereo), without the test-split molecules of any of them with --exclude-test.",
		"graphjepa pretrain --data ../shared/data/graphs/tu/MUTAG --out models/mutag",
		"graphjepa pretrain --data bbbp.csv,bace.csv,tox21.csv --exclude-test scaffold --out models/union",
		"graphjepa pretrain --data synthetic --hidden 64 --encoder-layers 2 --heads 4 --epochs 5 --out /tmp/m --json")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if err := mf.check(); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errors.New("--out is required")
	}
	if df.data == "" {
		fs.Usage()
		return errors.New("--data is required")
	}
	var set *datasets.GraphSet
	var union *moleculeUnion
	switch {
	case isMoleculeList(df.data, df.format):
		if *excludeTest != "" {
			if err := checkSplitName(*excludeTest); err != nil {
				return fmt.Errorf("--exclude-test: %w", err)
			}
		}
		ms, info, err := loadMoleculeUnion(df.data, *excludeTest, stderr)
		if err != nil {
			return err
		}
		set, union = ms.GraphSet, info
	case *excludeTest != "":
		return fmt.Errorf("--exclude-test %s: for --data listing several molecule files (a.csv,b.csv,...); %s is one data set", *excludeTest, df.data)
	default:
		var err error
		if set, err = df.load(); err != nil {
			return err
		}
	}
	cfg, preset, err := mf.config(set.Name)
	if err != nil {
		return err
	}
	opt := graphjepa.Options{RunDir: *runDir, Log: stderr}
	nVal := 0
	if *valData != "" {
		vf := *df
		vf.data = *valData
		vs, err := vf.load()
		if err != nil {
			return fmt.Errorf("--val-data: %w", err)
		}
		opt.Validation, nVal = vs.Graphs, len(vs.Graphs)
	}
	fmt.Fprintf(stderr, "pretrain %s: %d graphs, preset %s, %d epochs, d=%d\n", set.Name, len(set.Graphs), preset, cfg.Epochs, cfg.Hidden)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	m, err := graphjepa.Pretrain(ctx, set, cfg, opt)
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	if err := m.Save(*out); err != nil {
		return err
	}
	sum := pretrainSummary{Dataset: set.Name, Preset: preset, Graphs: len(set.Graphs), Validation: nVal, Epochs: cfg.Epochs,
		Params: m.NumParams()["total"], Out: *out, RunDir: *runDir, Seconds: secs, Config: m.Config(), Union: union}
	if usesPlaceholder(set, cfg) {
		sum.Partitioner = graphjepa.PlaceholderPartitionerName
		fmt.Fprintf(stderr, "note: graphs with ≥ %d nodes were cut by the BFS placeholder partitioner (not METIS)\n", cfg.Patch.Patches)
	}
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	fmt.Fprintf(stdout, "pre-trained %s (%d parameters) for %d epochs in %.1f s; saved to %s\n", set.Name, sum.Params, cfg.Epochs, secs, *out)
	return nil
}

// usesPlaceholder reports whether some graph has ≥ p nodes and the BFS
// placeholder was chosen to cut it.
func usesPlaceholder(set *datasets.GraphSet, cfg graphjepa.Config) bool {
	if cfg.Patch.WithDefaults().PartitionerName != graphjepa.PlaceholderPartitionerName {
		return false
	}
	p := cfg.Patch.WithDefaults().Patches
	for _, g := range set.Graphs {
		if g.NumNodes() >= p {
			return true
		}
	}
	return false
}
