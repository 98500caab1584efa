package graphjepa

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
	"runtime"
	"runtime/debug"

	"gonum.org/v1/gonum/mat"
)

// buildVersion, when set at link time
// (-ldflags "-X github.com/nongrid/jepa/graphjepa.buildVersion=v1.2.3"),
// is the code version every job result records. The container build file
// (deploy/Dockerfile) sets it, since a build without .git has no VCS
// information.
var buildVersion string

// CodeVersion names the code that computes a job: the link-time version
// (buildVersion) if set, else the main module's version or VCS revision
// (with "+dirty" for a modified tree), else "devel"; followed by the Go
// version and GOARCH, e.g. "3aac0aa5e… go1.26.8 amd64". Merge refuses to
// assemble jobs of different code versions. Two builds of the same
// modified tree cannot be told apart: stamp them with -X to be sure.
func CodeVersion() string {
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

// jobRecord is one finished job as written to folds/run-R-fold-F.json: the
// result, the shard that ran it, and a digest of both, so that a file that
// was edited or damaged is refused instead of reported.
type jobRecord struct {
	ReproduceFold
	Shard  string `json:"shard"`
	Digest string `json:"digest,omitempty"`
}

// digest is the SHA-256 (first 16 bytes, hex) of the record's JSON without
// its digest.
func (r jobRecord) digest() string {
	r.Digest = ""
	b, _ := json.Marshal(r)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// encodeJobRecord returns the file contents of a job record.
func encodeJobRecord(fr ReproduceFold, shard Shard) ([]byte, error) {
	fr.Resumed = false
	rec := jobRecord{ReproduceFold: fr, Shard: shard.String()}
	rec.Digest = rec.digest()
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// errLegacyRecord marks a job file written before job records had a
// digest (accepted when resuming, refused by Merge).
var errLegacyRecord = errors.New("no digest (written by an older graphjepa)")

// decodeJobRecord parses and checks a job file of run r, fold f: valid
// JSON with no unknown field, the right run and fold, and a matching
// digest. A file without a digest decodes with errLegacyRecord.
func decodeJobRecord(b []byte, r, f int) (jobRecord, error) {
	var rec jobRecord
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec, fmt.Errorf("truncated or not a job record (%v)", err)
	}
	if dec.More() {
		return rec, errors.New("text after the job record")
	}
	if rec.Run != r || rec.Fold != f {
		return rec, fmt.Errorf("holds run %d fold %d", rec.Run, rec.Fold)
	}
	if rec.Digest == "" {
		return rec, errLegacyRecord
	}
	if d := rec.digest(); d != rec.Digest {
		return rec, fmt.Errorf("digest %s does not match its contents (%s): the file was edited or damaged", rec.Digest, d)
	}
	return rec, nil
}

// embeddingChecksum fingerprints embedding matrices: FNV-1a 64 over their
// shapes and the bits of every entry, as 16 hex digits. Equal checksums
// mean bit-identical embeddings (up to hash collisions).
func embeddingChecksum(ms ...*mat.Dense) string {
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

// configHash is the SHA-256 (first 16 bytes, hex) of a run directory's
// reproduce.json contents.
func configHash(record []byte) string {
	sum := sha256.Sum256(record)
	return hex.EncodeToString(sum[:16])
}

// readFileLimited reads a run-directory file, refusing one larger than
// limit bytes (a job record is a few hundred bytes).
func readFileLimited(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than a run-directory file can hold (%d)", path, st.Size(), limit)
	}
	return os.ReadFile(path)
}
