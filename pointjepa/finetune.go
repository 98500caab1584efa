package pointjepa

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// FinetuneConfig configures Finetune (spec §2.3). Its zero value is the
// reference's ModelNet40 fine-tuning (configs/Point-JEPA/classification/
// modelnet40.yaml): 200 epochs, batch 32, the transformer frozen for the
// first 150 (tokenizer, positional MLP and head train from epoch 0), AdamW
// lr 1e-3 and weight decay 0.05, 10 warmup epochs from 1e-6 then a cosine to
// 1e-6 (per epoch), gradient clipping at norm 10, cross entropy with label
// smoothing 0.1, encoder dropout 0 / attention dropout 0 / drop-path 0.2,
// anisotropic scale U(0.6, 1.4), no rotation. For rates a negative value
// means 0. See FinetunePreset for the other settings of the reference.
type FinetuneConfig struct {
	Epochs       int `json:"epochs"`        // 0 means 200
	FreezeEpochs int `json:"freeze_epochs"` // epochs with the transformer frozen; 0 means 150, negative none
	BatchSize    int `json:"batch_size"`    // 0 means 32

	LR            float64 `json:"lr"`              // 0 means 1e-3
	WarmupEpochs  int     `json:"warmup_epochs"`   // 0 means 10, negative none
	WarmupStartLR float64 `json:"warmup_start_lr"` // 0 means 1e-6
	MinLR         float64 `json:"min_lr"`          // 0 means 1e-6
	WeightDecay   float64 `json:"weight_decay"`    // 0 means 0.05
	ClipGradNorm  float64 `json:"clip_grad_norm"`  // 0 means 10

	LabelSmoothing float64 `json:"label_smoothing"` // 0 means 0.1
	Dropout        float64 `json:"dropout"`         // encoder dropout; 0 means 0
	AttnDropout    float64 `json:"attn_dropout"`    // 0 means 0
	DropPath       float64 `json:"drop_path"`       // 0 means 0.2

	HeadHidden  int     `json:"head_hidden"`  // 0 means 256
	HeadDropout float64 `json:"head_dropout"` // 0 means 0.5

	ScaleMin float64 `json:"scale_min"` // both 0 means 0.6, 1.4 (one draw per batch)
	ScaleMax float64 `json:"scale_max"`
	Rotate   bool    `json:"rotate,omitempty"` // random rotation about y (ScanObjectNN)

	Seed uint64 `json:"seed"` // head init, data order, augmentation, dropout
}

// FinetunePreset returns the reference's fine-tuning settings (§2.2–2.3):
// "modelnet40" (the zero FinetuneConfig), "fewshot" (150 epochs, encoder
// trainable from the start, label smoothing 0.2, drop-path 0.2), and
// "scanobjectnn" (PB-T50-RS: 150 epochs, frozen for 100, scale U(0.9, 1.1)
// with rotation, dropout 0.1, attention dropout 0.05, label smoothing 0.2;
// the reference also tokenises its 2048 points into 128 groups: set
// Config.Points and Config.Groups of the model accordingly).
func FinetunePreset(name string) (FinetuneConfig, error) {
	switch name {
	case "modelnet40":
		return FinetuneConfig{}.resolve(), nil
	case "fewshot":
		return FinetuneConfig{Epochs: 150, FreezeEpochs: -1, LabelSmoothing: 0.2}.resolve(), nil
	case "scanobjectnn":
		return FinetuneConfig{Epochs: 150, FreezeEpochs: 100, ScaleMin: 0.9, ScaleMax: 1.1, Rotate: true,
			Dropout: 0.1, AttnDropout: 0.05, LabelSmoothing: 0.2}.resolve(), nil
	}
	return FinetuneConfig{}, fmt.Errorf("pointjepa: unknown fine-tuning preset %q (known: fewshot, modelnet40, scanobjectnn)", name)
}

