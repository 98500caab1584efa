package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ShapeNetConfig configures LoadShapeNet55. The zero value uses the
// Point-BERT layout under root and reads x, y, z from columns 0..2.
type ShapeNetConfig struct {
	// SplitDir holds train.txt and test.txt; "" means root/ShapeNet-55.
	SplitDir string
	// PointDir holds the <synset>-<model>.npy files; "" means
	// root/shapenet_pc.
	PointDir string
	// NpyConfig selects the columns read from each array.
	NpyConfig
	// SkipMissing skips listed shapes absent from PointDir, recording
	// them in PointSet.Skipped; by default that is an error wrapping
	// ErrNotFound.
	SkipMissing bool
	// Workers is the number of goroutines reading files; 0 means
	// GOMAXPROCS.
	Workers int
}

// LoadShapeNet55 loads one split ("train": 41,952 shapes, or "test":
// 10,518) of ShapeNet-55 as prepared by Point-BERT and used by Point-MAE
// and Point-JEPA for pre-training:
//
//	root/ShapeNet-55/<split>.txt   one "<synset>-<model>.npy" per line
//	root/shapenet_pc/<synset>-<model>.npy   float32 (8192, 3)
//
// Class names are the 8-digit WordNet synset ids that occur in train.txt
// and test.txt (both are read when present, so labels agree across
// splits), in lexical order; a cloud's ID is "<synset>-<model>". Clouds
// keep the order of the split file. Errors name the list file and line, or
// the .npy file and field.
func LoadShapeNet55(root, split string, cfg ShapeNetConfig) (*PointSet, error) {
	splitDir, pointDir := cfg.SplitDir, cfg.PointDir
	if splitDir == "" {
		splitDir = filepath.Join(root, "ShapeNet-55")
	}
	if pointDir == "" {
		pointDir = filepath.Join(root, "shapenet_pc")
	}
	splitFile := filepath.Join(splitDir, split+".txt")
	entries, err := readListFile(splitFile)
	if err != nil {
		return nil, err
	}
	synsets := map[string]bool{}
	for _, e := range entries {
		s, err := shapeNetSynset(splitFile, e)
		if err != nil {
			return nil, err
		}
		synsets[s] = true
	}
	for _, other := range []string{"train", "test"} {
		if other == split {
			continue
		}
		f := filepath.Join(splitDir, other+".txt")
		more, err := readListFile(f)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range more {
			s, err := shapeNetSynset(f, e)
			if err != nil {
				return nil, err
			}
			synsets[s] = true
		}
	}
	set := &PointSet{Split: split}
	for s := range synsets {
		set.ClassNames = append(set.ClassNames, s)
	}
	slices.Sort(set.ClassNames)
	label := make(map[string]int, len(set.ClassNames))
	for i, s := range set.ClassNames {
		label[s] = i
	}
	var paths []string
	var labels []int
	var missing []string
	for _, e := range entries {
		p := filepath.Join(pointDir, e.text)
		if _, err := os.Stat(p); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			missing = append(missing, p)
			if cfg.SkipMissing {
				set.Skipped = append(set.Skipped, strings.TrimSuffix(e.text, ".npy"))
			}
			continue
		}
		paths = append(paths, p)
		labels = append(labels, label[e.text[:8]])
	}
	if len(missing) > 0 && !cfg.SkipMissing {
		return nil, fmt.Errorf("%w: %d of the %d shapes listed in %s are missing, first %s (set SkipMissing to load the %d present)",
			ErrNotFound, len(missing), len(entries), splitFile, missing[0], len(paths))
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: none of the %d shapes listed in %s is present in %s", ErrNotFound, len(entries), splitFile, pointDir)
	}
	set.Clouds = make([]PointCloud, len(paths))
	if err := readNpyClouds(set.Clouds, paths, cfg.NpyConfig, cfg.Workers); err != nil {
		return nil, err
	}
	for i := range set.Clouds {
		set.Clouds[i].Label = labels[i]
	}
	return set, nil
}

// shapeNetSynset checks a split-list entry "<8-digit synset>-<model>.npy"
// and returns its synset. The model id may be empty: the official
// train.txt lists "04379243-.npy" and "02747177-.npy".
func shapeNetSynset(file string, e listEntry) (string, error) {
	t := e.text
	ok := len(t) >= 13 && t[8] == '-' && strings.HasSuffix(t, ".npy") && !strings.ContainsAny(t, `/\`)
	for i := 0; ok && i < 8; i++ {
		ok = t[i] >= '0' && t[i] <= '9'
	}
	if !ok {
		return "", parseErrorf(file, e.line, "", "entry %q: want <8-digit synset>-<model id>.npy", t)
	}
	return t[:8], nil
}
