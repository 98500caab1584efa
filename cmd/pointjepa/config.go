package main

import (
	"flag"
	"fmt"
	"math"
	"strings"

	"github.com/nongrid/jepa/pointjepa"
)

// modelFlags are the pointjepa.Config fields a command can override on top
// of a preset, one flag per field. Only flags given on the command line
// change the preset.
type modelFlags struct {
	fs     *flag.FlagSet
	preset string
	ints   []*intField
	floats []*floatField
	strs   []*strField
	bools  []*boolField
}

type intField struct {
	flag, field string
	lo, hi      int
	get         func(*pointjepa.Config) *int
	v           int
}

type floatField struct {
	flag, field string
	lo, hi      float64
	get         func(*pointjepa.Config) *float64
	v           float64
}

type strField struct {
	flag, field string
	get         func(*pointjepa.Config) *string
	v           string
}

type boolField struct {
	flag, field string
	get         func(*pointjepa.Config) *bool
	v           bool
}

// Upper bounds of the size flags: far above any real model, low enough that
// a typo is refused before memory is allocated.
const (
	maxWidth  = 8192
	maxDepth  = 256
	maxGroups = 1 << 16
	maxBatch  = 1 << 16
	maxEpochs = 1_000_000
)

// addModelFlags registers --preset and the Config overrides. training adds
// the pretraining schedule flags (epochs, batch, lr, ...).
func addModelFlags(fs *flag.FlagSet, defPreset string, training bool) *modelFlags {
	m := &modelFlags{fs: fs}
	fs.StringVar(&m.preset, "preset", defPreset, "model preset: "+strings.Join(pointjepa.PresetNames(), ", ")+" (see go doc pointjepa.Preset)")
	in := func(name, field string, lo, hi int, get func(*pointjepa.Config) *int, help string) {
		f := &intField{flag: name, field: field, lo: lo, hi: hi, get: get}
		m.ints = append(m.ints, f)
		fs.IntVar(&f.v, name, 0, help+" (Config."+field+"; default: the preset's)")
	}
	fl := func(name, field string, lo, hi float64, get func(*pointjepa.Config) *float64, help string) {
		f := &floatField{flag: name, field: field, lo: lo, hi: hi, get: get}
		m.floats = append(m.floats, f)
		fs.Float64Var(&f.v, name, 0, help+" (Config."+field+"; default: the preset's)")
	}
	st := func(name, field string, get func(*pointjepa.Config) *string, help string) {
		f := &strField{flag: name, field: field, get: get}
		m.strs = append(m.strs, f)
		fs.StringVar(&f.v, name, "", help+" (Config."+field+"; default: the preset's)")
	}
	in("model-points", "Points", 1, maxCloudPoints, func(c *pointjepa.Config) *int { return &c.Points }, "points per cloud the model sees (clouds are FPS-subsampled to it)")
	in("groups", "Groups", 2, maxGroups, func(c *pointjepa.Config) *int { return &c.Groups }, "patches (FPS centers) per cloud")
	in("group-size", "GroupSize", 1, maxGroups, func(c *pointjepa.Config) *int { return &c.GroupSize }, "KNN neighbours per patch")
	in("width", "Width", 1, maxWidth, func(c *pointjepa.Config) *int { return &c.Width }, "encoder width")
	in("depth", "Depth", 1, maxDepth, func(c *pointjepa.Config) *int { return &c.Depth }, "encoder blocks")
	in("heads", "Heads", 1, maxWidth, func(c *pointjepa.Config) *int { return &c.Heads }, "encoder attention heads")
	in("pred-width", "PredWidth", 1, maxWidth, func(c *pointjepa.Config) *int { return &c.PredWidth }, "predictor width")
	in("pred-depth", "PredDepth", 1, maxDepth, func(c *pointjepa.Config) *int { return &c.PredDepth }, "predictor blocks")
	in("pred-heads", "PredHeads", 1, maxWidth, func(c *pointjepa.Config) *int { return &c.PredHeads }, "predictor attention heads")
	st("encoder", "Encoder", func(c *pointjepa.Config) *string { return &c.Encoder }, "encoder: transformer or isab")
	st("readout", "Readout", func(c *pointjepa.Config) *string { return &c.Readout }, "feature readout: max-mean or pma")
	in("seed", "Seed", 0, math.MaxInt, nil, "seed of every random draw")
	in("workers", "Workers", 0, 4096, func(c *pointjepa.Config) *int { return &c.Workers }, "goroutines of the parallel loops, 0 means GOMAXPROCS")
	if training {
		in("epochs", "Epochs", 1, maxEpochs, func(c *pointjepa.Config) *int { return &c.Epochs }, "pretraining epochs")
		in("batch", "BatchSize", 1, maxBatch, func(c *pointjepa.Config) *int { return &c.BatchSize }, "clouds per training batch")
		in("warmup-epochs", "WarmupEpochs", -1, maxEpochs, func(c *pointjepa.Config) *int { return &c.WarmupEpochs }, "linear warmup epochs, -1 means none")
		st("lr-interval", "LRInterval", func(c *pointjepa.Config) *string { return &c.LRInterval }, "warmup + cosine stepped per epoch (the reference) or per step")
		fl("lr", "LR", 1e-12, 10, func(c *pointjepa.Config) *float64 { return &c.LR }, "peak learning rate")
		fl("weight-decay", "WeightDecay", -1, 10, func(c *pointjepa.Config) *float64 { return &c.WeightDecay }, "AdamW weight decay, negative means none")
		fl("tau-min", "TauMin", 1e-9, 1, func(c *pointjepa.Config) *float64 { return &c.TauMin }, "EMA decay at the first step")
		fl("tau-max", "TauMax", 1e-9, 1, func(c *pointjepa.Config) *float64 { return &c.TauMax }, "EMA decay at the last step")
		st("sequencer", "Sequencer", func(c *pointjepa.Config) *string { return &c.Sequencer }, "patch order: greedy-min, greedy, morton or none")
		f := &boolField{flag: "no-rotate", field: "NoRotate", get: func(c *pointjepa.Config) *bool { return &c.NoRotate }}
		m.bools = append(m.bools, f)
		fs.BoolVar(&f.v, "no-rotate", false, "no random rotation about y in pretraining (Config.NoRotate)")
	}
	return m
}