func (c FinetuneConfig) resolve() FinetuneConfig {
	def := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	deff := func(p *float64, d float64) {
		if *p == 0 {
			*p = d
		}
	}
	def(&c.Epochs, 200)
	def(&c.FreezeEpochs, 150)
	def(&c.BatchSize, 32)
	deff(&c.LR, 1e-3)
	def(&c.WarmupEpochs, 10)
	deff(&c.WarmupStartLR, 1e-6)
	deff(&c.MinLR, 1e-6)
	deff(&c.WeightDecay, 0.05)
	deff(&c.ClipGradNorm, 10)
	deff(&c.LabelSmoothing, 0.1)
	deff(&c.DropPath, 0.2)
	def(&c.HeadHidden, 256)
	deff(&c.HeadDropout, 0.5)
	if c.ScaleMin == 0 && c.ScaleMax == 0 {
		c.ScaleMin, c.ScaleMax = 0.6, 1.4
	}
	return c
}

func (c FinetuneConfig) check() error {
	switch {
	case c.Epochs < 1:
		return fmt.Errorf("pointjepa: FinetuneConfig.Epochs = %d, want ≥ 1", c.Epochs)
	case c.BatchSize < 2:
		return fmt.Errorf("pointjepa: FinetuneConfig.BatchSize = %d, want ≥ 2 (BatchNorm)", c.BatchSize)
	case c.HeadHidden < 1:
		return fmt.Errorf("pointjepa: FinetuneConfig.HeadHidden = %d, want ≥ 1", c.HeadHidden)
	case !(c.LR > 0), !(c.WarmupStartLR > 0), !(c.MinLR > 0):
		return fmt.Errorf("pointjepa: FinetuneConfig learning rates (LR %v, WarmupStartLR %v, MinLR %v) must be positive", c.LR, c.WarmupStartLR, c.MinLR)
	case c.WarmupEpochs > 0 && c.WarmupEpochs >= c.Epochs:
		return fmt.Errorf("pointjepa: FinetuneConfig.WarmupEpochs = %d, want < Epochs = %d", c.WarmupEpochs, c.Epochs)
	case !(c.LabelSmoothing < 1), !(c.Dropout < 1), !(c.AttnDropout < 1), !(c.DropPath < 1), !(c.HeadDropout < 1):
		return fmt.Errorf("pointjepa: FinetuneConfig rates must be < 1 (label smoothing %v, dropout %v, attention dropout %v, drop-path %v, head dropout %v)",
			c.LabelSmoothing, c.Dropout, c.AttnDropout, c.DropPath, c.HeadDropout)
	case !(c.ScaleMin > 0 && c.ScaleMin <= c.ScaleMax):
		return fmt.Errorf("pointjepa: FinetuneConfig.ScaleMin, ScaleMax = %v, %v, want 0 < min ≤ max", c.ScaleMin, c.ScaleMax)
	}
	return nil
}

// FinetuneResult is what Finetune reports. Accuracies are fractions in [0, 1].
type FinetuneResult struct {
	BestAcc   float64   `json:"best_acc"`   // highest test accuracy over the epochs (the reference's val_acc max)
	LastAcc   float64   `json:"last_acc"`   // test accuracy after the last epoch
	BestEpoch int       `json:"best_epoch"` // 0-based epoch of BestAcc
	Accs      []float64 `json:"accs"`       // test accuracy after every epoch
	Losses    []float64 `json:"losses"`     // mean training loss of every epoch
	Classes   int       `json:"classes"`
}

