package graphjepa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Merge assembles the protocol's result from the run directories that its
// shards wrote (one directory shared by all shards, or one per shard, or
// any mix): the report, the notes and the per-job results are those an
// unsharded Reproduce or ReproduceZINC of the same configuration returns;
// Seconds is the sum of the jobs' wall times.
//
// It refuses, with an error naming the directory and the file: run
// directories of different configurations (reproduce.json) or protocol
// headers (header.json); a job file that is truncated, not a job record,
// edited (its digest does not match), written by an older graphjepa, or
// computed for another configuration; jobs of different code versions
// (CodeVersion); a job present twice; and missing jobs, all of which it
// names with the shard that should have run them.
func Merge(dirs ...string) (*ReproduceResult, error) {
	if len(dirs) == 0 {
		return nil, errors.New("graphjepa: Merge: no run directory")
	}
	seen := map[string]string{}
	var h *runHeader
	var record []byte
	var firstDir string
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("graphjepa: run directory %s: %w", d, err)
		}
		if prev, dup := seen[abs]; dup {
			return nil, fmt.Errorf("graphjepa: run directory %s given twice (also as %s)", d, prev)
		}
		seen[abs] = d
		dh, rec, err := readRunHeader(d)
		if err != nil {
			return nil, err
		}
		if h == nil {
			h, record, firstDir = dh, rec, d
			continue
		}
		if !bytes.Equal(rec, record) {
			var a, b reproduceRecord
			_ = json.Unmarshal(record, &a)
			_ = json.Unmarshal(rec, &b)
			diff := recordDiff(a, b)
			if diff == "" {
				diff = "the files differ"
			}
			return nil, fmt.Errorf("graphjepa: run directories %s and %s hold runs of different configurations (%s): shards of one protocol must be run with the same arguments", firstDir, d, strings.Replace(strings.Replace(diff, "the directory has", firstDir+" has", 1), "this call", d, 1))
		}
		if h.Digest != dh.Digest {
			ja, jb := mustJSON(h), mustJSON(dh)
			return nil, fmt.Errorf("graphjepa: run directories %s and %s: %s differs (%s) although reproduce.json is the same: were the shards run by different graphjepa versions or with another --preset?", firstDir, d, headerFile, firstJSONDiff(ja, jb))
		}
	}

	runs, folds := h.Result.Runs, h.Result.Folds
	total := runs * folds
	jobs := make([]ReproduceFold, total)
	from := make([]string, total) // file of each job found
	shardCounts := map[int]bool{}
	var code, codeFile string
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(d, foldDir))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("graphjepa: run directory %s: %w", d, err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".tmp-") || e.IsDir() || !strings.HasSuffix(name, ".json") {
				continue
			}
			path := filepath.Join(d, foldDir, name)
			var r, f int
			if _, err := fmt.Sscanf(name, "run-%d-fold-%d.json", &r, &f); err != nil || name != fmt.Sprintf("run-%d-fold-%d.json", r, f) {
				continue // not a job file
			}
			if r < 0 || r >= runs || f < 0 || f >= folds {
				return nil, fmt.Errorf("graphjepa: run directory %s: %s is not a job of this protocol (%d runs × %d folds)", d, path, runs, folds)
			}
			b, err := readFileLimited(path, maxRecordBytes)
			if err != nil {
				return nil, fmt.Errorf("graphjepa: run directory %s: %w", d, err)
			}
			rec, err := decodeJobRecord(b, r, f)
			shard := rec.Shard
			if shard == "" {
				shard = "?"
			}
			if errors.Is(err, errLegacyRecord) {
				return nil, fmt.Errorf("graphjepa: shard %s, file %s: %v: rerun this job, or report the directory with graphjepa reproduce and the same arguments", shard, path, err)
			}
			if err != nil {
				return nil, fmt.Errorf("graphjepa: shard %s, file %s: %v (delete it and rerun shard %s)", shard, path, err, shard)
			}
			if rec.ConfigHash != h.ConfigHash {
				return nil, fmt.Errorf("graphjepa: shard %s, file %s: computed for configuration %s, but %s is configuration %s", shard, path, rec.ConfigHash, filepath.Join(d, recordFile), h.ConfigHash)
			}
			if code == "" {
				code, codeFile = rec.CodeVersion, path
			} else if rec.CodeVersion != code {
				return nil, fmt.Errorf("graphjepa: shard %s, file %s: computed by code version %q, but %s by %q: shards must run the same binary", shard, path, rec.CodeVersion, codeFile, code)
			}
			j := JobIndex(r, f, folds)
			if from[j] != "" {
				return nil, fmt.Errorf("graphjepa: run %d fold %d (job %d) is in two files, %s and %s: delete one", r, f, j, from[j], path)
			}
			if sh, err := ParseShard(rec.Shard); err == nil {
				shardCounts[sh.Shards()] = true
			}
			from[j] = path
			jobs[j] = rec.ReproduceFold
		}
	}
	var missing []string
	for j := range total {
		if from[j] != "" {
			continue
		}
		who := ""
		if len(shardCounts) == 1 {
			for n := range shardCounts {
				who = fmt.Sprintf(", shard %d/%d", j%n, n)
			}
		}
		missing = append(missing, fmt.Sprintf("run %d fold %d (job %d%s)", j/folds, j%folds, j, who))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("graphjepa: %d of the %d jobs are missing from %s: %s", len(missing), total, strings.Join(dirs, ", "), strings.Join(missing, "; "))
	}
	res, err := assemble(h, jobs)
	if err != nil {
		return nil, err
	}
	for _, fr := range jobs {
		res.Seconds += fr.Seconds
	}
	return res, nil
}

