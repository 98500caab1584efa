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
	"strings"

	"golang.org/x/term"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/graphjepa"
)

// dataFlags are the flags that choose and load a graph data set, shared by
// pretrain, embed, eval, reproduce and bench (the same meaning as in
// "graphjepa data").
type dataFlags struct {
	data     string
	format   string
	features string
	cache    string
	offline  bool
	synSeed  uint64
}

func addDataFlags(fs *flag.FlagSet) *dataFlags {
	d := &dataFlags{}
	fs.StringVar(&d.data, "data", "", "dataset: a TU folder or .zip, a GIN-format .zip or folder, a ZINC .pkl, a SMILES .csv/.csv.gz/.smi (pretrain-gnns features), the name \"synthetic\", or a dataset name to fetch into --cache")
	fs.StringVar(&d.format, "format", "", "tu, gin, zinc, synthetic or molecules (default: detect)")
	fs.StringVar(&d.features, "features", "zero", "node features for sets without any: zero (Graph-JEPA), degree-auto, one-hot-degree, normalized-degree")
	fs.StringVar(&d.cache, "cache", defaultCacheDir(), "cache folder for datasets fetched by name")
	fs.BoolVar(&d.offline, "offline", false, "never download; use only --cache")
	fs.Uint64Var(&d.synSeed, "synthetic-seed", 0, "seed of the synthetic set (with --data synthetic)")
	return d
}

// load reads the data set named by --data.
func (d *dataFlags) load() (*datasets.GraphSet, error) {
	if d.data == "" {
		return nil, errors.New("--data is required")
	}
	rule, err := datasets.ParseFeatureRule(d.features)
	if err != nil {
		return nil, fmt.Errorf("--features: %w", err)
	}
	if isMoleculeFile(d.data, d.format) {
		ms, err := loadMolecules(d.data, "pretrain-gnns", "")
		if err != nil {
			return nil, err
		}
		return ms.GraphSet, nil
	}
	cfg := datasets.GraphLoadConfig{
		Format:    d.format,
		TU:        datasets.TUConfig{Featureless: rule},
		Synthetic: datasets.SyntheticConfig{Seed: d.synSeed},
	}
	path := d.data
	if _, statErr := os.Stat(path); statErr != nil && path != datasets.FormatSynthetic && d.format != datasets.FormatSynthetic {
		dir, err := datasets.FetchOptions{Offline: d.offline}.Fetch(path, d.cache)
		if err != nil {
			return nil, fmt.Errorf("--data %s is not a file or folder, and fetching it as a dataset name failed: %w", path, err)
		}
		path = dir
		if cfg.Format == "" {
			cfg.Format = datasets.Remote(d.data).Format
		}
	}
	s, err := datasets.LoadGraphs(path, cfg)
	if err != nil {
		return nil, err
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(d.data), filepath.Ext(d.data))
	}
	return s, nil
}

// modelFlags override fields of the preset (0 or "" keeps the preset's
// value). They map 1:1 onto graphjepa.Config fields.
type modelFlags struct {
	preset        string
	epochs        int
	batch         int
	hidden        int
	gnnLayers     int
	encoderLayers int
	heads         int
	lr            float64
	patches       int
	targets       int
	rwDim         int
	workers       int
	seed          uint64
	partitioner   string

	// Ablations beyond the paper and the clean variants of the
	// reference's quirks (Config.PatchPooling, GraphPooling, EMAPerStep,
	// TargetInitCopy, TargetPE, Patch.PEPooling).
	patchPooling   string
	graphPooling   string
	pePooling      string
	emaPerStep     bool
	targetInitCopy bool
	targetPE       bool
}

