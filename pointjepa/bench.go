package pointjepa

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
)

// BenchConfig configures Bench. The zero value times 5 training steps after
// 1 warm-up step at the configuration's batch size, and 256 embedded clouds
// after one warm-up batch.
type BenchConfig struct {
	// Batch is the training batch; zero means the Config's BatchSize.
	Batch int
	// Steps are the timed training steps, Warmup the untimed ones before
	// them; zero means 5 and 1 (negative Warmup means none).
	Steps, Warmup int
	// EmbedClouds is the number of clouds timed through Embed (zero means
	// 256), in batches of EmbedBatch (zero means DefaultEvalBatch), after
	// one untimed batch.
	EmbedClouds, EmbedBatch int
	// Log receives progress lines; nil means silence.
	Log io.Writer
}

// BenchResult is what Bench measured. Throughputs are clouds per second of
// wall time on GOMAXPROCS cores.
type BenchResult struct {
	Batch           int     `json:"batch"`
	TrainSteps      int     `json:"train_steps"`       // timed steps
	TrainSPerBatch  float64 `json:"train_s_per_batch"` // seconds per timed step
	TrainCloudsPerS float64 `json:"train_clouds_per_s"`
	EmbedClouds     int     `json:"embed_clouds"`
	EmbedCloudsPerS float64 `json:"embed_clouds_per_s"`
	GOMAXPROCS      int     `json:"gomaxprocs"`
	// StepTimer says where the training time came from: "metrics" (the
	// trainer's per-step time_ms, setup excluded) or "wall" (the whole
	// Pretrain call divided by its steps, setup included).
	StepTimer string `json:"step_timer"`
}

// Bench measures the speed of cfg on this machine, the figures of spec §5:
// pretraining steps (transforms, tokenizer, student, teacher, predictor,
// loss, backward, AdamW, EMA — one Pretrain epoch on synthetic clouds of
// cfg.Points points, timed per step from its metrics.jsonl) and the SVM
// feature pass (Embed of an untrained model of the same shape, which costs
// what a trained one does). Clouds come from datasets.SyntheticClouds, so no
// data is needed and the same cfg measures the same work on every machine.
func Bench(ctx context.Context, cfg Config, bc BenchConfig) (BenchResult, error) {
	cfg, err := cfg.Resolve()
	if err != nil {
		return BenchResult{}, err
	}
	batch, steps, warm := bc.Batch, bc.Steps, bc.Warmup
	if batch == 0 {
		batch = cfg.BatchSize
	}
	if steps == 0 {
		steps = 5
	}
	switch {
	case warm == 0:
		warm = 1
	case warm < 0:
		warm = 0
	}
	nEmbed, eBatch := bc.EmbedClouds, bc.EmbedBatch
	if nEmbed == 0 {
		nEmbed = DefaultEvalBatch
	}
	if eBatch == 0 {
		eBatch = DefaultEvalBatch
	}
	if batch < 1 || steps < 1 || nEmbed < 1 || eBatch < 1 {
		return BenchResult{}, fmt.Errorf("pointjepa: BenchConfig sizes must be positive (batch %d, steps %d, embed clouds %d, embed batch %d)", batch, steps, nEmbed, eBatch)
	}
	res := BenchResult{Batch: batch, TrainSteps: steps, EmbedClouds: nEmbed, GOMAXPROCS: runtime.GOMAXPROCS(0)}

	// Training: one epoch of exactly warm+steps full batches.
	nTrain := batch * (warm + steps)
	perClass := (max(nTrain, nEmbed+eBatch) + len(datasets.SyntheticCloudClassNames) - 1) / len(datasets.SyntheticCloudClassNames)
	set, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: cfg.Points, TrainPerClass: perClass, TestPerClass: 1, Seed: cfg.Seed})
	train := *set
	train.Clouds = set.Clouds[:nTrain]
	tcfg := cfg
	tcfg.Epochs, tcfg.WarmupEpochs, tcfg.BatchSize = 1, -1, batch
	dir, err := os.MkdirTemp("", "pointjepa-bench-")
	if err != nil {
		return BenchResult{}, err
	}
	defer os.RemoveAll(dir)
	run := filepath.Join(dir, "run")
	if bc.Log != nil {
		fmt.Fprintf(bc.Log, "bench: %d training steps of %d clouds (%d warm-up)\n", warm+steps, batch, warm)
	}
	t0 := time.Now()
	if _, err := Pretrain(ctx, &train, tcfg, Options{RunDir: run, Log: bc.Log}); err != nil {
		return BenchResult{}, err
	}
	wall := time.Since(t0).Seconds()
	res.StepTimer = "wall"
	res.TrainSPerBatch = wall / float64(warm+steps)
	if sec, n, ok := timedSteps(filepath.Join(run, jepa.MetricsFile), warm); ok && n > 0 {
		res.StepTimer, res.TrainSPerBatch = "metrics", sec/float64(n)
	}
	res.TrainCloudsPerS = float64(batch) / res.TrainSPerBatch

	// Embedding: an untrained model of the same shape.
	m, err := New(cfg)
	if err != nil {
		return BenchResult{}, err
	}
	clouds := set.Clouds[:nEmbed+eBatch]
	if _, err := m.Embed(clouds[:eBatch]); err != nil { // warm-up
		return BenchResult{}, err
	}
	if bc.Log != nil {
		fmt.Fprintf(bc.Log, "bench: embedding %d clouds in batches of %d\n", nEmbed, eBatch)
	}
	t1 := time.Now()
	if _, err := embedClouds(ctx, m, clouds[eBatch:], eBatch, "bench", nil); err != nil {
		return BenchResult{}, err
	}
	res.EmbedCloudsPerS = float64(nEmbed) / math.Max(time.Since(t1).Seconds(), 1e-9)
	return res, nil
}

// timedSteps sums the time_ms of the step records of a metrics file after
// the first skip steps. ok is false when the file has no step timings.
func timedSteps(path string, skip int) (seconds float64, n int, ok bool) {
	recs, err := jepa.ReadMetrics(path)
	if err != nil {
		return 0, 0, false
	}
	for i := range recs {
		r := &recs[i]
		if r.Kind != jepa.KindStep || r.Step <= skip {
			continue
		}
		ms, has := r.Get(jepa.KeyTimeMS)
		if !has {
			continue
		}
		seconds += ms / 1000
		n++
	}
	return seconds, n, n > 0
}

// syntheticForBench returns n synthetic clouds of the given size.
func syntheticForBench(points, n int) []datasets.PointCloud {
	per := (n + len(datasets.SyntheticCloudClassNames) - 1) / len(datasets.SyntheticCloudClassNames)
	set, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: points, TrainPerClass: per, TestPerClass: 1})
	return set.Clouds[:n]
}
