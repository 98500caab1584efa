package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/graphjepa"
	"github.com/nongrid/jepa/internal/cli"
	"github.com/nongrid/jepa/probe"
)

// Molecule splits of "graphjepa eval --split" (datasets/split).
const (
	splitScaffold       = "scaffold"        // split.ScaffoldSplit, deterministic
	splitRandomScaffold = "random-scaffold" // split.RandomScaffoldSplit(--split-seed)
	splitRandom         = "random"          // split.RandomSplit(--split-seed)
)

// defaultCGrid is the inverse regularisation strengths tried per task.
const defaultCGrid = "0.01,0.1,1,10"

const moleculeEvalNote = "frozen embeddings of the saved model (--untrained: of its architecture and seed before the first step); per task a logistic regression (standardised features) " +
	"fitted on the training molecules with the label, C chosen on the validation split by ROC-AUC, scored on the test split; " +
	"the mean is over the tasks with both classes in train, validation and test (pretrain-gnns skips the others too). " +
	"The model may have been pre-trained on these molecules (labels unused)."

// moleculeEval are the settings of eval on a molecule file.
type moleculeEval struct {
	split     string
	splitSeed uint32
	cGrid     []float64
	maxIter   int
}

// taskScore is one task of "graphjepa eval --split": the labelled
// molecules of each part and, unless Skipped, the chosen C and the
// validation and test ROC-AUC (in [0, 1], as scikit-learn's roc_auc_score).
type taskScore struct {
	Task        string   `json:"task"`
	NTrain      int      `json:"n_train"`
	NValid      int      `json:"n_valid"`
	NTest       int      `json:"n_test"`
	PosTrain    int      `json:"positive_train"`
	C           float64  `json:"c,omitempty"`
	ValidROCAUC *float64 `json:"valid_roc_auc"`
	TestROCAUC  *float64 `json:"test_roc_auc"`
	Skipped     string   `json:"skipped,omitempty"` // why the task has no score
}

// moleculeEvalSummary is what "graphjepa eval --split ... --json" prints.
type moleculeEvalSummary struct {
	Dataset    string      `json:"dataset"`
	Molecules  int         `json:"molecules"`
	Unparsable int         `json:"unparsable"`
	Model      string      `json:"model"`
	Untrained  bool        `json:"untrained"` // the model's architecture and seed before its first step
	Split      string      `json:"split"`
	SplitSeed  uint32      `json:"split_seed"` // random-scaffold and random only
	Train      int         `json:"train"`
	Valid      int         `json:"valid"`
	Test       int         `json:"test"`
	CGrid      []float64   `json:"c_grid"`
	Tasks      []taskScore `json:"tasks"`
	Scored     int         `json:"scored_tasks"`
	Skipped    int         `json:"skipped_tasks"`
	// ROCAUCMean is the mean test ROC-AUC over the scored tasks; null when
	// no task could be scored.
	ROCAUCMean *float64 `json:"roc_auc_mean"`
	Seconds    float64  `json:"seconds"`
	Note       string   `json:"note"`
}

// parseCGrid reads --c-grid: comma-separated positive numbers.
func parseCGrid(s string) ([]float64, error) {
	var grid []float64
	for _, f := range strings.Split(s, ",") {
		c, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(c > 0) || math.IsInf(c, 0) {
			return nil, fmt.Errorf("--c-grid %q: %q is not a positive number; want e.g. %s", s, f, defaultCGrid)
		}
		grid = append(grid, c)
	}
	return grid, nil
}

// checkSplitName checks --split.
func checkSplitName(s string) error {
	return cli.CheckChoice("split", s, splitScaffold, splitRandomScaffold, splitRandom)
}

// moleculeSplit makes the train/valid/test split of ms.
func moleculeSplit(ms *datasets.MoleculeSet, name string, seed uint32) (split.MoleculeSplit, error) {
	switch name {
	case splitScaffold:
		return split.ScaffoldSplit(ms.ScaffoldKeys(), split.MoleculeSplitConfig{})
	case splitRandomScaffold:
		return split.RandomScaffoldSplit(ms.ScaffoldKeys(), seed, split.MoleculeSplitConfig{})
	case splitRandom:
		return split.RandomSplit(len(ms.Graphs), seed, split.MoleculeSplitConfig{})
	}
	return split.MoleculeSplit{}, checkSplitName(name)
}

