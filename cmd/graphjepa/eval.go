package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/graphjepa"
	"github.com/nongrid/jepa/probe"
)

func init() {
	register(command{name: "eval", summary: "linear-probe a saved model's embeddings with stratified k-fold logistic regression", run: runEval})
}

// evalSummary is what "graphjepa eval --json" prints.
type evalSummary struct {
	Dataset        string    `json:"dataset"`
	Graphs         int       `json:"graphs"`
	Folds          int       `json:"folds"`
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
	folds := fs.Int("folds", 10, "stratified folds (scikit-learn StratifiedKFold, shuffled), 2..100")
	foldSeed := fs.Uint("fold-seed", 12345, "random_state of the folds (12345: Graph-JEPA's)")
	maxIter := fs.Int("max-iter", 10000, "L-BFGS iterations of the logistic regression (10000: Graph-JEPA's)")
	var partitioner string
	addPartitionerFlag(fs, &partitioner)
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end")
	usage(fs, stderr, "eval --model DIR --data PATH [--folds 10] [--json]",
		"Embeds --data with a saved model (evaluation transform) and scores LogisticRegression(max_iter=10000)\n"+
			"over stratified folds. This is a quick frozen-feature check of one model, not the paper's protocol\n"+
			"(which pre-trains a fresh model on every training fold: graphjepa reproduce).",
		"graphjepa eval --model models/mutag --data ../shared/data/graphs/tu/MUTAG",
		"graphjepa eval --model models/mutag --data ../shared/data/graphs/tu/MUTAG --folds 5 --json")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
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
	}
	if _, err := resolvePartitioner(partitioner); err != nil {
		return err
	}
	set, err := df.load()
	if err != nil {
		return err
	}
	if set.NumClasses < 2 {
		return fmt.Errorf("--data %s: eval needs a classification set (%d classes); for ZINC use graphjepa reproduce --dataset ZINC", df.data, set.NumClasses)
	}
	m, err := graphjepa.Load(*modelDir)
	if err != nil {
		return err
	}
	if partitioner != "" {
		if err := m.SetPartitioner(partitioner, nil); err != nil {
			return err
		}
	}
	start := time.Now()
	x, err := m.Embed(set.Graphs)
	if err != nil {
		return err
	}
	run, err := probe.KFoldAccuracy(probe.LogisticRegression{MaxIter: *maxIter}, x, set.Labels(),
		split.StratifiedKFold{NSplits: *folds, Shuffle: true, Seed: uint32(*foldSeed)})
	if err != nil {
		return fmt.Errorf("--folds %d on %s: %w", *folds, set.Name, err)
	}
	sum := evalSummary{Dataset: set.Name, Graphs: len(set.Graphs), Folds: *folds, AccuracyMean: run.Mean, AccuracyStd: run.Std,
		FoldAccuracies: run.Scores, Seconds: time.Since(start).Seconds(), Note: evalNote}
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	fmt.Fprintf(stdout, "%s: %d-fold logistic regression on the embeddings: %.2f ± %.2f %% (%.1f s)\nnote: %s\n",
		set.Name, *folds, run.Mean, run.Std, sum.Seconds, evalNote)
	return nil
}
