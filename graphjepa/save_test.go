package graphjepa

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
	"gonum.org/v1/gonum/mat"
)

// TestSaveLoad pre-trains the tiny model, saves it, loads it back (from the
// saved directory and from the run directory's final checkpoint) and checks
// that the embeddings agree bit for bit and that the file holds the
// reference's state-dict keys, the duplicate GINE MLP entries included.
func TestSaveLoad(t *testing.T) {
	set := tinySet()
	cfg := tinyConfig()
	cfg.Epochs = 2
	cfg.Patch.PartitionerName = LouvainPartitionerName
	run := filepath.Join(t.TempDir(), "run")
	m, err := Pretrain(context.Background(), set, cfg, Options{Validation: set.Graphs[:4], RunDir: run})
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Embed(set.Graphs)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "model")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{dir, run} {
		l, err := Load(from)
		if err != nil {
			t.Fatalf("Load(%s): %v", from, err)
		}
		got, err := l.Embed(set.Graphs)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(got, want) {
			t.Errorf("Load(%s): embeddings differ from the trained model's", from)
		}
		if pc := l.Config().Patch; pc.PartitionerName != LouvainPartitionerName || pc.WithDefaults().Partitioner == nil {
			t.Errorf("Load(%s): partitioner %q, want the saved %q back", from, pc.PartitionerName, LouvainPartitionerName)
		}
	}
	tensors, meta, err := nn.LoadSafetensorsFile(filepath.Join(dir, ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	if meta["format"] != "pt" {
		t.Errorf("metadata %v, want format pt", meta)
	}
	for _, k := range []string{"gnns.0.convs.0.nn.layers.0.weight", "gnns.0.convs.0.layer.nn.layers.0.weight",
		"gnns.1.convs.0.layer.nn.norms.1.running_var", "gnns.0.convs.0.layer.eps",
		"context_encoder.transformer_encoder.1.self_attn.k_proj.bias", "target_encoder.transformer_encoder.0.norm3.weight"} {
		if _, ok := tensors[k]; !ok {
			t.Errorf("missing key %s", k)
		}
	}
	if n := len(tensors); n != m.params.Len()+12*cfg.WithDefaults().GNNLayers {
		t.Errorf("%d tensors, want %d parameters + 12 aliases per GINE block", n, m.params.Len())
	}
}

// TestBadInput checks the errors for input that does not fit: a feature
// width other than the model's, NaN features, an unknown preset.
func TestBadInput(t *testing.T) {
	set := tinySet()
	cfg := tinyConfig()
	cfg.Epochs = 1
	m, err := Pretrain(context.Background(), set, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wide := datasets.SyntheticGraphs(datasets.SyntheticConfig{Seed: 3, GraphsPerClass: 2, MinNodes: 8, MaxNodes: 14, NodeLabels: 6})
	nan := set.Graphs[3].Clone()
	nan.X[2*nan.F+1] = float32(nanValue())
	cases := []struct {
		name   string
		run    func() error
		substr []string
	}{
		{"width", func() error { _, err := m.Embed(wide.Graphs); return err }, []string{"graph 0", "width 6", "takes 4"}},
		{"nan embed", func() error { _, err := m.Embed([]*datasets.Graph{set.Graphs[0], nan}); return err }, []string{"graph 1", "node 2, column 1", "NaN"}},
		{"nan pretrain", func() error {
			bad := *set
			bad.Graphs = append(append([]*datasets.Graph(nil), set.Graphs[:5]...), nan)
			_, err := Pretrain(context.Background(), &bad, cfg, Options{})
			return err
		}, []string{"training graph 5", "NaN"}},
		{"preset", func() error { _, err := Preset("MUTANT"); return err }, []string{`"MUTANT"`, "MUTAG", "PROTEINS", "ZINC", "default"}},
		{"config", func() error {
			c := cfg
			c.Heads = 3
			_, err := Pretrain(context.Background(), set, c, Options{})
			return err
		}, []string{"Heads = 3", "Hidden = 16"}},
	}
	for _, c := range cases {
		err := c.run()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, s := range c.substr {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, s)
			}
		}
	}
}