// checkMoleculeLabels reports why ms cannot be scored by ROC-AUC.
func checkMoleculeLabels(ms *datasets.MoleculeSet, path string) error {
	switch {
	case len(ms.Tasks) == 0:
		return fmt.Errorf("--data %s: no label columns; eval --split scores classification tasks (0/1 columns) by ROC-AUC", path)
	case !ms.Classification:
		return fmt.Errorf("--data %s: the task columns %q hold values other than 0 and 1 (regression); eval --split scores classification tasks by ROC-AUC", path, ms.Tasks)
	}
	return nil
}

// evalMolecules scores every task of ms on the embeddings x (one row per
// molecule) over sp, fitting the tasks on up to GOMAXPROCS goroutines (the
// results do not depend on their number).
func evalMolecules(ms *datasets.MoleculeSet, x *mat.Dense, sp split.MoleculeSplit, cfg moleculeEval) ([]taskScore, error) {
	T := len(ms.Tasks)
	scores := make([]taskScore, T)
	errs := make([]error, T)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), T) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range next {
				scores[t], errs[t] = evalTask(ms, x, sp, t, cfg)
			}
		}()
	}
	for t := range T {
		next <- t
	}
	close(next)
	wg.Wait()
	for t, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("task %q: %w", ms.Tasks[t], err)
		}
	}
	return scores, nil
}

