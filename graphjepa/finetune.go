package graphjepa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
	"github.com/nongrid/jepa/probe"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
)

// TaskData are graphs with multi-task labels, for FineTune: Labels and
// Present hold len(Graphs)·tasks entries, row-major (graph i's task t at
// i·tasks + t); Present is false where a label is missing (its Labels entry
// is ignored). datasets.MoleculeSet's Labels and Mask have this layout.
type TaskData struct {
	Graphs  []*datasets.Graph
	Labels  []float32
	Present []bool
}

// FineTuneConfig holds the settings of FineTune. The zero value is
// pretrain-gnns' finetune.py (Hu et al., ICLR 2020, snap-stanford/
// pretrain-gnns chem/finetune.py): 100 epochs of batch 32, Adam lr 1e-3
// without weight decay, dropout 0.5, masked binary cross-entropy.
type FineTuneConfig struct {
	// Epochs is the number of passes over the training graphs; 0 means 100.
	Epochs int `json:"epochs"`
	// BatchSize is the number of graphs per step; 0 means 32.
	BatchSize int `json:"batch_size"`
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64 `json:"lr"`
	// WeightDecay is Adam's L2 coefficient; 0 means none (pretrain-gnns'
	// --decay 0).
	WeightDecay float64 `json:"weight_decay,omitempty"`
	// Dropout is applied to the graph embedding before the task head in
	// training steps; 0 means 0.5 (pretrain-gnns' drop_ratio, which it
	// applies after every GIN layer: our encoder is Graph-JEPA's, so the
	// one place every architecture shares is the pooled embedding), a
	// negative value none.
	Dropout float64 `json:"dropout"`
	// Regression fits real-valued tasks with the masked squared error on
	// targets standardised by the training labels' mean and standard
	// deviation (per task) and reports RMSE in the original units; false
	// fits 0/1 tasks with the masked BCE and reports ROC-AUC.
	Regression bool `json:"regression,omitempty"`
	// Seed seeds the head's initialisation, the batch order, the dropout
	// masks and the slot placement; 0 is a valid seed.
	Seed uint64 `json:"seed"`
}

func (c FineTuneConfig) withDefaults() FineTuneConfig {
	if c.Epochs == 0 {
		c.Epochs = 100
	}
	if c.BatchSize == 0 {
		c.BatchSize = 32
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.Dropout == 0 {
		c.Dropout = 0.5
	}
	if c.Dropout < 0 {
		c.Dropout = 0
	}
	return c
}

func (c FineTuneConfig) validate() error {
	switch {
	case c.Epochs < 0:
		return fmt.Errorf("graphjepa: FineTuneConfig.Epochs = %d: want ≥ 1 (0 means 100)", c.Epochs)
	case c.BatchSize < 0:
		return fmt.Errorf("graphjepa: FineTuneConfig.BatchSize = %d: want ≥ 1 (0 means 32)", c.BatchSize)
	case !(c.LR >= 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("graphjepa: FineTuneConfig.LR = %v: want > 0 (0 means 1e-3)", c.LR)
	case !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0):
		return fmt.Errorf("graphjepa: FineTuneConfig.WeightDecay = %v: want ≥ 0", c.WeightDecay)
	case c.Dropout >= 1 || math.IsNaN(c.Dropout):
		return fmt.Errorf("graphjepa: FineTuneConfig.Dropout = %v: want < 1 (0 means 0.5, negative none)", c.Dropout)
	}
	return nil
}

// FineTuneEpoch is one epoch of FineTune: the mean training loss over its
// steps and the validation and test metric after it (the mean over tasks of
// ROC-AUC, or of RMSE for Regression; NaN when no task could be scored).
type FineTuneEpoch struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	Valid     float64 `json:"valid"`
	Test      float64 `json:"test"`
	Seconds   float64 `json:"seconds"`
}

// FineTuned is a Graph-JEPA encoder fine-tuned with a linear task head
// (FineTune). Its Epochs record the run.
type FineTuned struct {
	m          *Model
	head       *nn.Linear
	tasks      int
	regression bool
	dropout    float64
	mean, std  []float64 // regression: the training labels' per-task mean and std
	trainable  []*nn.Param

	// Epochs are the per-epoch records of the run.
	Epochs []FineTuneEpoch
	// ScoredTasks are the tasks of the validation and test metrics: those
	// with both classes present in that split (pretrain-gnns skips the
	// others), or with at least one label (Regression).
	ScoredValid, ScoredTest []int
}

