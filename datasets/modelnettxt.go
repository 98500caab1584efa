package datasets

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/golang/geo/r3"
)

// ParseModelNetTxt parses one shape of PointNet++'s
// modelnet40_normal_resampled set: one point per line, "x,y,z,nx,ny,nz"
// (comma-separated, blanks around values allowed), or "x,y,z" when the
// file has no normals. Every line must have the field count of the first
// one (3 or 6); blank lines are skipped, as numpy.loadtxt does. normals
// is nil for 3-field files. name is used in errors only: each error is a
// *ParseError with the 1-based line and, for a bad value, the column
// ("column 4").
func ParseModelNetTxt(r io.Reader, name string) (points, normals []r3.Vector, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	fields := 0
	var vals [6]float64
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		n := 0
		for {
			i := bytes.IndexByte(b, ',')
			f := b
			if i >= 0 {
				f = b[:i]
			}
			if n == len(vals) {
				return nil, nil, parseErrorf(name, line, "", "more than %d comma-separated values (want 3 or 6)", len(vals))
			}
			f = bytes.TrimSpace(f)
			if len(f) == 0 {
				return nil, nil, parseErrorf(name, line, fmt.Sprintf("column %d", n+1), "empty value")
			}
			v, err := strconv.ParseFloat(string(f), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, parseErrorf(name, line, fmt.Sprintf("column %d", n+1), "%q is not a finite number", f)
			}
			vals[n] = v
			n++
			if i < 0 {
				break
			}
			b = b[i+1:]
		}
		if fields == 0 {
			if n != 3 && n != 6 {
				return nil, nil, parseErrorf(name, line, "", "%d comma-separated values, want 3 (x,y,z) or 6 (x,y,z,nx,ny,nz)", n)
			}
			fields = n
			points = make([]r3.Vector, 0, 10000)
			if n == 6 {
				normals = make([]r3.Vector, 0, 10000)
			}
		} else if n != fields {
			return nil, nil, parseErrorf(name, line, "", "%d comma-separated values, earlier lines have %d", n, fields)
		}
		points = append(points, r3.Vector{X: vals[0], Y: vals[1], Z: vals[2]})
		if fields == 6 {
			normals = append(normals, r3.Vector{X: vals[3], Y: vals[4], Z: vals[5]})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, parseErrorf(name, line+1, "", "%v", err)
	}
	if len(points) == 0 {
		return nil, nil, parseErrorf(name, 0, "", "no points")
	}
	return points, normals, nil
}

// ModelNetTxtConfig configures LoadModelNetTxt. The zero value loads
// ModelNet40 without normals, all points per shape, and fails on shapes
// missing from disk.
type ModelNetTxtConfig struct {
	// Classes selects the list files: 40 (default) for modelnet40_*.txt
	// or 10 for modelnet10_*.txt.
	Classes int
	// Normals keeps the per-point normals (PointNet++'s "use_normals").
	Normals bool
	// NumPoints keeps only the first NumPoints points of each shape, as
	// Point-MAE's ModelNetDataset does without its FPS cache; 0 keeps all
	// (10,000). A shape with fewer points is an error.
	NumPoints int
	// SkipMissing skips shapes listed in the split file but absent on
	// disk and records their ids in PointSet.Skipped; by default a
	// missing shape is an error wrapping ErrNotFound.
	SkipMissing bool
	// Workers is the number of goroutines parsing files; 0 means
	// GOMAXPROCS.
	Workers int
}

// Validate checks Classes ∈ {0, 10, 40}, NumPoints ∈ [0,
// MaxPointsPerCloud] and Workers ≥ 0; the error names the field and the
// valid range. LoadModelNetTxt calls it first.
func (cfg ModelNetTxtConfig) Validate() error {
	if cfg.Classes != 0 && cfg.Classes != 40 && cfg.Classes != 10 {
		return fmt.Errorf("datasets: ModelNetTxtConfig.Classes = %d, want 40 or 10 (0 means 40)", cfg.Classes)
	}
	if err := checkPointCount("ModelNetTxtConfig.NumPoints", cfg.NumPoints); err != nil {
		return err
	}
	if cfg.Workers < 0 {
		return fmt.Errorf("datasets: ModelNetTxtConfig.Workers = %d, want ≥ 0 (0 means GOMAXPROCS)", cfg.Workers)
	}
	return nil
}