func addModelFlags(fs *flag.FlagSet) *modelFlags {
	m := &modelFlags{}
	fs.StringVar(&m.preset, "preset", "", "preset: a paper one (MUTAG, PROTEINS, DD, REDDIT-B, REDDIT-M5, IMDB-B, IMDB-M, ZINC), MOLECULES (ours, for SMILES files) or default; empty: the data set's name (MOLECULES for MoleculeNet file names), or default")
	fs.IntVar(&m.epochs, "epochs", 0, "pre-training epochs (Config.Epochs); 0: the preset's")
	fs.IntVar(&m.batch, "batch-size", 0, "graphs per step (Config.BatchSize); 0: the preset's")
	fs.IntVar(&m.hidden, "hidden", 0, "width d of every encoder (Config.Hidden); 0: the preset's (512)")
	fs.IntVar(&m.gnnLayers, "gnn-layers", 0, "GINE blocks (Config.GNNLayers); 0: the preset's")
	fs.IntVar(&m.encoderLayers, "encoder-layers", 0, "transformer layers (Config.EncoderLayers); 0: the preset's")
	fs.IntVar(&m.heads, "heads", 0, "attention heads (Config.Heads); 0: the preset's (8)")
	fs.Float64Var(&m.lr, "lr", 0, "Adam learning rate (Config.LR); 0: the preset's")
	fs.IntVar(&m.patches, "patches", 0, "patch slots p (Config.Patch.Patches); 0: the preset's")
	fs.IntVar(&m.targets, "targets", 0, "target patches T (Config.Patch.Targets); 0: the preset's")
	fs.IntVar(&m.rwDim, "rw-dim", 0, "RWSE steps (Config.Patch.RWDim); 0: the preset's")
	fs.IntVar(&m.workers, "workers", 0, "patching goroutines (Config.Patch.Workers); 0: min(GOMAXPROCS, 4)")
	fs.Uint64Var(&m.seed, "seed", 0, "seed of the parameters, patching and trainer (Config.Seed)")
	addPartitionerFlag(fs, &m.partitioner)
	fs.StringVar(&m.patchPooling, "patch-pooling", "", "pooling of a patch's node copies: mean (the reference) or pma (Set Transformer PMA, an ablation); empty: the preset's")
	fs.StringVar(&m.graphPooling, "graph-pooling", "", "pooling of a graph's patch embeddings: mean (the reference) or pma (an ablation); empty: the preset's")
	fs.StringVar(&m.pePooling, "pe-pooling", "", "patch PE pooling: reference (max in training, mean in evaluation), mean or max; empty: the preset's")
	fs.BoolVar(&m.emaPerStep, "ema-per-step", false, "advance the EMA momentum after every step (paper text; the reference advances it once per epoch)")
	fs.BoolVar(&m.targetInitCopy, "target-init-copy", false, "start the target encoder as a copy of the context encoder (the reference initialises it independently)")
	fs.BoolVar(&m.targetPE, "target-pe", false, "add the patch PE to the target patches in training too (the reference adds it to the context only)")
	return m
}

// parsePEPooling maps the --pe-pooling flag onto graphjepa.PEPooling.
func parsePEPooling(s string) (graphjepa.PEPooling, error) {
	for _, p := range []graphjepa.PEPooling{graphjepa.PEPoolReference, graphjepa.PEPoolMean, graphjepa.PEPoolMax} {
		if s == p.String() {
			return p, nil
		}
	}
	return 0, fmt.Errorf("--pe-pooling %q: want reference, mean or max", s)
}

func addPartitionerFlag(fs *flag.FlagSet, dst *string) {
	fs.StringVar(dst, "partitioner", "", "partitioner for graphs with at least p nodes: "+strings.Join(graphjepa.PartitionerNames(), ", ")+
		" (empty: "+graphjepa.DefaultPartitionerName+", METIS' recursive bisection in pure Go; for a saved model, the one it was trained with; "+
		graphjepa.PlaceholderPartitionerName+" is not METIS)")
}

// resolvePartitioner checks the --partitioner flag and returns its factory
// (nil for the empty flag: the configuration's own).
func resolvePartitioner(name string) (graphjepa.PartitionerFactory, error) {
	if name == "" {
		return nil, nil
	}
	f, err := graphjepa.PartitionerByName(name)
	if err != nil {
		return nil, fmt.Errorf("--%v", err)
	}
	return f, nil
}

// check range-checks the numeric flags, naming the flag.
func (m *modelFlags) check() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"--epochs", m.epochs}, {"--batch-size", m.batch}, {"--hidden", m.hidden}, {"--gnn-layers", m.gnnLayers},
		{"--encoder-layers", m.encoderLayers}, {"--heads", m.heads}, {"--patches", m.patches}, {"--targets", m.targets},
		{"--rw-dim", m.rwDim}, {"--workers", m.workers}} {
		if f.v < 0 {
			return fmt.Errorf("%s %d: want a positive value (0 keeps the preset's)", f.name, f.v)
		}
	}
	if m.lr < 0 || math.IsNaN(m.lr) || math.IsInf(m.lr, 0) || m.lr > 1 {
		return fmt.Errorf("--lr %v: want a learning rate in (0, 1] (0 keeps the preset's)", m.lr)
	}
	if m.patches == 1 {
		return errors.New("--patches 1: want at least 2 slots")
	}
	if m.hidden > 0 && m.heads > 0 && m.hidden%m.heads != 0 {
		return fmt.Errorf("--hidden %d is not a multiple of --heads %d", m.hidden, m.heads)
	}
	if _, err := resolvePartitioner(m.partitioner); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"--patch-pooling", m.patchPooling}, {"--graph-pooling", m.graphPooling}} {
		if f.v != "" && f.v != graphjepa.PoolMean && f.v != graphjepa.PoolPMA {
			return fmt.Errorf("%s %q: want %s or %s", f.name, f.v, graphjepa.PoolMean, graphjepa.PoolPMA)
		}
	}
	if m.pePooling != "" {
		if _, err := parsePEPooling(m.pePooling); err != nil {
			return err
		}
	}
	return nil
}

