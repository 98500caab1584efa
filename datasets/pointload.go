package datasets

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
)

// PointFormats lists the known formats.
var PointFormats = []PointFormat{PointFormatNpy, PointFormatModelNetTxt, PointFormatOFF, PointFormatShapeNet, PointFormatSynthetic}

// DetectPointFormat guesses the layout of the dataset folder root: an
// empty root is PointFormatSynthetic; modelnet40_shape_names.txt (or the
// modelnet10 one) means PointFormatModelNetTxt; ShapeNet-55/train.txt (or
// test.txt) means PointFormatShapeNet; otherwise the first file found in a
// <class>/<split>/ folder decides between PointFormatNpy (.npy) and PointFormatOFF
// (.off). Anything else is an error naming the expected files.
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
	classes, _ := subdirs(root)
	for _, c := range classes {
		splits, _ := subdirs(filepath.Join(root, c))
		for _, s := range splits {
			files, _ := os.ReadDir(filepath.Join(root, c, s))
			for _, f := range files {
				switch filepath.Ext(f.Name()) {
				case ".npy":
					return PointFormatNpy, nil
				case ".off":
					return PointFormatOFF, nil
				}
			}
		}
	}
	return "", fmt.Errorf("datasets: cannot tell the format of %s from its layout (want modelnet40_shape_names.txt, ShapeNet-55/train.txt, or <class>/<split>/*.npy|*.off)", root)
}

// PointSplitsConfig configures LoadPointSplits. The zero value detects
// the format and uses each loader's defaults.
type PointSplitsConfig struct {
	Format      PointFormat // "" means DetectPointFormat
	SkipMissing bool        // modelnet-txt, shapenet: skip listed shapes absent on disk
	Classes     int         // modelnet-txt: 40 (default) or 10
	Normals     bool        // modelnet-txt, off: keep normals
	NumPoints   int         // modelnet-txt: first N points; off: sampled points; synthetic: points per cloud
	Columns     []int       // npy, shapenet: x, y, z columns (see NpyConfig)
	Seed        uint64      // off, synthetic
	Workers     int         // goroutines reading files; 0 means GOMAXPROCS
}

// LoadPointSplits loads every split of the point-cloud dataset at root:
// the split folders of a <class>/<split>/ tree (npy, off), train and test
// for the list-based formats (modelnet-txt, shapenet) and the synthetic
// set. It returns the sets by split name and the format used.
func LoadPointSplits(root string, cfg PointSplitsConfig) (map[string]*PointSet, PointFormat, error) {
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
		sets["train"], sets["test"] = SyntheticClouds(SyntheticCloudsConfig{NumPoints: cfg.NumPoints, Seed: cfg.Seed})
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
