package pointjepa

import (
	"fmt"
	"math"
)

// Learning-rate schedule intervals (Config.LRInterval).
const (
	// LRPerEpoch steps the warmup + cosine once per epoch (the reference's
	// Lightning scheduler; the default).
	LRPerEpoch = "epoch"
	// LRPerStep steps it once per optimizer step.
	LRPerStep = "step"
)

// Sequencer names (Config.Sequencer), spec §1.5.
const (
	// SequencerGreedyMin is the reference's iterative_nearest_min_start:
	// a greedy nearest-neighbour chain over the centers starting at the one
	// with the smallest coordinate sum (the default).
	SequencerGreedyMin = "greedy-min"
	// SequencerGreedy starts the same chain at center 0 (ablation).
	SequencerGreedy = "greedy"
	// SequencerMorton orders the centers by their Morton (z-order) code
	// (ablation, PointGPT's z_order).
	SequencerMorton = "morton"
	// SequencerNone keeps the FPS order.
	SequencerNone = "none"
)

// Encoder names (Config.Encoder).
const (
	// EncoderTransformer is the paper's pre-LN transformer (the default).
	EncoderTransformer = "transformer"
	// EncoderISAB replaces every attention block by a Set Transformer ISAB
	// with Config.Inducing inducing points (gnn.ISAB): cost n·m instead of
	// n², for clouds tokenised into hundreds of patches.
	EncoderISAB = "isab"
)

// Readout names (Config.Readout).
const (
	// ReadoutMaxMean concatenates the max and the mean over the tokens
	// (§2.1, the default): 2·Width features.
	ReadoutMaxMean = "max-mean"
	// ReadoutPMA pools with one learned seed (gnn.PMA) and concatenates it
	// with the mean: 2·Width features.
	ReadoutPMA = "pma"
)

