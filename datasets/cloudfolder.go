package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CloudExtensions are the file extensions LoadCloudFolder reads, matched
// without regard to case; other files are ignored.
var CloudExtensions = []string{".npy", ".ply", ".pcd", ".xyz", ".txt", ".pts", ".off"}

// CloudSampling names how LoadCloudFolder brings a cloud down to
// CloudFolderConfig.NumPoints.
type CloudSampling string

// The samplings of CloudFolderConfig.Sampling.
const (
	SampleFPS    CloudSampling = "fps"    // farthest point sampling from a random start (FPSSubsample), as Point-MAE and Point-JEPA prepare clouds
	SampleRandom CloudSampling = "random" // uniform choice without replacement (RandomSubsample)
)

// CloudFolderAll is the key of the one set LoadCloudFolder returns for a
// folder without train/test folders.
const CloudFolderAll = "all"

// cloudSplitNames are the folder names LoadCloudFolder takes for splits.
var cloudSplitNames = []string{"train", "test", "val", "valid", "validation"}

// CloudFolderConfig configures LoadCloudFolder. The zero value keeps
// every point of each file (meshes are sampled with 1024 points), drops
// normals, and reads on GOMAXPROCS goroutines with seed 0.
type CloudFolderConfig struct {
	// NumPoints, when positive, makes every cloud exactly NumPoints
	// points: larger clouds are reduced by Sampling, meshes (.off, and
	// .ply with faces when SampleFaces) are sampled with NumPoints
	// points, and a cloud with fewer points is an error naming the file.
	// 0 keeps each cloud as read (clouds may then differ in size).
	// At most MaxPointsPerCloud.
	NumPoints int
	// Sampling reduces clouds larger than NumPoints: SampleFPS (the
	// default, "") or SampleRandom.
	Sampling CloudSampling
	// Normals keeps per-point normals where a file has them (PLY nx ny
	// nz, PCD normal_x normal_y normal_z, six-column text, .npy arrays
	// with six or more columns as x y z nx ny nz, the triangle normals of
	// sampled meshes); a cloud from a file without normals has nil
	// Normals. By default normals are dropped.
	Normals bool
	// SampleFaces samples the surface of PLY files that have faces (as
	// for .off meshes) instead of taking their vertices as the cloud.
	SampleFaces bool
	// Seed: file i (in load order, over all splits) draws its mesh
	// samples, FPS start and random choice from rand.NewPCG(Seed, i), so
	// the result does not depend on Workers.
	Seed uint64
	// Workers is the number of goroutines reading files; 0 means
	// GOMAXPROCS.
	Workers int
}

// Validate checks NumPoints ∈ [0, MaxPointsPerCloud], Sampling ∈ {"",
// "fps", "random"} and Workers ≥ 0. Errors name the field and the valid
// range. LoadCloudFolder calls it first; a CLI can call it before any
// work.
func (cfg CloudFolderConfig) Validate() error {
	if err := checkPointCount("CloudFolderConfig.NumPoints", cfg.NumPoints); err != nil {
		return err
	}
	switch cfg.Sampling {
	case "", SampleFPS, SampleRandom:
	default:
		return fmt.Errorf("datasets: CloudFolderConfig.Sampling = %q, want %q (the default) or %q", cfg.Sampling, SampleFPS, SampleRandom)
	}
	if cfg.Workers < 0 {
		return fmt.Errorf("datasets: CloudFolderConfig.Workers = %d, want ≥ 0 (0 means GOMAXPROCS)", cfg.Workers)
	}
	return nil
}

// meshPoints is the sample count for meshes: NumPoints or 1024.
func (cfg CloudFolderConfig) meshPoints() int {
	if cfg.NumPoints > 0 {
		return cfg.NumPoints
	}
	return 1024
}

