package datasets

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// graphFiles is a read-only view of the files of a dataset, either a
// folder on disk or a .zip archive, addressed by slash-separated paths
// relative to the folder or the archive root.
type graphFiles interface {
	open(rel string) (io.ReadCloser, error)
	exists(rel string) bool
	list() []string            // every file, sorted
	display(rel string) string // path for error messages
	root() string              // base name of the folder or zip, without .zip
	Close() error
}

// openGraphFiles opens a folder or a .zip file.
func openGraphFiles(p string) (graphFiles, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, &ParseError{File: p, Err: fmt.Errorf("%w: %v", ErrNotFound, err)}
	}
	if st.IsDir() {
		return newDirFiles(p)
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, &ParseError{File: p, Err: fmt.Errorf("not a folder or a readable zip archive: %v", err)}
	}
	return newZipFiles(p, &zr.Reader, zr), nil
}

// dirFiles lists a folder up to maxDirDepth levels deep.
type dirFiles struct {
	dir   string
	files []string
	set   map[string]bool
}

const (
	maxDirDepth = 4
	maxDirFiles = 20000
)

func newDirFiles(root string) (*dirFiles, error) {
	d := &dirFiles{dir: root, set: map[string]bool{}}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable subfolder: skip
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if rel != "." && (strings.Count(rel, "/") >= maxDirDepth-1 || skipArchiveEntry(rel)) {
				return filepath.SkipDir
			}
			return nil
		}
		if skipArchiveEntry(rel) || len(d.files) >= maxDirFiles {
			return nil
		}
		d.files = append(d.files, rel)
		d.set[rel] = true
		return nil
	})
	if err != nil {
		return nil, &ParseError{File: root, Err: err}
	}
	sort.Strings(d.files)
	return d, nil
}

func (d *dirFiles) open(rel string) (io.ReadCloser, error) {
	f, err := os.Open(filepath.Join(d.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, &ParseError{File: d.display(rel), Err: fmt.Errorf("%w: %v", ErrNotFound, err)}
	}
	return f, nil
}

func (d *dirFiles) exists(rel string) bool    { return d.set[rel] }
func (d *dirFiles) list() []string            { return d.files }
func (d *dirFiles) display(rel string) string { return filepath.Join(d.dir, filepath.FromSlash(rel)) }
func (d *dirFiles) root() string              { return filepath.Base(d.dir) }
func (d *dirFiles) Close() error              { return nil }

// zipFiles serves the entries of a zip archive.
type zipFiles struct {
	name   string
	files  map[string]*zip.File
	sorted []string
	closer io.Closer
}

func newZipFiles(name string, r *zip.Reader, closer io.Closer) *zipFiles {
	z := &zipFiles{name: name, files: map[string]*zip.File{}, closer: closer}
	for _, f := range r.File {
		rel := strings.TrimPrefix(path.Clean(strings.ReplaceAll(f.Name, "\\", "/")), "/")
		if f.FileInfo().IsDir() || skipArchiveEntry(rel) || strings.HasPrefix(rel, "../") {
			continue
		}
		if _, dup := z.files[rel]; !dup {
			z.sorted = append(z.sorted, rel)
		}
		z.files[rel] = f
	}
	sort.Strings(z.sorted)
	return z
}

func (z *zipFiles) open(rel string) (io.ReadCloser, error) {
	f, ok := z.files[rel]
	if !ok {
		return nil, &ParseError{File: z.display(rel), Err: ErrNotFound}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &ParseError{File: z.display(rel), Err: err}
	}
	return rc, nil
}

func (z *zipFiles) exists(rel string) bool    { _, ok := z.files[rel]; return ok }
func (z *zipFiles) list() []string            { return z.sorted }
func (z *zipFiles) display(rel string) string { return z.name + ":" + rel }

func (z *zipFiles) root() string {
	return strings.TrimSuffix(filepath.Base(z.name), filepath.Ext(z.name))
}

func (z *zipFiles) Close() error {
	if z.closer != nil {
		return z.closer.Close()
	}
	return nil
}

// skipArchiveEntry reports macOS and editor junk (__MACOSX/, ._*, .DS_Store,
// *~) that dataset archives often carry.
func skipArchiveEntry(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == "__MACOSX" || part == ".DS_Store" || strings.HasPrefix(part, "._") || strings.HasSuffix(part, "~") {
			return true
		}
	}
	return false
}

// loadGraphFiles opens the folder or zip p, runs load on its files and
// records p as the set's Source.
func loadGraphFiles(p string, load func(graphFiles) (*GraphSet, error)) (*GraphSet, error) {
	files, err := openGraphFiles(p)
	if err != nil {
		return nil, err
	}
	defer files.Close()
	s, err := load(files)
	if err != nil {
		return nil, err
	}
	s.Source = p
	return s, nil
}