// Config is the complete configuration of a Point-JEPA model and its
// pretraining run. Its zero value means the `paper` preset (spec §1, the
// released configs/Point-JEPA/pretraining/shapenet.yaml); a field's zero
// value means the default given in its comment, and for rates a negative
// value means 0 (off). Every field is JSON-serialisable; Resolve fills the
// defaults in and checks the ranges.
type Config struct {
	// Points is the number of points per cloud the model sees: larger
	// clouds are FPS-subsampled to it (§1.2); 0 means 1024.
	Points int `json:"points"`
	// Groups (G) and GroupSize (K): FPS centers and KNN neighbours per
	// patch (§1.3); 0 means 64 and 32.
	Groups    int `json:"groups"`
	GroupSize int `json:"group_size"`
	// Tokenizer widths of the mini-PointNet (PointNet-small, §1.3):
	// 0 means 128, 256, 512 (the token width is Width).
	TokenHidden1 int `json:"token_hidden1"`
	TokenGlobal  int `json:"token_global"`
	TokenHidden2 int `json:"token_hidden2"`
	// PosHidden is the hidden width of the positional MLPs of centers
	// (§1.4, §1.8); 0 means 128.
	PosHidden int `json:"pos_hidden"`

	// Width, Depth, Heads: the student/teacher encoder (§1.7); 0 means
	// 384, 12, 6. MLPRatio 0 means 4.
	Width    int     `json:"width"`
	Depth    int     `json:"depth"`
	Heads    int     `json:"heads"`
	MLPRatio float64 `json:"mlp_ratio"`
	// Dropout (MLP and attention projection), AttnDropout and DropPath
	// (the last block's rate of linspace(0, DropPath, Depth)) of the
	// student; 0 means 0.1, 0.05 and 0.25, negative means 0.
	Dropout     float64 `json:"dropout"`
	AttnDropout float64 `json:"attn_dropout"`
	DropPath    float64 `json:"drop_path"`
	// Encoder is EncoderTransformer (default) or EncoderISAB; Inducing is
	// the ISAB's number of inducing points (0 means 32).
	Encoder  string `json:"encoder"`
	Inducing int    `json:"inducing"`
	// Readout is the feature readout of Embed: ReadoutMaxMean (default) or
	// ReadoutPMA.
	Readout string `json:"readout"`

	// PredWidth, PredDepth, PredHeads: the predictor (§1.8); 0 means 192,
	// 6, 6. Its dropouts are Dropout and AttnDropout; PredDropPath is its
	// constant drop-path (0 means 0.25, negative 0). PredLinspace uses
	// linspace(0, PredDropPath, PredDepth) instead (the paper's text;
	// the released code passes a scalar).
	PredWidth    int     `json:"pred_width"`
	PredDepth    int     `json:"pred_depth"`
	PredHeads    int     `json:"pred_heads"`
	PredDropPath float64 `json:"pred_drop_path"`
	PredLinspace bool    `json:"pred_linspace,omitempty"`

	// Sequencer orders the patches (§1.5): SequencerGreedyMin (default),
	// SequencerGreedy, SequencerMorton or SequencerNone.
	Sequencer string `json:"sequencer"`
	// TargetBlocks is the number M of target blocks (0 means 4); a target
	// block holds int(Groups·r) tokens with r ~ U(TargetMin, TargetMax)
	// (0 means 0.15, 0.2) and the context block a fraction r_c ~
	// U(ContextMin, ContextMax) (0 means 0.4, 0.75) of the target-free
	// tokens (§1.6). Ratios are drawn once per batch.
	TargetBlocks int     `json:"target_blocks"`
	TargetMin    float64 `json:"target_min"`
	TargetMax    float64 `json:"target_max"`
	ContextMin   float64 `json:"context_min"`
	ContextMax   float64 `json:"context_max"`

	// LossBeta is the smooth-L1 β (0 means 2, §1.9).
	LossBeta float64 `json:"loss_beta"`

	// Epochs (0 means 500) and BatchSize (0 means 512); the last partial
	// batch of an epoch is dropped (drop_last, §1.1).
	Epochs    int `json:"epochs"`
	BatchSize int `json:"batch_size"`
	// LR (0 means 1e-3), WarmupStartLR (0 means 1e-5), MinLR (0 means
	// 1e-6), WarmupEpochs (0 means 30; negative means none) and
	// WeightDecay (0 means 0.05, negative none; applied to every
	// parameter): AdamW with pl_bolts' warmup + cosine stepped per epoch
	// (§1.10).
	LR            float64 `json:"lr"`
	WarmupStartLR float64 `json:"warmup_start_lr"`
	MinLR         float64 `json:"min_lr"`
	WarmupEpochs  int     `json:"warmup_epochs"`
	WeightDecay   float64 `json:"weight_decay"`
	// LRInterval is what one step of the warmup + cosine schedule is:
	// LRPerEpoch ("" means it; the reference's Lightning scheduler, so the
	// whole first epoch runs at WarmupStartLR) or LRPerStep (the same
	// closed form over optimizer steps: WarmupEpochs·steps-per-epoch warmup
	// steps, Epochs·steps-per-epoch in all). Per step matters for short
	// schedules: with 2 warmup epochs of 13, per epoch spends one epoch in
	// 13 at 1e-5.
	LRInterval string `json:"lr_interval,omitempty"`
	// TauMin, TauMax: the EMA decay ramp over all steps (0 means 0.9995 and
	// 0.99999, the released config; the paper's text says 0.995 → 1).
	TauMin float64 `json:"tau_min"`
	TauMax float64 `json:"tau_max"`

	// ScaleMin, ScaleMax: the anisotropic scale of pretraining (0 means
	// 0.8, 1.2, one draw per batch); NoRotate drops the random rotation
	// about y (§1.2).
	ScaleMin float64 `json:"scale_min"`
	ScaleMax float64 `json:"scale_max"`
	NoRotate bool    `json:"no_rotate,omitempty"`

	// Seed seeds every random draw (initialisation, data order, FPS starts,
	// masks, dropout). Workers bounds the goroutines of the grouping and
	// the kernels' parallel loops (0 means GOMAXPROCS).
	Seed    uint64 `json:"seed"`
	Workers int    `json:"workers"`
}

