package datasets

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ModelNetNpyConfig configures LoadModelNetNpy. The zero value reads
// x, y, z from columns 0..2 on GOMAXPROCS goroutines.
type ModelNetNpyConfig struct {
	NpyConfig     // which columns hold coordinates (and normals)
	Workers   int // goroutines reading files; 0 means GOMAXPROCS
}

// classSplitFiles lists the files with extension ext in the layout
// root/<class>/<split>/<id><ext>: the class names (sub-folders of root in
// lexical order), the file paths ordered by class then name, and each file's
// class index. A missing folder or an empty result is an ErrNotFound error
// naming the expected layout.
func classSplitFiles(root, split, ext string) (classes, paths []string, labels []int, err error) {
	classes, err = subdirs(root)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(classes) == 0 {
		return nil, nil, nil, fmt.Errorf("%w: no class folders in %s (want %s/<class>/%s/<id>%s)", ErrNotFound, root, root, split, ext)
	}
	for label, class := range classes {
		dir := filepath.Join(root, class, split)
		ents, err := os.ReadDir(dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, nil, fmt.Errorf("%w: %s (class %q has no %q folder; want %s/<class>/%s/<id>%s)", ErrNotFound, dir, class, split, root, split, ext)
			}
			return nil, nil, nil, err
		}
		for _, e := range ents {
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ext) {
				paths = append(paths, filepath.Join(dir, e.Name()))
				labels = append(labels, label)
			}
		}
	}
	if len(paths) == 0 {
		return nil, nil, nil, fmt.Errorf("%w: no %s files in %s/<class>/%s/", ErrNotFound, ext, root, split)
	}
	return classes, paths, labels, nil
}

// LoadModelNetNpy loads one split of a ModelNet-style folder of .npy
// files laid out as
//
//	root/<class>/<split>/<shape_id>.npy
//
// (the layout of the widely shared 1024-point ModelNet40 npy export, with
// arrays of shape (1024, 3), float32). Class names are the sub-folders of
// root in lexical order, which for ModelNet40 equals the official
// modelnet40_shape_names.txt order; a cloud's Label indexes them. Clouds
// are ordered by class, then by file name. Each file is decoded as by
// ReadNpyCloud (see there for accepted dtypes and shapes).
//
// That export is Z-up (like the ModelNet meshes), while PointNet++'s txt
// files, ShapeNet and Point-JEPA's rotation about y assume Y-up: pass
// NpyConfig{Columns: []int{0, 2, 1}} to read it Y-up (checked against the
// txt files of the same shapes in TestModelNetNpyAxesMatchTxt).
//
// Every class folder must contain a <split> folder; a missing one is an
// error wrapping ErrNotFound. A set with no files is an error.
func LoadModelNetNpy(root, split string, cfg ModelNetNpyConfig) (*PointSet, error) {
	classes, paths, labels, err := classSplitFiles(root, split, ".npy")
	if err != nil {
		return nil, err
	}
	set := &PointSet{ClassNames: classes, Split: split}
	set.Clouds = make([]PointCloud, len(paths))
	if err := readNpyClouds(set.Clouds, paths, cfg.NpyConfig, cfg.Workers); err != nil {
		return nil, err
	}
	for i := range set.Clouds {
		set.Clouds[i].Label = labels[i]
	}
	return set, nil
}

// readNpyClouds reads the .npy files paths into clouds (same length) on
// up to workers goroutines, reusing one file buffer per goroutine. Each
// cloud gets its own point slice (one allocation per cloud, none per
// point); ID is the file name without ".npy", Label is -1.
func readNpyClouds(clouds []PointCloud, paths []string, cfg NpyConfig, workers int) error {
	w := pointWorkers(workers, len(paths))
	bufs := make([][]byte, w)
	return runPointItems(w, len(paths), func(k, i int) error {
		p := paths[i]
		b, err := readFileInto(bufs[k], p)
		bufs[k] = b
		if err != nil {
			return &ParseError{File: p, Err: err}
		}
		pts, nrm, err := DecodeNpyPoints(p, b, cfg, nil, nil)
		if err != nil {
			return err
		}
		clouds[i] = PointCloud{Points: pts, Normals: nrm, Label: -1, ID: strings.TrimSuffix(filepath.Base(p), ".npy"), Path: p}
		return nil
	})
}

// readFileInto reads the file at path into buf (grown as needed) and
// returns the filled slice.
func readFileInto(buf []byte, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return buf, err
	}
	n := int(st.Size())
	if cap(buf) < n+1 {
		buf = make([]byte, n+1+n/4)
	}
	buf = buf[:n+1]
	m, err := io.ReadFull(f, buf)
	if err == nil {
		// The file grew after Stat: fall back to reading everything.
		rest, err := io.ReadAll(f)
		return append(buf, rest...), err
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:m], err
}

// subdirs returns the names of the directories in dir, sorted.
func subdirs(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, dir)
		}
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}