// Finetune trains m's tokenizer, positional MLP and student encoder with a
// new classification head on train, evaluating on test after every epoch
// (spec §2.3, the reference's PointJepaClassification): features are the
// [max, mean] pooling of Embed, the head is Linear(2·Width→H, no bias) →
// BatchNorm → ReLU → Dropout → Linear(H→H, no bias) → BatchNorm → ReLU →
// Dropout → Linear(H→classes) ("cls_head.0" … "cls_head.8"), the loss is the
// label-smoothed cross entropy. The transformer is frozen for the first
// FreezeEpochs epochs (no gradient, no weight decay, as requires_grad False
// in torch) while the tokenizer, the positional MLP and the head train.
// Training batches get the anisotropic scale (and rotation), centring and
// unit sphere; test clouds centring and unit sphere; clouds larger than
// Config.Points are FPS-subsampled. The last partial training batch is
// dropped when it holds a single cloud (BatchNorm needs two).
//
// m is modified: afterwards it holds the fine-tuned tokenizer, positional
// MLP and student (copy it with Save/Load first to keep the pretrained
// one). Labels must lie in [0, number of classes), the classes being
// len(train.ClassNames), or 1 + the largest label when ClassNames is empty.
// opt.Log gets one line per epoch; opt.RunDir is not used.
func Finetune(ctx context.Context, m *Model, train, test *datasets.PointSet, cfg FinetuneConfig, opt Options) (FinetuneResult, error) {
	cfg = cfg.resolve()
	if err := cfg.check(); err != nil {
		return FinetuneResult{}, err
	}
	if m == nil {
		return FinetuneResult{}, fmt.Errorf("pointjepa: Finetune needs a model")
	}
	if train == nil || train.Len() < 2 || test == nil || test.Len() == 0 {
		return FinetuneResult{}, fmt.Errorf("pointjepa: Finetune needs at least 2 training clouds and 1 test cloud")
	}
	classes := len(train.ClassNames)
	for _, s := range []*datasets.PointSet{train, test} {
		for i := range s.Clouds {
			if len(train.ClassNames) == 0 {
				classes = max(classes, s.Clouds[i].Label+1)
			}
		}
	}
	for si, s := range []*datasets.PointSet{train, test} {
		for i := range s.Clouds {
			if l := s.Clouds[i].Label; l < 0 || l >= classes {
				return FinetuneResult{}, fmt.Errorf("pointjepa: Finetune: %s set, %s: label %d outside [0, %d)", []string{"training", "test"}[si], cloudLabel(i, &s.Clouds[i]), l, classes)
			}
		}
	}
	if classes < 2 {
		return FinetuneResult{}, fmt.Errorf("pointjepa: Finetune needs at least 2 classes, got %d", classes)
	}
	c := m.cfg
	for _, s := range []*datasets.PointSet{train, test} {
		if err := checkClouds(s.Clouds, &c, max(c.Groups, c.GroupSize)); err != nil {
			return FinetuneResult{}, err
		}
	}
	ft, err := newFinetuner(m, cfg, classes)
	if err != nil {
		return FinetuneResult{}, err
	}
	defer ft.close()
	res, err := ft.run(ctx, train, test, opt)
	ft.copyBack()
	return res, err
}

// finetuner is a fine-tuning run: a copy of the model built with the
// fine-tuning dropouts, its head and optimizer.
type finetuner struct {
	m       *Model // the caller's
	fm      *Model // fine-tuning copy (dropouts of cfg)
	cfg     FinetuneConfig
	classes int
	head    *clsHead
	params  []*nn.Param // optimised: tokenizer, positions, student, head
	frozen  []*nn.Param // the student's, frozen for FreezeEpochs
	grads   map[*nn.Param]*tensor.Dense
	opt     *nn.Adam
	rng     *rand.Rand
	train   map[int]*clsProgram
	eval    map[int]*clsProgram
	emb     *embedder
	labels  []int
}

