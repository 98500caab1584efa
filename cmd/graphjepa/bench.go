package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/nongrid/jepa/graphjepa"
	"github.com/nongrid/jepa/probe"
)

func init() {
	register(command{name: "bench", summary: "time pre-training epochs, patching and embedding on the first fold of a data set", run: runBench})
}

// benchSummary is what "graphjepa bench --json" prints.
type benchSummary struct {
	Preset      string `json:"preset"`
	Dataset     string `json:"dataset"`
	TrainGraphs int    `json:"train_graphs"`
	TestGraphs  int    `json:"test_graphs"`
	// With --limit, FoldTrainGraphs is the whole training fold and
	// FullEpochSecondsEstimate EpochSeconds scaled by FoldTrainGraphs /
	// TrainGraphs (an estimate: steps cost about the same per graph).
	Limited                  bool    `json:"limited,omitempty"`
	FoldTrainGraphs          int     `json:"fold_train_graphs,omitempty"`
	FullEpochSecondsEstimate float64 `json:"full_epoch_seconds_estimate,omitempty"`
	// EpochSeconds is one pre-training epoch on the training fold as
	// Pretrain runs it (graphjepa.BenchEpoch): waiting for patched batches,
	// the optimizer steps, the held-out JEPA-loss pass; the mean over the
	// timed epochs after a first warm-up epoch (FirstEpochSeconds). Its
	// parts: ComputeSeconds (forward and backward), PatchWaitSeconds,
	// HeldOutSeconds; CPUSeconds is the process CPU time per epoch (all
	// threads), steadier than wall time on a loaded machine.
	EpochSeconds      float64 `json:"epoch_seconds"`
	ComputeSeconds    float64 `json:"compute_seconds"`
	PatchWaitSeconds  float64 `json:"patch_wait_seconds"`
	HeldOutSeconds    float64 `json:"held_out_seconds"`
	CPUSeconds        float64 `json:"cpu_seconds"`
	FirstEpochSeconds float64 `json:"first_epoch_seconds"`
	EpochsTimed       int     `json:"epochs_timed"`
	StepsPerEpoch     int     `json:"steps_per_epoch"`
	TrainGraphsPerS   float64 `json:"train_graphs_per_s"`
	// EmbedGraphsPerS embeds every graph of the set (evaluation transform).
	EmbedGraphsPerS float64 `json:"embed_graphs_per_s"`
	// PatchGraphsPerS is patching alone (training transform, the producer
	// pool), for reference.
	PatchGraphsPerS float64 `json:"patch_graphs_per_s"`
	Hidden          int     `json:"hidden"`
	BatchSize       int     `json:"batch_size"`
	GOMAXPROCS      int     `json:"gomaxprocs"`
	LoadAverage     string  `json:"load_average,omitempty"`
	Partitioner     string  `json:"partitioner,omitempty"`
	Seconds         float64 `json:"seconds"`
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	df := addDataFlags(fs)
	mf := addModelFlags(fs)
	timed := fs.Int("timed-epochs", 2, "epochs timed after a first (warm-up) epoch, 1..100")
	repeat := fs.Int("repeat", 3, "passes of the embedding and patching timings, 1..100")
	limit := fs.Int("limit", 0, "time only the first N graphs of the training fold (and the first ⌈N/9⌉ of the test fold, which the embedding timing also uses), for a quick estimate on large sets such as REDDIT-BINARY or DD; 0: all")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end")
	usage(fs, stderr, "bench --preset NAME --data PATH [--timed-epochs 2] [--limit N] [--json]",
		"Times Graph-JEPA on the training fold of the first of the paper's 10 stratified folds (MUTAG: 169\n"+
			"graphs): seconds per pre-training epoch (patching, the Adam steps, the held-out JEPA-loss pass on the\n"+
			"test fold; the mean over --timed-epochs after a warm-up epoch), patching alone, and embedding graphs\n"+
			"per second. Other work on the machine slows it: the output records the load average. --limit N times\n"+
			"the first N training graphs only and estimates the whole fold's epoch from them.",
		"graphjepa bench --preset MUTAG --data ../shared/data/graphs/tu/MUTAG --json",
		"graphjepa bench --preset REDDIT-B --data ../shared/data/graphs/gin_format/REDDIT-BINARY.zip --limit 64 --timed-epochs 1",
		"graphjepa bench --data synthetic --hidden 64 --heads 4 --timed-epochs 1")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case *timed < 1 || *timed > 100:
		return fmt.Errorf("--timed-epochs %d: want 1..100", *timed)
	case *repeat < 1 || *repeat > 100:
		return fmt.Errorf("--repeat %d: want 1..100", *repeat)
	case mf.epochs != 0:
		return errors.New("--epochs: bench runs 1 + --timed-epochs epochs; use --timed-epochs")
	case *limit < 0:
		return fmt.Errorf("--limit %d: want a graph count ≥ 1 (0: the whole fold)", *limit)
	}
	if err := mf.check(); err != nil {
		return err
	}
	if df.data == "" {
		if mf.preset == "" {
			fs.Usage()
			return errors.New("--data is required")
		}
		df.data = mf.preset
	}
	start := time.Now()
	set, err := df.load()
	if err != nil {
		return err
	}
	name := set.Name
	if mf.preset != "" {
		name = mf.preset
	}
	cfg, preset, err := mf.config(name)
	if err != nil {
		return err
	}
	trainIdx := make([]int, len(set.Graphs))
	for i := range trainIdx {
		trainIdx[i] = i
	}
	var testIdx []int
	if set.NumClasses >= 2 {
		folds, err := probe.GraphJEPAFolds().Split(set.Labels())
		if err != nil {
			return fmt.Errorf("folds of %s: %w", set.Name, err)
		}
		trainIdx, testIdx = folds[0].Train, folds[0].Test
	}
	foldTrain := len(trainIdx)
	embedGraphs := set.Graphs
	if *limit > 0 && *limit < len(trainIdx) {
		trainIdx = trainIdx[:*limit]
		if len(testIdx) > 0 {
			testIdx = testIdx[:min(len(testIdx), (*limit+8)/9)]
		}
		embedGraphs = set.Subset(append(append([]int(nil), trainIdx...), testIdx...)).Graphs
	}
	train := set.Subset(trainIdx)
	ctx := context.Background()
	fmt.Fprintf(stderr, "bench %s: preset %s, %d training graphs, %d held-out, d=%d, batch %d, 1 + %d epochs\n",
		set.Name, preset, len(trainIdx), len(testIdx), cfg.Hidden, cfg.BatchSize, *timed)
	timings, err := graphjepa.BenchEpoch(ctx, set, cfg, trainIdx, testIdx, 1+*timed)
	if err != nil {
		return err
	}
	if len(timings) != 1+*timed {
		return fmt.Errorf("bench: %d epochs timed, want %d (did the run stop early?)", len(timings), 1+*timed)
	}
	var total, compute, wait, heldOut, cpu float64
	for _, t := range timings[1:] {
		fmt.Fprintf(stderr, "bench: %s\n", t)
		total += t.Total.Seconds()
		compute += t.Compute.Seconds()
		wait += t.PatchWait.Seconds()
		heldOut += t.HeldOut.Seconds()
		cpu += t.CPU.Seconds()
	}
	k := float64(*timed)
	epoch := total / k

	// Embedding speed does not depend on the weights: time the model as
	// built (Pretrain stopped before its first step).
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	m, err := graphjepa.Pretrain(cancelled, train, cfg, graphjepa.Options{})
	if m == nil {
		return fmt.Errorf("bench: building the model: %v", err)
	}
	// Embedding: one warm-up pass, then --repeat timed passes.
	if _, err := m.Embed(embedGraphs); err != nil {
		return err
	}
	t0 := time.Now()
	for range *repeat {
		if _, err := m.Embed(embedGraphs); err != nil {
			return err
		}
	}
	embedRate := float64(*repeat*len(embedGraphs)) / time.Since(t0).Seconds()

	// Patching alone: the training transform through the producer pool.
	p, err := graphjepa.NewPatcher(cfg.Patch, train.Graphs)
	if err != nil {
		return err
	}
	t0 = time.Now()
	st, err := p.Stream(ctx, graphjepa.StreamConfig{BatchSize: cfg.BatchSize, Shuffle: true, Train: true, Seed: 1, Epochs: *repeat})
	if err != nil {
		return err
	}
	for {
		if _, err := st.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
	}
	patchRate := float64(*repeat*len(train.Graphs)) / time.Since(t0).Seconds()

	steps := timings[len(timings)-1].Steps
	sum := benchSummary{Preset: preset, Dataset: set.Name, TrainGraphs: len(train.Graphs), TestGraphs: len(testIdx),
		EpochSeconds: epoch, ComputeSeconds: compute / k, PatchWaitSeconds: wait / k, HeldOutSeconds: heldOut / k, CPUSeconds: cpu / k,
		FirstEpochSeconds: timings[0].Total.Seconds(),
		EpochsTimed:       *timed, StepsPerEpoch: steps, EmbedGraphsPerS: embedRate, PatchGraphsPerS: patchRate,
		Hidden: cfg.Hidden, BatchSize: cfg.BatchSize, GOMAXPROCS: runtime.GOMAXPROCS(0), LoadAverage: loadAverage(),
		Seconds: time.Since(start).Seconds()}
	if epoch > 0 {
		sum.TrainGraphsPerS = float64(len(train.Graphs)) / epoch
	}
	if foldTrain > len(train.Graphs) {
		sum.Limited, sum.FoldTrainGraphs = true, foldTrain
		sum.FullEpochSecondsEstimate = epoch * float64(foldTrain) / float64(len(train.Graphs))
	}
	if usesPlaceholder(train, cfg) {
		sum.Partitioner = graphjepa.PlaceholderPartitionerName
	}
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	fmt.Fprintf(stdout, "%s (preset %s, d=%d, batch %d, GOMAXPROCS %d):\n", set.Name, preset, cfg.Hidden, cfg.BatchSize, sum.GOMAXPROCS)
	fmt.Fprintf(stdout, "  pre-training epoch (%d graphs, %d steps, held-out loss on %d): %.3f s (%.1f graphs/s)\n", len(train.Graphs), steps, len(testIdx), epoch, sum.TrainGraphsPerS)
	fmt.Fprintf(stdout, "    forward+backward %.3f s, waiting for patches %.3f s, held-out pass %.3f s, CPU %.3f s\n", sum.ComputeSeconds, sum.PatchWaitSeconds, sum.HeldOutSeconds, sum.CPUSeconds)
	if sum.Limited {
		fmt.Fprintf(stdout, "  limited to %d of the fold's %d training graphs: a whole epoch would take about %.0f s\n", len(train.Graphs), foldTrain, sum.FullEpochSecondsEstimate)
	}
	fmt.Fprintf(stdout, "  embedding: %.1f graphs/s\n", embedRate)
	fmt.Fprintf(stdout, "  patching alone: %.0f graphs/s\n", patchRate)
	if sum.LoadAverage != "" {
		fmt.Fprintf(stdout, "  load average while measured: %s (other work on the machine slows every figure)\n", sum.LoadAverage)
	}
	if sum.Partitioner != "" {
		fmt.Fprintf(stdout, "  note: graphs with ≥ %d nodes were cut by the BFS placeholder partitioner (not METIS)\n", cfg.Patch.Patches)
	}
	return nil
}

// loadAverage returns the 1, 5 and 15 minute load averages ("" if unknown).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
