package graphjepa

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestPresets checks every preset against the table of spec graph-jepa.md
// §11 (the reference's train/configs/*.yaml).
func TestPresets(t *testing.T) {
	type row struct {
		gnn, enc, epochs, batch int
		lr                      float64
		patience, p, rw, T      int
		beta                    float64
	}
	want := map[string]row{
		"MUTAG":           {2, 4, 50, 128, 5e-4, 20, 32, 15, 3, 1.0},
		"PROTEINS":        {2, 4, 30, 128, 5e-4, 20, 32, 20, 2, 1.0},
		"DD":              {3, 4, 20, 128, 5e-4, 20, 32, 30, 4, 0.5},
		"REDDIT-BINARY":   {2, 4, 10, 32, 1e-4, 20, 128, 40, 4, 0.5},
		"REDDIT-MULTI-5K": {2, 4, 10, 32, 1e-4, 20, 128, 40, 4, 0.5},
		"IMDB-BINARY":     {2, 4, 10, 32, 5e-4, 30, 32, 15, 4, 0.5},
		"IMDB-MULTI":      {2, 2, 5, 32, 5e-4, 20, 32, 15, 4, 0.5},
		"ZINC":            {2, 4, 30, 128, 5e-4, 20, 32, 20, 4, 0.5},
	}
	if got := PresetNames(); len(got) != len(want)+1 || !slices.Contains(got, MoleculesPreset) {
		t.Errorf("PresetNames() = %v, want the %d sets of the paper and %s", got, len(want), MoleculesPreset)
	}
	for name, w := range want {
		for _, alias := range []string{name, strings.ToLower(name)} {
			c, err := Preset(alias)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			c = c.WithDefaults()
			got := row{c.GNNLayers, c.EncoderLayers, c.Epochs, c.BatchSize, c.LR, c.LRPatience, c.Patch.Patches,
				c.Patch.RWDim, c.Patch.Targets, c.Beta}
			if got != w {
				t.Errorf("%s: %+v, want %+v", alias, got, w)
			}
			if c.Hidden != 512 || c.Heads != 8 || c.FFN != 1024 || c.LRFactor != 0.5 || c.MinLR != 1e-5 ||
				c.Patch.DropRate != 0.3 || c.Patch.Hops != 1 || c.Loss != LossSmoothL1 {
				t.Errorf("%s: shared settings differ: %+v", alias, c)
			}
			zinc := name == "ZINC"
			if (c.NodeEncoder == EncoderEmbedding) != zinc || (c.EdgeEncoder == EncoderEmbedding) != zinc {
				t.Errorf("%s: encoders %s/%s", name, c.NodeEncoder, c.EdgeEncoder)
			}
		}
	}
	for alias, name := range map[string]string{"REDDIT-B": "REDDIT-BINARY", "imdb-m": "IMDB-MULTI", "IMDB-B": "IMDB-BINARY", "reddit-m5": "REDDIT-MULTI-5K"} {
		a, err1 := Preset(alias)
		b, err2 := Preset(name)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("alias %s ≠ %s (%v, %v)", alias, name, err1, err2)
		}
	}
	// Other data sets: the documented default (the zero Config = MUTAG settings).
	d, err := Preset(DefaultPresetName)
	if err != nil {
		t.Fatal(err)
	}
	dd, zd := d.WithDefaults(), (Config{}).WithDefaults()
	dd.Patch.Partitioner, zd.Patch.Partitioner = nil, nil // funcs never DeepEqual
	if !reflect.DeepEqual(dd, zd) {
		t.Errorf("default preset %+v differs from the zero Config", d)
	}
	if c, fallback := PresetFor("NCI1"); !fallback || !reflect.DeepEqual(c, d) {
		t.Errorf("PresetFor(NCI1) = %+v, %v: want the default preset", c, fallback)
	}
	if _, err := Preset("NCI1"); err == nil || !strings.Contains(err.Error(), "MUTAG") || !strings.Contains(err.Error(), DefaultPresetName) {
		t.Errorf("Preset(NCI1) error %v: want the known names listed", err)
	}
}

// TestMoleculesPreset checks our molecule preset (documented at
// MoleculesPreset) and that the MoleculeNet file names select it.
func TestMoleculesPreset(t *testing.T) {
	c, err := Preset("molecules")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c = c.WithDefaults()
	type row struct {
		hidden, ffn, heads, gnn, enc, epochs, batch int
		lr                                          float64
		p, rw, T                                    int
		beta                                        float64
		node, edge                                  string
	}
	got := row{c.Hidden, c.FFN, c.Heads, c.GNNLayers, c.EncoderLayers, c.Epochs, c.BatchSize, c.LR,
		c.Patch.Patches, c.Patch.RWDim, c.Patch.Targets, c.Beta, c.NodeEncoder, c.EdgeEncoder}
	want := row{256, 512, 8, 2, 2, 30, 128, 5e-4, 32, 20, 4, 0.5, EncoderLinear, EncoderLinear}
	if got != want {
		t.Errorf("MOLECULES: %+v, want %+v", got, want)
	}
	if !c.Patch.RepeatTargets {
		t.Error("MOLECULES: molecules with fewer than 1+T atoms need Patch.RepeatTargets")
	}
	for _, name := range []string{"bbbp", "BACE", "tox21", "toxcast", "clintox", "sider", "muv", "hiv", "lipo", "freesolv", "delaney"} {
		p, fallback := PresetFor(name)
		if fallback || !reflect.DeepEqual(p, presets[MoleculesPreset]) {
			t.Errorf("PresetFor(%s) = %+v, %v: want %s", name, p, fallback, MoleculesPreset)
		}
	}
	if p, _ := PresetFor("ZINC"); p.NodeEncoder != EncoderEmbedding {
		t.Errorf("ZINC must keep its own preset, got %+v", p)
	}
}