// LoadCloudFolder loads a user's folder of point clouds, in any mix of
// the formats point-cloud tools write, chosen by extension:
//
//	.npy              float32/float64 (N, C) arrays, x y z in columns 0–2 (ReadNpyCloud)
//	.ply              ascii or binary PLY vertices (DecodePLY); faces ignored or sampled (SampleFaces)
//	.pcd              ascii, binary or binary_compressed PCD, fields x y z (DecodePCD)
//	.xyz, .txt, .pts  text "x y z [nx ny nz]", blank- or comma-separated (DecodeXYZ)
//	.off              meshes, surface-sampled (ParseOFF, TriMesh.SamplePoints)
//
// in one of these layouts (folder and file names sorted; hidden ones,
// other extensions and folders holding no clouds are ignored):
//
//	root/*.ext                        one set, unlabelled (Label -1, no ClassNames)
//	root/<class>/*.ext                one set, labelled by class folder
//	root/<class>/<split>/*.ext        ModelNet's layout: one set per split
//	root/<split>/<class>/*.ext        one set per split, labelled
//	root/<split>/*.ext                one set per split, unlabelled
//
// where a split folder is named train, test, val, valid or validation.
// Class names are the class folders of all splits together, sorted, so
// labels agree across splits; a cloud's Label indexes them. Files lying
// beside class folders (such as modelnet40_shape_names.txt) are ignored.
// The sets are returned by split name, or under CloudFolderAll ("all")
// when the folder has no split level; each set's clouds are ordered by
// class, then file name, with ID the file name without its extension and
// Path the file.
//
// Every cloud is checked (PointCloud.Validate: finite coordinates, not
// all points equal) and, with NumPoints set, resampled to exactly that
// many points (see CloudFolderConfig). Before reading, the memory the
// clouds would take is estimated (NumPoints × files, or twice the bytes
// on disk when all points are kept) and refused, with the estimate, if
// it exceeds PointMemoryBudget. Files are read and decoded on
// cfg.Workers goroutines; the first failing file (in load order) is
// returned as a *ParseError naming it and, where the format allows, the
// line or byte and field.
//
// Front ends reach it through LoadPointSplits (DetectPointFormat gives
// PointFormatFolder for such folders) or call it directly: check the
// user's settings with cfg.Validate before any work; to pretrain on every
// cloud whatever its split, use the sets' clouds together (ClassNames is
// the same slice in every set).
func LoadCloudFolder(root string, cfg CloudFolderConfig) (map[string]*PointSet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	lay, err := cloudFolderLayout(root)
	if err != nil {
		return nil, err
	}
	var files []cloudFile
	var size int64
	for _, sp := range lay.splits {
		files = append(files, lay.files[sp]...)
	}
	for _, f := range files {
		size += f.size
	}
	if cfg.NumPoints > 0 {
		if err := CheckPointMemory(fmt.Sprintf("CloudFolderConfig.NumPoints = %d", cfg.NumPoints), len(files), cfg.NumPoints, cfg.Normals); err != nil {
			return nil, err
		}
	} else if need, have := 2*size, PointMemoryBudget(); need > have {
		return nil, fmt.Errorf("datasets: %s: %d files of %s would take about %s as clouds, more than the %s of memory this machine has (set CloudFolderConfig.NumPoints to resample while reading)",
			root, len(files), formatBytes(size), formatBytes(need), formatBytes(have))
	}
	clouds := make([]PointCloud, len(files))
	w := pointWorkers(cfg.Workers, len(files))
	ws := make([]cloudWorker, w)
	err = runPointItems(w, len(files), func(k, i int) error {
		c, err := ws[k].load(files[i].path, cfg, rand.New(rand.NewPCG(cfg.Seed, uint64(i))))
		if err != nil {
			return err
		}
		c.Label = files[i].label
		clouds[i] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	sets := make(map[string]*PointSet, len(lay.splits))
	off := 0
	for _, sp := range lay.splits {
		n := len(lay.files[sp])
		set := &PointSet{Clouds: clouds[off : off+n : off+n], ClassNames: lay.classes}
		if sp != CloudFolderAll {
			set.Split = sp
		}
		sets[sp] = set
		off += n
	}
	return sets, nil
}

// cloudWorker is the scratch space of one loading goroutine.
type cloudWorker struct {
	buf  []byte
	fps  FPSSubsample
	rnd  RandomSubsample
	init bool
}

// load reads one file into a cloud (Label -1) and resamples and checks it.
func (w *cloudWorker) load(p string, cfg CloudFolderConfig, rng *rand.Rand) (PointCloud, error) {
	if !w.init {
		w.fps.Workers, w.init = 1, true
	}
	b, err := readFileInto(w.buf, p)
	w.buf = b
	if err != nil {
		return PointCloud{}, &ParseError{File: p, Err: err}
	}
	c := PointCloud{Label: -1, Path: p, ID: strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))}
	sampled := false
	switch strings.ToLower(filepath.Ext(p)) {
	case ".npy":
		h, err := ParseNpyHeader(p, b)
		if err != nil {
			return c, err
		}
		nc := NpyConfig{}
		if cfg.Normals && len(h.Shape) == 2 && h.Shape[1] >= 6 {
			nc.NormalColumns = []int{3, 4, 5}
		}
		c.Points, c.Normals, err = DecodeNpyPoints(p, b, nc, nil, nil)
		if err != nil {
			return c, err
		}
	case ".ply":
		m, err := DecodePLY(p, b)
		if err != nil {
			return c, err
		}
		if cfg.SampleFaces && len(m.Triangles) > 0 {
			s, err := m.Mesh().SamplePoints(cfg.meshPoints(), rng, cfg.Normals)
			if err != nil {
				return c, &ParseError{File: p, Field: "face", Err: err}
			}
			c.Points, c.Normals, sampled = s.Points, s.Normals, true
		} else {
			c.Points, c.Normals = m.Points, m.Normals
		}
	case ".pcd":
		if c.Points, c.Normals, err = DecodePCD(p, b); err != nil {
			return c, err
		}
	case ".xyz", ".txt", ".pts":
		if c.Points, c.Normals, err = DecodeXYZ(p, b); err != nil {
			return c, err
		}
	case ".off":
		m, err := ParseOFF(bytes.NewReader(b), p)
		if err != nil {
			return c, err
		}
		s, err := m.SamplePoints(cfg.meshPoints(), rng, cfg.Normals)
		if err != nil {
			return c, &ParseError{File: p, Err: err}
		}
		c.Points, c.Normals, sampled = s.Points, s.Normals, true
	default:
		return c, parseErrorf(p, 0, "", "unknown extension (want one of %s)", strings.Join(CloudExtensions, " "))
	}
	if !cfg.Normals {
		c.Normals = nil
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	if n := cfg.NumPoints; n > 0 && !sampled {
		if len(c.Points) < n {
			return c, parseErrorf(p, 0, "", "%d points, CloudFolderConfig.NumPoints asks for %d (use 0 to keep every cloud as it is, or at most the smallest cloud's count)", len(c.Points), n)
		}
		if len(c.Points) > n {
			var err error
			if cfg.Sampling == SampleRandom {
				w.rnd.N = n
				err = w.rnd.TransformCloud(&c, rng)
			} else {
				w.fps.N = n
				err = w.fps.TransformCloud(&c, rng)
			}
			if err != nil {
				return c, err
			}
		}
	}
	if len(b) > 64<<20 {
		w.buf = nil // do not keep a huge buffer for the next file
	}
	return c, nil
}

// cloudFile is one file LoadCloudFolder reads.
type cloudFile struct {
	path  string
	label int
	size  int64
}

// cloudLayout is what cloudFolderLayout finds under a root.
type cloudLayout struct {
	classSplit bool                   // ModelNet's root/<class>/<split>/ layout
	classes    []string               // nil when unlabelled
	splits     []string               // sorted split names, or [CloudFolderAll]
	files      map[string][]cloudFile // by split, ordered by class then name
}

// onlyExt returns the lower-case extension shared by every file, or "".
func (l *cloudLayout) onlyExt() string {
	ext := ""
	for _, fs := range l.files {
		for _, f := range fs {
			e := strings.ToLower(filepath.Ext(f.path))
			if ext != "" && e != ext {
				return ""
			}
			ext = e
		}
	}
	return ext
}

// cloudDir lists the cloud files (sorted) and sub-folders (sorted) of dir.
func cloudDir(dir string) (files []cloudFile, dirs []string, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%w: %s", ErrNotFound, dir)
		}
		return nil, nil, err
	}
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		info, err := e.Info()
		if err != nil {
			return nil, nil, err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			if info, err = os.Stat(p); err != nil {
				continue // a dangling link
			}
		}
		switch {
		case info.IsDir():
			dirs = append(dirs, name)
		case info.Mode().IsRegular() && slices.Contains(CloudExtensions, strings.ToLower(filepath.Ext(name))):
			files = append(files, cloudFile{path: p, label: -1, size: info.Size()})
		}
	}
	slices.Sort(dirs)
	slices.SortFunc(files, func(a, b cloudFile) int { return strings.Compare(a.path, b.path) })
	return files, dirs, nil
}

