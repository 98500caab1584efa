package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/datasets/split"
)

func init() {
	register(command{name: "data", summary: "load a graph dataset and print its counts", run: runData})
}

// dataSummary is what "graphjepa data --json" prints.
type dataSummary struct {
	Name           string   `json:"name"`
	Format         string   `json:"format"`
	Source         string   `json:"source,omitempty"`
	Graphs         int      `json:"graphs"`
	Nodes          int      `json:"nodes"`
	Edges          int      `json:"edges"` // undirected
	AvgNodes       float64  `json:"avg_nodes"`
	AvgEdges       float64  `json:"avg_edges"`
	MinNodes       int      `json:"min_nodes"`
	MaxNodes       int      `json:"max_nodes"`
	MaxDegree      int      `json:"max_degree"`
	Classes        int      `json:"classes"`
	ClassCounts    []int    `json:"class_counts,omitempty"`
	ClassValues    []int    `json:"class_values,omitempty"`
	Regression     bool     `json:"regression,omitempty"`
	NodeFeatures   int      `json:"node_features"`
	EdgeFeatures   int      `json:"edge_features"`
	NodeLabels     int      `json:"node_labels"`
	EdgeLabels     int      `json:"edge_labels"`
	NodeAttributes int      `json:"node_attributes"`
	EdgeAttributes int      `json:"edge_attributes"`
	FeatureRule    string   `json:"feature_rule,omitempty"`
	Folds          int      `json:"folds,omitempty"`           // predefined folds in the files (GIN format)
	FoldTestSizes  []int    `json:"fold_test_sizes,omitempty"` // --folds K: test size of each stratified fold
	Notes          []string `json:"notes,omitempty"`
}

