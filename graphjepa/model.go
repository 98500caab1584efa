package graphjepa

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nongrid/jepa/gnn"
	"github.com/nongrid/jepa/nn"
	"gorgonia.org/tensor"
)

// Model is a Graph-JEPA model: the node and edge encoders, the GINE patch
// encoder with the between-block patch mixing U, the patch positional
// encoder, the context and target transformers and the predictor (spec
// graph-jepa.md §1, §5, §7), with its resolved Config and the input widths
// it was built for.
//
// Every tensor carries the name it has in the reference's state dict
// (GraphJepa in core/model.py), so Save writes a file that
// load_state_dict accepts:
//
//	input_encoder.{weight,bias}          Linear(F→d), or .weight of Embedding(vocab, d)
//	edge_encoder.{weight,bias}           Linear(EF→d) (EF = 1 without edge features), or Embedding
//	rw_encoder.layers.0 / .norms.0       MLP(rw_dim, d, 1): built but never used [quirk]
//	patch_rw_encoder.layers.0 / .norms.0 MLP(rw_dim, d, 1): Linear without bias → BN → ReLU
//	gnns.<i>.convs.0.layer.eps           GINEConv's ε (train_eps)
//	gnns.<i>.convs.0.nn.layers.{0,1}, .nn.norms.{0,1}  the GINE MLP (norms.1 unused)
//	gnns.<i>.norms.0                     the block's BatchNorm
//	gnns.<i>.output_encoder              Linear(d→d)
//	U.<i>.layers.0 / .norms.0            MLP(d, d, 1) between blocks
//	context_encoder.transformer_encoder.<l>.{self_attn.{q,k,v,out}_proj, linear1, linear2, norm1, norm2, norm3}
//	target_encoder.transformer_encoder.<l>.…  (same shapes)
//	target_predictor.layers.{0,1,2}      MLP(d, 2, 3) without norms
//
// The reference's state dict lists the GINE MLP twice (gnns.<i>.convs.0.nn
// and gnns.<i>.convs.0.layer.nn are one module); Save writes both keys.
type Model struct {
	cfg    Config
	f, ef  int // node and edge feature widths of the inputs (Linear encoders)
	dt     tensor.Dtype
	params nn.Params

	inputLin  *nn.Linear
	inputEmb  *nn.Embedding
	edgeLin   *nn.Linear
	edgeEmb   *nn.Embedding
	rwEnc     *gnn.MixerMLP // unused, as in the reference
	patchPE   *gnn.MixerMLP
	gnns      []*gineLayer
	u         []*gnn.MixerMLP
	context   *encoder
	target    *encoder
	predictor *gnn.MixerMLP

	patchPMA *gnn.PMA // PatchPooling == PoolPMA
	graphPMA *gnn.PMA // GraphPooling == PoolPMA

	// dense disables the exact shortcuts (length-1 context attention,
	// context-only backward of the last output Linear, patch mixing on
	// distinct slot rows, the first block on distinct in-degrees for
	// featureless inputs), for the tests that compare both paths.
	dense bool
}

// gineLayer is one block of the patch encoder, GNN(nlayer_gnn=1, GINEConv,
// bn, res) of Graph-ViT-MLPMixer: Block(GINE) then the output Linear.
type gineLayer struct {
	block *gnn.Block
	out   *nn.Linear
}

// encoder is the reference's transformer wrapper (Standard or Hadamard):
// a pre-LN stack with the reference's parameter names and the LayerNorm
// norm3 that every layer builds but never applies.
type encoder struct {
	t     *nn.Transformer
	norm3 []*nn.LayerNorm
	ps    nn.Params
}

