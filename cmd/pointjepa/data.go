package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// dataFormats are the values of "data --format".
var dataFormats = []string{"npy", "modelnet-txt", "off", "shapenet", "synthetic"}

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
	fs.SetOutput(stderr)
	path := fs.String("data", "", "dataset folder; empty means the embedded synthetic set")
	format := fs.String("format", "", "one of "+strings.Join(dataFormats, ", ")+"; empty means detect from the folder layout")
	asJSON := fs.Bool("json", false, "print a JSON object instead of a table")
	skip := fs.Bool("skip-missing", false, "modelnet-txt, shapenet: skip shapes listed in a split file but absent on disk")
	classes := fs.Int("classes", 40, "modelnet-txt: 40 or 10 (which list files)")
	points := fs.Int("points", 0, "off: points sampled per mesh (0 means 1024); synthetic: points per cloud")
	seed := fs.Uint64("seed", 0, "off, synthetic: sampling seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	f := *format
	if f == "" {
		var err error
		if f, err = detectPointFormat(*path); err != nil {
			return err
		}
	}
	if !slices.Contains(dataFormats, f) {
		return fmt.Errorf("unknown --format %q (want one of %s)", f, strings.Join(dataFormats, ", "))
	}
	if f != "synthetic" && *path == "" {
		return fmt.Errorf("--format %s needs --data PATH", f)
	}
	if *classes != 40 && *classes != 10 {
		return fmt.Errorf("--classes %d: want 40 or 10", *classes)
	}
	sets, err := loadPointSplits(f, *path, *skip, *classes, *points, *seed)
	if err != nil {
		return err
	}
	s := summarize(f, *path, sets)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	return printSummary(stdout, s)
}

// detectPointFormat guesses the format of a dataset folder from its layout.
func detectPointFormat(root string) (string, error) {
	if root == "" {
		return "synthetic", nil
	}
	st, err := os.Stat(root)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", fmt.Errorf("--data %s is not a folder", root)
	}
	exists := func(rel string) bool { _, err := os.Stat(filepath.Join(root, rel)); return err == nil }
	switch {
	case exists("modelnet40_shape_names.txt") || exists("modelnet10_shape_names.txt"):
		return "modelnet-txt", nil
	case exists(filepath.Join("ShapeNet-55", "train.txt")) || exists(filepath.Join("ShapeNet-55", "test.txt")):
		return "shapenet", nil
	}
	// <class>/<split>/<id>.npy or .off: look at the first class folder with a split folder.
	classes, _ := os.ReadDir(root)
	for _, c := range classes {
		if !c.IsDir() {
			continue
		}
		splits, _ := os.ReadDir(filepath.Join(root, c.Name()))
		for _, s := range splits {
			if !s.IsDir() {
				continue
			}
			files, _ := os.ReadDir(filepath.Join(root, c.Name(), s.Name()))
			for _, f := range files {
				switch filepath.Ext(f.Name()) {
				case ".npy":
					return "npy", nil
				case ".off":
					return "off", nil
				}
			}
		}
	}
	return "", fmt.Errorf("cannot tell the format of %s from its layout (want modelnet40_shape_names.txt, ShapeNet-55/train.txt, or <class>/<split>/*.npy|*.off); pass --format", root)
}

// classFolderSplits returns the split folders (train, test, …) of the
// first class folder of a <class>/<split>/ tree.
func classFolderSplits(root string) ([]string, error) {
	classes, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	for _, c := range classes {
		if !c.IsDir() || strings.HasPrefix(c.Name(), ".") {
			continue
		}
		ents, err := os.ReadDir(filepath.Join(root, c.Name()))
		if err != nil {
			return nil, err
		}
		var splits []string
		for _, e := range ents {
			if e.IsDir() {
				splits = append(splits, e.Name())
			}
		}
		if len(splits) == 0 {
			return nil, fmt.Errorf("%s: class folder %s has no split folders", root, c.Name())
		}
		return splits, nil
	}
	return nil, fmt.Errorf("%s: no class folders", root)
}

// loadPointSplits loads every split of the dataset, keyed by split name.
func loadPointSplits(format, root string, skip bool, classes, points int, seed uint64) (map[string]*datasets.PointSet, error) {
	sets := map[string]*datasets.PointSet{}
	switch format {
	case "synthetic":
		train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: points, Seed: seed})
		sets["train"], sets["test"] = train, test
	case "npy", "off":
		splits, err := classFolderSplits(root)
		if err != nil {
			return nil, err
		}
		for _, sp := range splits {
			var set *datasets.PointSet
			if format == "npy" {
				set, err = datasets.LoadModelNetNpy(root, sp, datasets.ModelNetNpyConfig{})
			} else {
				set, err = datasets.LoadModelNetOFF(root, sp, datasets.ModelNetOFFConfig{NumPoints: points, Seed: seed})
			}
			if err != nil {
				return nil, err
			}
			sets[sp] = set
		}
	case "modelnet-txt", "shapenet":
		for _, sp := range []string{"train", "test"} {
			var set *datasets.PointSet
			var err error
			if format == "modelnet-txt" {
				set, err = datasets.LoadModelNetTxt(root, sp, datasets.ModelNetTxtConfig{Classes: classes, SkipMissing: skip, Normals: true})
			} else {
				set, err = datasets.LoadShapeNet55(root, sp, datasets.ShapeNetConfig{SkipMissing: skip})
			}
			if err != nil {
				return nil, fmt.Errorf("split %s: %w", sp, err)
			}
			sets[sp] = set
		}
	}
	return sets, nil
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
