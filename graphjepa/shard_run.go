package graphjepa

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/nongrid/jepa/probe"
)

// runHeader is header.json of a run directory: everything besides the
// jobs' results that the report of the protocol needs, so that Merge can
// print the report of an unsharded run from the run directories alone.
type runHeader struct {
	Kind       string   `json:"kind"`        // protocolTU or protocolZINC
	ConfigHash string   `json:"config_hash"` // of reproduce.json
	Seeds      []uint64 `json:"seeds"`       // one per run
	// Result is the result without its jobs: FoldResults, Report and
	// Seconds are unset.
	Result ReproduceResult `json:"result"`
	// Digest is the SHA-256 (first 16 bytes, hex) of the header's JSON
	// without it: an edited header is refused.
	Digest string `json:"digest,omitempty"`

	reuse []reuseDir // ReproduceConfig.Reuse, checked
}

func (h runHeader) digest() string {
	h.Digest = ""
	return configHash(mustJSON(h))
}

const headerFile = "header.json"

// jobFunc computes job (r, f) with the job's own configuration c (its
// share of the patching workers, a serialised log).
type jobFunc func(ctx context.Context, c *ReproduceConfig, r, f int) (ReproduceFold, error)

// execute runs the jobs of cfg.Shard that the run directory does not hold
// yet, cfg.Jobs of them side by side, saving each as it finishes, and
// returns the shard's jobs (computed or loaded) in job order. Every job is
// a pure function of the configuration, its run seed and its fold: it
// seeds its own model (FoldSeed) and shares no generator with the others,
// so neither the shard nor the number of side-by-side jobs changes a
// result. The patching workers (Config.Patch.Workers) are split between
// the side-by-side jobs; GOMAXPROCS, on which the summation order of the
// large matrix products depends, is left as it is.
func (cfg *ReproduceConfig) execute(ctx context.Context, h *runHeader, compute jobFunc) ([]ReproduceFold, error) {
	runs, folds := h.Result.Runs, h.Result.Folds
	total := runs * folds
	if cfg.Shard.Shards() > total {
		return nil, fmt.Errorf("graphjepa: ReproduceConfig.Shard %s: more shards than jobs, some would have no job (the protocol has %d jobs, so use at most %d shards)", cfg.Shard, total, total)
	}
	idx := cfg.Shard.Jobs(total)
	regression := h.Kind == protocolZINC
	results := make([]ReproduceFold, len(idx))
	var pending []int // positions in idx
	for p, j := range idx {
		fr, ok, err := cfg.loadFold(j/folds, j%folds, h.ConfigHash)
		if err != nil {
			return nil, err
		}
		if !ok {
			if fr, ok, err = reusedJob(h.reuse, j/folds, j%folds, h.Seeds[j/folds], h.ConfigHash); err != nil {
				return nil, err
			}
			if ok {
				if err := cfg.saveFold(fr); err != nil {
					return nil, err
				}
			}
		}
		if !ok {
			pending = append(pending, p)
			continue
		}
		results[p] = fr
		cfg.report(fr, runs, folds, regression)
	}
	k := max(cfg.Jobs, 1)
	k = min(k, max(len(pending), 1))
	jc := *cfg
	jc.Model.Patch.Workers = max(1, cfg.Model.Patch.Workers/k)
	if k > 1 && jc.PretrainLog != nil {
		jc.PretrainLog = &lockedWriter{w: jc.PretrainLog}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan int)
	)
	for range k {
		wg.Go(func() {
			for p := range next {
				if ctx.Err() != nil {
					continue // another job failed: drain
				}
				j := idx[p]
				fr, err := compute(ctx, &jc, j/folds, j%folds)
				if err == nil {
					fr.CodeVersion, fr.ConfigHash, fr.GOMAXPROCS = CodeVersion(), h.ConfigHash, runtime.GOMAXPROCS(0)
					err = cfg.saveFold(fr)
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
						cancel()
					}
				} else {
					results[p] = fr
					cfg.report(fr, runs, folds, regression)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, p := range pending {
		select {
		case next <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

// assemble turns the header and every job of the protocol, in job order,
// into the protocol's result. Reproduce and Merge both end here, so a
// merged report is the unsharded one.
func assemble(h *runHeader, jobs []ReproduceFold) (*ReproduceResult, error) {
	res := h.Result
	res.Notes = append([]string(nil), h.Result.Notes...)
	res.FoldResults = jobs
	folds := h.Result.Folds
	if len(jobs) != len(h.Seeds)*folds {
		return nil, fmt.Errorf("graphjepa: %d job results for %d runs × %d folds", len(jobs), len(h.Seeds), folds)
	}
	var runs []probe.Run
	procs := map[int]bool{}
	for r, seed := range h.Seeds {
		scores := make([]float64, folds)
		for f := range folds {
			fr := jobs[JobIndex(r, f, folds)]
			if fr.Run != r || fr.Fold != f {
				return nil, fmt.Errorf("graphjepa: job %d holds run %d fold %d, want run %d fold %d", JobIndex(r, f, folds), fr.Run, fr.Fold, r, f)
			}
			scores[f] = fr.Accuracy
			if h.Kind == protocolZINC {
				scores[f] = fr.MAE
			}
			if fr.GOMAXPROCS > 0 {
				procs[fr.GOMAXPROCS] = true
			}
		}
		runs = append(runs, probe.NewRun(seed, scores))
	}
	var err error
	if h.Kind == protocolZINC {
		if res.Report, err = probe.SummarizeRuns("MAE", runs); err != nil {
			return nil, err
		}
		res.Report.Decimals = 3
	} else if res.Report, err = probe.SummarizeFolds(probe.AccuracyPercent, runs); err != nil {
		return nil, err
	}
	if reused := reusedNote(jobs); reused != "" {
		res.Notes = append(res.Notes, reused)
	}
	if len(procs) > 1 {
		var ps []string
		for p := range procs {
			ps = append(ps, fmt.Sprint(p))
		}
		sort.Strings(ps)
		res.Notes = append(res.Notes, fmt.Sprintf("the jobs ran with different GOMAXPROCS (%s): the large matrix products split their sums by it, so the numbers can differ in the last bits from a run on one machine", strings.Join(ps, ", ")))
	}
	return &res, nil
}

// lockedWriter serialises the writes of side-by-side jobs.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// reusedNote says how many jobs came from which other run directories
// ("" if none).
func reusedNote(jobs []ReproduceFold) string {
	count := map[string]int{}
	for _, fr := range jobs {
		if fr.ReusedFrom != "" {
			count[fr.ReusedFrom]++
		}
	}
	if len(count) == 0 {
		return ""
	}
	dirs := make([]string, 0, len(count))
	for d := range count {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	parts := make([]string, len(dirs))
	for i, d := range dirs {
		parts[i] = fmt.Sprintf("%d from %s", count[d], d)
	}
	return fmt.Sprintf("jobs taken from run directories of the same configuration with other runs or folds (the same computation): %s", strings.Join(parts, ", "))
}
