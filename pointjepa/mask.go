package pointjepa

import "math/rand/v2"

// blockMask holds the target and context indices of one batch, positions in
// sequencer order shared by every cloud of the batch (spec §1.6).
type blockMask struct {
	K       int   // tokens per target block
	Targets []int // [M·K]: block m is Targets[m·K:(m+1)·K], contiguous runs
	Context []int // [n] increasing positions, none of them a target
	valid   []int
	covered []bool
}

// sampleMask draws the masks of one batch of T tokens as the reference's
// TargetSampler and ContextSampler ("contiguous") do: one target ratio
// r ~ U(TargetMin, TargetMax) gives k = max(1, int(T·r)); each of the M
// blocks starts at an independent start ~ U{0, …, T−k} (blocks may overlap);
// then one context ratio r_c ~ U(ContextMin, ContextMax) gives
// n = max(1, int(r_c·|valid|)) over the sorted target-free positions valid,
// and the context is valid[s : s+n] with s ~ U{0, …, |valid|−n}: contiguous
// in the filtered list. cfg must be resolved.
func sampleMask(dst *blockMask, rng *rand.Rand, T int, cfg *Config) *blockMask {
	r := cfg.TargetMin + rng.Float64()*(cfg.TargetMax-cfg.TargetMin)
	k := max(1, int(float64(T)*r))
	M := cfg.TargetBlocks
	dst.K = k
	dst.Targets = grow(dst.Targets, M*k)
	if cap(dst.covered) < T {
		dst.covered = make([]bool, T)
	}
	cov := dst.covered[:T]
	clear(cov)
	for m := 0; m < M; m++ {
		s := rng.IntN(T - k + 1)
		for j := 0; j < k; j++ {
			dst.Targets[m*k+j] = s + j
			cov[s+j] = true
		}
	}
	dst.valid = dst.valid[:0]
	for i, c := range cov {
		if !c {
			dst.valid = append(dst.valid, i)
		}
	}
	rc := cfg.ContextMin + rng.Float64()*(cfg.ContextMax-cfg.ContextMin)
	valid := dst.valid
	n := max(1, int(rc*float64(len(valid))))
	if n > len(valid) { // only when every token is a target: one token, as the reference's fallback
		n, valid = 1, []int{0}
	}
	s := rng.IntN(len(valid) - n + 1)
	dst.Context = append(dst.Context[:0], valid[s:s+n]...)
	return dst
}

// grow returns s resliced to n elements, reallocated if too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