// Final returns the test metric after the last epoch (what pretrain-gnns'
// finetune.py logs last).
func (f *FineTuned) Final() float64 { return f.Epochs[len(f.Epochs)-1].Test }

// AtBestValid returns the test metric at the first epoch with the best
// validation metric (highest ROC-AUC, lowest RMSE) and that epoch (1-based).
func (f *FineTuned) AtBestValid() (test float64, epoch int) {
	best := math.NaN()
	for _, e := range f.Epochs {
		if math.IsNaN(e.Valid) {
			continue
		}
		if math.IsNaN(best) || (!f.regression && e.Valid > best) || (f.regression && e.Valid < best) {
			best, test, epoch = e.Valid, e.Test, e.Epoch
		}
	}
	if epoch == 0 {
		return math.NaN(), 0
	}
	return test, epoch
}

// FineTune trains a copy of m's encoder — the input and edge encoders, the
// GINE patch encoder with its mixing U, the patch PE encoder and the
// target transformer that Embed uses, ending in the same masked mean —
// together with a new Linear(d → tasks) head on the embedding, on train
// (cfg's epochs, Adam, dropout before the head, BatchNorm in training
// mode), and measures valid and test after every epoch (eval mode). m is
// not changed. Graphs are patched with the evaluation transform (no edge
// drop: fine-tuning has no augmentation in pretrain-gnns) in a background
// Stream.
//
// Classification (cfg.Regression false) needs 0/1 labels; a task is scored
// on a split when both classes are present there. Bad input — graphs that
// do not fit m, label arrays of the wrong length, a non-0/1 label, no
// labelled training graph — is an error; a non-finite training loss stops
// the run with a *jepa.NonFiniteError naming the step and the tensor.
func FineTune(ctx context.Context, m *Model, tasks int, train, valid, test TaskData, cfg FineTuneConfig, log io.Writer) (*FineTuned, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if tasks < 1 {
		return nil, fmt.Errorf("graphjepa: FineTune: %d tasks, want ≥ 1", tasks)
	}
	parts := []struct {
		name string
		d    TaskData
	}{{"train", train}, {"valid", valid}, {"test", test}}
	var all []*datasets.Graph
	for _, p := range parts {
		if len(p.d.Labels) != len(p.d.Graphs)*tasks || len(p.d.Present) != len(p.d.Graphs)*tasks {
			return nil, fmt.Errorf("graphjepa: FineTune: %s: %d graphs × %d tasks but %d labels and %d presence flags",
				p.name, len(p.d.Graphs), tasks, len(p.d.Labels), len(p.d.Present))
		}
		all = append(all, p.d.Graphs...)
	}
	if len(train.Graphs) == 0 {
		return nil, errors.New("graphjepa: FineTune: no training graphs")
	}
	if err := m.checkGraphs(all); err != nil {
		return nil, fmt.Errorf("graphjepa: FineTune: %w", err)
	}
	f := newFineTuned(m, tasks, cfg)
	if cfg.Regression {
		if err := f.standardise(train); err != nil {
			return nil, err
		}
	}
	patcher, err := NewPatcher(f.m.cfg.Patch, all)
	if err != nil {
		return nil, fmt.Errorf("graphjepa: FineTune: %w", err)
	}
	nTr, nVa := len(train.Graphs), len(valid.Graphs)
	labels := append(append(append([]float32(nil), train.Labels...), valid.Labels...), test.Labels...)
	present := append(append(append([]bool(nil), train.Present...), valid.Present...), test.Present...)
	if !cfg.Regression {
		for i, ok := range present {
			if ok && labels[i] != 0 && labels[i] != 1 {
				return nil, fmt.Errorf("graphjepa: FineTune: graph %d task %d has label %v; classification needs 0 or 1 (set FineTuneConfig.Regression for real values)", i/tasks, i%tasks, labels[i])
			}
		}
	} else {
		labels = f.scaled(labels)
	}
	span := func(lo, hi int) []int {
		idx := make([]int, hi-lo)
		for i := range idx {
			idx[i] = lo + i
		}
		return idx
	}
	evalSets := []*fineTuneEval{
		newFineTuneEval(span(nTr, nTr+nVa), labels, present, tasks, cfg.Regression),
		newFineTuneEval(span(nTr+nVa, len(all)), labels, present, tasks, cfg.Regression),
	}
	f.ScoredValid, f.ScoredTest = evalSets[0].scored, evalSets[1].scored

	opt := nn.NewAdam(f.trainable, nn.AdamConfig{LR: cfg.LR, WeightDecay: cfg.WeightDecay})
	if cfg.WeightDecay == 0 {
		opt = nn.NewAdam(f.trainable, nn.AdamConfig{LR: cfg.LR, WeightDecay: -1})
	}
	stream, err := patcher.Stream(ctx, StreamConfig{Indices: span(0, nTr), BatchSize: cfg.BatchSize, Shuffle: true,
		Seed: cfg.Seed ^ 0xf1_7e_70_7e, Epochs: cfg.Epochs})
	if err != nil {
		return nil, fmt.Errorf("graphjepa: FineTune: %w", err)
	}
	defer stream.Close()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xd20_90a7)) // dropout masks
	var peBuf []float32
	step := 0
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		t0 := time.Now()
		var sum float64
		var steps int
		for range stream.BatchesPerEpoch() {
			if err := ctx.Err(); err != nil {
				return f, err
			}
			b, err := stream.Next()
			if err != nil {
				return f, fmt.Errorf("graphjepa: FineTune: epoch %d: %w", epoch, err)
			}
			step++
			y, w, n := batchLabels(b, labels, present, tasks)
			if n == 0 {
				continue // no label in this batch: no loss, no step
			}
			pe := peFor(b, batchPoolsMax(f.m.cfg.Patch.PEPooling, false), encodePoolsMax(f.m.cfg.Patch.PEPooling),
				func(i int) []float32 { return patcher.NodeRWSE(b.Graphs[i]) }, &peBuf)
			opt.ZeroGrad()
			loss, err := f.trainStep(b, pe, y, w, rng)
			if err != nil {
				return f, fmt.Errorf("graphjepa: FineTune: step %d: %w", step, err)
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return f, &jepa.NonFiniteError{Step: step, Tensor: "loss", Value: loss}
			}
			opt.Step()
			sum += loss
			steps++
		}
		rec := FineTuneEpoch{Epoch: epoch, TrainLoss: sum / float64(max(steps, 1))}
		for k, es := range evalSets {
			v, err := f.score(es, patcher)
			if err != nil {
				return f, fmt.Errorf("graphjepa: FineTune: epoch %d: %w", epoch, err)
			}
			if k == 0 {
				rec.Valid = v
			} else {
				rec.Test = v
			}
		}
		rec.Seconds = time.Since(t0).Seconds()
		f.Epochs = append(f.Epochs, rec)
		if log != nil {
			fmt.Fprintf(log, "fine-tune epoch %d/%d: loss %.4f, valid %.4f, test %.4f (%.1f s)\n",
				epoch, cfg.Epochs, rec.TrainLoss, rec.Valid, rec.Test, rec.Seconds)
		}
	}
	return f, nil
}

