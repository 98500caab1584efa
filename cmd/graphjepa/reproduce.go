package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/graphjepa"
	"github.com/nongrid/jepa/internal/cli"
)

func init() {
	register(command{name: "reproduce", summary: "run the paper's evaluation protocol on a data set and print our number beside the paper's", run: runReproduce})
}

// reproduceSummary is what "graphjepa reproduce --json" prints.
type reproduceSummary struct {
	Dataset  string `json:"dataset"`
	Preset   string `json:"preset"`
	Protocol string `json:"protocol"`
	Runs     int    `json:"runs"`
	Folds    int    `json:"folds"`
	Epochs   int    `json:"epochs"`
	// AccuracyMean/Std: percent, mean over runs of fold means ± mean over
	// runs of fold stds (TU sets).
	AccuracyMean   *float64    `json:"accuracy_mean,omitempty"`
	AccuracyStd    *float64    `json:"accuracy_std,omitempty"`
	FoldAccuracies [][]float64 `json:"fold_accuracies,omitempty"` // [run][fold], percent
	// MAEMean/Std: ZINC, over runs.
	MAEMean     *float64                  `json:"mae_mean,omitempty"`
	MAEStd      *float64                  `json:"mae_std,omitempty"`
	RunMAEs     []float64                 `json:"run_maes,omitempty"`
	PaperMean   float64                   `json:"paper_mean"`
	PaperStd    float64                   `json:"paper_std"`
	HasPaper    bool                      `json:"has_paper"`
	Reduced     bool                      `json:"reduced"`
	Comparable  bool                      `json:"comparable"`
	Notes       []string                  `json:"notes,omitempty"`
	Partitioner string                    `json:"partitioner,omitempty"`
	RunDir      string                    `json:"run_dir,omitempty"`
	RunDirs     []string                  `json:"run_dirs,omitempty"` // merge of several directories
	FoldResults []graphjepa.ReproduceFold `json:"fold_results"`
	WallSeconds float64                   `json:"wall_seconds"`
}

