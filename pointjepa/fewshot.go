package pointjepa

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/probe"
)

// FewShotSetting is one N-way K-shot task family.
type FewShotSetting struct {
	Way  int `json:"way"`
	Shot int `json:"shot"`
}

// String names the setting as "5w10s".
func (s FewShotSetting) String() string { return fmt.Sprintf("%dw%ds", s.Way, s.Shot) }

// ParseFewShotSetting parses "5w10s" (or "5way10shot").
func ParseFewShotSetting(s string) (FewShotSetting, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.Replace(t, "way", "w", 1)
	t = strings.Replace(t, "shot", "s", 1)
	w, rest, ok := strings.Cut(t, "w")
	if ok && strings.HasSuffix(rest, "s") {
		way, err1 := strconv.Atoi(w)
		shot, err2 := strconv.Atoi(strings.TrimSuffix(rest, "s"))
		if err1 == nil && err2 == nil && way >= 2 && shot >= 1 {
			return FewShotSetting{Way: way, Shot: shot}, nil
		}
	}
	return FewShotSetting{}, fmt.Errorf("pointjepa: few-shot setting %q: want N-way K-shot as \"5w10s\" with N ≥ 2, K ≥ 1", s)
}

// PaperFewShotSettings are the four settings of Point-JEPA's (and
// Point-BERT's) ModelNet40 few-shot table: 5w10s, 5w20s, 10w10s, 10w20s.
var PaperFewShotSettings = []FewShotSetting{{5, 10}, {5, 20}, {10, 10}, {10, 20}}

// PaperFewShotAccuracy holds Point-JEPA's few-shot accuracies on ModelNet40
// in percent, mean ± std over 10 folds (paper Table 3, spec §3.2), by
// FewShotSetting.String. They come from full fine-tuning of the pre-trained
// network on each fold of Point-BERT's split pickles (§2.2), not from the
// frozen-feature probe FewShot runs.
var PaperFewShotAccuracy = map[string]PaperResult{
	"5w10s":  {97.4, 2.2},
	"5w20s":  {99.2, 0.8},
	"10w10s": {95.0, 3.6},
	"10w20s": {96.4, 2.7},
}

// FewShotConfig configures FewShot. The zero value runs the four paper
// settings, 10 folds each with seeds 0..9, 20 query clouds per class and
// probe.SVC{C: 0.012} on frozen features.
type FewShotConfig struct {
	// Settings are the N-way K-shot settings; nil means
	// PaperFewShotSettings.
	Settings []FewShotSetting
	// Folds is the number of episodes per setting; zero means 10.
	Folds int
	// Query is the number of query clouds per class; zero means 20
	// (Point-BERT's K+20 objects per class).
	Query int
	// Seed offsets the fold seeds: fold i draws its episode from
	// rand.New(rand.NewPCG(Seed+i, 0)). Zero gives seeds 0..Folds-1. The
	// same fold seed draws the same classes in every setting with the same
	// Way (the classes are drawn first).
	Seed uint64
	// Probe is the classifier fitted on each episode's support features;
	// nil means probe.SVC{C: 0.012}, the linear SVM of the SVM protocol.
	Probe probe.Classifier
	// Batch is the number of clouds per Embed call; zero means
	// DefaultEvalBatch (see SVMConfig.Batch).
	Batch int
	// Log receives progress lines; nil means silence.
	Log io.Writer

	// RunDir, if set, receives fewshot.json (the configuration: model and
	// data hashes, settings, folds, query, seed, probe, batch or
	// fine-tuning config; its hash; Info) and episodes/setting-S-NwKs-fold-F.json,
	// one record per finished episode (accuracy, wall time, code version,
	// configuration hash, GOMAXPROCS, the shard, a digest). A later call
	// with the same RunDir and configuration skips the recorded episodes;
	// a RunDir of another configuration is an error.
	RunDir string
	// Shard, if not the whole protocol, runs only that shard's episodes:
	// job j = settingIndex·Folds + fold belongs to shard j mod Count
	// (jepa.Shard). It needs RunDir; the report then lists the shard's
	// episodes (FewShotReport.Jobs) instead of results, and MergeFewShot
	// assembles the run directories of all shards into the report an
	// unsharded call returns.
	Shard jepa.Shard
	// EmbedderID names the embedder in the configuration hash when it is
	// not a *Model (a *Model is identified by its Config and weights);
	// needed with RunDir only.
	EmbedderID string
	// Info is stored in the run directory's header as it is, outside the
	// configuration hash, and returned by MergeFewShot (a command's
	// description of the run: model and data paths).
	Info json.RawMessage
}