// givenModelFlags lists the --preset and Config flags given on the command
// line, in flag order.
func (m *modelFlags) givenModelFlags() []string {
	given := m.set()
	var names []string
	add := func(n string) {
		if given[n] {
			names = append(names, "--"+n)
		}
	}
	add("preset")
	for _, f := range m.ints {
		add(f.flag)
	}
	for _, f := range m.floats {
		add(f.flag)
	}
	for _, f := range m.strs {
		add(f.flag)
	}
	for _, f := range m.bools {
		add(f.flag)
	}
	return names
}

// set reports whether the flag was given on the command line.
func (m *modelFlags) set() map[string]bool {
	s := map[string]bool{}
	m.fs.Visit(func(f *flag.Flag) { s[f.Name] = true })
	return s
}

// config range-checks the given flags, lays them over the preset and
// resolves the result; errors name the flag.
func (m *modelFlags) config() (pointjepa.Config, error) {
	cfg, err := pointjepa.Preset(m.preset)
	if err != nil {
		return cfg, fmt.Errorf("--preset: %w", err)
	}
	given := m.set()
	if err := m.overlay(&cfg, given); err != nil {
		return cfg, err
	}
	if err := checkMemory(paramBytes(cfg), fmt.Sprintf("a model of width %d × depth %d (predictor %d × %d)", cfg.Width, cfg.Depth, cfg.PredWidth, cfg.PredDepth)); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// paramBytes estimates the memory of a model's parameters during
// pretraining: float32 weights of the transformer blocks (12·width² each:
// attention 4·width², MLP 2·ratio·width²), the predictor and the
// tokenizer, ×5 for the gradients, the two AdamW moments and the EMA
// teacher. It refuses absurd --width/--depth before New allocates them.
func paramBytes(cfg pointjepa.Config) float64 {
	block := func(w int) float64 { return float64(w) * float64(w) * (4 + 2*cfg.MLPRatio) }
	n := float64(cfg.Depth)*block(cfg.Width) + float64(cfg.PredDepth)*block(cfg.PredWidth)
	n += float64(3*cfg.TokenHidden1 + cfg.TokenHidden1*cfg.TokenGlobal + 2*cfg.TokenGlobal*cfg.TokenHidden2 + cfg.TokenHidden2*cfg.Width)
	return 4 * 5 * n
}

// overlay applies the given flags to cfg and resolves it.
func (m *modelFlags) overlay(cfg *pointjepa.Config, given map[string]bool) error {
	for _, f := range m.ints {
		if !given[f.flag] {
			continue
		}
		if err := intRange(f.flag, f.v, f.lo, f.hi, "Config."+f.field); err != nil {
			return err
		}
		if f.get == nil { // --seed, a uint64 field
			cfg.Seed = uint64(f.v)
			continue
		}
		*f.get(cfg) = f.v
	}
	for _, f := range m.floats {
		if given[f.flag] {
			if err := floatRange(f.flag, f.v, f.lo, f.hi, "Config."+f.field); err != nil {
				return err
			}
			*f.get(cfg) = f.v
		}
	}
	for _, f := range m.strs {
		if given[f.flag] {
			*f.get(cfg) = f.v
		}
	}
	for _, f := range m.bools {
		if given[f.flag] {
			*f.get(cfg) = f.v
		}
	}
	r, err := cfg.Resolve()
	if err != nil {
		return m.nameFlags(err)
	}
	*cfg = r
	return nil
}

// nameFlags rewrites "Config.Field" in a Resolve error as "Config.Field
// (--flag)" so the user sees which flag to change.
func (m *modelFlags) nameFlags(err error) error {
	msg := err.Error()
	rewrite := func(field, flag string) {
		msg = strings.ReplaceAll(msg, "Config."+field+" ", "Config."+field+" (--"+flag+") ")
	}
	for _, f := range m.ints {
		rewrite(f.field, f.flag)
	}
	for _, f := range m.floats {
		rewrite(f.field, f.flag)
	}
	for _, f := range m.strs {
		rewrite(f.field, f.flag)
	}
	return fmt.Errorf("%s", msg)
}

// needs returns what a model of cfg needs of every cloud: for embedding,
// enough points for its centers and neighbours (Embed subsamples larger
// clouds and takes smaller ones as they are); for training (pretraining,
// fine-tuning), at least Config.Points.
func needs(cfg pointjepa.Config, train bool) cloudNeeds {
	n := cloudNeeds{groups: cfg.Groups, k: cfg.GroupSize}
	if train {
		n.points = cfg.Points
	}
	return n
}

// batchBytes estimates the peak memory of one training (train) or embedding
// batch of cfg: the float32 activations of the mini-PointNet over every point
// of every patch (the largest cost, spec §1.3, §5) and of the encoder blocks,
// times a factor calibrated on this implementation's peak RSS measured with
// pointjepa bench (small preset: about 60 MB per training cloud and 23 MB per
// embedded cloud, 2026-12-02). Embedding runs in chunks of at most
// pointjepa.EmbedBatch clouds whatever the batch. It is meant to refuse
// absurd sizes before any work, not to predict memory closely.
func batchBytes(cfg pointjepa.Config, batch int, train bool) float64 {
	g, k := float64(cfg.Groups), float64(cfg.GroupSize)
	tok := g * k * float64(cfg.TokenHidden1+2*cfg.TokenGlobal+cfg.TokenHidden2+cfg.Width)
	enc := float64(cfg.Depth) * g * (float64(cfg.Width)*(4+2*cfg.MLPRatio) + float64(cfg.Heads)*g)
	per := 4 * (tok + enc)
	if train {
		return float64(batch) * per * 4.5
	}
	return float64(min(batch, pointjepa.EmbedBatch)) * per * 1.7
}
