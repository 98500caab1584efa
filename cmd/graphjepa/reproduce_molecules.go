package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/graphjepa"
	"github.com/nongrid/jepa/probe"
	"gonum.org/v1/gonum/mat"
)

// graphMAEFineTuned are the fine-tuned GIN test ROC-AUC (percent) GraphMAE
// reports under the scaffold split (Hou et al., KDD 2022, its README;
// pre-trained on 2 M ZINC molecules): the published figure our molecule
// reproductions stand beside.
var graphMAEFineTuned = map[string]float64{
	"BBBP": 72.0, "TOX21": 75.5, "TOXCAST": 64.1, "SIDER": 60.3, "CLINTOX": 82.3, "MUV": 76.3, "HIV": 77.2, "BACE": 83.1,
}

// moleculeFrozen is the frozen-embedding part of a molecule reproduction:
// the mean test ROC-AUC of per-task logistic regressions (eval --split),
// or for regression sets the mean test RMSE of per-task ridge regressions
// (frozenRidge).
type moleculeFrozen struct {
	Pretrained *float64 `json:"pretrained"`
	Untrained  *float64 `json:"untrained"` // the saved model's architecture and seed before its first step
	Scored     int      `json:"scored_tasks"`
}

// moleculeReproduceSummary is what "graphjepa reproduce --data FILE.csv
// --json" prints.
type moleculeReproduceSummary struct {
	Dataset   string                   `json:"dataset"`
	Molecules int                      `json:"molecules"`
	Model     string                   `json:"model"`
	Split     string                   `json:"split"`
	Train     int                      `json:"train"`
	Valid     int                      `json:"valid"`
	Test      int                      `json:"test"`
	Tasks     int                      `json:"tasks"`
	Metric    string                   `json:"metric"`
	Frozen    *moleculeFrozen          `json:"frozen"`
	Config    graphjepa.FineTuneConfig `json:"finetune_config"`
	Seeds     []uint64                 `json:"seeds"`
	FineTuned *fineTuneRuns            `json:"finetuned_pretrained"`
	Baseline  *fineTuneRuns            `json:"finetuned_untrained"`
	GraphMAE  *float64                 `json:"graphmae_finetuned,omitempty"` // percent, published
	Reduced   bool                     `json:"reduced"`
	Notes     []string                 `json:"notes,omitempty"`
	Seconds   float64                  `json:"seconds"`
}

// runMoleculeReproduce is "graphjepa reproduce" on a molecule file: the
// transfer protocol of pretrain-gnns with a model pre-trained beforehand
// (graphjepa pretrain --data a.csv,b.csv,... --exclude-test scaffold): the
// frozen embeddings' per-task logistic regressions (pre-trained and
// untrained), then fine-tuning of both encoders over seeds.
func runMoleculeReproduce(ctx context.Context, dataset, path, modelDir string, seeds, epochs int, asJSON bool, stdout, stderr io.Writer) error {
	if modelDir == "" {
		return fmt.Errorf("--model is required for molecule files: pre-train first, for example graphjepa pretrain --data bbbp.csv,bace.csv,... --exclude-test scaffold --out models/union")
	}
	start := time.Now()
	ms, err := loadMolecules(path, "pretrain-gnns", "")
	if err != nil {
		return err
	}
	for _, u := range ms.Unparsable {
		fmt.Fprintf(stderr, "graphjepa reproduce: %s:%d: not used: %s (%s)\n", ms.Name, u.Line, u.Err, u.SMILES)
	}
	if len(ms.Tasks) == 0 {
		return fmt.Errorf("--data %s: no label columns", path)
	}
	m, err := graphjepa.Load(modelDir)
	if err != nil {
		return err
	}
	sp, err := moleculeSplit(ms, splitScaffold, 0)
	if err != nil {
		return err
	}
	sum := moleculeReproduceSummary{Dataset: ms.Name, Molecules: len(ms.Graphs), Model: modelDir, Split: splitScaffold,
		Train: len(sp.Train), Valid: len(sp.Valid), Test: len(sp.Test), Tasks: len(ms.Tasks), Metric: "roc_auc"}
	if !ms.Classification {
		sum.Metric = "rmse"
	}
	{
		grid, _ := parseCGrid(defaultCGrid)
		fr := &moleculeFrozen{}
		for _, enc := range []string{"pretrained", "untrained"} {
			em := m
			if enc == "untrained" {
				if em, err = untrainedModel(ms.GraphSet, m.Config()); err != nil {
					return err
				}
			}
			x, err := em.Embed(ms.Graphs)
			if err != nil {
				return err
			}
			var mean *float64
			var n int
			if ms.Classification {
				tasks, err := evalMolecules(ms, x, sp, moleculeEval{split: splitScaffold, cGrid: grid, maxIter: 10000})
				if err != nil {
					return err
				}
				mean, n = meanScored(tasks)
			} else if mean, n, err = frozenRidge(ms, x, sp); err != nil {
				return err
			}
			fr.Scored = n
			if enc == "pretrained" {
				fr.Pretrained = mean
			} else {
				fr.Untrained = mean
			}
		}
		sum.Frozen = fr
		fmt.Fprintf(stderr, "graphjepa reproduce %s: frozen embeddings, test %s %s pre-trained, %s untrained (%d tasks)\n",
			ms.Name, sum.Metric, fmtPtr(fr.Pretrained), fmtPtr(fr.Untrained), fr.Scored)
	}
	sum.Config = graphjepa.FineTuneConfig{Epochs: epochs, Regression: !ms.Classification}
	for k := range seeds {
		sum.Seeds = append(sum.Seeds, uint64(k))
	}
	if seeds < 10 || (epochs != 0 && epochs != 100) {
		sum.Reduced = true
		sum.Notes = append(sum.Notes, fmt.Sprintf("reduced: %d seeds × %d epochs (pretrain-gnns: 10 × 100)", seeds, boolInt(epochs == 0, 100, epochs)))
	}
	if sum.FineTuned, sum.Baseline, _, err = fineTuneSeeds(ctx, m, ms, sp, sum.Config, sum.Seeds, "both", false, stderr); err != nil {
		return err
	}
	if v, ok := graphMAEFineTuned[strings.ToUpper(dataset)]; ok {
		sum.GraphMAE = &v
	}
	sum.Seconds = time.Since(start).Seconds()
	if asJSON {
		return writeJSON(stdout, sum)
	}
	fmt.Fprintf(stdout, "%s: %d molecules, scaffold split %d / %d / %d, %d tasks, %d seeds\n", sum.Dataset, sum.Molecules, sum.Train, sum.Valid, sum.Test, sum.Tasks, len(sum.Seeds))
	if sum.Frozen != nil {
		fmt.Fprintf(stdout, "  frozen embeddings (%s): pre-trained %s, untrained %s\n", boolStr(ms.Classification, "logistic regression, ROC-AUC", "ridge, RMSE"),
			fmtPtr(sum.Frozen.Pretrained), fmtPtr(sum.Frozen.Untrained))
	}
	fmt.Fprintf(stdout, "  fine-tuned %s: pre-trained %.4f ± %.4f (at best valid %.4f), untrained %.4f ± %.4f (at best valid %.4f)\n", sum.Metric,
		sum.FineTuned.FinalMean, sum.FineTuned.FinalStd, sum.FineTuned.BestMean, sum.Baseline.FinalMean, sum.Baseline.FinalStd, sum.Baseline.BestMean)
	if sum.GraphMAE != nil {
		fmt.Fprintf(stdout, "  GraphMAE (published, fine-tuned GIN pre-trained on 2 M ZINC molecules): %.1f\n", *sum.GraphMAE)
	}
	for _, n := range sum.Notes {
		fmt.Fprintf(stdout, "  note: %s\n", n)
	}
	_, err = fmt.Fprintf(stdout, "%.0f s\n", sum.Seconds)
	return err
}