func runReproduce(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	dataset := fs.String("dataset", "", "data set of the paper: MUTAG, PROTEINS, DD, REDDIT-B, REDDIT-M5, IMDB-B, IMDB-M or ZINC (required)")
	df := addDataFlags(fs)
	mf := addModelFlags(fs)
	runDir := fs.String("run", "", "run directory: every finished fold is written there, and a restart with the same arguments continues from the first unfinished fold")
	runs := fs.Int("runs", 0, "runs, one per paper seed (TU: 1..5, ZINC: 1..10); 0: all")
	folds := fs.Int("folds", 0, "folds per run, the first K of the paper's 10 stratified folds (1..10); 0: all 10")
	evalTrain := fs.Bool("eval-train-embedding", false, "embed the training fold with the evaluation transform (the reference uses the training transform)")
	reuse := fs.String("reuse", "", "comma-separated run directories of the same configuration with other --runs/--folds (a reduced or an unfinished protocol): jobs they finished are taken instead of recomputed")
	shardSpec := fs.String("shard", "", "run only shard i/n of the (run, fold) jobs: job run·folds+fold goes to shard (run·folds+fold) mod n; needs --run; assemble the shards with graphjepa merge")
	jobs := fs.Int("jobs", 1, "jobs run side by side, splitting the patching workers (results do not depend on it)")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end")
	verbose := fs.Bool("verbose", false, "also print the pre-training progress of every fold on stderr")
	modelDir := fs.String("model", "", "molecule files (--data FILE.csv): the pre-trained model to transfer (graphjepa pretrain --data a.csv,b.csv,... --exclude-test scaffold); --runs is then the number of fine-tuning seeds (0: 10) and --epochs the fine-tuning epochs (0: 100)")
	usage(fs, stderr, "reproduce --dataset NAME [--data PATH] [--run DIR [--shard i/n]] [--reuse DIR,...] [--jobs K] [--runs 5] [--folds 10] [--epochs E] [--json]",
		"Runs Graph-JEPA's evaluation protocol (spec §10): for every run seed (42, 21, 95, 12, 35) and each of\n"+
			"scikit-learn's StratifiedKFold(10, shuffle=True, random_state=12345) folds, a fresh model pre-trained\n"+
			"on the training fold, LogisticRegression(max_iter=10000) on its embeddings, mean ± std as the paper\n"+
			"reports it. ZINC: Ridge() test MAE over 10 seeds (--data: a folder with ZINC_Train/Val/Test.pkl;\n"+
			"without the training split a partial protocol runs and says so). --runs/--folds/--epochs shrink the\n"+
			"protocol for quick checks; the output then says it was reduced. --shard i/n runs only the jobs j\n"+
			"(j = run·folds + fold) with j mod n = i, writing each into --run DIR; graphjepa merge DIR... then\n"+
			"prints the report of the whole protocol (deploy/README.md: Slurm arrays, Kubernetes Indexed Jobs).\n"+
			"--reuse DIR takes the jobs a run directory of the same configuration with other --runs/--folds has\n"+
			"finished (for example the first 3 runs of a full protocol that is still running) instead of\n"+
			"recomputing them; the report says how many it took.",
		"graphjepa reproduce --dataset MUTAG --data ../shared/data/graphs/tu/MUTAG --run runs/mutag",
		"graphjepa reproduce --dataset MUTAG --runs 1 --folds 2 --epochs 1 --json",
		"graphjepa reproduce --dataset ZINC --data ../shared/data/graphs/zinc12k_partial",
		"graphjepa reproduce --dataset MUTAG --data ../shared/data/graphs/tu/MUTAG --run runs/mutag --shard 3/50",
		"graphjepa reproduce --dataset MUTAG --data ../shared/data/graphs/tu/MUTAG --run runs/mutag --jobs 2",
		"graphjepa reproduce --dataset MUTAG --data ../shared/data/graphs/tu/MUTAG --runs 1 --reuse runs/mutag")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *dataset == "" {
		fs.Usage()
		return errors.New("--dataset is required")
	}
	if df.data != "" && isMoleculeFile(df.data, df.format) {
		if *runs < 0 || *runs > 1000 || mf.epochs < 0 {
			return fmt.Errorf("--runs %d / --epochs %d: want fine-tuning seeds 1..1000 and epochs ≥ 1 (0: 10 and 100)", *runs, mf.epochs)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		return runMoleculeReproduce(ctx, *dataset, df.data, *modelDir, boolInt(*runs == 0, 10, *runs), mf.epochs, *asJSON, stdout, stderr)
	}
	if *modelDir != "" {
		return fmt.Errorf("--model %s: for molecule files (--data FILE.csv); the graph protocol pre-trains a fresh model per fold", *modelDir)
	}
	paper, hasPaper := graphjepa.Paper(*dataset)
	zinc := hasPaper && paper.Dataset == "ZINC"
	maxRuns := 5
	if zinc {
		maxRuns = 10
	}
	switch {
	case *runs < 0 || *runs > maxRuns:
		return fmt.Errorf("--runs %d: want 1..%d (0: all %d)", *runs, maxRuns, maxRuns)
	case *folds < 0 || *folds > 10:
		return fmt.Errorf("--folds %d: want 1..10 (0: all 10)", *folds)
	case zinc && *folds > 1:
		return fmt.Errorf("--folds %d: ZINC has a fixed split, no folds", *folds)
	}
	if err := mf.check(); err != nil {
		return err
	}
	if err := cli.CheckRange("--jobs", *jobs, 1, 1024); err != nil {
		return err
	}
	var shard graphjepa.Shard
	if *shardSpec != "" {
		var err error
		if shard, err = graphjepa.ParseShard(*shardSpec); err != nil {
			return fmt.Errorf("--shard: %w", err)
		}
		if *runDir == "" {
			return fmt.Errorf("--shard %s needs --run DIR: every shard writes its jobs there for graphjepa merge", *shardSpec)
		}
	}
	presetName := *dataset
	if mf.preset != "" {
		presetName = mf.preset
	}
	cfg, presetName, err := mf.config(presetName)
	if err != nil {
		return err
	}
	if df.data == "" {
		df.data = *dataset
	}

	rc := graphjepa.ReproduceConfig{Dataset: *dataset, Model: cfg, Runs: *runs, Folds: *folds, RunDir: *runDir, EvalTrainEmbedding: *evalTrain,
		Shard: shard, Jobs: *jobs, Preset: presetName}
	if *reuse != "" {
		for _, d := range strings.Split(*reuse, ",") {
			if d = strings.TrimSpace(d); d == "" {
				return fmt.Errorf("--reuse %q: an empty directory name", *reuse)
			}
			if *runDir != "" && filepath.Clean(d) == filepath.Clean(*runDir) {
				return fmt.Errorf("--reuse %s: that is the --run directory itself", d)
			}
			rc.Reuse = append(rc.Reuse, d)
		}
	}
	if paper.Dataset != "" {
		rc.Dataset = paper.Dataset
	}
	if *verbose {
		rc.PretrainLog = stderr
	}
	var bar *progressbar.ProgressBar
	if isTerminal(stderr) && !*verbose {
		rc.OnFold = func(graphjepa.ReproduceFold) { _ = bar.Add(1) }
	} else {
		rc.Log = stderr
	}

	var res *graphjepa.ReproduceResult
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if zinc {
		train, val, test, err := loadZINCSplits(df.data)
		if err != nil {
			return err
		}
		bar = newFoldBar(stderr, rc.OnFold != nil, len(shard.Jobs(boolInt(*runs == 0, 10, *runs))))
		res, err = graphjepa.ReproduceZINC(ctx, train, val, test, rc)
		if err != nil {
			return err
		}
	} else {
		set, err := df.load()
		if err != nil {
			return err
		}
		if set.NumClasses < 2 {
			return fmt.Errorf("--data %s: not a classification set (%d classes)", df.data, set.NumClasses)
		}
		n := boolInt(*runs == 0, 5, *runs) * boolInt(*folds == 0, 10, *folds)
		bar = newFoldBar(stderr, rc.OnFold != nil, len(shard.Jobs(n)))
		fmt.Fprintf(stderr, "reproduce %s: %d graphs, preset %s, %d epochs per fold\n", rc.Dataset, len(set.Graphs), presetName, cfg.Epochs)
		res, err = graphjepa.Reproduce(ctx, set, rc)
		if err != nil {
			return err
		}
	}
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(stderr)
	}
	if res.Shard != "" {
		return printShard(stdout, res, *runDir, *asJSON)
	}
	sum := summarizeReproduce(res, presetName, *runDir)
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	printReproduce(stdout, sum, res)
	return nil
}

