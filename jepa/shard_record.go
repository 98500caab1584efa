package jepa

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	"gonum.org/v1/gonum/mat"
)

// buildVersion, when set at link time
// (-ldflags "-X github.com/nongrid/jepa/jepa.buildVersion=v1.2.3"), is the
// code version every job record holds. The container build file
// (deploy/Dockerfile) sets it, since a build without .git has no VCS
// information.
var buildVersion string

// JobCodeVersion names the code that computes a job of a sharded
// protocol, in one string (BuildVersion is the structured form a
// checkpoint records): the link-time version
// (buildVersion) if set, else the main module's version or VCS revision
// (with "+dirty" for a modified tree), else "devel"; followed by the Go
// version and GOARCH, e.g. "3aac0aa5e… go1.26.8 amd64". The merges of
// sharded protocols refuse jobs of different code versions. Two builds of
// the same modified tree cannot be told apart: stamp them with -X to be
// sure.
func JobCodeVersion() string {
	v := buildVersion
	if v == "" {
		v = "devel"
		if bi, ok := debug.ReadBuildInfo(); ok {
			if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
				v = bi.Main.Version
			}
			var rev, dirty string
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					if s.Value == "true" {
						dirty = "+dirty"
					}
				}
			}
			if rev != "" {
				v = rev + dirty
			}
		}
	}
	return v + " " + runtime.Version() + " " + runtime.GOARCH
}

// ContentHash is the SHA-256 of b, its first 16 bytes as 32 hex digits:
// the configuration hash of a run directory (of its configuration file's
// bytes) and the digest of its records.
func ContentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// JSONDigest is ContentHash of v's JSON encoding (encoding/json.Marshal;
// "" if v cannot be encoded). A record's digest is JSONDigest of the
// record with its digest field empty, so that an edited or damaged record
// is refused instead of reported.
func JSONDigest(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return ContentHash(b)
}

// EmbeddingChecksum fingerprints matrices: FNV-1a 64 over their shapes and
// the bits of every entry, as 16 hex digits. Equal checksums mean
// bit-identical matrices (up to hash collisions).
func EmbeddingChecksum(ms ...*mat.Dense) string {
	h := fnv.New64a()
	var buf [8]byte
	put := func(x uint64) {
		binary.LittleEndian.PutUint64(buf[:], x)
		h.Write(buf[:])
	}
	for _, m := range ms {
		r, c := m.Dims()
		put(uint64(r))
		put(uint64(c))
		for i := range r {
			for j := range c {
				put(math.Float64bits(m.At(i, j)))
			}
		}
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// ReadFileLimited reads a run-directory file, refusing one larger than
// limit bytes (a job record is a few hundred bytes).
func ReadFileLimited(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than a run-directory file can hold (%d)", path, st.Size(), limit)
	}
	return os.ReadFile(path)
}

// DecodeRecord decodes one JSON object from b into v, refusing unknown
// fields and text after the object (a truncated, concatenated or foreign
// file).
func DecodeRecord(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("truncated or not a record (%v)", err)
	}
	if dec.More() {
		return errors.New("text after the record")
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file
// (".tmp-" + the name, in the same directory) and a rename, so that a
// killed process leaves either the old file or the new one, and processes
// writing the same file at once leave one of their versions whole.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