func newFinetuner(m *Model, cfg FinetuneConfig, classes int) (*finetuner, error) {
	fc := m.cfg
	fc.Dropout, fc.AttnDropout, fc.DropPath = offIfZero(cfg.Dropout), offIfZero(cfg.AttnDropout), offIfZero(cfg.DropPath)
	fm, err := New(fc)
	if err != nil {
		return nil, err
	}
	copyParams(&fm.params, &m.params)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x66696e65)) // "fine"
	ft := &finetuner{m: m, fm: fm, cfg: cfg, classes: classes, rng: rng,
		head:  newClsHead(2*fc.Width, cfg.HeadHidden, classes, cfg.HeadDropout, rng),
		grads: map[*nn.Param]*tensor.Dense{},
		train: map[int]*clsProgram{}, eval: map[int]*clsProgram{},
	}
	ft.emb = &embedder{cfg: &fm.cfg, grouper: datasets.Grouper{NumGroups: fc.Groups, GroupSize: fc.GroupSize, Workers: fc.Workers}}
	for _, set := range []*nn.Params{fm.tok.Params(), fm.pos.Params(), fm.student.Params(), ft.head.Params()} {
		for _, p := range set.List() {
			if !p.Buffer && p.Grad != nil {
				ft.params = append(ft.params, p)
			}
		}
	}
	if fm.pma != nil {
		ft.params = append(ft.params, fm.pma.Params().Trainable()...)
	}
	ft.frozen = fm.student.Params().List()
	ft.opt = nn.NewAdamW(ft.params, nn.AdamConfig{LR: cfg.LR, WeightDecay: noneIfOff(cfg.WeightDecay), DecayAll: true})
	return ft, nil
}

// offIfZero maps a FinetuneConfig rate (0 means 0) to a Config rate (0 means
// the pretraining default, negative 0).
func offIfZero(r float64) float64 {
	if r <= 0 {
		return -1
	}
	return r
}

func (ft *finetuner) close() {
	for _, p := range ft.train {
		p.prog.Close()
	}
	for _, p := range ft.eval {
		p.prog.Close()
	}
	ft.train, ft.eval = map[int]*clsProgram{}, map[int]*clsProgram{}
}

// freeze removes (or restores) the student's gradients; programs are rebuilt.
func (ft *finetuner) freeze(on bool) {
	for _, p := range ft.frozen {
		if on && p.Grad != nil {
			ft.grads[p], p.Grad = p.Grad, nil
		} else if !on && p.Grad == nil {
			p.Grad = ft.grads[p]
			p.ZeroGrad()
		}
	}
	ft.close()
}

// copyBack writes the fine-tuned tokenizer, positions and student into the
// caller's model.
func (ft *finetuner) copyBack() {
	ft.freeze(false)
	for _, p := range ft.m.params.List() {
		if strings.HasPrefix(p.Name, "tokenizer.") || strings.HasPrefix(p.Name, "positional_encoding.") || strings.HasPrefix(p.Name, "student.") || strings.HasPrefix(p.Name, "readout.") {
			copyParam(p, ft.fm.params.Get(p.Name))
		}
	}
	ft.m.closeEmbed()
}

func (ft *finetuner) run(ctx context.Context, train, test *datasets.PointSet, opt Options) (FinetuneResult, error) {
	cfg := ft.cfg
	res := FinetuneResult{Classes: ft.classes, BestEpoch: -1}
	sched := nn.WarmupCosine{BaseLR: cfg.LR, WarmupStartLR: cfg.WarmupStartLR, EtaMin: cfg.MinLR, Warmup: max(cfg.WarmupEpochs, 0), Total: cfg.Epochs}
	frozen := cfg.FreezeEpochs > 0
	if frozen {
		ft.freeze(true)
	}
	perm := make([]int, train.Len())
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		if frozen && epoch >= cfg.FreezeEpochs {
			frozen = false
			ft.freeze(false)
		}
		ft.opt.SetLR(sched.LR(epoch))
		for i := range perm {
			perm[i] = i
		}
		ft.rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		var lossSum float64
		var seen int
		for lo := 0; lo < len(perm); lo += cfg.BatchSize {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			hi := min(lo+cfg.BatchSize, len(perm))
			if hi-lo < 2 {
				break
			}
			l, err := ft.trainStep(train, perm[lo:hi])
			if err != nil {
				return res, fmt.Errorf("pointjepa: Finetune epoch %d: %w", epoch, err)
			}
			lossSum += l * float64(hi-lo)
			seen += hi - lo
		}
		acc, err := ft.accuracy(test)
		if err != nil {
			return res, fmt.Errorf("pointjepa: Finetune epoch %d: %w", epoch, err)
		}
		res.Accs = append(res.Accs, acc)
		res.Losses = append(res.Losses, lossSum/float64(max(seen, 1)))
		res.LastAcc = acc
		if res.BestEpoch < 0 || acc > res.BestAcc {
			res.BestAcc, res.BestEpoch = acc, epoch
		}
		if opt.Log != nil {
			state := "encoder trainable"
			if frozen {
				state = "encoder frozen"
			}
			fmt.Fprintf(opt.Log, "finetune: epoch %d/%d loss %.4f test acc %.2f%% (best %.2f%% at %d), lr %.3g, %s\n",
				epoch+1, cfg.Epochs, res.Losses[epoch], 100*acc, 100*res.BestAcc, res.BestEpoch, ft.opt.LR(), state)
		}
	}
	return res, nil
}