func boolInt(c bool, a, b int) int {
	if c {
		return a
	}
	return b
}

func newFoldBar(w io.Writer, on bool, n int) *progressbar.ProgressBar {
	if !on {
		return nil
	}
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("folds"),
		progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionFullWidth())
}

func summarizeReproduce(res *graphjepa.ReproduceResult, preset, runDir string) reproduceSummary {
	s := reproduceSummary{Dataset: res.Dataset, Preset: preset, Protocol: res.Protocol, Runs: res.Runs, Folds: res.Folds, Epochs: res.Epochs,
		PaperMean: res.Paper.Mean, PaperStd: res.Paper.Std, HasPaper: res.HasPaper, Reduced: res.Reduced, Comparable: res.Comparable,
		Notes: res.Notes, Partitioner: res.Partitioner, RunDir: runDir, FoldResults: res.FoldResults, WallSeconds: res.Seconds}
	mean, std := res.Report.Mean, res.Report.Std
	if res.Report.Metric == "MAE" {
		s.MAEMean, s.MAEStd = &mean, &std
		for _, fr := range res.FoldResults {
			s.RunMAEs = append(s.RunMAEs, fr.MAE)
		}
		return s
	}
	s.AccuracyMean, s.AccuracyStd = &mean, &std
	s.FoldAccuracies = make([][]float64, res.Runs)
	for _, fr := range res.FoldResults {
		s.FoldAccuracies[fr.Run] = append(s.FoldAccuracies[fr.Run], fr.Accuracy)
	}
	return s
}