// newModel builds a model with fresh parameters for inputs of node width f
// and edge width ef (ignored by embedding encoders). cfg must be resolved
// and valid.
func newModel(cfg Config, f, ef int, dt tensor.Dtype) *Model {
	d := cfg.Hidden
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x67a2_4ea1)) // parameter init stream
	m := &Model{cfg: cfg, f: f, ef: ef, dt: dt}
	one := gnn.MixerMLPConfig{Dtype: dt, Layers: 1} // MLP(nin, nout, 1): Linear(no bias) → BN → ReLU
	m.rwEnc = gnn.NewMixerMLP("rw_encoder", cfg.Patch.RWDim, d, one, rng)
	m.patchPE = gnn.NewMixerMLP("patch_rw_encoder", cfg.Patch.RWDim, d, one, rng)
	m.params.AddAll(m.rwEnc.Params(), m.patchPE.Params())

	if cfg.NodeEncoder == EncoderEmbedding {
		m.inputEmb = nn.NewEmbedding("input_encoder", cfg.NodeVocab, d, nn.EmbeddingConfig{Dtype: dt}, rng)
		m.params.AddAll(m.inputEmb.Params())
	} else {
		m.inputLin = nn.NewLinear("input_encoder", f, d, nn.LinearConfig{Dtype: dt}, rng)
		m.params.AddAll(m.inputLin.Params())
	}
	if cfg.EdgeEncoder == EncoderEmbedding {
		m.edgeEmb = nn.NewEmbedding("edge_encoder", cfg.EdgeVocab, d, nn.EmbeddingConfig{Dtype: dt}, rng)
		m.params.AddAll(m.edgeEmb.Params())
	} else {
		m.edgeLin = nn.NewLinear("edge_encoder", ef, d, nn.LinearConfig{Dtype: dt}, rng)
		m.params.AddAll(m.edgeLin.Params())
	}

	for i := 0; i < cfg.GNNLayers; i++ {
		p := fmt.Sprintf("gnns.%d", i)
		mlp := gnn.GraphJEPAMLP(p+".convs.0.nn", d, d, dt, rng)
		conv := gnn.NewGINE(p+".convs.0.layer", mlp, gnn.GINConfig{Dtype: dt}, rng)
		bn := nn.NewBatchNorm(p+".norms.0", d, nn.BatchNormConfig{Dtype: dt})
		l := &gineLayer{block: gnn.NewBlock(conv, bn, gnn.BlockConfig{}),
			out: nn.NewLinear(p+".output_encoder", d, d, nn.LinearConfig{Dtype: dt}, rng)}
		m.gnns = append(m.gnns, l)
		m.params.AddAll(l.block.Params(), l.out.Params())
	}
	for i := 0; i+1 < cfg.GNNLayers; i++ {
		u := gnn.NewMixerMLP(fmt.Sprintf("U.%d", i), d, d, one, rng)
		m.u = append(m.u, u)
		m.params.AddAll(u.Params())
	}

	m.context = newEncoder("context_encoder", cfg, dt, rng)
	m.target = newEncoder("target_encoder", cfg, dt, rng)
	m.params.AddAll(&m.context.ps, &m.target.ps)
	if cfg.TargetInitCopy {
		if err := m.target.ps.CopyFrom(renamed(&m.context.ps, "context_encoder.", "target_encoder.")); err != nil {
			panic("graphjepa: " + err.Error()) // same construction: cannot differ
		}
	}

	m.predictor = gnn.NewMixerMLP("target_predictor", d, 2,
		gnn.MixerMLPConfig{Dtype: dt, Layers: 3, NoNorm: true, NoFinalActivation: true}, rng)
	m.params.AddAll(m.predictor.Params())

	pmaCfg := gnn.MABConfig{Dtype: dt, Heads: cfg.Heads, Form: gnn.OfficialForm}
	if cfg.PatchPooling == PoolPMA {
		m.patchPMA = gnn.NewPMA("patch_pool", d, 1, pmaCfg, rng)
		m.params.AddAll(m.patchPMA.Params())
	}
	if cfg.GraphPooling == PoolPMA {
		m.graphPMA = gnn.NewPMA("graph_pool", d, 1, pmaCfg, rng)
		m.params.AddAll(m.graphPMA.Params())
	}
	// The target encoder is trained by EMA only: marking its tensors as
	// buffers keeps them out of every gradient computation (the reference
	// runs it under torch.no_grad) and out of the optimizer.
	for _, p := range m.target.ps.List() {
		p.Buffer = true
	}
	return m
}

// newEncoder builds the reference's Standard/Hadamard transformer wrapper
// under prefix: EncoderLayers pre-LN layers of width d, Heads heads, a
// ReLU FFN of width FFN, q/k/v initialised xavier_uniform(gain 1/√2) and
// out_proj xavier_uniform with a zero bias (gMHA_hadamard.py), no final
// LayerNorm. The nn layer names are mapped to the reference's.
func newEncoder(prefix string, cfg Config, dt tensor.Dtype, rng *rand.Rand) *encoder {
	d := cfg.Hidden
	qkv, out := nn.GraphJEPAAttentionInit()
	t := nn.NewTransformer(prefix+".transformer_encoder", d, nn.TransformerConfig{
		Depth: cfg.EncoderLayers,
		Block: nn.BlockConfig{Dtype: dt, Heads: cfg.Heads, MLPRatio: float64(cfg.FFN) / float64(d),
			Activation: nn.ActReLU,
			Attention:  nn.MultiHeadAttentionConfig{QKVInit: qkv, OutInit: out}},
	}, rng)
	e := &encoder{t: t}
	for i, b := range t.Blocks {
		lp := fmt.Sprintf("%s.transformer_encoder.%d", prefix, i)
		for _, p := range b.Params().List() {
			p.Name = referenceBlockName(p.Name, lp)
		}
		e.ps.AddAll(b.Params())
		n3 := nn.NewLayerNorm(lp+".norm3", d, nn.LayerNormConfig{Dtype: dt})
		e.norm3 = append(e.norm3, n3)
		e.ps.AddAll(n3.Params())
	}
	return e
}

