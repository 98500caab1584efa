package pointjepa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/probe"
)

// FewShotJob is one episode of the few-shot protocol, job number
// Job = SettingIndex·Folds + Fold (jepa.JobIndex), as written to
// FewShotConfig.RunDir and listed in the report of a shard.
type FewShotJob struct {
	Job          int    `json:"job"`
	SettingIndex int    `json:"setting_index"` // into FewShotConfig.Settings
	Setting      string `json:"setting"`       // "5w10s"
	Fold         int    `json:"fold"`          // episode seed FewShotConfig.Seed + Fold
	// Accuracy is the query accuracy in percent (FewShotFinetune: the best
	// over the epochs).
	Accuracy float64 `json:"accuracy"`
	// BestEpoch (0-based) and Loss (the mean training loss of the last
	// epoch) are set by FewShotFinetune.
	BestEpoch int     `json:"best_epoch,omitempty"`
	Loss      float64 `json:"loss,omitempty"`
	// EmbeddingChecksum (FewShot only) is jepa.EmbeddingChecksum of the
	// features of every embedded cloud: the same in every shard of a
	// protocol run with one GOMAXPROCS, which MergeFewShot checks.
	EmbeddingChecksum string `json:"embedding_checksum,omitempty"`
	// Seconds is the episode's wall time (probe fit and prediction, or the
	// fine-tuning run); EmbedSeconds (FewShot) the time its process took
	// to embed the clouds.
	Seconds      float64 `json:"seconds"`
	EmbedSeconds float64 `json:"embed_s,omitempty"`
	CodeVersion  string  `json:"code_version"` // jepa.JobCodeVersion
	ConfigHash   string  `json:"config_hash"`  // of the run directory's configuration
	GOMAXPROCS   int     `json:"gomaxprocs"`
	// Resumed marks an episode loaded from the run directory instead of
	// computed by this call (not stored).
	Resumed bool `json:"resumed,omitempty"`
}

// fewShotRecord is the configuration of a few-shot run: everything a
// result depends on. Its JSON digest is the configuration hash.
type fewShotRecord struct {
	Form        string           `json:"form"`  // "probe" (FewShot) or "finetune"
	Model       string           `json:"model"` // modelIdentity
	TrainClouds int              `json:"train_clouds"`
	TestClouds  int              `json:"test_clouds"` // 0: episodes within train
	DataHash    string           `json:"data_hash"`   // pointSetsHash of train and test
	Settings    []FewShotSetting `json:"settings"`
	Folds       int              `json:"folds"`
	Query       int              `json:"query"`
	Seed        uint64           `json:"seed"`
	Probe       string           `json:"probe,omitempty"` // probeIdentity (FewShot)
	Batch       int              `json:"batch,omitempty"` // clouds per Embed call (FewShot)
	Finetune    *FinetuneConfig  `json:"finetune,omitempty"`
}

// fewShotHeader is fewshot.json of a run directory: the configuration and
// what the report needs besides the episodes.
type fewShotHeader struct {
	Config         fewShotRecord   `json:"config"`
	ConfigHash     string          `json:"config_hash"` // jepa.JSONDigest(Config)
	Protocol       string          `json:"protocol"`
	EmbeddedClouds int             `json:"embedded_clouds"`
	Info           json.RawMessage `json:"info,omitempty"` // FewShotConfig.Info, not hashed
	Digest         string          `json:"digest,omitempty"`
}

func (h fewShotHeader) digest() string {
	h.Digest = ""
	return jepa.JSONDigest(h)
}

// fewShotJobFile is one episode's file: the job, the shard that ran it and
// a digest of both.
type fewShotJobFile struct {
	FewShotJob
	Shard  string `json:"shard"`
	Digest string `json:"digest,omitempty"`
}

func (f fewShotJobFile) digest() string {
	f.Digest = ""
	return jepa.JSONDigest(f)
}

const (
	fewShotHeaderFile = "fewshot.json"
	fewShotJobDir     = "episodes"
	maxFewShotFile    = 1 << 20 // bytes; a record is a few hundred
)

// fewShotJobName is the file name of job (si, f): "setting-0-5w10s-fold-3.json".
func fewShotJobName(si int, s FewShotSetting, f int) string {
	return fmt.Sprintf("setting-%d-%s-fold-%d.json", si, s, f)
}

