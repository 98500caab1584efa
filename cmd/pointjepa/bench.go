package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nongrid/jepa/pointjepa"
)

func init() {
	register(command{
		name:    "bench",
		summary: "pretraining and embedding throughput (clouds/s) of a preset, beside the PyTorch reference (§5)",
		run:     runBench,
	})
}

// benchReference is the official PyTorch code's speed on one core of the
// spec's 2-vCPU box (spec §5: PyTorch 1.13.1 fp32; OpenBLAS threads possibly
// not pinned, see the note there). Quote ratios against twins run in the
// same minutes; these are context.
type benchReference struct {
	Batch           int     `json:"batch"`
	TrainCloudsPerS float64 `json:"train_clouds_per_s"`
	EmbedCloudsPerS float64 `json:"embed_clouds_per_s"`
	Source          string  `json:"source"`
}

var benchReferences = map[string]benchReference{
	"paper": {64, 4.19, 12.3, "spec/point-jepa.md §5, official code, one core"},
	"small": {32, 7.7, 22.5, "spec/point-jepa.md §5, official code, one core"},
}

// benchOutput is what "pointjepa bench --json" prints.
type benchOutput struct {
	Preset string `json:"preset"`
	pointjepa.BenchResult
	PeakRSSBytes uint64          `json:"peak_rss_bytes,omitempty"`
	WallSeconds  float64         `json:"wall_s"`
	Reference    *benchReference `json:"reference,omitempty"`
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	mf := addModelFlags(fs, "small", false)
	batch := fs.Int("batch", 0, "training batch; 0 means the reference's (paper 64, small 32), else the preset's")
	steps := fs.Int("steps", 5, "timed training steps")
	warmup := fs.Int("warmup", 1, "untimed training steps before them (0 means none)")
	embedClouds := fs.Int("embed-clouds", 256, "clouds timed through Embed")
	embedBatch := fs.Int("embed-batch", pointjepa.DefaultEvalBatch, "clouds per Embed call")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end (progress goes to stderr)")
	done, err := parseFlags(fs, args, usage{
		name:     "bench",
		synopsis: "[--preset small|paper|cpu] [--batch N] [--steps N] [--json]",
		about: "Time pretraining steps (transforms, tokenizer, student, teacher, predictor, loss, backward, AdamW, EMA)\n" +
			"and the SVM feature pass of a preset on synthetic clouds, and print clouds per second beside the\n" +
			"official PyTorch code's one-core figures (spec §5). Set GOMAXPROCS to choose the cores.",
		examples: []string{
			"GOMAXPROCS=1 pointjepa bench --preset small --json",
			"GOMAXPROCS=2 pointjepa bench --preset paper --steps 3 --json",
		},
	}, stdout, stderr)
	if done || err != nil {
		return err
	}
	if err := intRange("batch", *batch, 0, maxBatch, "0 means the reference's batch"); err != nil {
		return err
	}
	if err := intRange("steps", *steps, 1, 100000, "timed steps"); err != nil {
		return err
	}
	if err := intRange("warmup", *warmup, 0, 100000, "untimed steps"); err != nil {
		return err
	}
	if err := intRange("embed-clouds", *embedClouds, 1, 1<<20, "clouds timed through Embed"); err != nil {
		return err
	}
	if err := intRange("embed-batch", *embedBatch, 1, maxBatch, "clouds per Embed call"); err != nil {
		return err
	}
	cfg, err := mf.config()
	if err != nil {
		return err
	}
	ref, hasRef := benchReferences[mf.preset]
	b := *batch
	if b == 0 {
		b = cfg.BatchSize
		if hasRef {
			b = ref.Batch
		}
	}
	if err := checkMemory(batchBytes(cfg, b, true), fmt.Sprintf("--batch %d (training)", b)); err != nil {
		return err
	}
	if err := checkMemory(batchBytes(cfg, *embedBatch, false), fmt.Sprintf("--embed-batch %d", *embedBatch)); err != nil {
		return err
	}
	w := *warmup
	if w == 0 {
		w = -1 // BenchConfig: negative means none
	}
	ctx, stop := commandContext()
	defer stop()
	t0 := time.Now()
	res, err := pointjepa.Bench(ctx, cfg, pointjepa.BenchConfig{
		Batch: b, Steps: *steps, Warmup: w, EmbedClouds: *embedClouds, EmbedBatch: *embedBatch, Log: stderr,
	})
	if err != nil {
		return err
	}
	out := benchOutput{Preset: mf.preset, BenchResult: res, PeakRSSBytes: peakRSS(), WallSeconds: time.Since(t0).Seconds()}
	if hasRef {
		out.Reference = &ref
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	fmt.Fprintf(stdout, "preset %s, GOMAXPROCS %d, batch %d\n", out.Preset, res.GOMAXPROCS, res.Batch)
	fmt.Fprintf(stdout, "pretraining  %.2f clouds/s (%.2f s/batch over %d steps, %s timer)\n", res.TrainCloudsPerS, res.TrainSPerBatch, res.TrainSteps, res.StepTimer)
	fmt.Fprintf(stdout, "embedding    %.2f clouds/s (%d clouds)\n", res.EmbedCloudsPerS, res.EmbedClouds)
	if hasRef {
		fmt.Fprintf(stdout, "reference    %.2f / %.2f clouds/s (PyTorch, one core, batch %d; %s)\n", ref.TrainCloudsPerS, ref.EmbedCloudsPerS, ref.Batch, ref.Source)
	}
	if out.PeakRSSBytes > 0 {
		fmt.Fprintf(stdout, "peak RSS     %s\n", humanBytes(float64(out.PeakRSSBytes)))
	}
	return nil
}

// peakRSS returns the process's peak resident set size (VmHWM of
// /proc/self/status), or 0 when it cannot tell.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
