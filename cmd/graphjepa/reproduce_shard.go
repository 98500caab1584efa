package main

import (
	"fmt"
	"io"

	"github.com/nongrid/jepa/graphjepa"
)

// shardSummary is what "graphjepa reproduce --shard i/n --json" prints:
// the shard's jobs, not a report (graphjepa merge prints that).
type shardSummary struct {
	Dataset     string                    `json:"dataset"`
	Preset      string                    `json:"preset"`
	Shard       string                    `json:"shard"`
	Jobs        int                       `json:"jobs"`       // of this shard
	TotalJobs   int                       `json:"total_jobs"` // of the protocol
	RunDir      string                    `json:"run_dir"`
	FoldResults []graphjepa.ReproduceFold `json:"fold_results"`
	WallSeconds float64                   `json:"wall_seconds"`
}

// printShard prints the jobs one shard ran and how to merge the shards.
func printShard(w io.Writer, res *graphjepa.ReproduceResult, runDir string, asJSON bool) error {
	s := shardSummary{Dataset: res.Dataset, Preset: res.Preset, Shard: res.Shard, Jobs: len(res.FoldResults),
		TotalJobs: res.Runs * res.Folds, RunDir: runDir, FoldResults: res.FoldResults, WallSeconds: res.Seconds}
	if asJSON {
		return writeJSON(w, s)
	}
	fmt.Fprintf(w, "%s shard %s: %d of the protocol's %d jobs, written to %s\n", s.Dataset, s.Shard, s.Jobs, s.TotalJobs, runDir)
	for _, fr := range s.FoldResults {
		what := fmt.Sprintf("accuracy %.2f%%", fr.Accuracy)
		if res.Paper.Metric == "MAE" {
			what = fmt.Sprintf("MAE %.4f", fr.MAE)
		}
		how := fmt.Sprintf("%.1f s", fr.Seconds)
		if fr.Resumed {
			how = "from the run directory"
		}
		fmt.Fprintf(w, "  job %d (folds/run-%d-fold-%d.json): %s, embeddings %s (%s)\n",
			graphjepa.JobIndex(fr.Run, fr.Fold, res.Folds), fr.Run, fr.Fold, what, fr.EmbeddingChecksum, how)
	}
	fmt.Fprintf(w, "when every shard has finished: graphjepa merge %s\n", runDir)
	fmt.Fprintf(w, "wall time %.1f s\n", s.WallSeconds)
	return nil
}
