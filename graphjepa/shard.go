package graphjepa

import "github.com/nongrid/jepa/jepa"

// Shard selects part of the protocol's jobs (jepa.Shard, which holds the
// methods and the documentation): the (run, fold) jobs are numbered
// j = run·folds + fold (0-based; ZINC has one fold per run, so j = run),
// and job j belongs to shard j mod Count. Shard 0/1, like the zero value,
// is the whole protocol. With Count equal to the number of jobs (50 for a
// TU set's 5 runs × 10 folds) every shard runs exactly one job.
type Shard = jepa.Shard

// ParseShard reads a shard spec "i/n" (0 ≤ i < n); see jepa.ParseShard.
func ParseShard(s string) (Shard, error) { return jepa.ParseShard(s) }

// JobIndex is the number of the job of run r, fold f in a protocol of
// folds folds per run: r·folds + f.
func JobIndex(r, f, folds int) int { return jepa.JobIndex(r, f, folds) }
