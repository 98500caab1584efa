package datasets

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// PointFormat names an on-disk point-cloud dataset layout.
type PointFormat string

// The layouts LoadPointSplits reads.
const (
	PointFormatNpy         PointFormat = "npy"          // <class>/<split>/<id>.npy (LoadModelNetNpy)
	PointFormatModelNetTxt PointFormat = "modelnet-txt" // modelnet40_normal_resampled (LoadModelNetTxt)
	PointFormatOFF         PointFormat = "off"          // <class>/<split>/<id>.off meshes (LoadModelNetOFF)
	PointFormatShapeNet    PointFormat = "shapenet"     // ShapeNet-55/<split>.txt + shapenet_pc/ (LoadShapeNet55)
	PointFormatSynthetic   PointFormat = "synthetic"    // SyntheticClouds, no files
	PointFormatFolder      PointFormat = "folder"       // a user's folder of .npy/.ply/.pcd/.xyz/.txt/.off clouds (LoadCloudFolder)
)

// PointFormats lists the known formats.
var PointFormats = []PointFormat{PointFormatNpy, PointFormatModelNetTxt, PointFormatOFF, PointFormatShapeNet, PointFormatSynthetic, PointFormatFolder}

// DetectPointFormat guesses the layout of the dataset folder root: an
// empty root is PointFormatSynthetic; modelnet40_shape_names.txt (or the
// modelnet10 one) means PointFormatModelNetTxt; ShapeNet-55/train.txt (or
// test.txt) means PointFormatShapeNet; a <class>/<split>/ tree whose
// cloud files are all .npy is PointFormatNpy, all .off PointFormatOFF
// (ModelNet's layouts, read by their dedicated loaders). Any other folder holding point-cloud files in a layout
// LoadCloudFolder reads (flat, class folders, split folders, any mix of
// the extensions in CloudExtensions) is PointFormatFolder. Anything else
// is an error naming the expected files.
func DetectPointFormat(root string) (PointFormat, error) {
	if root == "" {
		return PointFormatSynthetic, nil
	}
	st, err := os.Stat(root)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", fmt.Errorf("datasets: %s is not a folder", root)
	}
	exists := func(rel string) bool { _, err := os.Stat(filepath.Join(root, rel)); return err == nil }
	switch {
	case exists("modelnet40_shape_names.txt") || exists("modelnet10_shape_names.txt"):
		return PointFormatModelNetTxt, nil
	case exists(filepath.Join("ShapeNet-55", "train.txt")) || exists(filepath.Join("ShapeNet-55", "test.txt")):
		return PointFormatShapeNet, nil
	}
	lay, err := cloudFolderLayout(root)
	if err != nil {
		return "", fmt.Errorf("datasets: cannot tell the format of %s from its layout (want modelnet40_shape_names.txt, ShapeNet-55/train.txt, <class>/<split>/*.npy|*.off, or a folder of %s files): %w", root, strings.Join(CloudExtensions, "|"), err)
	}
	if lay.classSplit {
		switch lay.onlyExt() {
		case ".npy":
			return PointFormatNpy, nil
		case ".off":
			return PointFormatOFF, nil
		}
	}
	return PointFormatFolder, nil
}

// PointSplitsConfig configures LoadPointSplits. The zero value detects
// the format and uses each loader's defaults.
type PointSplitsConfig struct {
	Format      PointFormat // "" means DetectPointFormat
	SkipMissing bool        // modelnet-txt, shapenet: skip listed shapes absent on disk
	Classes     int         // modelnet-txt: 40 (default) or 10
	Normals     bool        // modelnet-txt, off: keep normals
	NumPoints   int         // modelnet-txt: first N points; off: sampled points; synthetic: points per cloud; folder: points per cloud (0 keeps all)
	Columns     []int       // npy, shapenet: x, y, z columns (see NpyConfig)
	Seed        uint64      // off, synthetic, folder
	Workers     int         // goroutines reading files; 0 means GOMAXPROCS
}