// meanScored is the mean test ROC-AUC over the scored tasks (nil if none)
// and their number.
func meanScored(tasks []taskScore) (*float64, int) {
	var s float64
	n := 0
	for _, t := range tasks {
		if t.TestROCAUC != nil {
			s += *t.TestROCAUC
			n++
		}
	}
	if n == 0 {
		return nil, 0
	}
	v := s / float64(n)
	return &v, n
}

func fmtPtr(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return "n/a"
	}
	return fmt.Sprintf("%.4f", *v)
}

func boolStr(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// ridgeAlphas are the ridge penalties frozenRidge tries per task.
var ridgeAlphas = []float64{0.01, 0.1, 1, 10, 100}

// frozenRidge fits, per task, a ridge regression on the embeddings x of the
// training molecules with a label for every alpha of ridgeAlphas, keeps the
// first with the lowest validation RMSE, and returns the mean test RMSE over
// the tasks with labels in all three parts, and their number.
func frozenRidge(ms *datasets.MoleculeSet, x *mat.Dense, sp split.MoleculeSplit) (*float64, int, error) {
	T, d := len(ms.Tasks), x.RawMatrix().Cols
	rows := func(idx []int, t int) (*mat.Dense, []float64) {
		var keep []int
		for _, i := range idx {
			if ms.Mask[i*T+t] {
				keep = append(keep, i)
			}
		}
		if len(keep) == 0 {
			return nil, nil
		}
		sub := mat.NewDense(len(keep), d, nil)
		y := make([]float64, len(keep))
		for k, i := range keep {
			sub.SetRow(k, x.RawRowView(i))
			y[k] = float64(ms.Labels[i*T+t])
		}
		return sub, y
	}
	var sum float64
	n := 0
	for t := range T {
		xTr, yTr := rows(sp.Train, t)
		xVa, yVa := rows(sp.Valid, t)
		xTe, yTe := rows(sp.Test, t)
		if xTr == nil || xVa == nil || xTe == nil {
			continue
		}
		var best *probe.RidgeModel
		bestRMSE := math.Inf(1)
		for _, a := range ridgeAlphas {
			m, err := probe.Ridge{Alpha: a}.Fit(xTr, yTr)
			if err != nil {
				return nil, 0, fmt.Errorf("task %q: %w", ms.Tasks[t], err)
			}
			p, err := m.Predict(xVa)
			if err != nil {
				return nil, 0, err
			}
			r, err := probe.RMSE(p, yVa)
			if err != nil {
				return nil, 0, err
			}
			if r < bestRMSE {
				best, bestRMSE = m, r
			}
		}
		p, err := best.Predict(xTe)
		if err != nil {
			return nil, 0, err
		}
		r, err := probe.RMSE(p, yTe)
		if err != nil {
			return nil, 0, err
		}
		sum += r
		n++
	}
	if n == 0 {
		return nil, 0, nil
	}
	v := sum / float64(n)
	return &v, n, nil
}
