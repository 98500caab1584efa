package pointjepa

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
)

// cacheRun takes steps of the tiny model on a fixed batch with a new random
// mask each step, the stepper's byte budget set to budget, and returns the
// losses and the most context programs the cache held.
func cacheRun(t *testing.T, budget int64, steps int) (losses []float64, most int) {
	t.Helper()
	cfg, err := tinyConfig().Resolve()
	require.NoError(t, err)
	m, err := New(cfg)
	require.NoError(t, err)
	gb := fixedBatch(t, &m.cfg, cfg.BatchSize, 3)
	s := newStepper(m, rand.New(rand.NewPCG(1, 2)))
	s.budget = budget
	defer s.close()
	opt := nn.NewAdamW(trainable(m), nn.AdamConfig{LR: 1e-3, WeightDecay: 0.05, DecayAll: true})
	masks := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < steps; i++ {
		var mask blockMask
		sampleMask(&mask, masks, cfg.Groups, &m.cfg)
		opt.ZeroGrad()
		tp, _, err := s.prepare(gb, &mask)
		require.NoError(t, err)
		require.NoError(t, tp.prog.Run())
		losses = append(losses, tp.prog.Loss())
		opt.Step()
		most = max(most, len(s.progs))
	}
	return losses, most
}

// TestContextCacheBudget: the cache of context programs keeps within its
// byte budget (a budget below one program keeps only the newest), holds
// several programs under a large one, and its size never changes a step's
// result.
func TestContextCacheBudget(t *testing.T) {
	small, mostSmall := cacheRun(t, 1, 12)
	large, mostLarge := cacheRun(t, 1<<40, 12)
	require.Equal(t, 1, mostSmall, "a budget below one program keeps only the program in use")
	require.Greater(t, mostLarge, 2, "a large budget keeps the programs of earlier mask shapes")
	require.Equal(t, large, small, "the losses do not depend on which programs are cached")
}