// newFineTuned copies m, makes its target encoder trainable and adds the
// head.
func newFineTuned(m *Model, tasks int, cfg FineTuneConfig) *FineTuned {
	c := newModel(m.cfg, m.f, m.ef, m.dt)
	if err := c.params.CopyFrom(&m.params); err != nil {
		panic("graphjepa: " + err.Error()) // same construction: cannot differ
	}
	c.dense = m.dense
	for _, p := range c.target.ps.List() {
		p.Buffer = false
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x4ead))
	f := &FineTuned{m: c, tasks: tasks, regression: cfg.Regression, dropout: cfg.Dropout,
		head: nn.NewLinear("head", c.cfg.Hidden, tasks, nn.LinearConfig{Dtype: c.dt}, rng)}
	for _, p := range c.params.List() {
		if p.Buffer || strings.HasPrefix(p.Name, "context_encoder.") || strings.HasPrefix(p.Name, "target_predictor.") ||
			strings.HasPrefix(p.Name, "rw_encoder.") {
			continue
		}
		f.trainable = append(f.trainable, p)
	}
	f.trainable = append(f.trainable, f.head.Params().List()...)
	return f
}

// standardise records the per-task mean and standard deviation of the
// training labels (population std; 1 when it is 0).
func (f *FineTuned) standardise(train TaskData) error {
	T := f.tasks
	f.mean, f.std = make([]float64, T), make([]float64, T)
	for t := range T {
		var s, s2 float64
		n := 0
		for i := range train.Graphs {
			if train.Present[i*T+t] {
				v := float64(train.Labels[i*T+t])
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("graphjepa: FineTune: training graph %d task %d has label %v", i, t, v)
				}
				s += v
				s2 += v * v
				n++
			}
		}
		if n == 0 {
			return fmt.Errorf("graphjepa: FineTune: task %d has no training label", t)
		}
		f.mean[t] = s / float64(n)
		f.std[t] = math.Sqrt(max(s2/float64(n)-f.mean[t]*f.mean[t], 0))
		if f.std[t] == 0 {
			f.std[t] = 1
		}
	}
	return nil
}