// config returns the preset for dataset with the flags applied, and the
// preset's name.
func (m *modelFlags) config(dataset string) (graphjepa.Config, string, error) {
	if err := m.check(); err != nil {
		return graphjepa.Config{}, "", err
	}
	name := m.preset
	var cfg graphjepa.Config
	if name == "" {
		var fallback bool
		cfg, fallback = graphjepa.PresetFor(dataset)
		name = strings.ToUpper(dataset)
		if fallback {
			name = graphjepa.DefaultPresetName
		}
	} else {
		var err error
		if cfg, err = graphjepa.Preset(name); err != nil {
			return cfg, "", fmt.Errorf("--preset: %w", err)
		}
	}
	set := func(dst *int, v int) {
		if v != 0 {
			*dst = v
		}
	}
	set(&cfg.Epochs, m.epochs)
	set(&cfg.BatchSize, m.batch)
	if m.hidden != 0 {
		cfg.Hidden = m.hidden
		cfg.FFN = 0 // 2·Hidden
	}
	set(&cfg.GNNLayers, m.gnnLayers)
	set(&cfg.EncoderLayers, m.encoderLayers)
	set(&cfg.Heads, m.heads)
	if m.lr != 0 {
		cfg.LR = m.lr
	}
	set(&cfg.Patch.Patches, m.patches)
	set(&cfg.Patch.Targets, m.targets)
	set(&cfg.Patch.RWDim, m.rwDim)
	set(&cfg.Patch.Workers, m.workers)
	cfg.Seed = m.seed
	if m.partitioner != "" {
		pf, err := resolvePartitioner(m.partitioner)
		if err != nil {
			return cfg, "", err
		}
		cfg.Patch.Partitioner, cfg.Patch.PartitionerName = pf, m.partitioner
	}
	if m.patchPooling != "" {
		cfg.PatchPooling = m.patchPooling
	}
	if m.graphPooling != "" {
		cfg.GraphPooling = m.graphPooling
	}
	if m.pePooling != "" {
		cfg.Patch.PEPooling, _ = parsePEPooling(m.pePooling) // checked above
	}
	cfg.EMAPerStep = cfg.EMAPerStep || m.emaPerStep
	cfg.TargetInitCopy = cfg.TargetInitCopy || m.targetInitCopy
	cfg.TargetPE = cfg.TargetPE || m.targetPE
	if err := cfg.Validate(); err != nil {
		return cfg, "", err
	}
	return cfg.WithDefaults(), name, nil
}

// parseFlags parses args; help (-h) returns errHelpShown so the command
// returns nil (exit 0).
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, err
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("unexpected arguments %q (flags only)", fs.Args())
	}
	return false, nil
}

// usage sets fs's usage text: a line, an example and the flags.
func usage(fs *flag.FlagSet, stderr io.Writer, line, about string, examples ...string) {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: graphjepa %s\n\n%s\n\nexamples:\n", line, about)
		for _, e := range examples {
			fmt.Fprintf(stderr, "  %s\n", e)
		}
		fmt.Fprintln(stderr, "\nflags:")
		fs.PrintDefaults()
	}
}

// writeJSON prints v as one indented JSON object.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// isTerminal reports whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// loadModel loads a saved model (graphjepa.Load) and, when partitioner (a
// --partitioner value) is set, makes it patch with that partitioner.
func loadModel(dir, partitioner string) (*graphjepa.Model, error) {
	m, err := graphjepa.Load(dir)
	if err != nil {
		return nil, err
	}
	if partitioner != "" {
		if err := m.SetPartitioner(partitioner, nil); err != nil {
			return nil, err
		}
	}
	return m, nil
}
