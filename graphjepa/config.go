package graphjepa

import (
	"fmt"
	"math"
)

// Node and edge encoder kinds of Config.NodeEncoder and Config.EdgeEncoder
// (spec graph-jepa.md §2, the reference's FeatureEncoder types).
const (
	// EncoderLinear is Linear(F→d) on the float features (TU data sets).
	EncoderLinear = "linear"
	// EncoderEmbedding is Embedding(vocab, d) on the integer labels
	// (ZINC's atom and bond types).
	EncoderEmbedding = "embedding"
)

// Pooling kinds of Config.PatchPooling and Config.GraphPooling.
const (
	// PoolMean is the reference's mean: over the node copies of a patch
	// (scatter mean) and over the non-empty patches of a graph (the masked
	// mean of encode).
	PoolMean = "mean"
	// PoolPMA is Set Transformer pooling by multihead attention with one
	// seed (gnn.PMA, official form), an ablation beyond the paper.
	PoolPMA = "pma"
)

// Losses of Config.Loss (spec §8: jepa.dist 0, 1).
const (
	LossSmoothL1 = "smooth_l1"
	LossMSE      = "mse"
)

// Config holds every model and training hyper-parameter of Graph-JEPA. The
// zero value means the paper's MUTAG settings (spec graph-jepa.md §11): d =
// 512, 2 GINE layers, 4 transformer layers of 8 heads with an FFN of 2d,
// 50 epochs of batch 128, Adam at lr 5e-4 with ReduceLROnPlateau (factor
// 0.5, patience 20) on the held-out JEPA loss and an early stop below 1e-5,
// SmoothL1 with β = 1, and the patching defaults of PatchConfig (p = 32,
// T = 3, RWSE of 15 steps). Preset returns the published settings of each
// data set.
//
// Where the official code (geriskenderi/graph-jepa) differs from the paper
// text, the zero value follows the code and a switch selects the clean
// variant: EMAPerStep, TargetInitCopy, TargetPE and PatchConfig.PEPooling.
type Config struct {
	// Patch configures patching: p, T, edge drop, RWSE width, hops, PE
	// pooling, the partitioner (spec §3, §4, §6).
	Patch PatchConfig `json:"patch"`

	// Hidden is d, the width of every encoder (hidden_size); 0 means 512.
	Hidden int `json:"hidden"`
	// GNNLayers is the number of GINE blocks of the patch encoder
	// (nlayer_gnn); 0 means 2 (DD: 3).
	GNNLayers int `json:"gnn_layers"`
	// EncoderLayers is the depth of the context and target transformers
	// (nlayer_mlpmixer); 0 means 4 (IMDB-M: 2).
	EncoderLayers int `json:"encoder_layers"`
	// Heads is the number of attention heads; 0 means 8.
	Heads int `json:"heads"`
	// FFN is the hidden width of the transformer feed-forward block; 0
	// means 2·Hidden.
	FFN int `json:"ffn"`

	// NodeEncoder is EncoderLinear (the default) or EncoderEmbedding (ZINC).
	NodeEncoder string `json:"node_encoder"`
	// EdgeEncoder is EncoderLinear (the default) or EncoderEmbedding.
	EdgeEncoder string `json:"edge_encoder"`
	// NodeVocab and EdgeVocab are the embedding table sizes with
	// EncoderEmbedding; 0 means 28 and 4 (ZINC's atom and bond types).
	NodeVocab int `json:"node_vocab,omitempty"`
	EdgeVocab int `json:"edge_vocab,omitempty"`

	// Epochs is the number of pre-training epochs; 0 means 50.
	Epochs int `json:"epochs"`
	// BatchSize is the number of graphs per optimizer step; 0 means 128.
	BatchSize int `json:"batch_size"`
	// LR is Adam's learning rate; 0 means 5e-4.
	LR float64 `json:"lr"`
	// LRFactor multiplies the learning rate on a plateau of the held-out
	// JEPA loss (lr_decay); 0 means 0.5.
	LRFactor float64 `json:"lr_factor"`
	// LRPatience is ReduceLROnPlateau's patience in epochs; 0 means 20.
	LRPatience int `json:"lr_patience"`
	// MinLR stops training once the learning rate falls below it; 0 means
	// 1e-5, a negative value never stops.
	MinLR float64 `json:"min_lr"`
	// Loss is LossSmoothL1 (the default) or LossMSE.
	Loss string `json:"loss"`
	// Beta is SmoothL1's β; 0 means 1 (MUTAG, PROTEINS; 0.5 for DD, IMDB,
	// REDDIT and ZINC through their presets).
	Beta float64 `json:"beta"`
	// EMAStart and EMAEnd bound the momentum ramp of the target encoder; 0
	// means 0.996 and 1.
	EMAStart float64 `json:"ema_start"`
	EMAEnd   float64 `json:"ema_end"`

	// Seed seeds the initial parameters, the patching and the trainer.
	Seed uint64 `json:"seed"`

	// EMAPerStep advances the momentum ramp after every optimizer step
	// (I-JEPA, the paper text). The reference calls next() once per epoch,
	// so m = 0.996 + epoch·0.004/(ipe·epochs) never nears 1 [quirk, spec
	// §9]; false (the default) reproduces that.
	EMAPerStep bool `json:"ema_per_step,omitempty"`
	// TargetInitCopy starts the target encoder as a copy of the context
	// encoder. The reference initialises it independently [quirk, spec §7];
	// false (the default) reproduces that.
	TargetInitCopy bool `json:"target_init_copy,omitempty"`
	// TargetPE adds the patch positional encoding to the target patch
	// embeddings before the target encoder in training, as it is in
	// evaluation. The reference adds it only to the context [quirk, spec
	// §4]; false (the default) reproduces that.
	TargetPE bool `json:"target_pe,omitempty"`

	// PatchPooling pools the node copies of a patch into its embedding:
	// PoolMean (the default, the reference) or PoolPMA (ablation).
	PatchPooling string `json:"patch_pooling"`
	// GraphPooling pools the target-encoder outputs of a graph's non-empty
	// patches into its embedding (spec §10): PoolMean (the default) or
	// PoolPMA (ablation).
	GraphPooling string `json:"graph_pooling"`

	// EvalBatchSize is the number of graphs per forward pass when embedding
	// or computing the held-out loss; 0 means BatchSize. It does not change
	// results (evaluation uses running statistics).
	EvalBatchSize int `json:"eval_batch_size,omitempty"`
}