// FewShotResult is the outcome of one setting.
type FewShotResult struct {
	Setting string `json:"setting"` // "5w10s"
	Way     int    `json:"way"`
	Shot    int    `json:"shot"`
	Query   int    `json:"query"` // per class
	// Accuracy is the mean ± population std of the fold accuracies, in
	// percent; Accuracy.Runs[0].Scores holds one accuracy per fold, in
	// seed order.
	Accuracy probe.Report `json:"accuracy"`
	// Paper is Point-JEPA's published result for the setting (fine-tuned,
	// see PaperFewShotAccuracy), nil for settings the paper does not report.
	Paper *PaperResult `json:"paper,omitempty"`
}

// FewShotReport is the outcome of FewShot.
type FewShotReport struct {
	Results []FewShotResult `json:"results"`
	// Protocol says in words how the episodes were drawn and scored.
	Protocol string `json:"protocol"`
	// EmbeddedClouds is the number of distinct clouds embedded (the union
	// of all episodes); EmbedSeconds the time it took.
	EmbeddedClouds int     `json:"embedded_clouds"`
	EmbedSeconds   float64 `json:"embed_s"`
	FitSeconds     float64 `json:"fit_s"`
	// Notes are caveats of the numbers (episodes merged from processes
	// with different GOMAXPROCS).
	Notes []string `json:"notes,omitempty"`
	// Shard is set ("i/n") when only a shard of the protocol ran: Results
	// is then empty and Jobs holds the shard's episodes.
	Shard string       `json:"shard,omitempty"`
	Jobs  []FewShotJob `json:"jobs,omitempty"`
}

// fewShotProtocol is FewShotReport.Protocol.
const fewShotProtocol = "frozen features, linear probe per episode; fold i: classes and K support clouds per class from the training split, " +
	"Q query clouds per class from the test split, drawn with math/rand/v2 PCG(seed+i, 0); " +
	"the paper instead fine-tunes the whole network on Point-BERT's fixed split pickles"

