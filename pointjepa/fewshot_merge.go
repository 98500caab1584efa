package pointjepa

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nongrid/jepa/jepa"
)

// FewShotMerge is what MergeFewShot assembles.
type FewShotMerge struct {
	// Report is the report an unsharded FewShot or FewShotFinetune of the
	// same configuration returns (FitSeconds is the sum of the episodes'
	// wall times, EmbedSeconds the longest embedding of a shard).
	Report FewShotReport
	// Info is FewShotConfig.Info of the first run directory's header.
	Info json.RawMessage
	// GOMAXPROCS is that of the episodes when they all ran with one value,
	// else 0.
	GOMAXPROCS int
}

// MergeFewShot assembles the few-shot report from the run directories that
// the shards of FewShot or FewShotFinetune wrote (cfg.RunDir with
// cfg.Shard: one directory shared by all shards, one per shard, or any
// mix).
//
// It refuses, with an error naming the directory or the file: directories
// of different configurations (naming the first differing field); an
// episode file that is truncated, not an episode record, edited (its
// digest does not match) or computed for another configuration; episodes
// of different code versions (jepa.JobCodeVersion); linear-probe episodes
// whose embeddings differ although they ran with one GOMAXPROCS; an
// episode present twice; and missing episodes, all of which it names
// (setting, fold, job and the shard that should have run it).
func MergeFewShot(dirs ...string) (*FewShotMerge, error) {
	if len(dirs) == 0 {
		return nil, errors.New("pointjepa: MergeFewShot: no run directory")
	}
	seen := map[string]string{}
	var h *fewShotHeader
	var firstDir string
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("pointjepa: run directory %s: %w", d, err)
		}
		if prev, dup := seen[abs]; dup {
			return nil, fmt.Errorf("pointjepa: run directory %s given twice (also as %s)", d, prev)
		}
		seen[abs] = d
		dh, err := readFewShotHeader(d)
		if err != nil {
			return nil, err
		}
		if h == nil {
			h, firstDir = dh, d
			continue
		}
		if dh.ConfigHash != h.ConfigHash {
			return nil, fmt.Errorf("pointjepa: run directories %s and %s hold few-shot runs of different configurations (%s): shards of one protocol must be run with the same arguments",
				firstDir, d, recordDiff(h.Config, dh.Config, firstDir+" has", d))
		}
		if dh.Protocol != h.Protocol || dh.EmbeddedClouds != h.EmbeddedClouds {
			return nil, fmt.Errorf("pointjepa: run directories %s and %s: %s differs (protocol or embedded clouds) although the configuration is the same: were the shards run by different pointjepa versions?", firstDir, d, fewShotHeaderFile)
		}
	}

	c := &h.Config
	total := len(c.Settings) * c.Folds
	jobs := make([]FewShotJob, total)
	from := make([]string, total)
	shardCounts := map[int]bool{}
	procs := map[int]bool{}
	var code, codeFile string
	var sum, sumFile string
	sumProcs := -1
	byName := map[string]int{}
	for si, s := range c.Settings {
		for f := range c.Folds {
			byName[fewShotJobName(si, s, f)] = jepa.JobIndex(si, f, c.Folds)
		}
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(d, fewShotJobDir))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("pointjepa: run directory %s: %w", d, err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".tmp-") || e.IsDir() || !strings.HasSuffix(name, ".json") {
				continue
			}
			path := filepath.Join(d, fewShotJobDir, name)
			j, ok := byName[name]
			if !ok {
				return nil, fmt.Errorf("pointjepa: run directory %s: %s is not an episode of this protocol (%d settings × %d folds)", d, path, len(c.Settings), c.Folds)
			}
			b, err := jepa.ReadFileLimited(path, maxFewShotFile)
			if err != nil {
				return nil, fmt.Errorf("pointjepa: run directory %s: %w", d, err)
			}
			jf, err := decodeFewShotJob(b, j, *c)
			shard := jf.Shard
			if shard == "" {
				shard = "?"
			}
			if err != nil {
				return nil, fmt.Errorf("pointjepa: shard %s, file %s: %v (delete it and rerun shard %s)", shard, path, err, shard)
			}
			if jf.ConfigHash != h.ConfigHash {
				return nil, fmt.Errorf("pointjepa: shard %s, file %s: computed for configuration %s, but %s is configuration %s", shard, path, jf.ConfigHash, filepath.Join(d, fewShotHeaderFile), h.ConfigHash)
			}
			if code == "" {
				code, codeFile = jf.CodeVersion, path
			} else if jf.CodeVersion != code {
				return nil, fmt.Errorf("pointjepa: shard %s, file %s: computed by code version %q, but %s by %q: shards must run the same binary", shard, path, jf.CodeVersion, codeFile, code)
			}
			if jf.EmbeddingChecksum != "" {
				switch {
				case sum == "":
					sum, sumFile, sumProcs = jf.EmbeddingChecksum, path, jf.GOMAXPROCS
				case jf.EmbeddingChecksum != sum && jf.GOMAXPROCS == sumProcs:
					return nil, fmt.Errorf("pointjepa: shard %s, file %s: embeddings %s, but %s has %s with the same GOMAXPROCS %d: the shards embedded different features (different data or model files?)", shard, path, jf.EmbeddingChecksum, sumFile, sum, sumProcs)
				}
			}
			if from[j] != "" {
				return nil, fmt.Errorf("pointjepa: %s fold %d (job %d) is in two files, %s and %s: delete one", jf.Setting, jf.Fold, j, from[j], path)
			}
			if sh, err := jepa.ParseShard(jf.Shard); err == nil {
				shardCounts[sh.Shards()] = true
			}
			procs[jf.GOMAXPROCS] = true
			from[j] = path
			jobs[j] = jf.FewShotJob
		}
	}
	var missing []string
	for j := range total {
		if from[j] != "" {
			continue
		}
		who := jepa.OwnerOf(j, shardCounts)
		if who != "" {
			who = ", " + who
		}
		missing = append(missing, fmt.Sprintf("%s fold %d (job %d%s)", c.Settings[j/c.Folds], j%c.Folds, j, who))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("pointjepa: %d of the %d episodes are missing from %s: %s", len(missing), total, strings.Join(dirs, ", "), strings.Join(missing, "; "))
	}
	rep, err := assembleFewShot(h, jobs)
	if err != nil {
		return nil, err
	}
	m := &FewShotMerge{Report: rep, Info: h.Info}
	if len(procs) == 1 {
		for p := range procs {
			m.GOMAXPROCS = p
		}
	}
	return m, nil
}