// Validate checks the settings that do not depend on the files: Format
// one of PointFormats (or empty), Classes 0, 10 or 40, NumPoints in
// [0, MaxPointsPerCloud], Workers ≥ 0, Columns nil or three column
// indices and, for the synthetic set, that it fits in PointMemoryBudget. Errors name the field and the valid range.
// LoadPointSplits calls it first; a CLI can call it before any work.
func (cfg PointSplitsConfig) Validate() error {
	if cfg.Format != "" && !slices.Contains(PointFormats, cfg.Format) {
		return fmt.Errorf("datasets: unknown point-cloud format %q (want one of %s)", cfg.Format, joinFormats())
	}
	if cfg.Classes != 0 && cfg.Classes != 10 && cfg.Classes != 40 {
		return fmt.Errorf("datasets: PointSplitsConfig.Classes = %d, want 40 or 10 (0 means 40)", cfg.Classes)
	}
	if err := checkPointCount("PointSplitsConfig.NumPoints", cfg.NumPoints); err != nil {
		return err
	}
	if cfg.Workers < 0 {
		return fmt.Errorf("datasets: PointSplitsConfig.Workers = %d, want ≥ 0 (0 means GOMAXPROCS)", cfg.Workers)
	}
	if err := (NpyConfig{Columns: cfg.Columns}).Validate(); err != nil {
		return fmt.Errorf("datasets: PointSplitsConfig.Columns = %v, want nil or 3 non-negative column indices (x, y, z)", cfg.Columns)
	}
	if cfg.Format == PointFormatSynthetic {
		return SyntheticCloudsConfig{NumPoints: cfg.NumPoints, Seed: cfg.Seed}.Validate()
	}
	return nil
}

// MaxPointsPerCloud bounds every requested points-per-cloud setting
// (NumPoints of the loader configurations, SyntheticCloudsConfig and
// CloudFolderConfig): 1<<24 = 16,777,216 points, 400 MB per cloud as
// r3.Vector. Clouds read whole from a file are bounded by the file size
// instead.
const MaxPointsPerCloud = 1 << 24

// pointBytes is the memory of one point held as an r3.Vector.
const pointBytes = 24

// EstimatePointBytes returns the bytes that clouds clouds of points points
// each take in memory as PointCloud values (24 bytes a point, twice that
// with normals). It saturates at math.MaxInt64 instead of overflowing.
func EstimatePointBytes(clouds, points int, normals bool) int64 {
	if clouds <= 0 || points <= 0 {
		return 0
	}
	per := int64(pointBytes)
	if normals {
		per *= 2
	}
	c, p := int64(clouds), int64(points)
	if p > math.MaxInt64/per || c > math.MaxInt64/(per*p) {
		return math.MaxInt64
	}
	return c * p * per
}

// PointMemoryBudget returns the bytes a point-cloud loader may plan to
// hold: the machine's physical memory (MemTotal in /proc/meminfo), or
// 8 GiB where that cannot be read. Loaders refuse up front, with their
// estimate, a request whose clouds would need more (CheckPointMemory).
func PointMemoryBudget() int64 {
	memBudgetOnce.Do(func() {
		memBudget = 8 << 30
		b, err := os.ReadFile("/proc/meminfo")
		if err != nil {
			return
		}
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Fields(l)
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && kb > 0 {
					memBudget = kb << 10
				}
			}
		}
	})
	return memBudget
}

var (
	memBudgetOnce sync.Once
	memBudget     int64
)

// CheckPointMemory returns an error naming what (e.g. "NumPoints 5000000
// × 12311 clouds") when clouds clouds of points points (with normals or
// not) would need more than PointMemoryBudget, with the estimate.
func CheckPointMemory(what string, clouds, points int, normals bool) error {
	need, have := EstimatePointBytes(clouds, points, normals), PointMemoryBudget()
	if need > have {
		return fmt.Errorf("datasets: %s: %d clouds of %d points need about %s, more than the %s of memory this machine has", what, clouds, points, formatBytes(need), formatBytes(have))
	}
	return nil
}

// checkPointCount checks a requested points-per-cloud setting.
func checkPointCount(field string, n int) error {
	if n < 0 || n > MaxPointsPerCloud {
		return fmt.Errorf("datasets: %s = %d, want 0 (the default) or 1 to %d", field, n, MaxPointsPerCloud)
	}
	return nil
}