func printReproduce(w io.Writer, s reproduceSummary, res *graphjepa.ReproduceResult) {
	fmt.Fprintf(w, "%s: %s\n", s.Dataset, s.Protocol)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	metric := "accuracy (%)"
	if s.MAEMean != nil {
		metric = "test MAE"
	}
	fmt.Fprintf(tw, "\t%s\n", metric)
	fmt.Fprintf(tw, "nongrid/jepa\t%s\n", res.Report)
	if s.HasPaper {
		fmt.Fprintf(tw, "paper (Graph-JEPA)\t%s\n", paperString(res.Paper))
	}
	tw.Flush()
	if s.AccuracyMean != nil {
		for r, acc := range s.FoldAccuracies {
			parts := make([]string, len(acc))
			for i, a := range acc {
				parts[i] = fmt.Sprintf("%.2f", a)
			}
			fmt.Fprintf(w, "run %d folds: %s\n", r+1, strings.Join(parts, " "))
		}
	}
	if s.Reduced {
		fmt.Fprintln(w, "REDUCED protocol: a quick check, not a reproduction of the paper's number.")
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if !s.Comparable && !s.Reduced {
		fmt.Fprintln(w, "This run differs from the published protocol (see the notes): do not quote it as a reproduction.")
	}
	var loaded int
	var jobSeconds float64
	for _, fr := range s.FoldResults {
		if fr.Resumed || fr.ReusedFrom != "" {
			loaded++
		}
		jobSeconds += fr.Seconds
	}
	if loaded > 0 {
		fmt.Fprintf(w, "wall time %.1f s (%d of the %d jobs were computed earlier; all jobs' own times add up to %.0f s)\n", s.WallSeconds, loaded, len(s.FoldResults), jobSeconds)
		return
	}
	fmt.Fprintf(w, "wall time %.1f s\n", s.WallSeconds)
}

func paperString(p graphjepa.PaperResult) string {
	if p.Metric == "MAE" {
		return fmt.Sprintf("%.3f ± %.3f", p.Mean, p.Std)
	}
	return fmt.Sprintf("%.2f ± %.2f", p.Mean, p.Std)
}

// loadZINCSplits finds ZINC's train/val/test pickles in a folder (or next
// to a given pickle): files whose names contain "train", "val" and "test".
// The training split may be missing (returned nil); val and test may not.
func loadZINCSplits(path string) (train, val, test *datasets.GraphSet, err error) {
	dir := path
	if st, err := os.Stat(path); err != nil {
		return nil, nil, nil, fmt.Errorf("--data %s: ZINC needs a folder holding ZINC_Train.pkl, ZINC_Val.pkl and ZINC_Test.pkl (or at least Val and Test): %w", path, err)
	} else if !st.IsDir() {
		dir = filepath.Dir(path)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--data %s: %w", dir, err)
	}
	find := func(key string) string {
		for _, e := range entries {
			n := strings.ToLower(e.Name())
			if strings.HasSuffix(n, ".pkl") && strings.Contains(n, key) {
				return filepath.Join(dir, e.Name())
			}
		}
		return ""
	}
	load := func(key string, required bool) (*datasets.GraphSet, error) {
		p := find(key)
		if p == "" {
			if required {
				return nil, fmt.Errorf("--data %s: no *%s*.pkl (ZINC needs ZINC_Val.pkl and ZINC_Test.pkl, and ZINC_Train.pkl for the paper's protocol)", dir, key)
			}
			return nil, nil
		}
		s, err := datasets.LoadZINC(p, datasets.ZINCConfig{})
		if err != nil {
			return nil, err
		}
		s.Name = "ZINC"
		return s, nil
	}
	if train, err = load("train", false); err != nil {
		return nil, nil, nil, err
	}
	if val, err = load("val", true); err != nil {
		return nil, nil, nil, err
	}
	if test, err = load("test", true); err != nil {
		return nil, nil, nil, err
	}
	return train, val, test, nil
}