// trainStep runs one optimizer step on the clouds idx of set.
func (ft *finetuner) trainStep(set *datasets.PointSet, idx []int) (float64, error) {
	cfg := ft.cfg
	clouds := make([]datasets.PointCloud, len(idx))
	ft.labels = ft.labels[:0]
	for j, i := range idx {
		clouds[j] = set.Clouds[i]
		ft.labels = append(ft.labels, set.Clouds[i].Label)
	}
	aug := augment{scale: datasets.AnisotropicScale{Min: cfg.ScaleMin, Max: cfg.ScaleMax}, rotate: cfg.Rotate}
	if err := ft.emb.groupChunkAug(clouds, 0, ft.rng, &aug); err != nil {
		return 0, err
	}
	p, err := ft.program(ft.train, len(idx), true)
	if err != nil {
		return 0, err
	}
	if err := p.patches.Set(ft.emb.patches); err != nil {
		return 0, err
	}
	if err := p.centers.Set(ft.emb.centers); err != nil {
		return 0, err
	}
	copy(p.labels, ft.labels)
	ft.opt.ZeroGrad()
	if err := p.prog.Run(); err != nil {
		return 0, err
	}
	loss := p.prog.Loss()
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return 0, fmt.Errorf("non-finite loss %v", loss)
	}
	nn.ClipGradNorm(ft.params, cfg.ClipGradNorm)
	ft.opt.Step()
	return loss, nil
}

// accuracy returns the fraction of test clouds classified correctly.
func (ft *finetuner) accuracy(test *datasets.PointSet) (float64, error) {
	return ft.accuracyMode(test, false)
}

func (ft *finetuner) accuracyMode(test *datasets.PointSet, trainMode bool) (float64, error) {
	rng := rand.New(rand.NewPCG(ft.cfg.Seed, 0x74657374)) // "test": the same FPS starts every epoch
	correct := 0
	for lo := 0; lo < test.Len(); lo += EmbedBatch {
		hi := min(lo+EmbedBatch, test.Len())
		if err := ft.emb.groupChunk(test.Clouds[lo:hi], lo, rng); err != nil {
			return 0, err
		}
		p, err := ft.programMode(ft.eval, hi-lo, false, trainMode)
		if err != nil {
			return 0, err
		}
		if err := p.patches.Set(ft.emb.patches); err != nil {
			return 0, err
		}
		if err := p.centers.Set(ft.emb.centers); err != nil {
			return 0, err
		}
		if err := p.prog.Run(); err != nil {
			return 0, err
		}
		logits := p.logits.Value().Data().([]float32)
		C := ft.classes
		for i := lo; i < hi; i++ {
			row := logits[(i-lo)*C : (i-lo+1)*C]
			best := 0
			for c, v := range row {
				if v > row[best] {
					best = c
				}
			}
			if best == test.Clouds[i].Label {
				correct++
			}
		}
	}
	return float64(correct) / float64(test.Len()), nil
}

// clsProgram is a compiled classification pass for B clouds: with a loss in
// training mode, logits only in evaluation mode.
type clsProgram struct {
	prog             *nn.Program
	patches, centers *nn.Input
	labels           []int
	logits           *nn.Output
}

