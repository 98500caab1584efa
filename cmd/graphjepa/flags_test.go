package main

import (
	"flag"
	"io"
	"testing"

	"github.com/nongrid/jepa/graphjepa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseModelFlags(t *testing.T, args ...string) *modelFlags {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	m := addModelFlags(fs)
	require.NoError(t, fs.Parse(args))
	return m
}

func TestAblationFlagsSetConfig(t *testing.T) {
	m := parseModelFlags(t, "--patch-pooling", "pma", "--graph-pooling", "pma", "--pe-pooling", "mean",
		"--ema-per-step", "--target-init-copy", "--target-pe")
	cfg, _, err := m.config("MUTAG")
	require.NoError(t, err)
	assert.Equal(t, graphjepa.PoolPMA, cfg.PatchPooling)
	assert.Equal(t, graphjepa.PoolPMA, cfg.GraphPooling)
	assert.Equal(t, graphjepa.PEPoolMean, cfg.Patch.PEPooling)
	assert.True(t, cfg.EMAPerStep)
	assert.True(t, cfg.TargetInitCopy)
	assert.True(t, cfg.TargetPE)

	def, _, err := parseModelFlags(t).config("MUTAG")
	require.NoError(t, err)
	assert.Equal(t, graphjepa.PoolMean, def.PatchPooling, "the reference's mean by default")
	assert.Equal(t, graphjepa.PEPoolReference, def.Patch.PEPooling)
	assert.False(t, def.EMAPerStep || def.TargetInitCopy || def.TargetPE)
}

func TestAblationFlagsRejectUnknownValues(t *testing.T) {
	for _, args := range [][]string{
		{"--patch-pooling", "max"},
		{"--graph-pooling", "sum"},
		{"--pe-pooling", "min"},
	} {
		_, _, err := parseModelFlags(t, args...).config("MUTAG")
		require.Error(t, err, "%v", args)
		assert.Contains(t, err.Error(), args[0])
	}
}