// fewShotRun is the bookkeeping of one FewShot or FewShotFinetune call:
// which episodes of the shard are done (loaded from the run directory or
// computed now).
type fewShotRun struct {
	cfg  FewShotConfig
	head fewShotHeader
	jobs []FewShotJob // by job index
	done []bool
}

// openFewShotRun checks cfg.Shard and cfg.RunDir, writes or checks the run
// directory's header and loads the shard's recorded episodes.
func openFewShotRun(cfg FewShotConfig, rec fewShotRecord, protocol string, embedded int) (*fewShotRun, error) {
	if err := cfg.Shard.Validate(); err != nil {
		return nil, fmt.Errorf("pointjepa: FewShotConfig.Shard: %w", err)
	}
	if !cfg.Shard.Whole() && cfg.RunDir == "" {
		return nil, fmt.Errorf("pointjepa: FewShotConfig.Shard %s needs a RunDir: the shard's episodes go there for MergeFewShot", cfg.Shard)
	}
	total := len(rec.Settings) * rec.Folds
	if cfg.Shard.Shards() > total {
		return nil, fmt.Errorf("pointjepa: FewShotConfig.Shard %s: more shards than episodes, some would have none (the protocol has %d settings × %d folds = %d episodes, so use at most %d shards)",
			cfg.Shard, len(rec.Settings), rec.Folds, total, total)
	}
	r := &fewShotRun{cfg: cfg, jobs: make([]FewShotJob, total), done: make([]bool, total),
		head: fewShotHeader{Config: rec, ConfigHash: jepa.JSONDigest(rec), Protocol: protocol, EmbeddedClouds: embedded, Info: cfg.Info}}
	r.head.Digest = r.head.digest()
	if cfg.RunDir == "" {
		return r, nil
	}
	if err := os.MkdirAll(filepath.Join(cfg.RunDir, fewShotJobDir), 0o755); err != nil {
		return nil, fmt.Errorf("pointjepa: run directory: %w", err)
	}
	hpath := filepath.Join(cfg.RunDir, fewShotHeaderFile)
	old, err := readFewShotHeader(cfg.RunDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		b, err := json.MarshalIndent(r.head, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("pointjepa: run header: %w", err)
		}
		if err := jepa.WriteFileAtomic(hpath, append(b, '\n')); err != nil {
			return nil, fmt.Errorf("pointjepa: %w", err)
		}
	case err != nil:
		return nil, err
	case old.ConfigHash != r.head.ConfigHash:
		return nil, fmt.Errorf("pointjepa: run directory %s holds a few-shot run of another configuration (%s); use another run directory, or delete it to start over",
			cfg.RunDir, recordDiff(old.Config, rec, "the directory has", "this call"))
	default:
		r.head = *old // the first writer's Info stays
	}
	for _, j := range cfg.Shard.Jobs(total) {
		si, f := j/rec.Folds, j%rec.Folds
		path := filepath.Join(cfg.RunDir, fewShotJobDir, fewShotJobName(si, rec.Settings[si], f))
		b, err := jepa.ReadFileLimited(path, maxFewShotFile)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("pointjepa: %w", err)
		}
		jf, err := decodeFewShotJob(b, j, rec)
		if err != nil {
			return nil, fmt.Errorf("pointjepa: %s: not the record of %s fold %d: %v (delete it to recompute the episode)", path, rec.Settings[si], f, err)
		}
		if jf.ConfigHash != r.head.ConfigHash {
			return nil, fmt.Errorf("pointjepa: %s: computed for configuration %s, the run directory's is %s (delete it to recompute the episode)", path, jf.ConfigHash, r.head.ConfigHash)
		}
		jf.Resumed = true
		r.jobs[j], r.done[j] = jf.FewShotJob, true
		r.log(jf.FewShotJob)
	}
	return r, nil
}

// pending returns the shard's jobs not done yet, ascending.
func (r *fewShotRun) pending() []int {
	var js []int
	for _, j := range r.cfg.Shard.Jobs(len(r.jobs)) {
		if !r.done[j] {
			js = append(js, j)
		}
	}
	return js
}