// FewShot runs N-way K-shot few-shot classification on frozen features
// (spec §2.2, in its linear-probe form). For every setting and fold i it draws
// an episode with seed cfg.Seed+i: N classes uniformly among those with at
// least K training and Q test clouds, K support clouds per class from train
// and Q query clouds per class from test (as Point-BERT's pickles hold
// support from the ModelNet40 training split and queries from its test
// split), fits cfg.Probe on the support features with the N class labels and
// reports the query accuracy. Each cloud is embedded once, however many
// episodes use it; only clouds some episode uses are embedded.
//
// With cfg.Shard (and cfg.RunDir) the call fits only its shard's episodes,
// but still embeds the clouds of every episode, as the whole protocol does:
// a subset in other batches would not give bit-identical features (Embed's
// FPS starts restart with every call, and the products' summation order
// depends on the batch). The embedding is thus repeated by every shard;
// what the shards split is the probe fitting. A call whose episodes are all
// recorded in cfg.RunDir embeds nothing.
//
// When test is nil, support and query are both drawn from train by
// split.SampleEpisode.
//
// The paper's numbers (PaperFewShotAccuracy) come from fine-tuning the whole
// network on each episode for 150 epochs; this frozen-feature probe is the
// cheaper variant and is expected to score lower.
func FewShot(ctx context.Context, e Embedder, train, test *datasets.PointSet, cfg FewShotConfig) (FewShotReport, error) {
	p, err := planFewShot(train, test, cfg)
	if err != nil {
		return FewShotReport{}, err
	}
	clf := cfg.Probe
	if clf == nil {
		clf = probe.SVC{C: 0.012}
	}
	batch := cfg.Batch
	if batch <= 0 {
		batch = DefaultEvalBatch
	}
	pool, row := p.pool(train, test)
	rec, err := p.record(train, test, cfg, "probe", e)
	if err != nil {
		return FewShotReport{}, err
	}
	rec.Probe, rec.Batch = probeIdentity(clf), batch
	protocol := fewShotProtocol
	if test == nil {
		protocol = strings.Replace(fewShotProtocol, "from the test split", "from the rest of the training split (split.SampleEpisode)", 1)
	}
	run, err := openFewShotRun(cfg, rec, protocol, len(pool))
	if err != nil {
		return FewShotReport{}, err
	}
	pending := run.pending()
	if len(pending) == 0 {
		return run.report()
	}
	// Every process embeds the clouds of all episodes, in the same order and
	// batches, whichever episodes it fits: Embed's FPS starts and the
	// summation order of its products depend on the batching, so this is
	// what keeps a shard's features, bit for bit, those of the whole run.
	t0 := time.Now()
	x, err := embedClouds(ctx, e, pool, batch, "few-shot", cfg.Log)
	if err != nil {
		return FewShotReport{}, err
	}
	embedSeconds := time.Since(t0).Seconds()
	sum := jepa.EmbeddingChecksum(x)
	ntr := train.Len()
	label := func(i int) int {
		if i < ntr {
			return p.ytr[i]
		}
		return p.yte[i-ntr]
	}
	_, d := x.Dims()
	for _, j := range pending {
		if err := ctx.Err(); err != nil {
			return FewShotReport{}, err
		}
		si, f := j/p.folds, j%p.folds
		s, ep := p.settings[si], p.episodes[si][f]
		t1 := time.Now()
		xs, ys := gather(x, d, ep.support, row, label)
		xq, yq := gather(x, d, ep.query, row, label)
		m, err := clf.Fit(xs, ys)
		if err != nil {
			return FewShotReport{}, fmt.Errorf("pointjepa: few-shot %s fold %d: %w", s, f, err)
		}
		pred, err := m.Predict(xq)
		if err != nil {
			return FewShotReport{}, fmt.Errorf("pointjepa: few-shot %s fold %d: %w", s, f, err)
		}
		job := FewShotJob{Accuracy: 100 * probe.Accuracy(pred, yq), EmbeddingChecksum: sum,
			Seconds: time.Since(t1).Seconds(), EmbedSeconds: embedSeconds}
		if err := run.finish(j, job); err != nil {
			return FewShotReport{}, err
		}
	}
	return run.report()
}

// pool lists the clouds of every episode once, in the order the episodes
// (setting by setting, fold by fold, support then query) first use them,
// and maps each pool index (train clouds, then test clouds) to its row.
func (p *fewShotPlan) pool(train, test *datasets.PointSet) ([]datasets.PointCloud, map[int]int) {
	ntr := train.Len()
	row := map[int]int{}
	var pool []datasets.PointCloud
	add := func(idx []int) {
		for _, i := range idx {
			if _, ok := row[i]; ok {
				continue
			}
			row[i] = len(pool)
			if i < ntr {
				pool = append(pool, train.Clouds[i])
			} else {
				pool = append(pool, test.Clouds[i-ntr])
			}
		}
	}
	for si := range p.episodes {
		for _, ep := range p.episodes[si] {
			add(ep.support)
			add(ep.query)
		}
	}
	return pool, row
}

// record is the configuration of the plan for the run directory (model and
// data hashed only when there is one: hashing reads every weight and
// point).
func (p *fewShotPlan) record(train, test *datasets.PointSet, cfg FewShotConfig, form string, e Embedder) (fewShotRecord, error) {
	rec := fewShotRecord{Form: form, TrainClouds: train.Len(), Settings: p.settings, Folds: p.folds, Query: p.query, Seed: cfg.Seed}
	if test != nil {
		rec.TestClouds = test.Len()
	}
	if cfg.RunDir == "" {
		return rec, nil
	}
	var err error
	if rec.Model, err = modelIdentity(e, cfg.EmbedderID); err != nil {
		return rec, err
	}
	rec.DataHash = pointSetsHash(train, test)
	return rec, nil
}

// fewShotEpisode is one drawn episode: indices into the pool of the
// training clouds followed by the test clouds.
type fewShotEpisode struct{ support, query []int }

// fewShotPlan is a checked FewShotConfig with every episode drawn.
type fewShotPlan struct {
	settings     []FewShotSetting
	folds, query int
	ytr, yte     []int
	episodes     [][]fewShotEpisode // [setting][fold]
}