// WithDefaults returns c with every zero field replaced by the default it
// stands for.
func (c Config) WithDefaults() Config {
	c.Patch = c.Patch.WithDefaults()
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	defs := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&c.Hidden, 512)
	def(&c.GNNLayers, 2)
	def(&c.EncoderLayers, 4)
	def(&c.Heads, 8)
	def(&c.FFN, 2*c.Hidden)
	defs(&c.NodeEncoder, EncoderLinear)
	defs(&c.EdgeEncoder, EncoderLinear)
	if c.NodeEncoder == EncoderEmbedding {
		def(&c.NodeVocab, 28)
	}
	if c.EdgeEncoder == EncoderEmbedding {
		def(&c.EdgeVocab, 4)
	}
	def(&c.Epochs, 50)
	def(&c.BatchSize, 128)
	deff(&c.LR, 5e-4)
	deff(&c.LRFactor, 0.5)
	def(&c.LRPatience, 20)
	deff(&c.MinLR, 1e-5)
	defs(&c.Loss, LossSmoothL1)
	deff(&c.Beta, 1)
	deff(&c.EMAStart, 0.996)
	deff(&c.EMAEnd, 1)
	defs(&c.PatchPooling, PoolMean)
	defs(&c.GraphPooling, PoolMean)
	def(&c.EvalBatchSize, c.BatchSize)
	return c
}

