package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
)

func init() {
	register(command{name: "embed", summary: "embed every graph of a data set with a saved model (.npy or CSV)", run: runEmbed})
}

// embedSummary is what "graphjepa embed --json" prints.
type embedSummary struct {
	Dataset   string  `json:"dataset"`
	Graphs    int     `json:"graphs"`
	Dim       int     `json:"dim"`
	Transform string  `json:"transform"`
	Out       string  `json:"out"`
	Format    string  `json:"format"`
	Seconds   float64 `json:"seconds"`
}

func runEmbed(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	df := addDataFlags(fs)
	modelDir := fs.String("model", "", "a model saved by pretrain, or a pretrain run directory (required)")
	out := fs.String("out", "", "output file: .npy (float32 [graphs, d]) or .csv (graph, label, e0..e{d-1}) (required)")
	transform := fs.String("transform", "eval", "eval (the reference's evaluation embedding) or train (the training transform, as the reference embeds its training fold)")
	seed := fs.Uint64("seed", 0, "seed of the training transform (with --transform train)")
	var partitioner string
	addPartitionerFlag(fs, &partitioner)
	asJSON := fs.Bool("json", false, "print one JSON object on stdout at the end")
	usage(fs, stderr, "embed --model DIR --data PATH --out FILE.npy|FILE.csv [--transform eval|train] [--json]",
		"Embeds every graph of --data with a saved model: patch embeddings plus the patch PE, the target\n"+
			"encoder over all patches, the mean over non-empty patches (spec §10). Row i is graph i.",
		"graphjepa embed --model models/mutag --data ../shared/data/graphs/tu/MUTAG --out mutag.npy",
		"graphjepa embed --model models/mutag --data ../shared/data/graphs/tu/MUTAG --out mutag.csv --json")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case *modelDir == "":
		fs.Usage()
		return errors.New("--model is required")
	case *out == "":
		fs.Usage()
		return errors.New("--out is required")
	case *transform != "eval" && *transform != "train":
		return fmt.Errorf("--transform %q: want eval or train", *transform)
	}
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(*out), "."))
	if format != "npy" && format != "csv" {
		return fmt.Errorf("--out %s: want a .npy or .csv file", *out)
	}
	if _, err := resolvePartitioner(partitioner); err != nil {
		return err
	}
	set, err := df.load()
	if err != nil {
		return err
	}
	m, err := loadModel(*modelDir, partitioner)
	if err != nil {
		return err
	}
	start := time.Now()
	var x *mat.Dense
	if *transform == "train" {
		x, err = m.EmbedTraining(set.Graphs, *seed)
	} else {
		x, err = m.Embed(set.Graphs)
	}
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	if err := writeEmbeddings(*out, format, x, set); err != nil {
		return err
	}
	r, c := x.Dims()
	sum := embedSummary{Dataset: set.Name, Graphs: r, Dim: c, Transform: *transform, Out: *out, Format: format, Seconds: secs}
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	fmt.Fprintf(stdout, "embedded %d graphs of %s into %d dimensions in %.2f s; wrote %s\n", r, set.Name, c, secs, *out)
	return nil
}

// writeEmbeddings writes x as .npy (float32) or CSV with the graph index
// and label (the class, the first regression target, or empty).
func writeEmbeddings(path, format string, x *mat.Dense, set *datasets.GraphSet) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	r, c := x.Dims()
	switch format {
	case "npy":
		data := make([]float32, 0, r*c)
		for i := range r {
			for j := range c {
				data = append(data, float32(x.At(i, j)))
			}
		}
		if err := datasets.WriteNpy(w, data, r, c); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	default:
		cw := csv.NewWriter(w)
		row := make([]string, c+2)
		row[0], row[1] = "graph", "label"
		for j := range c {
			row[j+2] = "e" + strconv.Itoa(j)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
		for i := range r {
			g := set.Graphs[i]
			row[0] = strconv.Itoa(i)
			switch {
			case g.Target != nil:
				row[1] = strconv.FormatFloat(float64(g.Target[0]), 'g', -1, 32)
			case g.Y >= 0:
				row[1] = strconv.Itoa(g.Y)
			default:
				row[1] = ""
			}
			for j := range c {
				row[j+2] = strconv.FormatFloat(x.At(i, j), 'g', 8, 64)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return w.Flush()
}
