package datasets

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// RemoteDataset says where a dataset archive can be downloaded.
type RemoteDataset struct {
	URL    string // full URL of the .zip
	SHA256 string // pinned hex SHA-256 of the archive; empty when not known in advance
	Format string // "tu" or "gin": the loader for the extracted files
	Files  string // what the archive holds, for error messages
}

// ginIHGNN is the commit of yeweiysh/IHGNN whose data/ folder holds the
// GIN-format zips; their SHA-256 values are those of the byte copies in
// the project's shared test data.
const ginIHGNN = "https://raw.githubusercontent.com/yeweiysh/IHGNN/b17214636dd0a0f83b05849cc6dc9ec2ebd4efbf/data/"

// knownDatasets are the archives with a URL other than the TU collection's.
var knownDatasets = map[string]RemoteDataset{
	"gin/DD":            {URL: ginIHGNN + "DD.zip", SHA256: "0ce3eca1f096ce77ff6fb2287b2b45d0d6991ca1f15734fc873a1003ac79c34d", Format: "gin", Files: "DD/DD.txt and DD/10fold_idx/{train,test}_idx-K.txt"},
	"gin/REDDIT-BINARY": {URL: ginIHGNN + "REDDIT-BINARY.zip", SHA256: "c45536bdd84db7a4913fd6a45ae7616a12a02bf1f444a4effbce903524d62121", Format: "gin", Files: "REDDIT-BINARY/REDDIT-BINARY.txt and REDDIT-BINARY/10fold_idx/{train,test}_idx-K.txt"},
}

// Remote returns where Fetch downloads the dataset name from: the table
// above for "gin/DD" and "gin/REDDIT-BINARY", and otherwise the TU
// collection, {TUURL}/{name}.zip (SHA-256 not known in advance: the TU
// server publishes none).
func Remote(name string) RemoteDataset {
	if d, ok := knownDatasets[name]; ok {
		return d
	}
	return RemoteDataset{
		URL:    TUURL + "/" + name + ".zip",
		Format: "tu",
		Files:  fmt.Sprintf("%[1]s/%[1]s_A.txt, %[1]s/%[1]s_graph_indicator.txt and optional %[1]s_graph_labels, _node_labels, _node_attributes, _edge_labels, _edge_attributes, _graph_attributes .txt files", name),
	}
}

// FetchOptions configures a download. The zero value downloads from the
// dataset's URL (Remote) with a client that times out after 30 minutes.
type FetchOptions struct {
	// BaseURL replaces everything before the archive's file name in the
	// URL, e.g. a mirror or a local server: {BaseURL}/{file}.zip.
	BaseURL string
	// URL replaces the whole URL (for datasets Remote does not know).
	URL string
	// SHA256 is the expected hex SHA-256 of the archive, overriding the
	// pinned one.
	SHA256 string
	// Client is the HTTP client; nil means a client with a 30-minute
	// timeout.
	Client *http.Client
	// Offline forbids network access: only the cache is used.
	Offline bool
}

// ErrChecksum is wrapped by errors for an archive whose SHA-256 differs
// from the pinned or recorded one.
var ErrChecksum = errors.New("datasets: SHA-256 mismatch")

// maxExtractBytes bounds the uncompressed size of a dataset archive.
const maxExtractBytes = 8 << 30

// Fetch returns a folder holding the files of dataset name, downloading
// and unpacking its archive into cacheDir on first use, with the default
// FetchOptions. See FetchOptions.Fetch.
func Fetch(name, cacheDir string) (string, error) { return FetchOptions{}.Fetch(name, cacheDir) }

