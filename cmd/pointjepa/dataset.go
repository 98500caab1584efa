package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nongrid/jepa/datasets"
)

// maxCloudPoints bounds every points-per-cloud flag (16 Mi points, 384 MiB a
// cloud): anything larger is a typo, not a point cloud.
const maxCloudPoints = 1 << 24

// bytesPerPoint is what one point of a datasets.PointCloud costs in memory
// (an r3.Vector of three float64), twice that with normals.
const bytesPerPoint = 24

// syntheticClouds is the size of the embedded synthetic set (8 classes × (40
// train + 10 test)), see datasets.SyntheticClouds.
const syntheticClouds = 400

// dataFlags choose a dataset; every command that reads clouds shares them.
type dataFlags struct {
	path, format string
	classes      int
	skipMissing  bool
	points       int
	seed         uint64
	swapYZ       bool
	maxTrain     int
	maxTest      int
}

func addDataFlags(fs *flag.FlagSet) *dataFlags {
	d := &dataFlags{}
	fs.StringVar(&d.path, "data", "", "dataset folder (see pointjepa data --help); empty means the embedded synthetic set")
	fs.StringVar(&d.format, "format", "", "one of "+formatList()+"; empty means detect from the folder layout")
	fs.IntVar(&d.classes, "classes", 40, "modelnet-txt: 40 or 10 (which list files)")
	fs.BoolVar(&d.skipMissing, "skip-missing", false, "modelnet-txt, shapenet: skip shapes listed in a split file but absent on disk")
	fs.IntVar(&d.points, "points", 0, "off: points sampled per mesh (0 means 1024); modelnet-txt: keep the first N; synthetic: points per cloud (0 means 1024)")
	fs.Uint64Var(&d.seed, "data-seed", 0, "off, synthetic: sampling seed")
	fs.BoolVar(&d.swapYZ, "swap-yz", false, "swap the y and z coordinates after loading: reads the Z-up ModelNet40 npy export Y-up, as the reference's data and its rotation about y assume (pass it to every command of a run)")
	fs.IntVar(&d.maxTrain, "max-train", 0, "use at most N training clouds, evenly spaced over the class-ordered split (0 means all)")
	fs.IntVar(&d.maxTest, "max-test", 0, "use at most N test clouds, as --max-train (0 means all)")
	return d
}

// check range-checks the data flags before anything is read, including a
// memory estimate of the clouds the flags ask for.
func (d *dataFlags) check() error {
	if d.format != "" && !slices.Contains(datasets.PointFormats, datasets.PointFormat(d.format)) {
		return fmt.Errorf("unknown --format %q (want one of %s)", d.format, formatList())
	}
	if d.format != "" && d.format != string(datasets.PointFormatSynthetic) && d.path == "" {
		return fmt.Errorf("--format %s needs --data PATH", d.format)
	}
	if d.classes != 40 && d.classes != 10 {
		return fmt.Errorf("--classes %d: want 40 or 10", d.classes)
	}
	if err := intRange("points", d.points, 0, maxCloudPoints, "points per cloud, 0 means the loader's default"); err != nil {
		return err
	}
	if err := intRange("max-train", d.maxTrain, 0, math.MaxInt32, "0 means all"); err != nil {
		return err
	}
	if err := intRange("max-test", d.maxTest, 0, math.MaxInt32, "0 means all"); err != nil {
		return err
	}
	if d.points > 0 {
		clouds, what := d.estimateClouds()
		if clouds > 0 {
			est := float64(clouds) * float64(d.points) * bytesPerPoint
			if err := checkMemory(est, fmt.Sprintf("--points %d (%d %s clouds × %d points × %d B)", d.points, clouds, what, d.points, bytesPerPoint)); err != nil {
				return err
			}
		}
	}
	return nil
}

// estimateClouds returns how many clouds --points applies to, when that
// can be told cheaply: the synthetic set's size, or the number of .off files.
func (d *dataFlags) estimateClouds() (int, string) {
	f := datasets.PointFormat(d.format)
	if d.path == "" {
		return syntheticClouds, "synthetic"
	}
	if f == "" {
		f, _ = datasets.DetectPointFormat(d.path)
	}
	if f != datasets.PointFormatOFF {
		return 0, ""
	}
	n := 0
	_ = filepath.WalkDir(d.path, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.EqualFold(filepath.Ext(p), ".off") {
			n++
		}
		return nil
	})
	return n, "mesh"
}

