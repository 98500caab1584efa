package main

import (
	"errors"
	"io"
	"strings"

	"github.com/nongrid/jepa/graphjepa"
	"github.com/nongrid/jepa/internal/cli"
)

func init() {
	register(command{name: "merge", summary: "assemble the run directories of reproduce --shard into the protocol's report", run: runMerge})
}

// runMerge prints the report of a sharded reproduce run: the same text and
// --json as the unsharded run (wall_seconds is the sum of the jobs' wall
// times; run_dirs lists the directories when there are several).
func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("merge", cli.Help{
		Synopsis: "graphjepa merge [--json] DIR...",
		Text: "Reads the run directories written by graphjepa reproduce --run DIR --shard i/n (one directory shared\n" +
			"by every shard, or one per shard) and prints the protocol's report, as graphjepa reproduce prints it\n" +
			"for an unsharded run. It checks that every directory holds the same configuration (reproduce.json)\n" +
			"and that every job was computed by the same code version for it, and refuses missing (named with\n" +
			"their shard), duplicated, truncated or edited job files. Flags go before the directories.",
		Examples: []string{
			"graphjepa merge runs/mutag",
			"graphjepa merge --json runs/mutag-shard-0 runs/mutag-shard-1",
		},
	}, stderr)
	asJSON := fs.Bool("json", false, "print one JSON object on stdout (the same as graphjepa reproduce --json)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		fs.Usage()
		return errors.New("no run directory: give the --run directories of the shards")
	}
	for _, d := range dirs {
		if strings.HasPrefix(d, "-") {
			return errors.New("flag " + d + " after the directories: flags go first (graphjepa merge --json DIR...)")
		}
	}
	res, err := graphjepa.Merge(dirs...)
	if err != nil {
		return err
	}
	dir := ""
	if len(dirs) == 1 {
		dir = dirs[0]
	}
	sum := summarizeReproduce(res, res.Preset, dir)
	if len(dirs) > 1 {
		sum.RunDirs = dirs
	}
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	printReproduce(stdout, sum, res)
	return nil
}