// readRunHeader reads reproduce.json and header.json of a run directory and
// checks that they belong together.
func readRunHeader(dir string) (*runHeader, []byte, error) {
	rpath := filepath.Join(dir, recordFile)
	rec, err := readFileLimited(rpath, maxRecordBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("graphjepa: run directory %s: %w (not a run directory of graphjepa reproduce?)", dir, err)
	}
	var r reproduceRecord
	if err := json.Unmarshal(rec, &r); err != nil {
		return nil, nil, fmt.Errorf("graphjepa: %s: not a reproduce record: %w", rpath, err)
	}
	hpath := filepath.Join(dir, headerFile)
	hb, err := readFileLimited(hpath, maxRecordBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("graphjepa: run directory %s: %w (a run directory of an older graphjepa? run graphjepa reproduce once with the same arguments to write it)", dir, err)
	}
	var h runHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, nil, fmt.Errorf("graphjepa: %s: truncated or not a run header: %v", hpath, err)
	}
	switch {
	case h.Digest == "" || h.Digest != h.digest():
		return nil, nil, fmt.Errorf("graphjepa: %s: digest %q does not match its contents: the file was edited or damaged (run graphjepa reproduce once with the same arguments to rewrite it)", hpath, h.Digest)
	case h.ConfigHash != configHash(rec):
		return nil, nil, fmt.Errorf("graphjepa: %s belongs to configuration %s, but %s is %s: one of them was edited", hpath, h.ConfigHash, rpath, configHash(rec))
	case h.Kind != r.Protocol || h.Result.Runs != r.Runs || h.Result.Folds != r.Folds || len(h.Seeds) != r.Runs:
		return nil, nil, fmt.Errorf("graphjepa: %s does not match %s (protocol, runs, folds or seeds)", hpath, rpath)
	case h.Result.Runs < 1 || h.Result.Folds < 1:
		return nil, nil, fmt.Errorf("graphjepa: %s: %d runs × %d folds", hpath, h.Result.Runs, h.Result.Folds)
	}
	return &h, rec, nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// firstJSONDiff names the first top-level field of the result where two
// encoded headers differ.
func firstJSONDiff(a, b []byte) string {
	var ha, hb struct {
		Result map[string]json.RawMessage `json:"result"`
	}
	_ = json.Unmarshal(a, &ha)
	_ = json.Unmarshal(b, &hb)
	keys := make([]string, 0, len(ha.Result))
	for k := range ha.Result {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if va := ha.Result[k]; !bytes.Equal(va, hb.Result[k]) {
			return fmt.Sprintf("result.%s: %s vs %s", k, va, hb.Result[k])
		}
	}
	return "the headers differ"
}
