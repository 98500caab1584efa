package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/pointjepa"
	"github.com/nongrid/jepa/probe"
)

func init() {
	register(command{
		name:    "fewshot",
		summary: "N-way K-shot few-shot accuracy (5w10s, 5w20s, 10w10s, 10w20s; 10 seeded folds) beside the paper's",
		run:     runFewShot,
	})
}

// fewShotInfo describes a few-shot run: the head of "pointjepa fewshot
// --json", stored in the run directory (FewShotConfig.Info) so that
// "pointjepa merge" prints it too.
type fewShotInfo struct {
	Model   string `json:"model,omitempty"`
	Preset  string `json:"preset,omitempty"`
	Trained bool   `json:"trained"`
	Data    string `json:"data"`
	Format  string `json:"format"`
	Probe   string `json:"probe"` // svm, logreg or finetune
	Folds   int    `json:"folds"`
	Seed    uint64 `json:"seed"`
}

// fewShotOutput is what "pointjepa fewshot --json" and "pointjepa merge
// --json" print. For a shard (--shard) results is empty and shard and jobs
// list its episodes.
type fewShotOutput struct {
	fewShotInfo
	pointjepa.FewShotReport
	RunDir      string   `json:"run_dir,omitempty"`
	RunDirs     []string `json:"run_dirs,omitempty"` // merge of several directories
	WallSeconds float64  `json:"wall_s"`             // merge: the episodes' fit_s plus embed_s
	GOMAXPROCS  int      `json:"gomaxprocs"`
}

