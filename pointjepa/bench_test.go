package pointjepa

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchTinyConfig is a model small enough for unit tests: 64 points, 16
// patches of 8, width 16.
func benchTinyConfig() Config {
	return Config{
		Points: 64, Groups: 16, GroupSize: 8,
		TokenHidden1: 8, TokenGlobal: 8, TokenHidden2: 8, PosHidden: 8,
		Width: 16, Depth: 1, Heads: 2, PredWidth: 8, PredDepth: 1, PredHeads: 2,
		BatchSize: 4, Epochs: 1, WarmupEpochs: -1,
	}
}

func TestBenchTiny(t *testing.T) {
	res, err := Bench(context.Background(), benchTinyConfig(), BenchConfig{Steps: 2, EmbedClouds: 8, EmbedBatch: 4})
	require.NoError(t, err)
	assert.Equal(t, 4, res.Batch)
	assert.Equal(t, 2, res.TrainSteps)
	assert.Equal(t, 8, res.EmbedClouds)
	assert.Greater(t, res.TrainCloudsPerS, 0.0)
	assert.Greater(t, res.EmbedCloudsPerS, 0.0)
	assert.InDelta(t, float64(res.Batch)/res.TrainSPerBatch, res.TrainCloudsPerS, 1e-9)
	assert.Equal(t, "metrics", res.StepTimer, "the trainer logs time_ms per step")
	assert.Positive(t, res.GOMAXPROCS)

	_, err = Bench(context.Background(), benchTinyConfig(), BenchConfig{Steps: -1})
	assert.ErrorContains(t, err, "must be positive")
	bad := benchTinyConfig()
	bad.Width = -1
	_, err = Bench(context.Background(), bad, BenchConfig{})
	assert.ErrorContains(t, err, "Config.Width")
}

// BenchmarkEmbedSmall times the SVM feature pass of the small preset (spec
// §5: PyTorch 22.5 clouds/s on one core); b.N batches of 32 clouds.
func BenchmarkEmbedSmall(b *testing.B) { benchEmbed(b, "small", 32) }

// BenchmarkEmbedPaper times the paper preset's feature pass (PyTorch 12.3
// clouds/s on one core).
func BenchmarkEmbedPaper(b *testing.B) { benchEmbed(b, "paper", 32) }

func benchEmbed(b *testing.B, preset string, batch int) {
	cfg, err := Preset(preset)
	require.NoError(b, err)
	m, err := New(cfg)
	require.NoError(b, err)
	clouds := syntheticForBench(cfg.Points, batch)
	_, err = m.Embed(clouds) // warm-up
	require.NoError(b, err)
	n := 0
	for b.Loop() {
		if _, err := m.Embed(clouds); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(batch*n)/b.Elapsed().Seconds(), "clouds/s")
}
