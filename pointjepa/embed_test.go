package pointjepa

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/nongrid/jepa/datasets"
	"gonum.org/v1/gonum/mat"
)

func TestEmbedDeterministicAndShape(t *testing.T) {
	m, err := New(tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	_, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 300, TestPerClass: 10})
	a, err := m.Embed(test.Clouds)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := a.Dims(); r != test.Len() || c != 2*m.cfg.Width {
		t.Fatalf("features %d×%d, want %d×%d", r, c, test.Len(), 2*m.cfg.Width)
	}
	b, err := m.Embed(test.Clouds)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(a, b) {
		t.Error("two Embed calls on the same clouds differ")
	}
	for _, v := range a.RawMatrix().Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatal("non-finite feature")
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	cfg := tinyConfig()
	cfg.Seed = 11
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.steps = 17
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if l.Config() != m.Config() {
		t.Errorf("config %+v, want %+v", l.Config(), m.Config())
	}
	if l.steps != 17 {
		t.Errorf("teacher.step %d, want 17", l.steps)
	}
	_, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TestPerClass: 2})
	a, err := m.Embed(test.Clouds)
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Embed(test.Clouds)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(a, b) {
		t.Error("loaded model embeds differently")
	}
	// The reference's names and layouts.
	sd := m.stateDict()
	for _, name := range []string{
		"positional_encoding.0.weight", "positional_encoding.2.bias",
		"tokenizer.embedding.encoder.first_conv.0.weight", "tokenizer.embedding.encoder.first_conv.1.running_var",
		"tokenizer.embedding.encoder.second_conv.1.num_batches_tracked", "mask_token",
		"student.blocks.0.attn.qkv.weight", "student.norm.weight",
		"predictor.mask_token", "predictor.predictor_embed.weight", "predictor.positional_encoding.0.weight",
		"predictor.predictor_norm.weight", "predictor.predictor_proj.bias", "predictor.predictor.blocks.0.mlp.fc1.weight",
		"predictor.predictor.norm.bias", "teacher.ema_model.blocks.1.attn.proj.weight", "teacher.online_model.norm.bias",
		"teacher.initted", "teacher.step",
	} {
		if _, ok := sd[name]; !ok {
			t.Errorf("state dict lacks %s", name)
		}
	}
	if s := sd["tokenizer.embedding.encoder.second_conv.0.weight"].Shape(); len(s) != 3 || s[2] != 1 {
		t.Errorf("Conv1d weight shape %v, want [out, in, 1]", s)
	}
	// A corrupt or mismatched weights file is an error naming the tensor.
	bad := cfg
	bad.Width = 48
	mb, _ := New(bad)
	if err := mb.Save(dir + "/other"); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(dir, "other", WeightsFileName), filepath.Join(dir, WeightsFileName))
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("loading weights of another width: %v, want a shape error", err)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("loading an empty directory succeeded")
	}
}

func TestBadClouds(t *testing.T) {
	m, err := New(tinyConfig()) // 16 groups of 16 points
	if err != nil {
		t.Fatal(err)
	}
	_, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TestPerClass: 1})
	good := test.Clouds[0]
	few := good.Clone()
	few.Points = few.Points[:10]
	few.ID = "tiny_0001"
	nan := good.Clone()
	nan.Points[5].Y = math.NaN()
	nan.Path = "/data/bad.npy"
	same := good.Clone()
	for i := range same.Points {
		same.Points[i] = r3.Vector{X: 1, Y: 2, Z: 3}
	}
	for _, c := range []struct {
		name  string
		cloud datasets.PointCloud
		want  []string
	}{
		{"too few points", few, []string{"cloud 1 (tiny_0001)", "10 points", "16 centers × 16 neighbours"}},
		{"NaN", nan, []string{"cloud 1 (sphere_0000, /data/bad.npy)", "point 5", "NaN"}},
		{"identical points", same, []string{"cloud 1", "identical"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Embed([]datasets.PointCloud{good, c.cloud})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			set := &datasets.PointSet{Clouds: []datasets.PointCloud{good, c.cloud}}
			cfg := tinyConfig()
			cfg.BatchSize = 2
			if _, err := Pretrain(t.Context(), set, cfg, Options{}); err == nil || !strings.Contains(err.Error(), "cloud 1") {
				t.Errorf("Pretrain: %v, want an error naming cloud 1", err)
			}
		})
	}
	if _, err := m.Embed(nil); err == nil {
		t.Error("Embed(nil) succeeded")
	}
}