// Resolve returns c with every default filled in, or an error naming the
// first invalid field and the valid range. Resolving twice changes nothing.
func (c Config) Resolve() (Config, error) {
	defInt := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	defInt(&c.Points, 1024)
	defInt(&c.Groups, 64)
	defInt(&c.GroupSize, 32)
	defInt(&c.TokenHidden1, 128)
	defInt(&c.TokenGlobal, 256)
	defInt(&c.TokenHidden2, 512)
	defInt(&c.PosHidden, 128)
	defInt(&c.Width, 384)
	defInt(&c.Depth, 12)
	defInt(&c.Heads, 6)
	if c.MLPRatio == 0 {
		c.MLPRatio = 4
	}
	rate(&c.Dropout, 0.1)
	rate(&c.AttnDropout, 0.05)
	rate(&c.DropPath, 0.25)
	if c.Encoder == "" {
		c.Encoder = EncoderTransformer
	}
	defInt(&c.Inducing, 32)
	if c.Readout == "" {
		c.Readout = ReadoutMaxMean
	}
	defInt(&c.PredWidth, 192)
	defInt(&c.PredDepth, 6)
	defInt(&c.PredHeads, 6)
	rate(&c.PredDropPath, 0.25)
	if c.Sequencer == "" {
		c.Sequencer = SequencerGreedyMin
	}
	defInt(&c.TargetBlocks, 4)
	if c.TargetMin == 0 && c.TargetMax == 0 {
		c.TargetMin, c.TargetMax = 0.15, 0.2
	}
	if c.ContextMin == 0 && c.ContextMax == 0 {
		c.ContextMin, c.ContextMax = 0.4, 0.75
	}
	if c.LossBeta == 0 {
		c.LossBeta = 2
	}
	defInt(&c.Epochs, 500)
	defInt(&c.BatchSize, 512)
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.WarmupStartLR == 0 {
		c.WarmupStartLR = 1e-5
	}
	if c.MinLR == 0 {
		c.MinLR = 1e-6
	}
	defInt(&c.WarmupEpochs, 30)
	rate(&c.WeightDecay, 0.05)
	if c.LRInterval == "" {
		c.LRInterval = LRPerEpoch
	}
	if c.TauMin == 0 {
		c.TauMin = 0.9995
	}
	if c.TauMax == 0 {
		c.TauMax = 0.99999
	}
	if c.ScaleMin == 0 && c.ScaleMax == 0 {
		c.ScaleMin, c.ScaleMax = 0.8, 1.2
	}
	return c, c.check()
}

// rate resolves a rate field: 0 means def, a negative value means off,
// which is stored as the negative value itself so that a resolved Config
// resolves to itself. Use on() to read it.
func rate(p *float64, def float64) {
	if *p == 0 {
		*p = def
	}
}

// on returns a resolved rate: negative values mean 0.
func on(r float64) float64 { return max(r, 0) }