// scaled returns labels standardised per task.
func (f *FineTuned) scaled(labels []float32) []float32 {
	out := make([]float32, len(labels))
	for i, v := range labels {
		t := i % f.tasks
		out[i] = float32((float64(v) - f.mean[t]) / f.std[t])
	}
	return out
}

// batchLabels gathers the labels of b's graphs (indices into the patcher's
// graphs) and counts the present ones.
func batchLabels(b *PatchBatch, labels []float32, present []bool, T int) ([]float32, []bool, int) {
	y := make([]float32, b.B*T)
	w := make([]bool, b.B*T)
	n := 0
	for r, gi := range b.Graphs {
		copy(y[r*T:(r+1)*T], labels[gi*T:(gi+1)*T])
		copy(w[r*T:(r+1)*T], present[gi*T:(gi+1)*T])
		for _, ok := range w[r*T : (r+1)*T] {
			if ok {
				n++
			}
		}
	}
	return y, w, n
}

// forward adds encode() → dropout → head over b to g and returns the
// outputs [B, tasks].
func (f *FineTuned) forward(g *nn.Graph, b *PatchBatch, pe []float32) (*G.Node, error) {
	m := f.m
	sub, _, err := m.patchEmbeddings(g, b, false)
	if err != nil {
		return nil, err
	}
	peIn := g.Input("patch_pe", b.B*b.P, b.K)
	if err := peIn.Set(pe); err != nil {
		return nil, err
	}
	emb, err := m.encodeGraph(g, b, sub, peIn.Node)
	if err != nil {
		return nil, err
	}
	if emb, err = (nn.Dropout{P: f.dropout}).Forward(g, emb); err != nil {
		return nil, err
	}
	return f.head.Forward(g, emb)
}

// trainStep runs forward and backward on one batch (gradients added to the
// trainable parameters) and returns the loss.
func (f *FineTuned) trainStep(b *PatchBatch, pe []float32, y []float32, w []bool, rng *rand.Rand) (loss float64, err error) {
	if err := f.m.checkBatch(b); err != nil {
		return 0, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("graphjepa: building the fine-tuning graph: %v", r)
		}
	}()
	g := nn.NewGraph(nn.GraphConfig{Dtype: f.m.dt, Train: true, Rand: rng})
	out, err := f.forward(g, b, pe)
	if err != nil {
		return 0, err
	}
	var l *G.Node
	if f.regression {
		l, err = jepa.MaskedMSELoss(out, y, w)
	} else {
		l, err = jepa.MaskedBCEWithLogitsLoss(out, y, w)
	}
	if err != nil {
		return 0, err
	}
	prog, err := nn.Compile(g, l)
	if err != nil {
		return 0, err
	}
	defer prog.Close()
	if err := prog.Run(); err != nil {
		return 0, err
	}
	return prog.Loss(), nil
}

// outputs returns the head's outputs [B, tasks] for b in eval mode (the
// logits, or the standardised predictions of a regression).
func (f *FineTuned) outputs(b *PatchBatch, pe []float32) (out []float64, err error) {
	if err := f.m.checkBatch(b); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("graphjepa: building the prediction graph: %v", r)
		}
	}()
	g := nn.NewGraph(nn.GraphConfig{Dtype: f.m.dt})
	o, err := f.forward(g, b, pe)
	if err != nil {
		return nil, err
	}
	read := g.Read(o)
	prog, err := nn.Compile(g, nil)
	if err != nil {
		return nil, err
	}
	defer prog.Close()
	if err := prog.Run(); err != nil {
		return nil, err
	}
	return read.Float64s(), nil
}