// Validate reports the first field out of range (after defaults), naming
// it and what would be valid.
func (c Config) Validate() error {
	if err := c.Patch.Validate(); err != nil {
		return err
	}
	c = c.WithDefaults()
	pos := func(name string, v int) error {
		if v < 1 {
			return fmt.Errorf("graphjepa: Config.%s = %d: want a positive value (0 means the default)", name, v)
		}
		return nil
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"Hidden", c.Hidden}, {"GNNLayers", c.GNNLayers}, {"EncoderLayers", c.EncoderLayers}, {"Heads", c.Heads},
		{"FFN", c.FFN}, {"Epochs", c.Epochs}, {"BatchSize", c.BatchSize}, {"LRPatience", c.LRPatience}, {"EvalBatchSize", c.EvalBatchSize}} {
		if err := pos(f.name, f.v); err != nil {
			return err
		}
	}
	if c.Hidden%c.Heads != 0 {
		return fmt.Errorf("graphjepa: Config.Heads = %d must divide Config.Hidden = %d", c.Heads, c.Hidden)
	}
	if c.BatchSize < 2 {
		return fmt.Errorf("graphjepa: Config.BatchSize = %d: training BatchNorm needs at least 2 graphs per batch", c.BatchSize)
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	switch {
	case bad(c.LR) || c.LR <= 0:
		return fmt.Errorf("graphjepa: Config.LR = %v: want a positive finite learning rate", c.LR)
	case bad(c.LRFactor) || c.LRFactor <= 0 || c.LRFactor >= 1:
		return fmt.Errorf("graphjepa: Config.LRFactor = %v: want a factor in (0, 1)", c.LRFactor)
	case bad(c.MinLR):
		return fmt.Errorf("graphjepa: Config.MinLR = %v: want a finite value", c.MinLR)
	case bad(c.Beta) || c.Beta < 0:
		return fmt.Errorf("graphjepa: Config.Beta = %v: want a finite β ≥ 0 (0 means 1)", c.Beta)
	case bad(c.EMAStart) || c.EMAStart <= 0 || c.EMAStart > 1:
		return fmt.Errorf("graphjepa: Config.EMAStart = %v: want a momentum in (0, 1]", c.EMAStart)
	case bad(c.EMAEnd) || c.EMAEnd < c.EMAStart || c.EMAEnd > 1:
		return fmt.Errorf("graphjepa: Config.EMAEnd = %v: want a momentum in [EMAStart, 1]", c.EMAEnd)
	}
	for _, f := range []struct{ name, v string }{{"NodeEncoder", c.NodeEncoder}, {"EdgeEncoder", c.EdgeEncoder}} {
		if f.v != EncoderLinear && f.v != EncoderEmbedding {
			return fmt.Errorf("graphjepa: Config.%s = %q: want %q or %q", f.name, f.v, EncoderLinear, EncoderEmbedding)
		}
	}
	if c.NodeEncoder == EncoderEmbedding && c.NodeVocab < 1 {
		return fmt.Errorf("graphjepa: Config.NodeVocab = %d: want a positive vocabulary size", c.NodeVocab)
	}
	if c.EdgeEncoder == EncoderEmbedding && c.EdgeVocab < 1 {
		return fmt.Errorf("graphjepa: Config.EdgeVocab = %d: want a positive vocabulary size", c.EdgeVocab)
	}
	if c.Loss != LossSmoothL1 && c.Loss != LossMSE {
		return fmt.Errorf("graphjepa: Config.Loss = %q: want %q or %q", c.Loss, LossSmoothL1, LossMSE)
	}
	for _, f := range []struct{ name, v string }{{"PatchPooling", c.PatchPooling}, {"GraphPooling", c.GraphPooling}} {
		if f.v != PoolMean && f.v != PoolPMA {
			return fmt.Errorf("graphjepa: Config.%s = %q: want %q or %q", f.name, f.v, PoolMean, PoolPMA)
		}
	}
	return nil
}