func runFewShot(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fewshot", flag.ContinueOnError)
	enc := addEncoderFlags(fs)
	df := addDataFlags(fs)
	settings := fs.String("settings", "5w10s,5w20s,10w10s,10w20s", "comma-separated N-way K-shot settings")
	folds := fs.Int("folds", 10, "episodes (folds) per setting; fold i uses seed --fold-seed + i")
	foldSeed := fs.Uint64("fold-seed", 0, "seed of fold 0")
	query := fs.Int("query", 20, "query clouds per class (Point-BERT: 20)")
	probeName := fs.String("probe", "svm", "linear probe per episode: svm (SVC, linear kernel, C of --c) or logreg (logistic regression, standardised features, C of --c)")
	c := fs.Float64("c", 0.012, "the probe's penalty C")
	batch := fs.Int("batch", pointjepa.DefaultEvalBatch, "clouds per embedding batch (speed and memory only)")
	finetune := fs.Bool("finetune", false, "the paper's form: fine-tune a fresh copy of the model on every episode (pointjepa.FewShotFinetune, one fine-tuning run per fold) instead of a linear probe on frozen features")
	var ftGiven pointjepa.FinetuneConfig
	ftFlags := bindStruct(fs, &ftGiven, "ft-", "FinetuneConfig")
	ftPreset := fs.String("ft-preset", "fewshot", "with --finetune: the fine-tuning preset the --ft-* flags override (go doc pointjepa.FinetunePreset; fewshot is §2.2's 150 epochs, label smoothing 0.2, encoder trainable from the start)")
	runDir := fs.String("run", "", "run directory: one record per finished episode (rerunning skips them); needed by --shard")
	shardSpec := fs.String("shard", "", "run only shard i/n of the episodes: job settingIndex·folds+fold goes to shard job mod n; needs --run; assemble the shards with pointjepa merge")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end (progress goes to stderr)")
	done, err := parseFlags(fs, args, usage{
		name:     "fewshot",
		synopsis: "[--model DIR] [--data DIR] [--settings 5w10s,...] [--run DIR [--shard i/n]] [flags]",
		about: "Few-shot classification on frozen features (spec §2.2, linear-probe form). For every setting and fold i\n" +
			"an episode is drawn with seed --fold-seed+i: N classes, K support clouds per class from the training split,\n" +
			"--query clouds per class from the test split; a linear probe is fitted on the support features and scored\n" +
			"on the queries; mean ± std over the folds. --finetune fine-tunes the whole network per episode instead\n" +
			"(the --ft-* flags are FinetuneConfig's fields) and scores the best query accuracy over the epochs.\n" +
			"The paper's numbers (printed beside) come from fine-tuning\n" +
			"the whole network for 150 epochs per fold on Point-BERT's split pickles after ShapeNet-55 pretraining,\n" +
			"which this protocol does not reproduce.\n" +
			"--run DIR records every episode (resumable); --shard i/n runs only the episodes j = settingIndex·folds+fold\n" +
			"with j mod n = i, and pointjepa merge DIR... prints the report of the whole protocol, bit-identical to one\n" +
			"process. Without --finetune every shard still embeds the clouds of all episodes (only the probe fits are\n" +
			"split); with --finetune each shard fine-tunes only its own episodes.",
		examples: []string{
			"pointjepa fewshot --model runs/cpu/model --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz --json",
			"pointjepa fewshot --preset small --settings 5w10s --folds 3",
			"pointjepa fewshot --model runs/cpu/model --finetune --ft-epochs 150 --settings 5w10s --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz",
			"pointjepa fewshot --model runs/cpu/model --finetune --run runs/fewshot --shard 3/40 --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz",
		},
	}, stdout, stderr)
	if done || err != nil {
		return err
	}
	if err := df.check(); err != nil {
		return err
	}
	var sets []pointjepa.FewShotSetting
	for _, s := range strings.Split(*settings, ",") {
		st, err := pointjepa.ParseFewShotSetting(s)
		if err != nil {
			return fmt.Errorf("--settings: %w", err)
		}
		if err := intRange("settings", st.Way, 2, 1000, "ways of "+st.String()); err != nil {
			return err
		}
		if err := intRange("settings", st.Shot, 1, 100000, "shots of "+st.String()); err != nil {
			return err
		}
		sets = append(sets, st)
	}
	if err := intRange("folds", *folds, 1, 10000, "episodes per setting"); err != nil {
		return err
	}
	if err := intRange("query", *query, 1, 100000, "query clouds per class"); err != nil {
		return err
	}
	if err := floatRange("c", *c, 1e-12, 1e12, "the probe's penalty, > 0"); err != nil {
		return err
	}
	if err := intRange("batch", *batch, 1, maxBatch, "clouds per embedding batch"); err != nil {
		return err
	}
	if err := ftFlags.check(maxEpochs); err != nil {
		return err
	}
	var shard jepa.Shard
	if *shardSpec != "" {
		if shard, err = jepa.ParseShard(*shardSpec); err != nil {
			return fmt.Errorf("--shard: %w", err)
		}
		if *runDir == "" {
			return fmt.Errorf("--shard %s needs --run DIR: every shard writes its episodes there for pointjepa merge", *shardSpec)
		}
		if total := len(sets) * *folds; shard.Shards() > total {
			return fmt.Errorf("--shard %s: more shards than episodes (%d settings × %d folds = %d), some would have none", *shardSpec, len(sets), *folds, total)
		}
	}
	ft, err := pointjepa.FinetunePreset(*ftPreset)
	if err != nil {
		return fmt.Errorf("--ft-preset: %w", err)
	}
	ftFlags.applyTo(&ft)
	var clf probe.Classifier
	switch *probeName {
	case "svm":
		clf = probe.SVC{C: *c}
	case "logreg":
		clf = probe.LogisticRegression{C: *c, Standardize: true, MaxIter: 1000}
	default:
		return fmt.Errorf("--probe %q: want svm or logreg", *probeName)
	}
	t0 := time.Now()
	fr, err := loadFrozen(enc, df, *batch, "fewshot draws support clouds from train and queries from test", stderr)
	if err != nil {
		return err
	}
	m, trained, train, test, format := fr.model, fr.trained, fr.train, fr.test, fr.format
	ctx, stop := commandContext()
	defer stop()
	if *finetune {
		*probeName = "finetune"
	}
	info := fewShotInfo{Trained: trained, Data: df.path, Format: format, Probe: *probeName, Folds: *folds, Seed: *foldSeed}
	if trained {
		info.Model = enc.model
	} else {
		info.Preset = enc.mf.preset
	}
	infoJSON, err := json.Marshal(info)
	if err != nil {
		return err
	}
	fcfg := pointjepa.FewShotConfig{
		Settings: sets, Folds: *folds, Query: *query, Seed: *foldSeed, Probe: clf, Batch: *batch, Log: stderr,
		RunDir: *runDir, Shard: shard, Info: infoJSON,
	}
	var rep pointjepa.FewShotReport
	if *finetune {
		rep, err = pointjepa.FewShotFinetune(ctx, m, train, test, fcfg, ft)
	} else {
		rep, err = pointjepa.FewShot(ctx, m, train, test, fcfg)
	}
	if err != nil {
		return err
	}
	out := fewShotOutput{fewShotInfo: info, FewShotReport: rep, RunDir: *runDir,
		WallSeconds: time.Since(t0).Seconds(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	if rep.Shard != "" {
		return printFewShotShard(stdout, out)
	}
	return printFewShot(stdout, out)
}

// printFewShot prints the table of a few-shot report (fewshot, merge).
func printFewShot(w io.Writer, out fewShotOutput) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "setting\tours (%s probe, %d folds)\tpaper (fine-tuned)\n", out.Probe, out.Folds)
	for _, r := range out.Results {
		paper := "-"
		if r.Paper != nil {
			paper = r.Paper.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Setting, r.Accuracy, paper)
	}
	fmt.Fprintf(tw, "\nprotocol: %s\n", out.Protocol)
	for _, n := range out.Notes {
		fmt.Fprintf(tw, "note: %s\n", n)
	}
	fmt.Fprintf(tw, "wall time: %.1f s\n", out.WallSeconds)
	return tw.Flush()
}

// printFewShotShard prints the episodes one shard ran and how to merge.
func printFewShotShard(w io.Writer, out fewShotOutput) error {
	fmt.Fprintf(w, "few-shot shard %s: %d episodes, written to %s\n", out.Shard, len(out.Jobs), out.RunDir)
	for _, j := range out.Jobs {
		how := fmt.Sprintf("%.1f s", j.Seconds)
		if j.Resumed {
			how = "from the run directory"
		}
		fmt.Fprintf(w, "  job %d (%s fold %d): accuracy %.2f%% (%s)\n", j.Job, j.Setting, j.Fold, j.Accuracy, how)
	}
	fmt.Fprintf(w, "when every shard has finished: pointjepa merge %s\n", out.RunDir)
	fmt.Fprintf(w, "wall time: %.1f s\n", out.WallSeconds)
	return nil
}