func (ft *finetuner) program(cache map[int]*clsProgram, B int, train bool) (cp *clsProgram, err error) {
	return ft.programMode(cache, B, train, train)
}

func (ft *finetuner) programMode(cache map[int]*clsProgram, B int, train, trainMode bool) (cp *clsProgram, err error) {
	if p, ok := cache[B]; ok {
		return p, nil
	}
	defer catch(&err, "building the classification graph")
	c := &ft.fm.cfg
	g := nn.NewGraph(nn.GraphConfig{Train: trainMode, Rand: ft.rng})
	cp = &clsProgram{labels: make([]int, B)}
	cp.patches = g.Input("patches", B*c.Groups, c.GroupSize, 3)
	cp.centers = g.Input("centers", B*c.Groups, 3)
	f, err := ft.fm.features(g, cp.patches.Node, cp.centers.Node, B)
	if err != nil {
		return nil, err
	}
	logits, err := ft.head.forward(g, f)
	if err != nil {
		return nil, err
	}
	var loss *G.Node
	if train {
		if loss, err = crossEntropy(logits, cp.labels, offZero(ft.cfg.LabelSmoothing)); err != nil {
			return nil, err
		}
	} else {
		cp.logits = g.Read(logits)
	}
	if cp.prog, err = nn.Compile(g, loss); err != nil {
		return nil, err
	}
	cache[B] = cp
	return cp, nil
}

func offZero(r float64) float64 { return max(r, 0) }

// clsHead is the reference's MLP classification head (cls_head).
type clsHead struct {
	l0, l4, l8 *nn.Linear
	bn1, bn5   *nn.BatchNorm
	drop       float64
	params     nn.Params
}

func newClsHead(in, hidden, classes int, drop float64, rng *rand.Rand) *clsHead {
	h := &clsHead{drop: offZero(drop),
		l0:  nn.NewLinear("cls_head.0", in, hidden, nn.LinearConfig{NoBias: true}, rng),
		bn1: nn.NewBatchNorm("cls_head.1", hidden, nn.BatchNormConfig{}),
		l4:  nn.NewLinear("cls_head.4", hidden, hidden, nn.LinearConfig{NoBias: true}, rng),
		bn5: nn.NewBatchNorm("cls_head.5", hidden, nn.BatchNormConfig{}),
		l8:  nn.NewLinear("cls_head.8", hidden, classes, nn.LinearConfig{}, rng),
	}
	h.params.AddAll(h.l0.Params(), h.bn1.Params(), h.l4.Params(), h.bn5.Params(), h.l8.Params())
	return h
}

func (h *clsHead) Params() *nn.Params { return &h.params }

func (h *clsHead) forward(g *nn.Graph, x *G.Node) (*G.Node, error) {
	var err error
	for _, st := range []struct {
		l  *nn.Linear
		bn *nn.BatchNorm
	}{{h.l0, h.bn1}, {h.l4, h.bn5}} {
		if x, err = st.l.Forward(g, x); err != nil {
			return nil, err
		}
		if x, err = st.bn.Forward(g, x); err != nil {
			return nil, err
		}
		if x, err = nn.ReLU(x); err != nil {
			return nil, err
		}
		if x, err = (nn.Dropout{P: h.drop}).Forward(g, x); err != nil {
			return nil, err
		}
	}
	return h.l8.Forward(g, x)
}

// copyParams copies every tensor of src into the tensor of dst with the same
// name; the two models share a configuration up to dropout rates, so names
// and shapes agree.
func copyParams(dst, src *nn.Params) {
	for _, p := range dst.List() {
		if q := src.Get(p.Name); q != nil {
			copyParam(p, q)
		}
	}
}

// copyParam is p.CopyFrom(q), also for 0-dim int64 tensors
// (num_batches_tracked), which nn's CopyFrom does not handle.
func copyParam(p, q *nn.Param) {
	if p.Dtype() == tensor.Int64 {
		copy(p.Int64s(), q.Int64s())
		return
	}
	p.CopyFrom(q)
}