func (c Config) check() error {
	pos := []struct {
		name string
		v    int
	}{
		{"Points", c.Points}, {"Groups", c.Groups}, {"GroupSize", c.GroupSize},
		{"TokenHidden1", c.TokenHidden1}, {"TokenGlobal", c.TokenGlobal}, {"TokenHidden2", c.TokenHidden2},
		{"PosHidden", c.PosHidden}, {"Width", c.Width}, {"Depth", c.Depth}, {"Heads", c.Heads},
		{"Inducing", c.Inducing}, {"PredWidth", c.PredWidth}, {"PredDepth", c.PredDepth},
		{"PredHeads", c.PredHeads}, {"TargetBlocks", c.TargetBlocks}, {"Epochs", c.Epochs},
		{"BatchSize", c.BatchSize},
	}
	for _, f := range pos {
		if f.v < 0 {
			return fmt.Errorf("pointjepa: Config.%s = %d, want ≥ 1 (0 means the default)", f.name, f.v)
		}
	}
	if c.Groups > c.Points {
		return fmt.Errorf("pointjepa: Config.Groups = %d exceeds Config.Points = %d", c.Groups, c.Points)
	}
	if c.GroupSize > c.Points {
		return fmt.Errorf("pointjepa: Config.GroupSize = %d exceeds Config.Points = %d", c.GroupSize, c.Points)
	}
	if c.Groups < 2 {
		return fmt.Errorf("pointjepa: Config.Groups = %d, want ≥ 2", c.Groups)
	}
	if c.Width%c.Heads != 0 {
		return fmt.Errorf("pointjepa: Config.Heads = %d does not divide Config.Width = %d", c.Heads, c.Width)
	}
	if c.PredWidth%c.PredHeads != 0 {
		return fmt.Errorf("pointjepa: Config.PredHeads = %d does not divide Config.PredWidth = %d", c.PredHeads, c.PredWidth)
	}
	if c.MLPRatio <= 0 || math.IsNaN(c.MLPRatio) || math.IsInf(c.MLPRatio, 0) {
		return fmt.Errorf("pointjepa: Config.MLPRatio = %v, want > 0", c.MLPRatio)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"Dropout", c.Dropout}, {"AttnDropout", c.AttnDropout}, {"DropPath", c.DropPath}, {"PredDropPath", c.PredDropPath}} {
		if !(f.v < 1) || math.IsNaN(f.v) {
			return fmt.Errorf("pointjepa: Config.%s = %v, want < 1 (negative means 0)", f.name, f.v)
		}
	}
	switch c.Encoder {
	case EncoderTransformer, EncoderISAB:
	default:
		return fmt.Errorf("pointjepa: Config.Encoder = %q, want %q or %q", c.Encoder, EncoderTransformer, EncoderISAB)
	}
	switch c.Readout {
	case ReadoutMaxMean, ReadoutPMA:
	default:
		return fmt.Errorf("pointjepa: Config.Readout = %q, want %q or %q", c.Readout, ReadoutMaxMean, ReadoutPMA)
	}
	switch c.Sequencer {
	case SequencerGreedyMin, SequencerGreedy, SequencerMorton, SequencerNone:
	default:
		return fmt.Errorf("pointjepa: Config.Sequencer = %q, want one of %q, %q, %q, %q",
			c.Sequencer, SequencerGreedyMin, SequencerGreedy, SequencerMorton, SequencerNone)
	}
	if !(c.TargetMin > 0 && c.TargetMin <= c.TargetMax && c.TargetMax < 1) {
		return fmt.Errorf("pointjepa: Config.TargetMin, TargetMax = %v, %v, want 0 < min ≤ max < 1", c.TargetMin, c.TargetMax)
	}
	if !(c.ContextMin > 0 && c.ContextMin <= c.ContextMax && c.ContextMax <= 1) {
		return fmt.Errorf("pointjepa: Config.ContextMin, ContextMax = %v, %v, want 0 < min ≤ max ≤ 1", c.ContextMin, c.ContextMax)
	}
	if int(float64(c.Groups)*c.TargetMax) >= c.Groups {
		return fmt.Errorf("pointjepa: Config.TargetMax = %v leaves no room in %d groups", c.TargetMax, c.Groups)
	}
	if !(c.LossBeta > 0) || math.IsInf(c.LossBeta, 0) {
		return fmt.Errorf("pointjepa: Config.LossBeta = %v, want > 0", c.LossBeta)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"LR", c.LR}, {"WarmupStartLR", c.WarmupStartLR}, {"MinLR", c.MinLR}} {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("pointjepa: Config.%s = %v, want > 0", f.name, f.v)
		}
	}
	if c.WarmupEpochs > 0 && c.WarmupEpochs >= c.Epochs {
		return fmt.Errorf("pointjepa: Config.WarmupEpochs = %d, want < Epochs = %d (negative means no warmup)", c.WarmupEpochs, c.Epochs)
	}
	if c.LRInterval != LRPerEpoch && c.LRInterval != LRPerStep {
		return fmt.Errorf("pointjepa: Config.LRInterval = %q, want %q or %q", c.LRInterval, LRPerEpoch, LRPerStep)
	}
	if !(c.TauMin > 0 && c.TauMin <= c.TauMax && c.TauMax <= 1) {
		return fmt.Errorf("pointjepa: Config.TauMin, TauMax = %v, %v, want 0 < min ≤ max ≤ 1", c.TauMin, c.TauMax)
	}
	if !(c.ScaleMin > 0 && c.ScaleMin <= c.ScaleMax) || math.IsInf(c.ScaleMax, 0) {
		return fmt.Errorf("pointjepa: Config.ScaleMin, ScaleMax = %v, %v, want 0 < min ≤ max", c.ScaleMin, c.ScaleMax)
	}
	if c.Workers < 0 {
		return fmt.Errorf("pointjepa: Config.Workers = %d, want ≥ 0 (0 means GOMAXPROCS)", c.Workers)
	}
	return nil
}
