package graphjepa

import (
	"context"
	"fmt"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
)

// EpochTiming is the wall time of one pre-training epoch and its parts.
type EpochTiming struct {
	Epoch int
	// Total is the whole epoch as Pretrain runs it: the training steps
	// (forward, backward, Adam, EMA), waiting for patched batches and the
	// held-out JEPA-loss pass.
	Total time.Duration
	// Compute is the forward and backward passes of the training steps.
	Compute time.Duration
	// PatchWait is the time the steps waited for the background patching.
	PatchWait time.Duration
	// HeldOut is the held-out JEPA-loss pass.
	HeldOut time.Duration
	// CPU is the CPU time (user + system, all threads) the process used
	// during the epoch; on a loaded machine it is steadier than Total (0
	// where the platform does not report it).
	CPU time.Duration
	// Steps is the number of optimizer steps and Graphs the number of
	// training graphs they covered.
	Steps, Graphs int
}

// String formats the timing in milliseconds.
func (t EpochTiming) String() string {
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	return fmt.Sprintf("epoch %d: %.0f ms (forward+backward %.0f ms, patch wait %.0f ms, held-out %.0f ms, CPU %.0f ms, %d steps over %d graphs)",
		t.Epoch, ms(t.Total), ms(t.Compute), ms(t.PatchWait), ms(t.HeldOut), ms(t.CPU), t.Steps, t.Graphs)
}

// BenchEpoch times epochs of pre-training on set as Pretrain runs them,
// training on the graphs trainIdx and computing the held-out loss on valIdx
// (the MUTAG benchmark epoch: 169 training graphs — patching, two Adam
// steps of batch 128 + 41 — and the held-out pass over 19). It returns one
// timing per epoch; the first includes the warm-up of the buffer pools.
// cfg.Epochs is replaced by epochs. The bench commands of the CLI call it.
func BenchEpoch(ctx context.Context, set *datasets.GraphSet, cfg Config, trainIdx, valIdx []int, epochs int) ([]EpochTiming, error) {
	if epochs < 1 {
		return nil, fmt.Errorf("graphjepa: BenchEpoch: epochs = %d, want at least 1", epochs)
	}
	for _, idx := range [][]int{trainIdx, valIdx} {
		for _, i := range idx {
			if i < 0 || i >= len(set.Graphs) {
				return nil, fmt.Errorf("graphjepa: BenchEpoch: graph index %d out of range [0, %d)", i, len(set.Graphs))
			}
		}
	}
	cfg.Epochs = epochs
	opt := Options{}
	for _, i := range valIdx {
		opt.Validation = append(opt.Validation, set.Graphs[i])
	}
	r, err := prepareRun(set.Subset(trainIdx), cfg, opt)
	if err != nil {
		return nil, err
	}
	defer r.st.closeStream()
	var out []EpochTiming
	var cur EpochTiming
	start, cpu := time.Now(), processCPU()
	r.st.timing, r.st.graphs = &cur.Compute, &cur.Graphs
	r.st.waiting = &cur.PatchWait
	if r.val != nil {
		r.val.timing = &cur.HeldOut
	}
	r.tr.OnEpoch("bench", jepa.PriorityLast, func(_ context.Context, t *jepa.Trainer) error {
		now, c := time.Now(), processCPU()
		cur.Epoch, cur.Total, cur.CPU, cur.Steps = t.Epoch()-1, now.Sub(start), c-cpu, r.st.StepsPerEpoch()
		out = append(out, cur)
		cur = EpochTiming{}
		start, cpu = now, c
		return nil
	})
	err = r.tr.Run(ctx)
	return out, err
}
