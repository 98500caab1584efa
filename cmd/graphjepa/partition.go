package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/graphjepa/partition"
)

func init() {
	register(command{name: "partition", summary: "partition every graph of a dataset into K parts (METIS-style recursive bisection) and report cut, balance and time", run: runPartition})
}

// partitionSummary is what "graphjepa partition --json" prints.
type partitionSummary struct {
	Data         string  `json:"data"`
	Method       string  `json:"method"`
	KWay         bool    `json:"kway"`
	Graphs       int     `json:"graphs"`
	Skipped      int     `json:"skipped"`      // graphs below --min-nodes
	SmallGraphs  int     `json:"small_graphs"` // graphs with fewer than --parts nodes (one node per part)
	Parts        int     `json:"parts"`
	Nodes        int     `json:"nodes"`
	Edges        int     `json:"edges"`
	EdgeCutTotal int     `json:"edge_cut_total"`
	MaxImbalance float64 `json:"max_imbalance"`
	Seconds      float64 `json:"seconds"` // time spent in the partitioner only
	MetisDir     string  `json:"metis_dir,omitempty"`
}

func runPartition(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("partition", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "dataset: a TU folder or .zip, a GIN-format .zip or folder, a ZINC .pkl, or \"synthetic\"")
	format := fs.String("format", "", "tu, gin, zinc or synthetic (default: detect)")
	parts := fs.Int("parts", 32, "number of parts K (Graph-JEPA: 32, REDDIT: 128)")
	minNodes := fs.Int("min-nodes", 0, "skip graphs with fewer nodes than this (0: keep all; graphs with fewer than K nodes get one node per part)")
	limit := fs.Int("limit", 0, "keep only the first N graphs that qualify (0: all)")
	seed := fs.Uint64("seed", 0, "partitioner seed")
	method := fs.String("method", "rb", "rb (recursive bisection, METIS PartGraphRecursive) or louvain (gonum Louvain cut to K parts, for comparison)")
	kway := fs.Bool("kway", false, "greedy k-way refinement after the recursive bisection")
	ufactor := fs.Int("ufactor", 0, "allowed imbalance per bisection in thousandths, as gpmetis -ufactor (0: METIS' default 1)")
	ncuts := fs.Int("ncuts", 0, "bisections tried at every level, keeping the best, as gpmetis -ncuts (0: 1)")
	writeMetis := fs.String("write-metis", "", "also write every partitioned graph as DIR/gNNNNN.graph in METIS' graph format (for gpmetis)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: graphjepa partition --data PATH --parts K [--min-nodes K] [--limit N] [--seed S] [--json] [--write-metis DIR]")
		fmt.Fprintln(fs.Output(), "examples:\n  graphjepa partition --data ../shared/data/graphs/tu/PROTEINS --parts 32 --min-nodes 32")
		fs.PrintDefaults()
	}
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(stdout)
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *data == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("--data is required (and no positional arguments)")
	}
	if *parts < 1 {
		return fmt.Errorf("--parts %d: want K >= 1", *parts)
	}
	if *minNodes < 0 {
		return fmt.Errorf("--min-nodes %d: want >= 0", *minNodes)
	}
	if *limit < 0 {
		return fmt.Errorf("--limit %d: want >= 0 (0: all graphs)", *limit)
	}
	if *ufactor < 0 {
		return fmt.Errorf("--ufactor %d: want >= 0", *ufactor)
	}
	if *ncuts < 0 {
		return fmt.Errorf("--ncuts %d: want >= 0", *ncuts)
	}
	m, err := partition.ParseMethod(*method)
	if err != nil {
		return fmt.Errorf("--method: %w", err)
	}
	if *writeMetis != "" {
		if err := os.MkdirAll(*writeMetis, 0o755); err != nil {
			return fmt.Errorf("--write-metis: %w", err)
		}
	}
	s, err := datasets.LoadGraphs(*data, datasets.GraphLoadConfig{Format: *format})
	if err != nil {
		return err
	}
	p := partition.New(partition.Config{Seed: *seed, Method: m, KWayRefine: *kway, UFactor: *ufactor, NCuts: *ncuts})
	sum := partitionSummary{Data: *data, Method: m.String(), KWay: *kway, Parts: *parts, MetisDir: *writeMetis}
	var part []int
	var elapsed time.Duration
	for gi, g := range s.Graphs {
		n := g.NumNodes()
		if n < *minNodes {
			sum.Skipped++
			continue
		}
		if *limit > 0 && sum.Graphs == *limit {
			break
		}
		if n < *parts {
			sum.SmallGraphs++
		}
		part = append(part[:0], make([]int, n)...)
		start := time.Now()
		err := p.Partition(g.RowPtr, g.Col, *parts, part)
		elapsed += time.Since(start)
		if err != nil {
			return fmt.Errorf("graph %d of %s: %w", gi, *data, err)
		}
		sum.Graphs++
		sum.Nodes += n
		sum.Edges += g.NumEdges()
		sum.EdgeCutTotal += partition.EdgeCut(g.RowPtr, g.Col, part)
		sum.MaxImbalance = max(sum.MaxImbalance, partition.Imbalance(part, *parts))
		if *writeMetis != "" {
			if err := writeMetisFile(filepath.Join(*writeMetis, fmt.Sprintf("g%05d.graph", gi)), g); err != nil {
				return fmt.Errorf("--write-metis: %w", err)
			}
		}
	}
	sum.Seconds = elapsed.Seconds()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	fmt.Fprintf(stdout, "graphs          %d (skipped %d below --min-nodes, %d with fewer than %d nodes)\n", sum.Graphs, sum.Skipped, sum.SmallGraphs, *parts)
	fmt.Fprintf(stdout, "parts           %d (%s%s)\n", sum.Parts, sum.Method, map[bool]string{true: " + k-way refinement", false: ""}[*kway])
	fmt.Fprintf(stdout, "nodes, edges    %d, %d\n", sum.Nodes, sum.Edges)
	fmt.Fprintf(stdout, "edge cut total  %d\n", sum.EdgeCutTotal)
	fmt.Fprintf(stdout, "max imbalance   %.3f\n", sum.MaxImbalance)
	fmt.Fprintf(stdout, "seconds         %.6f (%.1f µs per graph)\n", sum.Seconds, 1e6*sum.Seconds/float64(max(sum.Graphs, 1)))
	return nil
}

func writeMetisFile(path string, g *datasets.Graph) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := partition.WriteMETIS(f, g.RowPtr, g.Col); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
