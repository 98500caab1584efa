package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/nongrid/jepa/datasets"
)

func init() {
	register(command{
		name:    "data",
		summary: "describe a point-cloud dataset: clouds, points per cloud, classes, splits",
		run:     runData,
	})
}

// dataSummary is what "pointjepa data --json" prints.
type dataSummary struct {
	Format         string           `json:"format"`
	Path           string           `json:"path,omitempty"`
	Clouds         int              `json:"clouds"`
	PointsPerCloud int              `json:"points_per_cloud"` // 0 when clouds differ; see points_min/max
	PointsMin      int              `json:"points_min"`
	PointsMax      int              `json:"points_max"`
	Normals        bool             `json:"normals"`
	Classes        int              `json:"classes"`
	ClassNames     []string         `json:"class_names"`
	Splits         map[string]int   `json:"splits"`
	ClassCounts    map[string][]int `json:"class_counts"`
	Skipped        map[string]int   `json:"skipped,omitempty"` // shapes listed but absent (--skip-missing)
	splitOrder     []string
}

func runData(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("data", flag.ContinueOnError)
	path := fs.String("data", "", "dataset folder; empty means the embedded synthetic set")
	format := fs.String("format", "", "one of "+formatList()+"; empty means detect from the folder layout")
	asJSON := fs.Bool("json", false, "print a JSON object instead of a table")
	skip := fs.Bool("skip-missing", false, "modelnet-txt, shapenet: skip shapes listed in a split file but absent on disk")
	classes := fs.Int("classes", 40, "modelnet-txt: 40 or 10 (which list files)")
	points := fs.Int("points", 0, "off: points sampled per mesh (0 means 1024); modelnet-txt: keep the first N; synthetic: points per cloud (0 means 1024)")
	seed := fs.Uint64("seed", 0, "off, synthetic: sampling seed")
	done, err := parseFlags(fs, args, usage{
		name:     "data",
		synopsis: "[--data DIR] [--format F] [--json]",
		about: "Describe a point-cloud dataset: its format, clouds per split, points per cloud, normals and\n" +
			"classes with their counts. Without --data it describes the embedded synthetic set.",
		examples: []string{
			"pointjepa data --data ../shared/data/pointclouds/modelnet40_npy1024",
			"pointjepa data --points 256 --json",
		},
	}, stdout, stderr)
	if done || err != nil {
		return err
	}
	// The same range checks (and memory estimate) as every command that
	// reads data, before anything is read.
	if err := (&dataFlags{path: *path, format: *format, classes: *classes, points: *points}).check(); err != nil {
		return err
	}
	sets, f, err := datasets.LoadPointSplits(*path, datasets.PointSplitsConfig{
		Format:      datasets.PointFormat(*format),
		SkipMissing: *skip,
		Classes:     *classes,
		Normals:     true, // report whether the data has normals
		NumPoints:   *points,
		Seed:        *seed,
	})
	if err != nil {
		return err
	}
	s := summarize(string(f), *path, sets)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	return printSummary(stdout, s)
}

// splitOrder lists train and test first, then the other splits sorted.
func splitOrder(sets map[string]*datasets.PointSet) []string {
	var order []string
	for _, s := range []string{"train", "test"} {
		if sets[s] != nil {
			order = append(order, s)
		}
	}
	var rest []string
	for s := range sets {
		if s != "train" && s != "test" {
			rest = append(rest, s)
		}
	}
	slices.Sort(rest)
	return append(order, rest...)
}

func summarize(format, path string, sets map[string]*datasets.PointSet) *dataSummary {
	s := &dataSummary{
		Format: format, Path: path, Normals: true,
		Splits: map[string]int{}, ClassCounts: map[string][]int{}, splitOrder: splitOrder(sets),
	}
	first := true
	for _, name := range s.splitOrder {
		set := sets[name]
		if s.ClassNames == nil {
			s.ClassNames = set.ClassNames
		}
		s.Splits[name] = set.Len()
		s.ClassCounts[name] = set.ClassCounts()
		s.Clouds += set.Len()
		if len(set.Skipped) > 0 {
			if s.Skipped == nil {
				s.Skipped = map[string]int{}
			}
			s.Skipped[name] = len(set.Skipped)
		}
		if set.Len() == 0 {
			continue
		}
		lo, hi := set.PointsPerCloud()
		if first || lo < s.PointsMin {
			s.PointsMin = lo
		}
		if hi > s.PointsMax {
			s.PointsMax = hi
		}
		first = false
		for i := range set.Clouds {
			if set.Clouds[i].Normals == nil {
				s.Normals = false
				break
			}
		}
	}
	if s.Clouds == 0 {
		s.Normals = false
	}
	s.Classes = len(s.ClassNames)
	if s.PointsMin == s.PointsMax {
		s.PointsPerCloud = s.PointsMin
	}
	return s
}

func printSummary(w io.Writer, s *dataSummary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "format\t%s\n", s.Format)
	if s.Path != "" {
		fmt.Fprintf(tw, "path\t%s\n", s.Path)
	}
	var parts []string
	for _, sp := range s.splitOrder {
		parts = append(parts, fmt.Sprintf("%s %d", sp, s.Splits[sp]))
	}
	fmt.Fprintf(tw, "clouds\t%d (%s)\n", s.Clouds, strings.Join(parts, ", "))
	if s.PointsPerCloud > 0 {
		fmt.Fprintf(tw, "points\t%d per cloud\n", s.PointsPerCloud)
	} else {
		fmt.Fprintf(tw, "points\t%d to %d per cloud\n", s.PointsMin, s.PointsMax)
	}
	fmt.Fprintf(tw, "normals\t%v\n", s.Normals)
	fmt.Fprintf(tw, "classes\t%d\n", s.Classes)
	for _, sp := range s.splitOrder {
		if n := s.Skipped[sp]; n > 0 {
			fmt.Fprintf(tw, "skipped\t%d %s shapes listed but missing\n", n, sp)
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprint(tw, "class")
	for _, sp := range s.splitOrder {
		fmt.Fprintf(tw, "\t%s", sp)
	}
	fmt.Fprintln(tw)
	for i, name := range s.ClassNames {
		fmt.Fprint(tw, name)
		for _, sp := range s.splitOrder {
			fmt.Fprintf(tw, "\t%d", s.ClassCounts[sp][i])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
