package datasets

import (
	"archive/zip"
	"compress/flate"
	"errors"
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
	if strings.EqualFold(filepath.Ext(p), ".txt") {
		if err := notADatasetFile(p); err != nil {
			return nil, err
		}
	}
	if !isZipFile(p) && !strings.EqualFold(filepath.Ext(p), ".zip") {
		return nil, &ParseError{File: p, Err: errors.New("not a folder or a .zip archive; a TU or GIN-format dataset is read from the folder (or zip) holding its files")}
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, damagedArchive(p, p, err, false)
	}
	return newZipFiles(p, &zr.Reader, zr), nil
}

// isZipFile reports whether p starts with a zip signature (a local file
// header, or the end record of an empty archive).
func isZipFile(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [4]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	return string(b[:]) == "PK\x03\x04" || string(b[:]) == "PK\x05\x06"
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
	if f.Flags&0x1 != 0 {
		return nil, &ParseError{File: z.display(rel), Err: errors.New("the zip entry is encrypted, which Go's archive/zip cannot read; unpack the archive with its password and pass the folder")}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, damagedArchive(z.display(rel), z.name, err, false)
	}
	return &zipMember{rc: rc, file: z.display(rel), archive: z.name}, nil
}

// zipMember reads one archive entry, turning the decompressor's and the
// CRC check's errors into damaged-archive errors.
type zipMember struct {
	rc            io.ReadCloser
	file, archive string
}

func (m *zipMember) Read(p []byte) (int, error) {
	n, err := m.rc.Read(p)
	if err != nil && err != io.EOF {
		err = damagedArchive(m.file, m.archive, err, true)
	}
	return n, err
}

func (m *zipMember) Close() error { return m.rc.Close() }

// verify reads every entry to its end, which checks its CRC-32, and
// returns the first damaged-archive error.
func (z *zipFiles) verify() error {
	for _, rel := range z.sorted {
		rc, err := z.open(rel)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// damagedArchive reports a zip that cannot be read back: a damaged central
// directory, a corrupt compressed stream, a CRC-32 mismatch or a truncated
// entry. file is the archive or "archive:entry"; reading says whether err
// came from reading an entry's data (rather than opening the archive or
// the entry). An unsupported compression method is reported as such.
func damagedArchive(file, archive string, err error, reading bool) error {
	switch {
	case errors.Is(err, ErrDamagedArchive):
		return err
	case errors.Is(err, zip.ErrAlgorithm):
		return &ParseError{File: file, Err: fmt.Errorf("zip entry uses a compression method Go's archive/zip cannot read (%v); re-create the archive with deflate or store", err)}
	}
	var what string
	var ce flate.CorruptInputError
	switch {
	case errors.Is(err, zip.ErrChecksum):
		what = "the unpacked data does not match the CRC-32 recorded in the archive"
	case errors.As(err, &ce):
		what = "the compressed data is corrupt (" + err.Error() + ")"
	case reading && errors.Is(err, io.ErrUnexpectedEOF):
		what = "the entry unpacks to fewer bytes than its recorded size (corrupt or truncated data)"
	case reading && errors.Is(err, zip.ErrFormat):
		what = "the entry unpacks to more bytes than its recorded size (corrupt data)"
	case errors.Is(err, zip.ErrFormat):
		what = "not a valid zip archive (" + err.Error() + ")"
	default:
		what = err.Error()
	}
	return &ParseError{File: file, Err: fmt.Errorf("%w: %s; download or copy %s again", ErrDamagedArchive, what, filepath.Base(archive))}
}

func (z *zipFiles) exists(rel string) bool { _, ok := z.files[rel]; return ok }
func (z *zipFiles) list() []string         { return z.sorted }
func (z *zipFiles) display(rel string) string {
	if rel == "." {
		return z.name
	}
	return z.name + ":" + rel
}

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
	s, err := loadChecked(files, load)
	if err != nil {
		return nil, err
	}
	s.Source = p
	return s, nil
}

// loadChecked runs load on files. A damaged zip can decompress to garbage
// without a read error until the CRC check at the end of the entry: the
// loader then fails first, on a symptom. So when a load from a zip fails,
// every entry is verified before the error is reported, and damage is
// reported as such. (A load that succeeds read each of its entries to the
// end, so their CRC-32 was checked.)
func loadChecked(files graphFiles, load func(graphFiles) (*GraphSet, error)) (*GraphSet, error) {
	s, err := load(files)
	if err != nil {
		if z, ok := files.(*zipFiles); ok && !errors.Is(err, ErrDamagedArchive) {
			if derr := z.verify(); derr != nil {
				return nil, fmt.Errorf("%w (loading had failed with: %v)", derr, err)
			}
		}
		return nil, err
	}
	return s, nil
}
