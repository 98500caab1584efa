package graphjepa

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultPresetName names the preset for data sets the paper did not run
// (NCI1, ENZYMES, a user's own TU set): the MUTAG settings, which are also
// the zero Config (d = 512, 2 GINE + 4 transformer layers, 50 epochs of batch
// 128, lr 5e-4, patience 20, p = 32, RWSE 15, T = 3, SmoothL1 β = 1).
const DefaultPresetName = "default"

// presets are the published settings of the reference's
// train/configs/*.yaml (spec graph-jepa.md §11; "correspond with Table 8
// of the paper"). Every config shares d = 512, GINE, Hadamard target
// attention, 1 hop, drop rate 0.3, dropout 0, weight decay 0, lr decay 0.5
// and min lr 1e-5. MoleculesPreset is ours (see its doc).
var presets = map[string]Config{
	"MUTAG":           preset(2, 4, 50, 128, 5e-4, 20, 32, 15, 3, 1.0),
	"PROTEINS":        preset(2, 4, 30, 128, 5e-4, 20, 32, 20, 2, 1.0),
	"DD":              preset(3, 4, 20, 128, 5e-4, 20, 32, 30, 4, 0.5),
	"REDDIT-BINARY":   preset(2, 4, 10, 32, 1e-4, 20, 128, 40, 4, 0.5),
	"REDDIT-MULTI-5K": preset(2, 4, 10, 32, 1e-4, 20, 128, 40, 4, 0.5),
	"IMDB-BINARY":     preset(2, 4, 10, 32, 5e-4, 30, 32, 15, 4, 0.5),
	"IMDB-MULTI":      preset(2, 2, 5, 32, 5e-4, 20, 32, 15, 4, 0.5),
	"ZINC":            zincPreset(),
	MoleculesPreset:   moleculesPreset(),
	DefaultPresetName: preset(2, 4, 50, 128, 5e-4, 20, 32, 15, 3, 1.0),
}

// presetAliases maps the short names of the reference's files and logs to
// the TU names.
var presetAliases = map[string]string{
	"REDDIT-B":  "REDDIT-BINARY",
	"REDDITB":   "REDDIT-BINARY",
	"REDDIT-M5": "REDDIT-MULTI-5K",
	"REDDIT-M":  "REDDIT-MULTI-5K",
	"REDDITM":   "REDDIT-MULTI-5K",
	"IMDB-B":    "IMDB-BINARY",
	"IMDBB":     "IMDB-BINARY",
	"IMDB-M":    "IMDB-MULTI",
	"IMDBM":     "IMDB-MULTI",
	"ZINC12K":   "ZINC",
	"DEFAULT":   DefaultPresetName,
	// MoleculeNet files by the names datasets.LoadMoleculeNet gives them
	// (the file name without .csv/.csv.gz), so that PresetFor picks
	// MoleculesPreset for them.
	"MOLECULENET":   MoleculesPreset,
	"BBBP":          MoleculesPreset,
	"BACE":          MoleculesPreset,
	"CLINTOX":       MoleculesPreset,
	"SIDER":         MoleculesPreset,
	"TOX21":         MoleculesPreset,
	"TOXCAST":       MoleculesPreset,
	"MUV":           MoleculesPreset,
	"HIV":           MoleculesPreset,
	"DELANEY":       MoleculesPreset,
	"ESOL":          MoleculesPreset,
	"FREESOLV":      MoleculesPreset,
	"LIPO":          MoleculesPreset,
	"LIPOPHILICITY": MoleculesPreset,
}

func preset(gnnLayers, encLayers, epochs, batch int, lr float64, patience, patches, rwDim, targets int, beta float64) Config {
	return Config{
		Patch:  PatchConfig{Patches: patches, Targets: targets, DropRate: 0.3, RWDim: rwDim, Hops: 1},
		Hidden: 512, GNNLayers: gnnLayers, EncoderLayers: encLayers, Heads: 8, // FFN 0: 2·Hidden
		NodeEncoder: EncoderLinear, EdgeEncoder: EncoderLinear,
		Epochs: epochs, BatchSize: batch, LR: lr, LRFactor: 0.5, LRPatience: patience, MinLR: 1e-5,
		Loss: LossSmoothL1, Beta: beta, EMAStart: 0.996, EMAEnd: 1,
		PatchPooling: PoolMean, GraphPooling: PoolMean,
	}
}