// finish stamps a computed job (number, setting, code version,
// configuration hash, GOMAXPROCS), writes it to the run directory and logs
// it.
func (r *fewShotRun) finish(j int, job FewShotJob) error {
	c := &r.head.Config
	si, f := j/c.Folds, j%c.Folds
	job.Job, job.SettingIndex, job.Setting, job.Fold = j, si, c.Settings[si].String(), f
	job.CodeVersion, job.ConfigHash, job.GOMAXPROCS = jepa.JobCodeVersion(), r.head.ConfigHash, runtime.GOMAXPROCS(0)
	if r.cfg.RunDir != "" {
		jf := fewShotJobFile{FewShotJob: job, Shard: r.cfg.Shard.String()}
		jf.Digest = jf.digest()
		b, err := json.MarshalIndent(jf, "", "  ")
		if err != nil {
			return fmt.Errorf("pointjepa: episode record: %w", err)
		}
		path := filepath.Join(r.cfg.RunDir, fewShotJobDir, fewShotJobName(si, c.Settings[si], f))
		if err := jepa.WriteFileAtomic(path, append(b, '\n')); err != nil {
			return fmt.Errorf("pointjepa: %w", err)
		}
	}
	r.jobs[j], r.done[j] = job, true
	r.log(job)
	return nil
}

func (r *fewShotRun) log(job FewShotJob) {
	if r.cfg.Log == nil {
		return
	}
	how := fmt.Sprintf("%.1f s", job.Seconds)
	if job.Resumed {
		how = "from the run directory"
	}
	fmt.Fprintf(r.cfg.Log, "few-shot %s fold %d (job %d): accuracy %.2f%% (%s)\n", job.Setting, job.Fold, job.Job, job.Accuracy, how)
}

// report is the protocol's report, or for a shard its episodes.
func (r *fewShotRun) report() (FewShotReport, error) {
	if !r.cfg.Shard.Whole() {
		rep := FewShotReport{Protocol: r.head.Protocol, EmbeddedClouds: r.head.EmbeddedClouds, Shard: r.cfg.Shard.String()}
		for _, j := range r.cfg.Shard.Jobs(len(r.jobs)) {
			rep.Jobs = append(rep.Jobs, r.jobs[j])
			rep.EmbedSeconds = max(rep.EmbedSeconds, r.jobs[j].EmbedSeconds)
			rep.FitSeconds += r.jobs[j].Seconds
		}
		return rep, nil
	}
	rep, err := assembleFewShot(&r.head, r.jobs)
	if err == nil && r.cfg.Log != nil {
		for _, res := range rep.Results {
			paper := ""
			if res.Paper != nil {
				paper = " (paper, fine-tuned: " + res.Paper.String() + ")"
			}
			fmt.Fprintf(r.cfg.Log, "few-shot %s: %s over %d folds%s\n", res.Setting, res.Accuracy, r.head.Config.Folds, paper)
		}
	}
	return rep, err
}

// assembleFewShot turns the header and every episode, in job order, into
// the protocol's report. FewShot, FewShotFinetune and MergeFewShot all end
// here, so that a merged report is the unsharded one. EmbedSeconds is the
// longest embedding of the episodes' processes, FitSeconds the sum of the
// episodes' wall times.
func assembleFewShot(h *fewShotHeader, jobs []FewShotJob) (FewShotReport, error) {
	c := &h.Config
	if len(jobs) != len(c.Settings)*c.Folds {
		return FewShotReport{}, fmt.Errorf("pointjepa: %d episodes for %d settings × %d folds", len(jobs), len(c.Settings), c.Folds)
	}
	rep := FewShotReport{Protocol: h.Protocol, EmbeddedClouds: h.EmbeddedClouds}
	procs := map[int]bool{}
	for si, s := range c.Settings {
		scores := make([]float64, c.Folds)
		for f := range c.Folds {
			job := jobs[jepa.JobIndex(si, f, c.Folds)]
			if job.SettingIndex != si || job.Fold != f {
				return FewShotReport{}, fmt.Errorf("pointjepa: job %d holds setting %d fold %d, want setting %d fold %d", jepa.JobIndex(si, f, c.Folds), job.SettingIndex, job.Fold, si, f)
			}
			scores[f] = job.Accuracy
			rep.EmbedSeconds = max(rep.EmbedSeconds, job.EmbedSeconds)
			rep.FitSeconds += job.Seconds
			if job.GOMAXPROCS > 0 {
				procs[job.GOMAXPROCS] = true
			}
		}
		acc, err := probe.SummarizeFolds(probe.AccuracyPercent, []probe.Run{probe.NewRun(c.Seed, scores)})
		if err != nil {
			return FewShotReport{}, err
		}
		res := FewShotResult{Setting: s.String(), Way: s.Way, Shot: s.Shot, Query: c.Query, Accuracy: acc}
		if p, ok := PaperFewShotAccuracy[s.String()]; ok {
			res.Paper = &p
		}
		rep.Results = append(rep.Results, res)
	}
	if len(procs) > 1 {
		var ps []string
		for p := range procs {
			ps = append(ps, fmt.Sprint(p))
		}
		sort.Strings(ps)
		rep.Notes = append(rep.Notes, fmt.Sprintf("the episodes ran with different GOMAXPROCS (%s): the large matrix products split their sums by it, so the numbers can differ in the last bits from a run on one machine", strings.Join(ps, ", ")))
	}
	return rep, nil
}

