package graphjepa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/jepa"
)

// CodeVersion names the code that computes a job (jepa.CodeVersion: the
// link-time stamp -X github.com/nongrid/jepa/jepa.buildVersion=…, else the
// VCS revision, plus the Go version and GOARCH). Merge refuses to assemble
// jobs of different code versions.
func CodeVersion() string { return jepa.JobCodeVersion() }

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
	return jepa.JSONDigest(r)
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

// embeddingChecksum fingerprints embedding matrices (jepa.EmbeddingChecksum).
func embeddingChecksum(ms ...*mat.Dense) string { return jepa.EmbeddingChecksum(ms...) }

// configHash is the SHA-256 (first 16 bytes, hex) of a run directory's
// reproduce.json contents (jepa.ContentHash).
func configHash(record []byte) string { return jepa.ContentHash(record) }

// readFileLimited reads a run-directory file, refusing one larger than
// limit bytes (jepa.ReadFileLimited).
func readFileLimited(path string, limit int64) ([]byte, error) {
	return jepa.ReadFileLimited(path, limit)
}