// planFewShot checks the inputs, fills the defaults in and draws every
// episode (fold i of every setting from seed cfg.Seed+i).
func planFewShot(train, test *datasets.PointSet, cfg FewShotConfig) (*fewShotPlan, error) {
	if train == nil || train.Len() == 0 || (test != nil && test.Len() == 0) {
		return nil, fmt.Errorf("pointjepa: FewShot needs a non-empty train split (and a non-empty test split, or nil)")
	}
	p := &fewShotPlan{settings: cfg.Settings, folds: cfg.Folds, query: cfg.Query}
	if p.settings == nil {
		p.settings = PaperFewShotSettings
	}
	if p.folds == 0 {
		p.folds = 10
	}
	if p.query == 0 {
		p.query = 20
	}
	if p.folds < 0 || p.query < 0 || len(p.settings) == 0 {
		return nil, fmt.Errorf("pointjepa: FewShotConfig needs Folds ≥ 0, Query ≥ 0 and at least one setting (got %d, %d, %d settings)", p.folds, p.query, len(p.settings))
	}
	for _, s := range p.settings {
		if s.Way < 2 || s.Shot < 1 {
			return nil, fmt.Errorf("pointjepa: few-shot setting %s: want way ≥ 2 and shot ≥ 1", s)
		}
	}
	var err error
	if p.ytr, err = labelsOf(train, "train"); err != nil {
		return nil, err
	}
	if test != nil {
		if p.yte, err = labelsOf(test, "test"); err != nil {
			return nil, err
		}
	}
	p.episodes = make([][]fewShotEpisode, len(p.settings))
	for si, s := range p.settings {
		p.episodes[si] = make([]fewShotEpisode, p.folds)
		for f := range p.folds {
			sup, qry, err := drawEpisode(p.ytr, p.yte, s, p.query, randFor(cfg.Seed+uint64(f)))
			if err != nil {
				return nil, fmt.Errorf("pointjepa: few-shot %s fold %d: %w", s, f, err)
			}
			p.episodes[si][f] = fewShotEpisode{sup, qry}
		}
	}
	return p, nil
}

// randFor returns the generator of the fold with the given seed.
func randFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

// drawEpisode draws one episode's support indices (into ytr) and query
// indices (into ytr when yte is nil, else len(ytr)+index into yte).
func drawEpisode(ytr, yte []int, s FewShotSetting, query int, rng *rand.Rand) (support, qry []int, err error) {
	if yte == nil {
		ep, err := split.SampleEpisode(ytr, split.EpisodeConfig{Way: s.Way, Shot: s.Shot, Query: query}, rng)
		return ep.Support, ep.Query, err
	}
	tr, te := byClass(ytr), byClass(yte)
	var classes []int
	for c, idx := range tr {
		if len(idx) >= s.Shot && len(te[c]) >= query {
			classes = append(classes, c)
		}
	}
	if len(classes) < s.Way {
		return nil, nil, fmt.Errorf("%d-way episode needs %d classes with at least %d training and %d test clouds, found %d",
			s.Way, s.Way, s.Shot, query, len(classes))
	}
	slices.Sort(classes) // map order must not leak into the draw
	perm := rng.Perm(len(classes))[:s.Way]
	chosen := make([]int, s.Way)
	for i, j := range perm {
		chosen[i] = classes[j]
	}
	for _, c := range chosen {
		idx := tr[c]
		for _, j := range rng.Perm(len(idx))[:s.Shot] {
			support = append(support, idx[j])
		}
	}
	for _, c := range chosen {
		idx := te[c]
		for _, j := range rng.Perm(len(idx))[:query] {
			qry = append(qry, len(ytr)+idx[j])
		}
	}
	return support, qry, nil
}

// byClass lists the indices of every label.
func byClass(y []int) map[int][]int {
	m := map[int][]int{}
	for i, l := range y {
		m[l] = append(m[l], i)
	}
	return m
}

// gather copies the feature rows of the pool indices idx into a new matrix
// and returns it with their labels.
func gather(x *mat.Dense, d int, idx []int, row map[int]int, label func(int) int) (*mat.Dense, []int) {
	out := mat.NewDense(len(idx), d, nil)
	y := make([]int, len(idx))
	for k, i := range idx {
		out.SetRow(k, x.RawRowView(row[i]))
		y[k] = label(i)
	}
	return out, y
}