// Fetch returns a folder holding the files of dataset name (pass it to
// LoadTU or LoadGIN according to Remote(name).Format).
//
// Cache layout (PyG-like, one folder per dataset): cacheDir/NAME/FILE.zip
// is the archive, cacheDir/NAME/FILE.zip.sha256 its recorded checksum
// (sha256sum format), cacheDir/NAME/raw/ the unpacked files; Fetch returns
// the raw folder.
//
// Integrity: the archive is downloaded to a temporary file in the cache
// folder while its SHA-256 is computed; an interrupted or short download
// (fewer bytes than Content-Length) or a checksum mismatch deletes the
// temporary file and returns an error, so the cache never holds a partial
// archive. A complete archive is moved into place with an atomic rename and
// unpacked into a temporary folder that is then renamed to raw/. Where the
// hash is pinned (the GIN-format archives) the download is checked
// against it. Where it cannot be known in advance (the TU collection
// publishes no checksums, and this code was written without network
// access) Fetch records the hash of the first download ("trust on first
// use") and checks the archive against the record on every later call; a
// changed archive is then an ErrChecksum error.
//
// Without network access, put the archive at cacheDir/NAME/FILE.zip (it is
// verified like a download), or unpack it into cacheDir/NAME/raw yourself
// (files placed there by hand are used as they are), or skip Fetch and
// pass the folder or zip to the loader. When the dataset is absent and
// cannot be downloaded, the error names the URL and the files expected.
func (o FetchOptions) Fetch(name, cacheDir string) (string, error) {
	if name == "" || strings.Contains(name, "..") || strings.HasPrefix(name, "/") || strings.ContainsAny(name, `\:`) {
		return "", fmt.Errorf("datasets: Fetch: invalid dataset name %q", name)
	}
	remote := Remote(name)
	url := remote.URL
	if o.BaseURL != "" {
		url = strings.TrimSuffix(o.BaseURL, "/") + "/" + path.Base(remote.URL)
	}
	if o.URL != "" {
		url = o.URL
	}
	want := strings.ToLower(remote.SHA256)
	if o.SHA256 != "" {
		want = strings.ToLower(o.SHA256)
	}
	dir := filepath.Join(cacheDir, filepath.FromSlash(name))
	zipPath := filepath.Join(dir, path.Base(url))
	if !strings.HasSuffix(zipPath, ".zip") {
		zipPath += ".zip"
	}
	raw := filepath.Join(dir, "raw")
	record := zipPath + ".sha256"

	_, zipErr := os.Stat(zipPath)
	haveZip := zipErr == nil
	haveRaw := nonEmptyDir(raw)
	if haveRaw && !haveZip {
		return raw, nil // placed by hand
	}
	if !haveZip {
		if o.Offline {
			return "", fmt.Errorf("%w: dataset %s is not in the cache %s and offline mode is on: download %s into %s, or unpack it into %s (expected: %s)", ErrNotFound, name, dir, url, zipPath, raw, remote.Files)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("datasets: Fetch: %w", err)
		}
		if err := o.download(url, zipPath, want); err != nil {
			return "", fmt.Errorf("datasets: Fetch %s: %w (expected at %s: %s; without network, unpack the archive into %s)", name, err, url, remote.Files, raw)
		}
	}

	// Verify the archive against the pinned or recorded hash (recording
	// it on first use).
	sum, err := fileSHA256(zipPath)
	if err != nil {
		return "", fmt.Errorf("datasets: Fetch: %w", err)
	}
	if want == "" {
		if b, err := os.ReadFile(record); err == nil {
			want = strings.ToLower(strings.Fields(string(b) + " x")[0])
		} else {
			if err := writeFileAtomic(record, []byte(sum+"  "+filepath.Base(zipPath)+"\n")); err != nil {
				return "", fmt.Errorf("datasets: Fetch: recording checksum: %w", err)
			}
			want = sum
		}
	}
	if sum != want {
		return "", fmt.Errorf("%w: %s has SHA-256 %s, expected %s; delete %s to download it again", ErrChecksum, zipPath, sum, want, dir)
	}
	if haveRaw {
		return raw, nil
	}
	if err := extractZip(zipPath, raw); err != nil {
		return "", fmt.Errorf("datasets: Fetch %s: %w", name, err)
	}
	return raw, nil
}

// download streams url into a temporary file next to dst, checking the
// byte count and (when want is set) the SHA-256, then renames it to dst.
func (o FetchOptions) download(url, dst, want string) (err error) {
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Minute}
	}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: GET %s: %s", ErrNotFound, url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".part-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if err != nil {
		return fmt.Errorf("download interrupted after %d bytes: %w", n, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("incomplete download: %d of %d bytes", n, resp.ContentLength)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); want != "" && sum != want {
		return fmt.Errorf("%w: downloaded %s has SHA-256 %s, expected %s", ErrChecksum, url, sum, want)
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// extractZip unpacks an archive into dst through a temporary folder that
// is renamed into place, skipping macOS junk and refusing entries that
// would escape dst.
func extractZip(zipPath, dst string) (err error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return damagedArchive(zipPath, zipPath, err, false)
	}
	defer zr.Close()
	tmp, err := os.MkdirTemp(filepath.Dir(dst), filepath.Base(dst)+".part-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	var total int64
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		clean := path.Clean(name)
		if path.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") {
			return &ParseError{File: zipPath + ":" + f.Name, Err: errors.New("archive entry escapes the target folder")}
		}
		if skipArchiveEntry(clean) {
			continue
		}
		target := filepath.Join(tmp, filepath.FromSlash(clean))
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		n, err := extractZipEntry(f, target, maxExtractBytes-total)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) || errors.Is(err, errExtractTooLarge) {
				return &ParseError{File: zipPath + ":" + f.Name, Err: err}
			}
			return damagedArchive(zipPath+":"+f.Name, zipPath, err, true)
		}
		total += n
	}
	return os.Rename(tmp, dst)
}

func extractZipEntry(f *zip.File, target string, limit int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	out, err := os.Create(target)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, limit+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = fmt.Errorf("%w: more than %d bytes", errExtractTooLarge, int64(maxExtractBytes))
	}
	return n, err
}

// errExtractTooLarge is wrapped when an archive unpacks to more than
// maxExtractBytes.
var errExtractTooLarge = errors.New("archive unpacks to too much data")

// fileSHA256 returns the hex SHA-256 of a file.
func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeFileAtomic writes b to p through a temporary file and a rename.
func writeFileAtomic(p string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), filepath.Base(p)+".part-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), p)
}

func nonEmptyDir(p string) bool {
	entries, err := os.ReadDir(p)
	return err == nil && len(entries) > 0
}
