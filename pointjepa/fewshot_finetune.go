package pointjepa

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nongrid/jepa/datasets"
)

// fewShotFinetuneProtocol is FewShotReport.Protocol of FewShotFinetune.
const fewShotFinetuneProtocol = "full fine-tuning per episode (a fresh copy of the model, Finetune with the given FinetuneConfig), " +
	"score = best query accuracy over the epochs (the reference's val_acc max); fold i: classes and K support clouds per class " +
	"from the training split, Q query clouds per class from the test split, drawn with math/rand/v2 PCG(seed+i, 0), " +
	"labels renumbered 0..N-1; the paper uses Point-BERT's fixed split pickles instead"

// FewShotFinetune is the paper's few-shot protocol (spec §2.2): for every
// setting and fold it draws the same episode as FewShot, fine-tunes a fresh
// copy of m (its tokenizer, positional MLP and student, with a new N-class
// head) on the support clouds with Finetune and cfg ft, and scores the best
// query accuracy over the epochs, as the reference reports val_acc's max.
// The episode's classes are renumbered 0..N-1 in draw order, as in
// Point-BERT's pickles. ft's zero value is Finetune's ModelNet40 setting;
// the reference's few-shot setting is 150 epochs, batch 32, label smoothing
// 0.2, scale U(0.6, 1.4), encoder trainable from the start.
//
// Each fold costs one fine-tuning run: 40 runs for the four paper settings.
// cfg.Probe and cfg.Batch are not used. cfg.RunDir and cfg.Shard record
// and split the episodes as for FewShot; here each shard fine-tunes only
// its own episodes.
func FewShotFinetune(ctx context.Context, m *Model, train, test *datasets.PointSet, cfg FewShotConfig, ft FinetuneConfig) (FewShotReport, error) {
	if m == nil {
		return FewShotReport{}, fmt.Errorf("pointjepa: FewShotFinetune needs a model")
	}
	p, err := planFewShot(train, test, cfg)
	if err != nil {
		return FewShotReport{}, err
	}
	protocol := fewShotFinetuneProtocol
	if test == nil {
		protocol = fewShotFinetuneProtocol + " (here: queries from the rest of the training split)"
	}
	rec, err := p.record(train, test, cfg, "finetune", m)
	if err != nil {
		return FewShotReport{}, err
	}
	ftr := ft.resolve()
	rec.Finetune = &ftr
	run, err := openFewShotRun(cfg, rec, protocol, 0)
	if err != nil {
		return FewShotReport{}, err
	}
	pending := run.pending()
	if len(pending) == 0 {
		return run.report()
	}
	dir, err := os.MkdirTemp("", "pointjepa-fewshot-")
	if err != nil {
		return FewShotReport{}, err
	}
	defer os.RemoveAll(dir)
	if err := m.Save(dir); err != nil {
		return FewShotReport{}, fmt.Errorf("pointjepa: saving the model for per-fold copies: %w", err)
	}
	for _, j := range pending {
		if err := ctx.Err(); err != nil {
			return FewShotReport{}, err
		}
		si, f := j/p.folds, j%p.folds
		s := p.settings[si]
		t0 := time.Now()
		// A fresh copy per episode, and Finetune seeds its own generators
		// from ft.Seed: an episode's result does not depend on the episodes
		// run before it in the process (TestFewShotFinetuneShards).
		sup, qry := episodeSets(train, test, p.episodes[si][f], s)
		copyOf, err := Load(dir)
		if err != nil {
			return FewShotReport{}, fmt.Errorf("pointjepa: loading the per-fold copy: %w", err)
		}
		r, err := Finetune(ctx, copyOf, sup, qry, ft, Options{Log: cfg.Log})
		if err != nil {
			return FewShotReport{}, fmt.Errorf("pointjepa: few-shot %s fold %d: %w", s, f, err)
		}
		job := FewShotJob{Accuracy: accuracyPercent(r.BestAcc), BestEpoch: r.BestEpoch, Seconds: time.Since(t0).Seconds()}
		if n := len(r.Losses); n > 0 {
			job.Loss = r.Losses[n-1]
		}
		if err := run.finish(j, job); err != nil {
			return FewShotReport{}, err
		}
	}
	return run.report()
}

// accuracyPercent converts a FinetuneResult accuracy to percent: Finetune
// reports a fraction in [0, 1], as the reference's val_acc.
func accuracyPercent(a float64) float64 { return 100 * a }

// episodeSets builds the support and query sets of an episode with labels
// renumbered 0..N-1 in the order the classes were drawn (the support holds
// Shot clouds of each class in turn).
func episodeSets(train, test *datasets.PointSet, ep fewShotEpisode, s FewShotSetting) (sup, qry *datasets.PointSet) {
	ntr := train.Len()
	cloud := func(i int) *datasets.PointCloud {
		if i < ntr {
			return &train.Clouds[i]
		}
		return &test.Clouds[i-ntr]
	}
	remap := map[int]int{}
	names := make([]string, 0, s.Way)
	for k := 0; k < len(ep.support); k += s.Shot {
		old := cloud(ep.support[k]).Label
		remap[old] = len(names)
		name := fmt.Sprint(old)
		if old < len(train.ClassNames) {
			name = train.ClassNames[old]
		}
		names = append(names, name)
	}
	build := func(idx []int, split string) *datasets.PointSet {
		out := &datasets.PointSet{ClassNames: names, Split: split, Clouds: make([]datasets.PointCloud, len(idx))}
		for k, i := range idx {
			c := cloud(i).Clone()
			c.Label = remap[c.Label]
			out.Clouds[k] = c
		}
		return out
	}
	return build(ep.support, "train"), build(ep.query, "test")
}