func runData(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("data", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "dataset: a TU folder or .zip, a GIN-format .zip or folder, a ZINC .pkl, the name \"synthetic\", or a dataset name to fetch into --cache")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	format := fs.String("format", "", "tu, gin, zinc or synthetic (default: detect)")
	features := fs.String("features", "zero", "node features for sets without any: zero (Graph-JEPA), degree-auto (PyG benchmark), one-hot-degree, normalized-degree, none")
	nodeAttr := fs.Bool("use-node-attr", false, "include continuous node attributes (PyG use_node_attr)")
	edgeAttr := fs.Bool("use-edge-attr", false, "include continuous edge attributes (PyG use_edge_attr)")
	tags := fs.String("tags", "first-seen", "GIN format: one-hot node tags by first-seen (GIN) or shift-min (PyG TUDataset)")
	seed := fs.Uint64("seed", 0, "seed of the synthetic set")
	cache := fs.String("cache", defaultCacheDir(), "cache folder for datasets fetched by name")
	offline := fs.Bool("offline", false, "never download; use only --cache")
	folds := fs.Int("folds", 0, "also make K stratified folds (scikit-learn StratifiedKFold, shuffled) and print their test sizes")
	foldSeed := fs.Uint("fold-seed", 12345, "random_state of the stratified folds (12345: Graph-JEPA's)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: graphjepa data --data PATH_OR_NAME [--json] [--format tu|gin|zinc|synthetic] [flags]")
		fs.PrintDefaults()
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
	rule, err := datasets.ParseFeatureRule(*features)
	if err != nil {
		return err
	}
	cfg := datasets.GraphLoadConfig{
		Format:    *format,
		TU:        datasets.TUConfig{UseNodeAttr: *nodeAttr, UseEdgeAttr: *edgeAttr, Featureless: rule},
		GIN:       datasets.GINConfig{UseNodeAttr: *nodeAttr},
		Synthetic: datasets.SyntheticConfig{Seed: *seed},
	}
	switch *tags {
	case "first-seen":
	case "shift-min":
		cfg.GIN.Tags = datasets.TagsShiftMin
	default:
		return fmt.Errorf("--tags %q: want first-seen or shift-min", *tags)
	}

	path := *data
	if _, statErr := os.Stat(path); statErr != nil && path != datasets.FormatSynthetic && *format != datasets.FormatSynthetic {
		// Not a file: a dataset name to fetch.
		dir, err := datasets.FetchOptions{Offline: *offline}.Fetch(path, *cache)
		if err != nil {
			return fmt.Errorf("%s is not a file or folder, and fetching it as a dataset name failed: %w", path, err)
		}
		path = dir
		if cfg.Format == "" {
			cfg.Format = datasets.Remote(*data).Format
		}
	}
	s, err := datasets.LoadGraphs(path, cfg)
	if err != nil {
		return err
	}
	if s.Format == datasets.FormatGIN && rule != datasets.FeatureConstantZero {
		fmt.Fprintln(stderr, "graphjepa data: --features applies to TU sets without node features; GIN-format sets use their node tags")
	}
	sum := summarize(s)
	if *folds != 0 {
		if s.NumClasses == 0 {
			return errors.New("--folds needs a classification set")
		}
		fs, err := split.StratifiedKFold{NSplits: *folds, Shuffle: true, Seed: uint32(*foldSeed)}.Split(s.Labels())
		if err != nil {
			return fmt.Errorf("--folds: %w", err)
		}
		for _, f := range fs {
			sum.FoldTestSizes = append(sum.FoldTestSizes, len(f.Test))
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	printSummary(stdout, sum)
	return nil
}

func summarize(s *datasets.GraphSet) dataSummary {
	st := s.Stats()
	sum := dataSummary{
		Name: s.Name, Format: s.Format, Source: s.Source,
		Graphs: st.Graphs, Nodes: st.Nodes, Edges: st.Edges,
		AvgNodes: st.AvgNodes, AvgEdges: st.AvgEdges,
		MinNodes: st.MinNodes, MaxNodes: st.MaxNodes, MaxDegree: st.MaxDegree,
		Classes: s.NumClasses, ClassValues: s.ClassValues,
		NodeFeatures: s.F, EdgeFeatures: s.EF,
		NodeLabels: s.NumNodeLabels, EdgeLabels: s.NumEdgeLabels,
		NodeAttributes: s.NumNodeAttributes, EdgeAttributes: s.NumEdgeAttributes,
		FeatureRule: s.FeatureRule, Folds: len(s.Folds), Notes: s.Notes,
	}
	if s.NumClasses > 0 {
		sum.ClassCounts = s.ClassCounts()
	} else if len(s.Graphs) > 0 && s.Graphs[0].Target != nil {
		sum.Regression = true
	}
	return sum
}

func printSummary(w io.Writer, s dataSummary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("dataset", s.Name)
	row("format", s.Format)
	if s.Source != "" {
		row("source", s.Source)
	}
	row("graphs", s.Graphs)
	row("nodes", fmt.Sprintf("%d (avg %.2f, min %d, max %d)", s.Nodes, s.AvgNodes, s.MinNodes, s.MaxNodes))
	row("edges", fmt.Sprintf("%d undirected (avg %.2f)", s.Edges, s.AvgEdges))
	row("max degree", s.MaxDegree)
	switch {
	case s.Classes > 0:
		row("classes", fmt.Sprintf("%d %v (file values %v)", s.Classes, s.ClassCounts, s.ClassValues))
	case s.Regression:
		row("target", "regression")
	default:
		row("labels", "none")
	}
	row("node features", s.NodeFeatures)
	row("edge features", s.EdgeFeatures)
	row("node labels", s.NodeLabels)
	row("edge labels", s.EdgeLabels)
	if s.NodeAttributes > 0 || s.EdgeAttributes > 0 {
		row("attributes", fmt.Sprintf("%d node, %d edge", s.NodeAttributes, s.EdgeAttributes))
	}
	if s.FeatureRule != "" {
		row("feature rule", s.FeatureRule)
	}
	if s.Folds > 0 {
		row("folds", fmt.Sprintf("%d in the files", s.Folds))
	}
	if len(s.FoldTestSizes) > 0 {
		row("stratified folds", fmt.Sprintf("%d, test sizes %v", len(s.FoldTestSizes), s.FoldTestSizes))
	}
	tw.Flush()
	for _, n := range s.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

// defaultCacheDir is $XDG_CACHE_HOME/nongrid-jepa/datasets (or the OS
// equivalent), or a relative folder when none is known.
func defaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "nongrid-jepa", "datasets")
	}
	return filepath.Join(".cache", "nongrid-jepa", "datasets")
}