// referenceBlockName maps the name of a parameter of an nn.Block
// ("<p>.blocks.<i>.attn.q_proj.weight", "….mlp.fc1.bias", "….norm1.weight")
// to the reference's GTEncoderLayer/HadamardEncoderLayer name under the
// layer prefix lp ("<lp>.self_attn.q_proj.weight", "<lp>.linear1.bias",
// "<lp>.norm1.weight").
func referenceBlockName(name, lp string) string {
	i := strings.Index(name, ".blocks.")
	rest := name[i+len(".blocks."):]
	rest = rest[strings.IndexByte(rest, '.')+1:] // drop the block index
	switch {
	case strings.HasPrefix(rest, "attn."):
		rest = "self_attn." + strings.TrimPrefix(rest, "attn.")
	case strings.HasPrefix(rest, "mlp.fc1."):
		rest = "linear1." + strings.TrimPrefix(rest, "mlp.fc1.")
	case strings.HasPrefix(rest, "mlp.fc2."):
		rest = "linear2." + strings.TrimPrefix(rest, "mlp.fc2.")
	}
	return lp + "." + rest
}

// renamed returns a parameter set whose names have prefix from replaced by
// to, sharing the tensors of ps.
func renamed(ps *nn.Params, from, to string) *nn.Params {
	var out nn.Params
	for _, p := range ps.List() {
		q := *p
		q.Name = to + strings.TrimPrefix(p.Name, from)
		out.Add(&q)
	}
	return &out
}

// Config returns the model's resolved configuration.
func (m *Model) Config() Config { return m.cfg }

// Params returns every tensor of the model (parameters and BatchNorm
// buffers) under its reference name.
func (m *Model) Params() *nn.Params { return &m.params }

// OnlineParams returns the context encoder's tensors and TargetParams the
// target encoder's, in the same order: the pairs the EMA averages (the
// reference zips context_encoder.parameters() with
// target_encoder.parameters()).
func (m *Model) OnlineParams() []*nn.Param { return m.context.ps.List() }

// TargetParams: see OnlineParams.
func (m *Model) TargetParams() []*nn.Param { return m.target.ps.List() }

// NumParams returns the number of scalars per part, as the reference's
// count_parameters counts them (every parameter, no BatchNorm running
// statistics): "context_encoder", "target_encoder", "gnn" (the GINE blocks
// with their output Linear), "U", "predictor", "patch_pe" (patch_rw_encoder),
// "rw_encoder" (built but unused, as in the reference), "input_encoder",
// "edge_encoder", "pooling" (PMA ablations; 0 by default) and "total".
// The MUTAG preset gives 19,224,068 in total (spec §11: 19.22 M).
func (m *Model) NumParams() map[string]int {
	parts := map[string]int{"context_encoder": 0, "target_encoder": 0, "gnn": 0, "U": 0, "predictor": 0,
		"patch_pe": 0, "rw_encoder": 0, "input_encoder": 0, "edge_encoder": 0, "pooling": 0}
	prefixes := []struct{ prefix, part string }{
		{"context_encoder.", "context_encoder"}, {"target_encoder.", "target_encoder"}, {"gnns.", "gnn"},
		{"U.", "U"}, {"target_predictor.", "predictor"}, {"patch_rw_encoder.", "patch_pe"},
		{"rw_encoder.", "rw_encoder"}, {"input_encoder.", "input_encoder"}, {"edge_encoder.", "edge_encoder"},
		{"patch_pool.", "pooling"}, {"graph_pool.", "pooling"},
	}
	total := 0
	for _, p := range m.params.List() {
		if isStatistic(p.Name) {
			continue
		}
		for _, pp := range prefixes {
			if strings.HasPrefix(p.Name, pp.prefix) {
				parts[pp.part] += p.Len()
				break
			}
		}
		total += p.Len()
	}
	parts["total"] = total
	return parts
}

// isStatistic reports whether a tensor is a BatchNorm statistic (a
// PyTorch buffer, not a parameter).
func isStatistic(name string) bool {
	return strings.HasSuffix(name, ".running_mean") || strings.HasSuffix(name, ".running_var") ||
		strings.HasSuffix(name, ".num_batches_tracked")
}