// LoadModelNetTxt loads one split ("train" or "test") of PointNet++'s
// modelnet40_normal_resampled folder:
//
//	root/modelnet40_shape_names.txt   class names, one per line (label = line index)
//	root/modelnet40_<split>.txt       shape ids, one per line, e.g. airplane_0001
//	root/<class>/<shape id>.txt       10,000 lines "x,y,z,nx,ny,nz"
//
// The class of a shape id is the id without its final "_<digits>"
// (night_stand_0001 → night_stand). Clouds keep the order of the split
// file. Errors name the list file and line, or the shape file and line.
func LoadModelNetTxt(root, split string, cfg ModelNetTxtConfig) (*PointSet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	nc := cfg.Classes
	if nc == 0 {
		nc = 40
	}
	namesFile := filepath.Join(root, fmt.Sprintf("modelnet%d_shape_names.txt", nc))
	names, err := readListFile(namesFile)
	if err != nil {
		return nil, err
	}
	label := make(map[string]int, len(names))
	for i, n := range names {
		if _, dup := label[n.text]; dup {
			return nil, parseErrorf(namesFile, n.line, "", "duplicate class name %q", n.text)
		}
		label[n.text] = i
	}
	splitFile := filepath.Join(root, fmt.Sprintf("modelnet%d_%s.txt", nc, split))
	ids, err := readListFile(splitFile)
	if err != nil {
		return nil, err
	}
	set := &PointSet{Split: split, ClassNames: make([]string, len(names))}
	for i, n := range names {
		set.ClassNames[i] = n.text
	}
	var paths []string
	var labels []int
	var keptIDs []string
	var missing []string
	for _, id := range ids {
		class, ok := modelNetClass(id.text)
		if !ok {
			return nil, parseErrorf(splitFile, id.line, "", "shape id %q does not end in _<number>", id.text)
		}
		l, ok := label[class]
		if !ok {
			return nil, parseErrorf(splitFile, id.line, "", "class %q of shape %q is not in %s", class, id.text, filepath.Base(namesFile))
		}
		p := filepath.Join(root, class, id.text+".txt")
		if _, err := os.Stat(p); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			missing = append(missing, p)
			if cfg.SkipMissing {
				set.Skipped = append(set.Skipped, id.text)
			}
			continue
		}
		paths = append(paths, p)
		labels = append(labels, l)
		keptIDs = append(keptIDs, id.text)
	}
	if len(missing) > 0 && !cfg.SkipMissing {
		return nil, fmt.Errorf("%w: %d of the %d shapes listed in %s are missing, first %s (set SkipMissing to load the %d present)",
			ErrNotFound, len(missing), len(ids), splitFile, missing[0], len(paths))
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: none of the %d shapes listed in %s is present under %s", ErrNotFound, len(ids), splitFile, root)
	}
	set.Clouds = make([]PointCloud, len(paths))
	w := pointWorkers(cfg.Workers, len(paths))
	err = runPointItems(w, len(paths), func(_, i int) error {
		f, err := os.Open(paths[i])
		if err != nil {
			return &ParseError{File: paths[i], Err: err}
		}
		defer f.Close()
		pts, nrm, err := ParseModelNetTxt(bufio.NewReaderSize(f, 1<<16), paths[i])
		if err != nil {
			return err
		}
		if cfg.NumPoints > 0 {
			if len(pts) < cfg.NumPoints {
				return parseErrorf(paths[i], 0, "", "%d points, NumPoints asks for %d", len(pts), cfg.NumPoints)
			}
			pts = pts[:cfg.NumPoints:cfg.NumPoints]
			if nrm != nil {
				nrm = nrm[:cfg.NumPoints:cfg.NumPoints]
			}
		}
		if !cfg.Normals {
			nrm = nil
		} else if nrm == nil {
			return parseErrorf(paths[i], 1, "", "Normals requested but the file has only x,y,z")
		}
		set.Clouds[i] = PointCloud{Points: pts, Normals: nrm, Label: labels[i], ID: keptIDs[i], Path: paths[i]}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return set, nil
}

// modelNetClass returns the class part of a ModelNet shape id:
// "night_stand_0001" → "night_stand".
func modelNetClass(id string) (string, bool) {
	i := strings.LastIndexByte(id, '_')
	if i <= 0 || i == len(id)-1 {
		return "", false
	}
	for _, c := range id[i+1:] {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return id[:i], true
}

// listEntry is one non-blank line of a list file.
type listEntry struct {
	text string
	line int
}

// readListFile reads a file with one entry per line (surrounding blanks
// trimmed, blank lines skipped). A missing file is an error wrapping
// ErrNotFound; an entry containing blanks is a *ParseError.
func readListFile(path string) ([]listEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		return nil, &ParseError{File: path, Err: err}
	}
	var out []listEntry
	for i, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.ContainsAny(l, " \t,") {
			return nil, parseErrorf(path, i+1, "", "entry %q contains a blank or comma", l)
		}
		out = append(out, listEntry{text: l, line: i + 1})
	}
	if len(out) == 0 {
		return nil, parseErrorf(path, 0, "", "empty list")
	}
	return out, nil
}
