package pointjepa

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets"
)

// TestISABEncoder pretrains and embeds with the Set Transformer encoder and
// the PMA readout, and checks the parameter names of the option.
func TestISABEncoder(t *testing.T) {
	cfg := tinyConfig()
	cfg.Encoder, cfg.Inducing, cfg.Readout = EncoderISAB, 4, ReadoutPMA
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256, TrainPerClass: 4, TestPerClass: 1})
	m, err := Pretrain(context.Background(), train, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := m.Embed(test.Clouds)
	if err != nil {
		t.Fatal(err)
	}
	if _, c := f.Dims(); c != 2*cfg.Width {
		t.Errorf("%d features, want %d", c, 2*cfg.Width)
	}
	var names []string
	for _, p := range m.params.List() {
		if strings.HasPrefix(p.Name, "student.blocks.0.") || strings.HasPrefix(p.Name, "readout.") {
			names = append(names, p.Name)
		}
	}
	joined := strings.Join(names, " ")
	for _, want := range []string{"student.blocks.0.I", "student.blocks.0.mab0.", "student.blocks.0.mab1.", "readout.pma.S"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no parameter %s* among %v", want, names)
		}
	}
}

// BenchmarkEncoderPatches times Embed of the small preset's widths with the
// transformer and the ISAB encoder (32 inducing points) at 64 patches (1024
// points) and 512 patches (4096 points), 8 clouds per op.
func BenchmarkEncoderPatches(b *testing.B) {
	for _, groups := range []int{64, 512} {
		for _, enc := range []string{EncoderTransformer, EncoderISAB} {
			b.Run(fmt.Sprintf("%s/%d", enc, groups), func(b *testing.B) {
				cfg, _ := Preset("small")
				cfg.Encoder, cfg.Groups = enc, groups
				cfg.Points = 1024 * groups / 64
				m, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				_, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: cfg.Points, TestPerClass: 1})
				if _, err := m.Embed(test.Clouds); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := m.Embed(test.Clouds); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(test.Len()*b.N)/b.Elapsed().Seconds(), "clouds/s")
			})
		}
	}
}
