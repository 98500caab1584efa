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
	"github.com/nongrid/jepa/probe"
)

func init() {
	register(command{name: "eval", summary: "linear-probe a saved model's embeddings: stratified k-fold accuracy, or per-task scaffold-split ROC-AUC on molecules", run: runEval})
}

// evalSummary is what "graphjepa eval --json" prints for a graph set
// (molecule files print a moleculeEvalSummary).
type evalSummary struct {
	Dataset        string    `json:"dataset"`
	Graphs         int       `json:"graphs"`
	Folds          int       `json:"folds"`
	Untrained      bool      `json:"untrained,omitempty"`
	AccuracyMean   float64   `json:"accuracy_mean"` // percent
	AccuracyStd    float64   `json:"accuracy_std"`  // population std over folds
	FoldAccuracies []float64 `json:"fold_accuracies"`
	Seconds        float64   `json:"seconds"`
	Note           string    `json:"note"`
}

const evalNote = "one pre-trained model probed on every fold (it may have seen the test graphs during pre-training); the paper's protocol pre-trains a fresh model per fold: graphjepa reproduce"

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	df := addDataFlags(fs)
	modelDir := fs.String("model", "", "a model saved by pretrain, or a pretrain run directory (required)")
	folds := fs.Int("folds", 10, "graph sets: stratified folds (scikit-learn StratifiedKFold, shuffled), 2..100")
	foldSeed := fs.Uint("fold-seed", 12345, "graph sets: random_state of the folds (12345: Graph-JEPA's)")
	maxIter := fs.Int("max-iter", 10000, "L-BFGS iterations of the logistic regression (10000: Graph-JEPA's)")
	splitName := fs.String("split", "", "molecule files: "+splitScaffold+" (80/10/10 by Bemis–Murcko scaffold, pretrain-gnns' and the default), "+
		splitRandomScaffold+" or "+splitRandom+" (both seeded by --split-seed)")
	splitSeed := fs.Uint("split-seed", 0, "molecule files: seed of --split random-scaffold and random, 0..4294967295 (pretrain-gnns' --seed)")
	cGrid := fs.String("c-grid", defaultCGrid, "molecule files: logistic-regression C values tried per task, the best on validation ROC-AUC kept")
	untrained := fs.Bool("untrained", false, "score the untrained encoder instead: --model's architecture and seed before its first step (the floor pre-training must beat)")
	var partitioner string
	addPartitionerFlag(fs, &partitioner)
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end")
	usage(fs, stderr, "eval --model DIR --data PATH [--folds 10 | --split scaffold] [--untrained] [--json]",
		"Embeds --data with a saved model (evaluation transform) and scores the embeddings.\n"+
			"Graph sets: LogisticRegression(max_iter=10000) over stratified folds. This is a quick frozen-feature\n"+
			"check of one model, not the paper's protocol (which pre-trains a fresh model on every training fold:\n"+
			"graphjepa reproduce).\n"+
			"Molecule files (.csv, .csv.gz with 0/1 task columns): the 80/10/10 scaffold split (--split; the\n"+
			"default, said on stderr), per task a logistic regression on standardised embeddings of the training\n"+
			"molecules with the label, C chosen from --c-grid by validation ROC-AUC, and the test ROC-AUC per task\n"+
			"and its mean over the tasks with both classes in train, validation and test (the others are skipped\n"+
			"and counted, as pretrain-gnns does). --untrained gives the same numbers for the untrained encoder.",
		"graphjepa eval --model models/mutag --data ../shared/data/graphs/tu/MUTAG",
		"graphjepa eval --model models/mutag --data ../shared/data/graphs/tu/MUTAG --folds 5 --json",
		"graphjepa eval --model models/bbbp --data ../shared/data/molecules/moleculenet/bbbp.csv --split scaffold",
		"graphjepa eval --model models/bbbp --data ../shared/data/molecules/moleculenet/bbbp.csv --untrained --json")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	molecules := df.data != "" && isMoleculeFile(df.data, df.format)
	switch {
	case *modelDir == "":
		fs.Usage()
		return errors.New("--model is required")
	case *folds < 2 || *folds > 100:
		return fmt.Errorf("--folds %d: want 2..100", *folds)
	case *maxIter < 1:
		return fmt.Errorf("--max-iter %d: want a positive number of iterations", *maxIter)
	case *foldSeed > 1<<32-1:
		return fmt.Errorf("--fold-seed %d: want 0..4294967295 (numpy's random_state range)", *foldSeed)
	case *splitSeed > 1<<32-1:
		return fmt.Errorf("--split-seed %d: want 0..4294967295 (numpy's random_state range)", *splitSeed)
	case molecules && (set["folds"] || set["fold-seed"]):
		return fmt.Errorf("--folds/--fold-seed: molecules are split by scaffold (--split %s, %s or %s); --folds applies to graph sets", splitScaffold, splitRandomScaffold, splitRandom)
	case !molecules && df.data != "" && (set["split"] || set["split-seed"] || set["c-grid"]):
		return fmt.Errorf("--split/--split-seed/--c-grid: for molecule files (.csv, .csv.gz, .smi, or --format %s); %s is a graph set, scored with --folds", formatMolecules, df.data)
	}
	if *splitName != "" || molecules {
		if *splitName == "" {
			*splitName = splitScaffold
			fmt.Fprintf(stderr, "graphjepa eval: %s is a molecule file: --split %s (pretrain-gnns' 80/10/10 scaffold split)\n", df.data, splitScaffold)
		}
		if err := checkSplitName(*splitName); err != nil {
			return err
		}
	}
	grid, err := parseCGrid(*cGrid)
	if err != nil {
		return err
	}
	if _, err := resolvePartitioner(partitioner); err != nil {
		return err
	}
	var ms *datasets.MoleculeSet
	var gs *datasets.GraphSet
	if molecules {
		if ms, err = loadMolecules(df.data, "pretrain-gnns", ""); err != nil {
			return err
		}
		for _, u := range ms.Unparsable {
			fmt.Fprintf(stderr, "graphjepa eval: %s:%d: not used: %s (%s)\n", ms.Name, u.Line, u.Err, u.SMILES)
		}
		if err := checkMoleculeLabels(ms, df.data); err != nil {
			return err
		}
		gs = ms.GraphSet
	} else {
		if gs, err = df.load(); err != nil {
			return err
		}
		if gs.NumClasses < 2 {
			return fmt.Errorf("--data %s: eval needs a classification set (%d classes); for ZINC use graphjepa reproduce --dataset ZINC", df.data, gs.NumClasses)
		}
	}
	m, err := loadModel(*modelDir, partitioner)
	if err != nil {
		return err
	}
	if *untrained {
		// The data must fit the saved model, not only the fresh one.
		if _, err := m.Embed(gs.Graphs[:1]); err != nil {
			return err
		}
		if m, err = untrainedLike(m, gs); err != nil {
			return err
		}
	}
	if molecules {
		cfg := moleculeEval{split: *splitName, splitSeed: uint32(*splitSeed), cGrid: grid, maxIter: *maxIter}
		return runMoleculeEval(m, ms, *modelDir, *untrained, cfg, *asJSON, stdout)
	}
	start := time.Now()
	x, err := m.Embed(gs.Graphs)
	if err != nil {
		return err
	}
	run, err := probe.KFoldAccuracy(probe.LogisticRegression{MaxIter: *maxIter}, x, gs.Labels(),
		split.StratifiedKFold{NSplits: *folds, Shuffle: true, Seed: uint32(*foldSeed)})
	if err != nil {
		return fmt.Errorf("--folds %d on %s: %w", *folds, gs.Name, err)
	}
	sum := evalSummary{Dataset: gs.Name, Graphs: len(gs.Graphs), Folds: *folds, Untrained: *untrained, AccuracyMean: run.Mean, AccuracyStd: run.Std,
		FoldAccuracies: run.Scores, Seconds: time.Since(start).Seconds(), Note: evalNote}
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	what := ""
	if *untrained {
		what = " (untrained encoder)"
	}
	fmt.Fprintf(stdout, "%s: %d-fold logistic regression on the embeddings%s: %.2f ± %.2f %% (%.1f s)\nnote: %s\n",
		gs.Name, *folds, what, run.Mean, run.Std, sum.Seconds, evalNote)
	return nil
}

// untrainedLike returns the model m was before its first step: the same
// configuration and seed built by Pretrain on set and stopped before any
// step (a cancelled run returns the model as built), so the untrained
// floor uses the architecture, initial parameters and patching of m.
func untrainedLike(m *graphjepa.Model, set *datasets.GraphSet) (*graphjepa.Model, error) {
	u, err := untrainedModel(set, m.Config())
	if err != nil {
		return nil, fmt.Errorf("--untrained: %w", err)
	}
	return u, nil
}

// untrainedModel is the model Pretrain builds for cfg on set, stopped
// before its first step (a cancelled run returns the model as built): the
// untrained baseline of quickstart and eval --untrained.
func untrainedModel(set *datasets.GraphSet, cfg graphjepa.Config) (*graphjepa.Model, error) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	u, err := graphjepa.Pretrain(cancelled, set, cfg, graphjepa.Options{})
	if u == nil || !errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("building the untrained encoder: %v", err)
	}
	return u, nil
}
