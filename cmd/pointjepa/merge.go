package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/nongrid/jepa/pointjepa"
)

func init() {
	register(command{name: "merge", summary: "assemble the run directories of fewshot --shard into the few-shot report", run: runMerge})
}

// runMerge prints the report of a sharded few-shot run: the same table and
// --json as the unsharded "pointjepa fewshot" (wall_s is the episodes'
// fit_s plus embed_s; run_dirs lists the directories when there are
// several; gomaxprocs is the episodes').
func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object on stdout (the same as pointjepa fewshot --json)")
	u := usage{
		name:     "merge",
		synopsis: "[--json] DIR...",
		about: "Reads the run directories written by pointjepa fewshot --run DIR --shard i/n (one directory shared by\n" +
			"every shard, or one per shard) and prints the few-shot report, as pointjepa fewshot prints it for an\n" +
			"unsharded run. It checks that every directory holds the same configuration (model and data hashes,\n" +
			"settings, folds, seed, probe or fine-tuning config), that every episode was computed for it by the same\n" +
			"code version, and refuses missing episodes (named with their setting, fold and shard), duplicated,\n" +
			"truncated or edited episode files. Flags go before the directories.",
		examples: []string{
			"pointjepa merge runs/fewshot",
			"pointjepa merge --json runs/fewshot-shard-0 runs/fewshot-shard-1",
		},
	}
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, fs, u)
		return nil
	}
	if err != nil {
		printUsage(stderr, fs, u)
		return err
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		printUsage(stderr, fs, u)
		return errors.New("no run directory: give the --run directories of the fewshot shards")
	}
	for _, d := range dirs {
		if strings.HasPrefix(d, "-") {
			return fmt.Errorf("flag %s after the directories: flags go first (pointjepa merge --json DIR...)", d)
		}
	}
	m, err := pointjepa.MergeFewShot(dirs...)
	if err != nil {
		return err
	}
	out := fewShotOutput{FewShotReport: m.Report, GOMAXPROCS: m.GOMAXPROCS,
		WallSeconds: m.Report.FitSeconds + m.Report.EmbedSeconds}
	if len(m.Info) > 0 {
		if err := json.Unmarshal(m.Info, &out.fewShotInfo); err != nil {
			return fmt.Errorf("%s: the run's description (info) is not pointjepa fewshot's: %w", dirs[0], err)
		}
	}
	if len(dirs) == 1 {
		out.RunDir = dirs[0]
	} else {
		out.RunDirs = dirs
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	return printFewShot(stdout, out)
}
