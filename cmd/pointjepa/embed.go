package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/pointjepa"
)

func init() {
	register(command{
		name:    "embed",
		summary: "write the frozen features of every cloud ([max, mean] of the student's tokens) as .npy + index.csv",
		run:     runEmbed,
	})
}

// embedOutput is what "pointjepa embed --json" prints.
type embedOutput struct {
	Model       string  `json:"model,omitempty"`
	Preset      string  `json:"preset,omitempty"`
	Trained     bool    `json:"trained"`
	Data        string  `json:"data"`
	Format      string  `json:"format"`
	Split       string  `json:"split"`
	Rows        int     `json:"rows"`
	Dim         int     `json:"dim"`
	FeatureStd  float64 `json:"feature_std"` // jepa.TokenStd of the rows: near 0 means collapse
	Features    string  `json:"features"`    // .npy, float32 [rows, dim]
	Index       string  `json:"index"`       // .csv: row, split, id, label, class, path
	WallSeconds float64 `json:"wall_s"`
	CloudsPerS  float64 `json:"embed_clouds_per_s"`
}

func runEmbed(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	enc := addEncoderFlags(fs)
	df := addDataFlags(fs)
	split := fs.String("split", "all", "which clouds: train, test or all (train then test)")
	outDir := fs.String("out", "embeddings", "output folder for features.npy and index.csv")
	batch := fs.Int("batch", pointjepa.DefaultEvalBatch, "clouds per embedding batch (speed and memory only)")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end (progress goes to stderr)")
	done, err := parseFlags(fs, args, usage{
		name:     "embed",
		synopsis: "[--model DIR] [--data DIR] [--split all] [--out DIR]",
		about: "Embed clouds with the frozen student encoder: one row per cloud, the concatenation of the max and\n" +
			"the mean over its final-LayerNorm tokens (spec §2.1; 768 columns in the paper configuration).\n" +
			"Writes <out>/features.npy (float32 [rows, dim], numpy-readable) and <out>/index.csv (row, split,\n" +
			"id, label, class, path), for probes outside this tool.",
		examples: []string{
			"pointjepa embed --model runs/cpu/model --data ../shared/data/pointclouds/modelnet40_npy1024 --swap-yz --out emb --json",
		},
	}, stdout, stderr)
	if done || err != nil {
		return err
	}
	if err := df.check(); err != nil {
		return err
	}
	if *split != "train" && *split != "test" && *split != "all" {
		return fmt.Errorf("--split %q: want train, test or all", *split)
	}
	if err := intRange("batch", *batch, 1, maxBatch, "clouds per embedding batch"); err != nil {
		return err
	}
	t0 := time.Now()
	m, trained, err := enc.load()
	if err != nil {
		return err
	}
	cfg := m.Config()
	if err := checkMemory(batchBytes(cfg, *batch, false), fmt.Sprintf("--batch %d (embedding)", *batch)); err != nil {
		return err
	}
	train, test, format, err := loadData(df, stderr)
	if err != nil {
		return err
	}
	var sets []*datasets.PointSet
	switch *split {
	case "train":
		sets = []*datasets.PointSet{train}
	case "test":
		if test == nil {
			return fmt.Errorf("--split test: --data %s has no test split", dataName(df.path))
		}
		sets = []*datasets.PointSet{test}
	default:
		sets = []*datasets.PointSet{train}
		if test != nil {
			sets = append(sets, test)
		}
	}
	for _, s := range sets {
		if err := checkClouds(s, needs(cfg, false)); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	ctx, stop := commandContext()
	defer stop()

	res := embedOutput{Trained: trained, Data: df.path, Format: format, Split: *split,
		Features: filepath.Join(*outDir, "features.npy"), Index: filepath.Join(*outDir, "index.csv")}
	if trained {
		res.Model = enc.model
	} else {
		res.Preset = enc.mf.preset
	}
	idx, err := os.Create(res.Index)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer idx.Close()
	cw := csv.NewWriter(idx)
	_ = cw.Write([]string{"row", "split", "id", "label", "class", "path"})
	var data []float32
	tEmbed := time.Now()
	for _, s := range sets {
		for lo := 0; lo < s.Len(); lo += *batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			hi := min(lo+*batch, s.Len())
			f, err := m.Embed(s.Clouds[lo:hi])
			if err != nil {
				return fmt.Errorf("embedding %s clouds %d..%d: %w", s.Split, lo, hi-1, err)
			}
			r, c := f.Dims()
			if r != hi-lo || (res.Dim != 0 && c != res.Dim) {
				return fmt.Errorf("embedding %s clouds %d..%d: the model returned %d×%d features", s.Split, lo, hi-1, r, c)
			}
			res.Dim = c
			for i := range r {
				cl := &s.Clouds[lo+i]
				for _, v := range f.RawRowView(i) {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						return fmt.Errorf("embedding %s: non-finite feature %v", cloudLabel(cl, s.Split, lo+i), v)
					}
					data = append(data, float32(v))
				}
				class := ""
				if cl.Label >= 0 && cl.Label < len(s.ClassNames) {
					class = s.ClassNames[cl.Label]
				}
				_ = cw.Write([]string{strconv.Itoa(res.Rows), s.Split, cl.ID, strconv.Itoa(cl.Label), class, cl.Path})
				res.Rows++
			}
			fmt.Fprintf(stderr, "embed %s: %d/%d clouds\n", s.Split, hi, s.Len())
		}
	}
	embedSec := time.Since(tEmbed).Seconds()
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing %s: %w", res.Index, err)
	}
	if err := idx.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", res.Index, err)
	}
	if err := writeNpyFile(res.Features, data, res.Rows, res.Dim); err != nil {
		return err
	}
	res.FeatureStd = jepa.TokenStd(data, res.Dim, nil)
	res.CloudsPerS = float64(res.Rows) / math.Max(embedSec, 1e-9)
	res.WallSeconds = time.Since(t0).Seconds()
	if *asJSON {
		return writeJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "%d clouds × %d features (feature std %.4f) → %s, %s (%.1f clouds/s)\n",
		res.Rows, res.Dim, res.FeatureStd, res.Features, res.Index, res.CloudsPerS)
	return nil
}

func cloudLabel(c *datasets.PointCloud, split string, i int) string {
	if c.Path != "" {
		return c.Path
	}
	return fmt.Sprintf("%s cloud %d (%s)", split, i, c.ID)
}

// writeNpyFile writes a float32 [rows, cols] array to path.
func writeNpyFile(path string, data []float32, rows, cols int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := datasets.WriteNpy(w, data, rows, cols); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
