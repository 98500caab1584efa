package graphjepa

import (
	"fmt"
	"math/rand/v2"
)

// pickSlots draws the context slot and the T targets of one graph uniformly
// without replacement among its non-empty slots nonEmpty (ascending), as the
// reference's np.random.choice(unique slot ids, 1+T, replace=False)
// (spec graph-jepa.md §6: no size, overlap or adjacency rule). ctx has
// length 1 and targets length T. nonEmpty is permuted in place.
//
// With fewer than 1+T non-empty slots it fails unless repeat is set; then
// the targets cycle over a random order of the non-context slots (the
// context itself when it is the only non-empty slot).
func pickSlots(ctx, targets, nonEmpty []int, repeat bool, rng *rand.Rand) error {
	T, n := len(targets), len(nonEmpty)
	if n == 0 {
		return fmt.Errorf("no non-empty patch slot")
	}
	if n < 1+T && !repeat {
		return fmt.Errorf("%d non-empty patch slots, fewer than 1 context + %d targets (the reference would crash; PatchConfig.RepeatTargets repeats targets)", n, T)
	}
	k := min(n, 1+T)
	for i := range k {
		j := i + rng.IntN(n-i)
		nonEmpty[i], nonEmpty[j] = nonEmpty[j], nonEmpty[i]
	}
	ctx[0] = nonEmpty[0]
	if n == 1 {
		for t := range targets {
			targets[t] = nonEmpty[0]
		}
		return nil
	}
	for t := range targets {
		targets[t] = nonEmpty[1+t%(k-1)]
	}
	return nil
}
