package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/internal/cli"
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

// dataHelp is the usage of "graphjepa data".
var dataHelp = cli.Help{
	Synopsis: "graphjepa data --data PATH_OR_NAME [--format tu|gin|zinc|synthetic|molecules] [--name NAME] [--json] [flags]",
	Text: "Loads a graph dataset and prints its counts: graphs, nodes, edges, classes, feature widths and the\n" +
		"notes of the loader (what it changed, which files it did not use). The format is detected from the\n" +
		"path unless --format names it; a name that is not a path is fetched into --cache. SMILES files (a\n" +
		"MoleculeNet-style .csv or .csv.gz, or .smi) are parsed into molecular graphs; the output adds the\n" +
		"label balance of every task, the rows that did not parse and the 80/10/10 scaffold split.",
	Examples: []string{
		"graphjepa data --data ../shared/data/graphs/tu/MUTAG",
		"graphjepa data --data ../shared/data/graphs/tu --name PROTEINS --json",
		"graphjepa data --data ../shared/data/graphs/gin_format/DD.zip --tags shift-min --folds 10",
		"graphjepa data --data synthetic --seed 3",
		"graphjepa data --data ../shared/data/molecules/moleculenet/bbbp.csv --mol-features ogb",
	},
}

func runData(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("graphjepa data", dataHelp, stderr)
	data := fs.String("data", "", "dataset: a TU folder or .zip, a GIN-format .zip or folder, a ZINC .pkl, the name \"synthetic\", or a dataset name to fetch into --cache")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	format := fs.String("format", "", "tu, gin, zinc or synthetic (default: detect)")
	name := fs.String("name", "", "TU or GIN-format: the dataset to read when the folder or zip holds several (the NAME of NAME_A.txt or NAME/NAME.txt)")
	features := fs.String("features", "zero", "node features for sets without any: zero (Graph-JEPA), degree-auto (PyG benchmark), one-hot-degree, normalized-degree, none")
	nodeAttr := fs.Bool("use-node-attr", false, "include continuous node attributes (PyG use_node_attr)")
	edgeAttr := fs.Bool("use-edge-attr", false, "TU: include continuous edge attributes (PyG use_edge_attr)")
	tags := fs.String("tags", "first-seen", "GIN format: one-hot node tags by first-seen (GIN) or shift-min (PyG TUDataset)")
	seed := fs.Uint64("seed", 0, "seed of the synthetic set")
	cache := fs.String("cache", defaultCacheDir(), "cache folder for datasets fetched by name")
	offline := fs.Bool("offline", false, "never download; use only --cache")
	folds := fs.Int("folds", 0, "also make K stratified folds (scikit-learn StratifiedKFold, shuffled) and print their test sizes; 0: none, else 2 to the number of graphs")
	foldSeed := fs.Uint("fold-seed", 12345, "random_state of the stratified folds, 0 to 4294967295 (12345: Graph-JEPA's)")
	requireLabels := fs.Bool("require-labels", false, "fail unless every graph has a class or target, as eval and reproduce do")
	molFeatures := fs.String("mol-features", "pretrain-gnns", "SMILES files: atom and bond features, pretrain-gnns (Hu et al. 2020) or ogb (smiles2graph)")
	smilesColumn := fs.String("smiles-column", "", "SMILES CSV files: the SMILES column (default: smiles, mol or canonical_smiles, else the first)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Every flag is checked before any work starts.
	if *data == "" || fs.NArg() > 0 {
		fs.Usage()
		if fs.NArg() > 0 {
			return fmt.Errorf("unexpected arguments %q: the dataset is given with --data", fs.Args())
		}
		return errors.New("--data is required")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	rule, err := datasets.ParseFeatureRule(*features)
	if err != nil {
		return fmt.Errorf("--features: %w", err)
	}
	if *format != "" {
		if err := cli.CheckChoice("format", *format, datasets.FormatTU, datasets.FormatGIN, datasets.FormatZINC, datasets.FormatSynthetic, formatMolecules); err != nil {
			return err
		}
	}
	if err := cli.CheckChoice("tags", *tags, "first-seen", "shift-min"); err != nil {
		return err
	}
	if *folds != 0 {
		if err := cli.CheckRange("folds", *folds, 2, 1<<20); err != nil {
			return fmt.Errorf("%w (or 0 for no folds)", err)
		}
	}
	if err := cli.CheckRange("fold-seed", *foldSeed, 0, math.MaxUint32); err != nil {
		return err
	}
	if *name != "" && (*format == datasets.FormatZINC || *format == datasets.FormatSynthetic) {
		return fmt.Errorf("--name %s: applies to TU and GIN-format folders and zips, not to --format %s", *name, *format)
	}
	cfg := datasets.GraphLoadConfig{
		Format:    *format,
		TU:        datasets.TUConfig{Name: *name, UseNodeAttr: *nodeAttr, UseEdgeAttr: *edgeAttr, Featureless: rule},
		GIN:       datasets.GINConfig{Name: *name, UseNodeAttr: *nodeAttr},
		Synthetic: datasets.SyntheticConfig{Seed: *seed},
	}
	if *tags == "shift-min" {
		cfg.GIN.Tags = datasets.TagsShiftMin
	}

	if isMoleculeFile(*data, *format) {
		if *folds != 0 {
			return fmt.Errorf("--folds %d: molecules are split by scaffold (printed); --folds applies to graph sets", *folds)
		}
		ms, err := loadMolecules(*data, *molFeatures, *smilesColumn)
		if err != nil {
			return err
		}
		if *requireLabels {
			if err := ms.RequireLabels(); err != nil {
				return fmt.Errorf("--require-labels: %w", err)
			}
		}
		return runMoleculeData(ms, *asJSON, stdout, stderr)
	}
	path := *data
	if _, statErr := os.Stat(path); statErr != nil && path != datasets.FormatSynthetic && *format != datasets.FormatSynthetic {
		if looksLikePath(path) {
			return fmt.Errorf("--data %s: no such file or folder", path)
		}
		// Not a file: a dataset name to fetch.
		dir, err := datasets.FetchOptions{Offline: *offline}.Fetch(path, *cache)
		if err != nil {
			hint := ""
			if n, ok := sameNameOtherCase(path); ok {
				hint = fmt.Sprintf(" (dataset names are case-sensitive: did you mean %s?)", n)
			}
			return fmt.Errorf("%s is not a file or folder, and fetching it as a dataset name failed%s: %w", path, hint, err)
		}
		path = dir
		if cfg.Format == "" {
			cfg.Format = datasets.Remote(*data).Format
		}
	}
	s, err := datasets.LoadGraphs(path, cfg)
	if err != nil {
		var amb *datasets.AmbiguousError
		if errors.As(err, &amb) {
			kind := "TU"
			if amb.Format == datasets.FormatGIN {
				kind = "GIN-format"
			}
			return fmt.Errorf("%s holds several %s datasets: %s; choose one with --name (e.g. --name %s)", path, kind, strings.Join(amb.Names, ", "), amb.Names[0])
		}
		return err
	}
	for _, w := range unusedFlags(s, set) {
		fmt.Fprintf(stderr, "graphjepa data: %s\n", w)
	}
	if *requireLabels {
		if err := s.RequireLabels(); err != nil {
			return fmt.Errorf("--require-labels: %w", err)
		}
	}
	sum := summarize(s)
	if *folds != 0 {
		if s.NumClasses == 0 {
			return fmt.Errorf("--folds %d: needs a classification set; %s has no classes", *folds, s.Name)
		}
		if *folds > len(s.Graphs) {
			return fmt.Errorf("--folds %d: out of range, want 2 to %d (the number of graphs of %s)", *folds, len(s.Graphs), s.Name)
		}
		warn := func(msg string) { fmt.Fprintf(stderr, "graphjepa data: --folds %d: warning: %s\n", *folds, msg) }
		fs, err := split.StratifiedKFold{NSplits: *folds, Shuffle: true, Seed: uint32(*foldSeed), Warn: warn}.Split(s.Labels())
		if err != nil {
			return fmt.Errorf("--folds %d: %w", *folds, err)
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

// unusedFlags returns a warning for every flag the user set that does
// not apply to the loaded set's format, so that none is ignored silently.
func unusedFlags(s *datasets.GraphSet, set map[string]bool) []string {
	applies := map[string][]string{ // flag → formats it applies to
		"features":      {datasets.FormatTU},
		"use-node-attr": {datasets.FormatTU, datasets.FormatGIN},
		"use-edge-attr": {datasets.FormatTU},
		"tags":          {datasets.FormatGIN},
		"seed":          {datasets.FormatSynthetic},
		"name":          {datasets.FormatTU, datasets.FormatGIN},
	}
	var out []string
	for _, f := range []string{"features", "use-node-attr", "use-edge-attr", "tags", "seed", "name"} {
		if set[f] && !slices.Contains(applies[f], s.Format) {
			out = append(out, fmt.Sprintf("--%s applies to %s sets only; ignored for this %s set", f, strings.Join(applies[f], " and "), s.Format))
		}
	}
	if set["features"] && s.Format == datasets.FormatTU && s.FeatureRule == "" {
		out = append(out, "--features applies to TU sets without node features; "+s.Name+" has node features in its files, so it is unused")
	}
	return out
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
		row("labels", "none (pretraining only: eval and reproduce refuse a set without graph labels)")
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

// looksLikePath reports whether a --data value that does not exist was
// meant as a path rather than a dataset name to fetch: it starts like a
// path or ends in a dataset file extension, or has a folder part other
// than the "gin/" of the GIN-format names.
func looksLikePath(v string) bool {
	if strings.HasPrefix(v, ".") || strings.HasPrefix(v, "~") || filepath.IsAbs(v) {
		return true
	}
	switch strings.ToLower(filepath.Ext(v)) {
	case ".zip", ".pkl", ".pickle", ".txt":
		return true
	}
	return strings.ContainsRune(strings.TrimPrefix(v, "gin/"), '/') || strings.ContainsRune(v, filepath.Separator)
}

// benchmarkNames are the graph sets of the Graph-JEPA paper, for the
// case-insensitive "did you mean" of a dataset name.
var benchmarkNames = []string{"MUTAG", "PROTEINS", "DD", "ENZYMES", "NCI1", "IMDB-BINARY", "IMDB-MULTI", "REDDIT-BINARY", "REDDIT-MULTI-5K", "ZINC_full", "gin/DD", "gin/REDDIT-BINARY"}

func sameNameOtherCase(v string) (string, bool) {
	for _, n := range benchmarkNames {
		if strings.EqualFold(n, v) && n != v {
			return n, true
		}
	}
	return "", false
}

// defaultCacheDir is $XDG_CACHE_HOME/nongrid-jepa/datasets (or the OS
// equivalent), or a relative folder when none is known.
func defaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "nongrid-jepa", "datasets")
	}
	return filepath.Join(".cache", "nongrid-jepa", "datasets")
}