// Predict returns one row per graph and one column per task: the
// probability of class 1 (classification) or the predicted value in the
// labels' units (regression), from the fine-tuned encoder in eval mode with
// the evaluation transform.
func (f *FineTuned) Predict(graphs []*datasets.Graph) (*mat.Dense, error) {
	if len(graphs) == 0 {
		return nil, errors.New("graphjepa: Predict: no graphs")
	}
	if err := f.m.checkGraphs(graphs); err != nil {
		return nil, fmt.Errorf("graphjepa: Predict: %w", err)
	}
	p, err := NewPatcher(f.m.cfg.Patch, graphs)
	if err != nil {
		return nil, fmt.Errorf("graphjepa: Predict: %w", err)
	}
	idx := make([]int, len(graphs))
	for i := range idx {
		idx[i] = i
	}
	raw, err := f.predictRaw(p, idx)
	if err != nil {
		return nil, fmt.Errorf("graphjepa: Predict: %w", err)
	}
	out := mat.NewDense(len(graphs), f.tasks, raw)
	for i := range len(graphs) {
		for t := range f.tasks {
			v := out.At(i, t)
			if f.regression {
				out.Set(i, t, v*f.std[t]+f.mean[t])
			} else {
				out.Set(i, t, 1/(1+math.Exp(-v)))
			}
		}
	}
	return out, nil
}

// predictRaw returns the head outputs [len(idx), tasks] for the graphs idx
// of p, in order, patched with the evaluation transform from the model's
// seed.
func (f *FineTuned) predictRaw(p *Patcher, idx []int) ([]float64, error) {
	T := f.tasks
	out := make([]float64, len(idx)*T)
	rng := rand.New(rand.NewPCG(f.m.cfg.Seed, 0xe3bed))
	var b PatchBatch
	var peBuf []float32
	bs := f.m.cfg.EvalBatchSize
	for lo := 0; lo < len(idx); lo += bs {
		hi := min(lo+bs, len(idx))
		if err := p.Batch(&b, idx[lo:hi], false, rng); err != nil {
			return nil, err
		}
		pe := peFor(&b, batchPoolsMax(f.m.cfg.Patch.PEPooling, false), encodePoolsMax(f.m.cfg.Patch.PEPooling),
			func(i int) []float32 { return p.NodeRWSE(b.Graphs[i]) }, &peBuf)
		o, err := f.outputs(&b, pe)
		if err != nil {
			return nil, fmt.Errorf("graphs %d..%d: %w", lo, hi-1, err)
		}
		copy(out[lo*T:hi*T], o)
	}
	return out, nil
}

// fineTuneEval is a validation or test split: its graphs (indices into the
// patcher), their labels per task and the tasks it scores.
type fineTuneEval struct {
	idx        []int
	y          [][]float64 // per task: labels of the present entries (standardised for regression)
	rows       [][]int     // per task: positions in idx of the present entries
	scored     []int
	regression bool
}

func newFineTuneEval(idx []int, labels []float32, present []bool, T int, regression bool) *fineTuneEval {
	e := &fineTuneEval{idx: idx, y: make([][]float64, T), rows: make([][]int, T), regression: regression}
	for t := range T {
		pos := 0
		for k, gi := range idx {
			if present[gi*T+t] {
				e.rows[t] = append(e.rows[t], k)
				e.y[t] = append(e.y[t], float64(labels[gi*T+t]))
				if labels[gi*T+t] == 1 {
					pos++
				}
			}
		}
		n := len(e.rows[t])
		if (regression && n > 0) || (!regression && pos > 0 && pos < n) {
			e.scored = append(e.scored, t)
		}
	}
	return e
}

// score returns the mean over the scored tasks of ROC-AUC, or of RMSE in
// the labels' units; NaN when no task is scored.
func (f *FineTuned) score(e *fineTuneEval, p *Patcher) (float64, error) {
	if len(e.scored) == 0 || len(e.idx) == 0 {
		return math.NaN(), nil
	}
	raw, err := f.predictRaw(p, e.idx)
	if err != nil {
		return 0, err
	}
	T := f.tasks
	var sum float64
	for _, t := range e.scored {
		if e.regression {
			var se float64
			for j, k := range e.rows[t] {
				d := (raw[k*T+t] - e.y[t][j]) * f.std[t]
				se += d * d
			}
			sum += math.Sqrt(se / float64(len(e.rows[t])))
			continue
		}
		scores := make([]float64, len(e.rows[t]))
		y := make([]int, len(e.rows[t]))
		for j, k := range e.rows[t] {
			scores[j] = raw[k*T+t]
			y[j] = int(e.y[t][j])
		}
		auc, err := probe.ROCAUC(scores, y)
		if err != nil {
			return 0, err
		}
		sum += auc
	}
	return sum / float64(len(e.scored)), nil
}