// MoleculesPreset names our preset for MoleculeNet molecules read by
// datasets.LoadMoleculeNet with pretrain-gnns features. Graph-JEPA never
// reported molecular property prediction, so every choice is ours:
//
//   - Linear node and edge encoders (Linear(122→d) on the multi-hot atom
//     type + chirality vector X, Linear(7→d) on the bond type + direction
//     vector EdgeAttr). That is the function class of pretrain-gnns'
//     summed per-feature embeddings (plus one bias); EncoderEmbedding
//     would read only the first label column (the atom type) and drop the
//     chirality and bond direction.
//   - d = 256 (FFN 512, 8 heads of 32), 2 GINE layers and 2 transformer
//     layers: smaller than the paper's 512/2/4 so that a 2-core CPU
//     pre-trains BBBP in minutes (2.75 M parameters).
//   - p = 32 patches, RWSE of 20 steps, T = 4 targets, SmoothL1 β = 0.5, lr
//     5e-4, batch 128, patience 20: ZINC's settings (the paper's other
//     molecular set, ~23 atoms per graph like MoleculeNet's).
//   - Patch.RepeatTargets: MoleculeNet holds molecules of 1 to 4 heavy
//     atoms (salts, water, methane), which give fewer than 1 + T
//     non-empty slots; their targets repeat instead of the run failing.
//   - 30 epochs (ZINC's): about 7.5 s each on BBBP's 2,039 molecules
//     with one core busy elsewhere on a 2-core machine, 4 minutes in all.
const MoleculesPreset = "MOLECULES"

func moleculesPreset() Config {
	c := preset(2, 2, 30, 128, 5e-4, 20, 32, 20, 4, 0.5)
	c.Hidden = 256
	c.Patch.RepeatTargets = true
	return c
}

func zincPreset() Config {
	c := preset(2, 4, 30, 128, 5e-4, 20, 32, 20, 4, 0.5)
	c.NodeEncoder, c.EdgeEncoder = EncoderEmbedding, EncoderEmbedding
	c.NodeVocab, c.EdgeVocab = 28, 4
	return c
}

// Preset returns the published configuration of a data set of the paper:
// MUTAG, PROTEINS, DD, REDDIT-BINARY, REDDIT-MULTI-5K, IMDB-BINARY,
// IMDB-MULTI or ZINC (names are case-insensitive; the reference's short
// names REDDIT-B, REDDIT-M5, IMDB-B, IMDB-M are accepted too),
// MoleculesPreset (ours, not the paper's; the MoleculeNet names BBBP, BACE,
// CLINTOX, SIDER, TOX21, TOXCAST, MUV, HIV, DELANEY/ESOL, FREESOLV and
// LIPO/LIPOPHILICITY select it too), or DefaultPresetName for any other
// data set. An unknown name is an error listing the known ones.
//
// The REDDIT-B paper log was produced by an older code version with
// rw_dim 0 and patch_rw_dim 8, which the current reference cannot run; the
// preset follows the current config file (RWSE of 40 steps), as the
// reference would today (spec §11).
func Preset(name string) (Config, error) {
	key := strings.ToUpper(strings.TrimSpace(name))
	if a, ok := presetAliases[key]; ok {
		key = a
	}
	if key == strings.ToUpper(DefaultPresetName) {
		key = DefaultPresetName
	}
	c, ok := presets[key]
	if !ok {
		return Config{}, fmt.Errorf("graphjepa: unknown preset %q: known presets are %s (or %q for other data sets)",
			name, strings.Join(PresetNames(), ", "), DefaultPresetName)
	}
	return c, nil
}

// PresetNames returns the data sets with a published preset and
// MoleculesPreset, sorted (DefaultPresetName and the aliases excluded).
func PresetNames() []string {
	var names []string
	for k := range presets {
		if k != DefaultPresetName {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// PresetFor returns the preset of a data set by name, falling back to the
// default preset for data sets the paper did not run; the second result
// reports whether the fallback was used.
func PresetFor(dataset string) (Config, bool) {
	c, err := Preset(dataset)
	if err != nil {
		return presets[DefaultPresetName], true
	}
	return c, false
}