// decodeFewShotJob parses and checks the file of job j: a record with no
// unknown field, of that job, with a matching digest.
func decodeFewShotJob(b []byte, j int, rec fewShotRecord) (fewShotJobFile, error) {
	var jf fewShotJobFile
	if err := jepa.DecodeRecord(b, &jf); err != nil {
		return jf, err
	}
	si, f := j/rec.Folds, j%rec.Folds
	if jf.Job != j || jf.SettingIndex != si || jf.Fold != f || jf.Setting != rec.Settings[si].String() {
		return jf, fmt.Errorf("holds job %d (%s fold %d)", jf.Job, jf.Setting, jf.Fold)
	}
	if jf.Digest == "" || jf.Digest != jf.digest() {
		return jf, fmt.Errorf("digest %q does not match its contents (%s): the file was edited or damaged", jf.Digest, jf.digest())
	}
	return jf, nil
}

// readFewShotHeader reads and checks fewshot.json of a run directory; a
// missing file is an error wrapping os.ErrNotExist.
func readFewShotHeader(dir string) (*fewShotHeader, error) {
	path := filepath.Join(dir, fewShotHeaderFile)
	b, err := jepa.ReadFileLimited(path, maxFewShotFile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("pointjepa: run directory %s: %w (not a run directory of pointjepa fewshot --run?)", dir, err)
		}
		return nil, fmt.Errorf("pointjepa: %w", err)
	}
	var h fewShotHeader
	if err := jepa.DecodeRecord(b, &h); err != nil {
		return nil, fmt.Errorf("pointjepa: %s: %v", path, err)
	}
	c := &h.Config
	switch {
	case h.Digest == "" || h.Digest != h.digest():
		return nil, fmt.Errorf("pointjepa: %s: digest %q does not match its contents: the file was edited or damaged (delete it and rerun pointjepa fewshot with the same arguments)", path, h.Digest)
	case h.ConfigHash != jepa.JSONDigest(h.Config):
		return nil, fmt.Errorf("pointjepa: %s: config_hash %s is not the hash of its config (%s)", path, h.ConfigHash, jepa.JSONDigest(h.Config))
	case len(c.Settings) == 0 || c.Folds < 1:
		return nil, fmt.Errorf("pointjepa: %s: %d settings × %d folds", path, len(c.Settings), c.Folds)
	}
	return &h, nil
}

// recordDiff names the first field where two configurations differ, as
// "field: A has x, B y".
func recordDiff(a, b fewShotRecord, nameA, nameB string) string {
	var ma, mb map[string]json.RawMessage
	_ = json.Unmarshal(mustJSON(a), &ma)
	_ = json.Unmarshal(mustJSON(b), &mb)
	keys := make([]string, 0, len(ma)+len(mb))
	for k := range ma {
		keys = append(keys, k)
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !bytes.Equal(ma[k], mb[k]) {
			va, vb := string(ma[k]), string(mb[k])
			if va == "" {
				va = "none"
			}
			if vb == "" {
				vb = "none"
			}
			return fmt.Sprintf("%s: %s %s, %s %s", k, nameA, va, nameB, vb)
		}
	}
	return "the configurations differ"
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