// loadData turns the data flags into the train and test splits. Every
// format datasets.LoadPointSplits knows (and DetectPointFormat detects)
// works here unchanged, so a loader added there needs no change in this
// command. A dataset without a "test" split returns test nil; commands that
// need one say so.
func loadData(d *dataFlags, log io.Writer) (train, test *datasets.PointSet, format string, err error) {
	t0 := time.Now()
	sets, f, err := datasets.LoadPointSplits(d.path, datasets.PointSplitsConfig{
		Format:      datasets.PointFormat(d.format),
		SkipMissing: d.skipMissing,
		Classes:     d.classes,
		NumPoints:   d.points,
		Seed:        d.seed,
	})
	if err != nil {
		return nil, nil, "", err
	}
	train, test = sets["train"], sets["test"]
	if train == nil {
		var names []string
		for s := range sets {
			names = append(names, s)
		}
		slices.Sort(names)
		return nil, nil, "", fmt.Errorf("--data %s: no train split (found %s)", dataName(d.path), strings.Join(names, ", "))
	}
	train = evenSubset(train, d.maxTrain)
	if test != nil {
		test = evenSubset(test, d.maxTest)
	}
	if d.swapYZ {
		for _, s := range []*datasets.PointSet{train, test} {
			if s != nil {
				swapYZ(s)
			}
		}
	}
	if log != nil {
		n := 0
		if test != nil {
			n = test.Len()
		}
		fmt.Fprintf(log, "data: %s %s, %d train + %d test clouds, %d classes (%.1fs)\n",
			f, dataName(d.path), train.Len(), n, len(train.ClassNames), time.Since(t0).Seconds())
	}
	return train, test, string(f), nil
}

func dataName(p string) string {
	if p == "" {
		return "(embedded synthetic set)"
	}
	return p
}

// evenSubset returns n clouds of s (all of s when n is 0 or not smaller),
// stratified: evenly spaced positions of the clouds ordered by class (stably),
// kept in their original order. The same set and n give the same subset.
func evenSubset(s *datasets.PointSet, n int) *datasets.PointSet {
	if n <= 0 || n >= s.Len() {
		return s
	}
	order := make([]int, s.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return s.Clouds[a].Label - s.Clouds[b].Label })
	pick := make([]int, n)
	for i := range n {
		pick[i] = order[i*s.Len()/n]
	}
	slices.Sort(pick)
	out := *s
	out.Clouds = make([]datasets.PointCloud, n)
	for i, j := range pick {
		out.Clouds[i] = s.Clouds[j]
	}
	return &out
}

// swapYZ exchanges the y and z coordinates of every point and normal.
func swapYZ(s *datasets.PointSet) {
	for i := range s.Clouds {
		c := &s.Clouds[i]
		for j := range c.Points {
			c.Points[j].Y, c.Points[j].Z = c.Points[j].Z, c.Points[j].Y
		}
		for j := range c.Normals {
			c.Normals[j].Y, c.Normals[j].Z = c.Normals[j].Z, c.Normals[j].Y
		}
	}
}

// cloudNeeds is what a model needs of every cloud.
type cloudNeeds struct {
	points int // training: the model's Config.Points, which training FPS-subsamples to (0: embedding only)
	groups int // Config.Groups: FPS centers
	k      int // Config.GroupSize: KNN neighbours per center
}

// checkClouds checks every cloud of s before any work starts: finite
// coordinates, enough points for the model's centers, neighbours and
// subsample, and not all points at one place (the unit-sphere normalisation
// would divide by zero). Errors name the cloud's file (or id) and what would
// be valid.
func checkClouds(s *datasets.PointSet, need cloudNeeds) error {
	if s == nil {
		return nil
	}
	if s.Len() == 0 {
		return fmt.Errorf("the %s split has no clouds", s.Split)
	}
	minPts := max(need.points, need.groups, need.k)
	for i := range s.Clouds {
		c := &s.Clouds[i]
		name := c.Path
		if name == "" {
			name = fmt.Sprintf("%s cloud %d (%s)", s.Split, i, c.ID)
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if c.Len() < minPts {
			why := fmt.Sprintf("%d centers (--groups) × %d neighbours (--group-size)", need.groups, need.k)
			if need.points > max(need.groups, need.k) {
				why += fmt.Sprintf(", training subsamples to %d points (--model-points)", need.points)
			}
			return fmt.Errorf("%s: %d points, the model needs at least %d (%s)", name, c.Len(), minPts, why)
		}
		p0 := c.Points[0]
		same := true
		for _, p := range c.Points[1:] {
			if p != p0 {
				same = false
				break
			}
		}
		if same {
			return fmt.Errorf("%s: all %d points are identical (%v); a cloud needs extent to be normalised to the unit sphere", name, c.Len(), p0)
		}
	}
	return nil
}

func formatList() string {
	s := make([]string, len(datasets.PointFormats))
	for i, f := range datasets.PointFormats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}