// labelled returns the rows of x and the 0/1 labels of task t for the
// molecules idx whose label is present, and the number of positives.
func labelled(ms *datasets.MoleculeSet, x *mat.Dense, idx []int, t int) (*mat.Dense, []int, int) {
	T, d := len(ms.Tasks), x.RawMatrix().Cols
	var rows []int
	for _, i := range idx {
		if ms.Mask[i*T+t] {
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return nil, nil, 0
	}
	sub := mat.NewDense(len(rows), d, nil)
	y := make([]int, len(rows))
	pos := 0
	for k, i := range rows {
		sub.SetRow(k, x.RawRowView(i))
		if ms.Labels[i*T+t] == 1 {
			y[k] = 1
			pos++
		}
	}
	return sub, y, pos
}

// evalTask fits task t for every C of the grid, keeps the first C with
// the best validation ROC-AUC and scores it on test.
func evalTask(ms *datasets.MoleculeSet, x *mat.Dense, sp split.MoleculeSplit, t int, cfg moleculeEval) (taskScore, error) {
	xTr, yTr, posTr := labelled(ms, x, sp.Train, t)
	xVa, yVa, posVa := labelled(ms, x, sp.Valid, t)
	xTe, yTe, posTe := labelled(ms, x, sp.Test, t)
	s := taskScore{Task: ms.Tasks[t], NTrain: len(yTr), NValid: len(yVa), NTest: len(yTe), PosTrain: posTr}
	for _, part := range []struct {
		name   string
		n, pos int
	}{{"train", len(yTr), posTr}, {"valid", len(yVa), posVa}, {"test", len(yTe), posTe}} {
		if part.pos == 0 || part.pos == part.n {
			s.Skipped = fmt.Sprintf("one class in %s (%d positive of %d labelled)", part.name, part.pos, part.n)
			return s, nil
		}
	}
	var best *probe.LogisticModel
	bestAUC := math.Inf(-1)
	for _, c := range cfg.cGrid {
		m, err := probe.LogisticRegression{C: c, MaxIter: cfg.maxIter, Standardize: true}.FitLogistic(xTr, yTr)
		if err != nil {
			return s, err
		}
		auc, err := modelAUC(m, xVa, yVa)
		if err != nil {
			return s, err
		}
		if auc > bestAUC {
			best, bestAUC, s.C = m, auc, c
		}
	}
	auc, err := modelAUC(best, xTe, yTe)
	if err != nil {
		return s, err
	}
	s.ValidROCAUC, s.TestROCAUC = &bestAUC, &auc
	return s, nil
}

// modelAUC is the ROC-AUC of m's decision scores on x against y.
func modelAUC(m *probe.LogisticModel, x *mat.Dense, y []int) (float64, error) {
	d, err := m.DecisionFunction(x)
	if err != nil {
		return 0, err
	}
	return probe.ROCAUC(mat.Col(nil, 0, d), y)
}

// runMoleculeEval is "graphjepa eval" on a molecule file: embed every
// molecule with m, split, score every task (see moleculeEvalNote).
func runMoleculeEval(m *graphjepa.Model, ms *datasets.MoleculeSet, modelDir string, untrained bool, cfg moleculeEval, asJSON bool, stdout io.Writer) error {
	start := time.Now()
	sp, err := moleculeSplit(ms, cfg.split, cfg.splitSeed)
	if err != nil {
		return fmt.Errorf("--split %s: %w", cfg.split, err)
	}
	x, err := m.Embed(ms.Graphs)
	if err != nil {
		return err
	}
	tasks, err := evalMolecules(ms, x, sp, cfg)
	if err != nil {
		return fmt.Errorf("--data %s: %w", ms.Source, err)
	}
	sum := moleculeEvalSummary{Dataset: ms.Name, Molecules: len(ms.Graphs), Unparsable: len(ms.Unparsable), Model: modelDir,
		Untrained: untrained, Split: cfg.split, Train: len(sp.Train), Valid: len(sp.Valid), Test: len(sp.Test),
		CGrid: cfg.cGrid, Tasks: tasks, Note: moleculeEvalNote}
	if cfg.split != splitScaffold {
		sum.SplitSeed = cfg.splitSeed
	}
	total := 0.0
	for _, t := range tasks {
		if t.TestROCAUC == nil {
			sum.Skipped++
			continue
		}
		sum.Scored++
		total += *t.TestROCAUC
	}
	if sum.Scored > 0 {
		mean := total / float64(sum.Scored)
		sum.ROCAUCMean = &mean
	}
	sum.Seconds = time.Since(start).Seconds()
	if asJSON {
		if err := writeJSON(stdout, sum); err != nil {
			return err
		}
	} else if err := printMoleculeEval(stdout, sum); err != nil {
		return err
	}
	if sum.Scored == 0 {
		return fmt.Errorf("--data %s: no task has both classes in train, validation and test of the %s split (see the skipped reasons)", ms.Source, cfg.split)
	}
	return nil
}

// printMoleculeEval prints the task table and the mean.
func printMoleculeEval(w io.Writer, s moleculeEvalSummary) error {
	what := "model " + s.Model
	if s.Untrained {
		what = "untrained encoder (architecture and seed of " + s.Model + ")"
	}
	fmt.Fprintf(w, "%s: %d molecules, %s split %d / %d / %d (train / valid / test), %s\n",
		s.Dataset, s.Molecules, s.Split, s.Train, s.Valid, s.Test, what)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "task\tn_train\tn_valid\tn_test\tC\tvalid ROC-AUC\ttest ROC-AUC\t")
	for _, t := range s.Tasks {
		if t.TestROCAUC == nil {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\t\tskipped\t %s\n", t.Task, t.NTrain, t.NValid, t.NTest, t.Skipped)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%g\t%.4f\t%.4f\t\n", t.Task, t.NTrain, t.NValid, t.NTest, t.C, *t.ValidROCAUC, *t.TestROCAUC)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if s.ROCAUCMean != nil {
		fmt.Fprintf(w, "mean test ROC-AUC over %d of %d tasks: %.4f (%.2f %%)", s.Scored, len(s.Tasks), *s.ROCAUCMean, 100**s.ROCAUCMean)
	} else {
		fmt.Fprintf(w, "no task could be scored (%d tasks)", len(s.Tasks))
	}
	if s.Skipped > 0 {
		fmt.Fprintf(w, "; %d skipped (a class missing from train, valid or test)", s.Skipped)
	}
	_, err := fmt.Fprintf(w, "; %.1f s\nnote: %s\n", s.Seconds, s.Note)
	return err
}