// formatBytes formats n as "1.9 GB" (powers of 1000).
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n), 0
	for f >= unit && i < 5 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, "kMGTPE"[i-1])
}

// LoadPointSplits loads every split of the point-cloud dataset at root:
// the split folders of a <class>/<split>/ tree (npy, off), train and test
// for the list-based formats (modelnet-txt, shapenet), the synthetic
// set, and for a user's folder what LoadCloudFolder returns (its split
// folders, or one set "all"). It returns the sets by split name and the
// format used. The configuration is checked first (Validate).
func LoadPointSplits(root string, cfg PointSplitsConfig) (map[string]*PointSet, PointFormat, error) {
	if err := cfg.Validate(); err != nil {
		return nil, cfg.Format, err
	}
	f := cfg.Format
	if f == "" {
		var err error
		if f, err = DetectPointFormat(root); err != nil {
			return nil, "", err
		}
	}
	if !slices.Contains(PointFormats, f) {
		return nil, f, fmt.Errorf("datasets: unknown point-cloud format %q (want one of %s)", f, joinFormats())
	}
	if f != PointFormatSynthetic && root == "" {
		return nil, f, fmt.Errorf("datasets: format %s needs a dataset folder", f)
	}
	sets := map[string]*PointSet{}
	npyCfg := NpyConfig{Columns: cfg.Columns}
	switch f {
	case PointFormatSynthetic:
		sc := SyntheticCloudsConfig{NumPoints: cfg.NumPoints, Seed: cfg.Seed}
		if err := sc.Validate(); err != nil {
			return nil, f, err
		}
		sets["train"], sets["test"] = SyntheticClouds(sc)
	case PointFormatFolder:
		var err error
		sets, err = LoadCloudFolder(root, CloudFolderConfig{NumPoints: cfg.NumPoints, Normals: cfg.Normals, Seed: cfg.Seed, Workers: cfg.Workers})
		if err != nil {
			return nil, f, err
		}
	case PointFormatNpy, PointFormatOFF:
		classes, err := subdirs(root)
		if err != nil {
			return nil, f, err
		}
		if len(classes) == 0 {
			return nil, f, fmt.Errorf("%w: no class folders in %s", ErrNotFound, root)
		}
		splits, err := subdirs(filepath.Join(root, classes[0]))
		if err != nil {
			return nil, f, err
		}
		if len(splits) == 0 {
			return nil, f, fmt.Errorf("%w: class folder %s has no split folders", ErrNotFound, filepath.Join(root, classes[0]))
		}
		for _, sp := range splits {
			var set *PointSet
			if f == PointFormatNpy {
				set, err = LoadModelNetNpy(root, sp, ModelNetNpyConfig{NpyConfig: npyCfg, Workers: cfg.Workers})
			} else {
				set, err = LoadModelNetOFF(root, sp, ModelNetOFFConfig{NumPoints: cfg.NumPoints, Normals: cfg.Normals, Seed: cfg.Seed, Workers: cfg.Workers})
			}
			if err != nil {
				return nil, f, err
			}
			sets[sp] = set
		}
	case PointFormatModelNetTxt, PointFormatShapeNet:
		for _, sp := range []string{"train", "test"} {
			var set *PointSet
			var err error
			if f == PointFormatModelNetTxt {
				set, err = LoadModelNetTxt(root, sp, ModelNetTxtConfig{Classes: cfg.Classes, Normals: cfg.Normals, NumPoints: cfg.NumPoints, SkipMissing: cfg.SkipMissing, Workers: cfg.Workers})
			} else {
				set, err = LoadShapeNet55(root, sp, ShapeNetConfig{NpyConfig: npyCfg, SkipMissing: cfg.SkipMissing, Workers: cfg.Workers})
			}
			if err != nil {
				return nil, f, fmt.Errorf("split %s: %w", sp, err)
			}
			sets[sp] = set
		}
	}
	return sets, f, nil
}

func joinFormats() string {
	s := make([]string, len(PointFormats))
	for i, f := range PointFormats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}