// isCloudSplit reports whether a folder name names a split.
func isCloudSplit(name string) bool { return slices.Contains(cloudSplitNames, strings.ToLower(name)) }

// allSplits reports whether dirs is non-empty and every name a split.
func allSplits(dirs []string) bool {
	for _, d := range dirs {
		if !isCloudSplit(d) {
			return false
		}
	}
	return len(dirs) > 0
}

// cloudFolderLayout finds the layout of root (see LoadCloudFolder).
func cloudFolderLayout(root string) (*cloudLayout, error) {
	top, dirs, err := cloudDir(root)
	if err != nil {
		return nil, err
	}
	lay := &cloudLayout{files: map[string][]cloudFile{}}
	// byClass[split][class] lists the files of one class folder.
	byClass := map[string]map[string][]cloudFile{}
	add := func(split, class string, list []cloudFile) {
		if len(list) == 0 {
			return
		}
		if byClass[split] == nil {
			byClass[split] = map[string][]cloudFile{}
		}
		byClass[split][class] = append(byClass[split][class], list...)
	}
	labelled, unlabelled := false, false
	switch {
	case allSplits(dirs):
		// root/<split>/<class>/*.ext or root/<split>/*.ext
		for _, sp := range dirs {
			files, classes, err := cloudDir(filepath.Join(root, sp))
			if err != nil {
				return nil, err
			}
			found := false
			for _, c := range classes {
				list, _, err := cloudDir(filepath.Join(root, sp, c))
				if err != nil {
					return nil, err
				}
				add(sp, c, list)
				found = found || len(list) > 0
			}
			if found {
				labelled = true
			} else if len(files) > 0 {
				unlabelled = true
				lay.files[sp] = files
			}
		}
	case len(dirs) > 0:
		// root/<class>/*.ext or root/<class>/<split>/*.ext
		for _, c := range dirs {
			files, sub, err := cloudDir(filepath.Join(root, c))
			if err != nil {
				return nil, err
			}
			if allSplits(sub) {
				for _, sp := range sub {
					list, _, err := cloudDir(filepath.Join(root, c, sp))
					if err != nil {
						return nil, err
					}
					add(sp, c, list)
				}
				continue
			}
			add(CloudFolderAll, c, files)
		}
		if byClass[CloudFolderAll] != nil && len(byClass) > 1 {
			return nil, fmt.Errorf("datasets: %s: some class folders hold clouds directly, others in split folders (%s); use one layout", root, strings.Join(cloudSplitNames, ", "))
		}
		labelled = len(byClass) > 0
		lay.classSplit = labelled && byClass[CloudFolderAll] == nil
		if !labelled && len(top) > 0 {
			unlabelled = true
			lay.files[CloudFolderAll] = top
		}
	case len(top) > 0:
		unlabelled = true
		lay.files[CloudFolderAll] = top
	}
	if labelled && unlabelled {
		return nil, fmt.Errorf("datasets: %s: some split folders hold class folders, others clouds directly; use one layout", root)
	}
	if labelled {
		set := map[string]bool{}
		for _, m := range byClass {
			for c := range m {
				set[c] = true
			}
		}
		for c := range set {
			lay.classes = append(lay.classes, c)
		}
		slices.Sort(lay.classes)
		for sp, m := range byClass {
			for label, c := range lay.classes {
				for _, f := range m[c] {
					f.label = label
					lay.files[sp] = append(lay.files[sp], f)
				}
			}
		}
	}
	if len(lay.files) == 0 {
		return nil, fmt.Errorf("%w: no point-cloud files (%s) in %s, its class folders or its split folders", ErrNotFound, strings.Join(CloudExtensions, " "), root)
	}
	for sp := range lay.files {
		lay.splits = append(lay.splits, sp)
	}
	slices.Sort(lay.splits)
	return lay, nil
}
