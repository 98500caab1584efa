package graphjepa

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// reuseDir is a run directory whose finished jobs a protocol of the same
// configuration, with other runs or folds, takes instead of recomputing
// them (ReproduceConfig.Reuse).
type reuseDir struct {
	dir  string
	hash string // of its reproduce.json, which its job records carry
}

// openReuseDirs checks that every directory of cfg.Reuse holds a reproduce
// record equal to rec apart from its runs, folds and seeds: a job (r, f) is
// a pure function of the configuration, the run seed and the fold (fold f
// is the same fold whatever the fold count), so such a directory's job
// (r, f) is this protocol's job (r, f) whenever its run seed is seeds[r].
func (cfg *ReproduceConfig) openReuseDirs(rec reproduceRecord) ([]reuseDir, error) {
	var out []reuseDir
	for _, dir := range cfg.Reuse {
		path := filepath.Join(dir, recordFile)
		have, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("graphjepa: ReproduceConfig.Reuse: %w", err)
		}
		var old reproduceRecord
		if err := json.Unmarshal(have, &old); err != nil {
			return nil, fmt.Errorf("graphjepa: ReproduceConfig.Reuse: %s: not a reproduce record: %w", path, err)
		}
		a, b := old, rec
		a.Runs, a.Folds, a.Seeds = 0, 0, nil
		b.Runs, b.Folds, b.Seeds = 0, 0, nil
		if diff := recordDiff(a, b); diff != "" {
			return nil, fmt.Errorf("graphjepa: ReproduceConfig.Reuse: run directory %s was made with another configuration (%s): its jobs are not this protocol's", dir, diff)
		}
		out = append(out, reuseDir{dir: dir, hash: configHash(have)})
	}
	return out, nil
}

// reusedJob returns job (r, f) with run seed seed from the first reuse
// directory that holds it, re-labelled for this protocol's configuration
// hash and marked with where it came from.
func reusedJob(dirs []reuseDir, r, f int, seed uint64, hash string) (ReproduceFold, bool, error) {
	for _, d := range dirs {
		fr, ok, err := loadJob(d.dir, r, f, d.hash)
		if err != nil {
			return ReproduceFold{}, false, err
		}
		if !ok || fr.RunSeed != seed {
			continue
		}
		fr.ConfigHash, fr.Resumed = hash, false
		if fr.ReusedFrom == "" {
			fr.ReusedFrom = d.dir
		}
		return fr, true, nil
	}
	return ReproduceFold{}, false, nil
}
