package pointjepa

import (
	"math/rand/v2"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// trainProgram is the pretraining step as one graph (the reference for
// the two-program bridge of model_train.go) for one batch shape: B
// clouds, n context tokens and target blocks of k tokens (indices are shared
// by the batch, §1.6, so one shape serves a whole batch). One graph holds
// the tokenizer (train-mode BatchNorm), the positional MLP, the teacher on
// all tokens behind a stop-gradient (no dropout: eval mode), the layer-normed
// targets, the student on the context tokens, the predictor and the smooth L1
// loss; its backward pass reaches the tokenizer, the positional MLP, the
// student and the predictor.
type trainProgram struct {
	prog             *nn.Program
	patches, centers *nn.Input
	ctxIdx, tgtIdx   *nn.Indices // rows b·G + FPS index
	rep              *nn.Indices
	pred, target     *nn.Output
	B, n, k          int
}

// buildTrain compiles the step for B clouds, n context tokens and target
// blocks of k tokens; rng drives its dropout and drop-path masks.
func (m *Model) buildOneGraph(B, n, k int, rng *rand.Rand) (tp *trainProgram, err error) {
	defer catch(&err, "building the pretraining graph")
	c := &m.cfg
	G_, K, D, M := c.Groups, c.GroupSize, c.Width, c.TargetBlocks
	g := nn.NewGraph(nn.GraphConfig{Train: true, Rand: rng})
	tp = &trainProgram{B: B, n: n, k: k}
	tp.patches = g.Input("patches", B*G_, K, 3)
	tp.centers = g.Input("centers", B*G_, 3)
	tp.ctxIdx = nn.NewIndices("context", B*n)
	tp.tgtIdx = nn.NewIndices("targets", M*B*k)
	tp.rep = nn.NewIndices("context_repeat", M*B*n)
	rep := tp.rep.Ints()
	for mb := 0; mb < M*B; mb++ {
		b := mb % B
		for j := 0; j < n; j++ {
			rep[mb*n+j] = b*n + j
		}
	}

	tok, err := m.tok.forward(g, tp.patches.Node) // [B·G, D]
	if err != nil {
		return nil, err
	}
	pos, err := m.pos.forward(g, tp.centers.Node) // [B·G, D]
	if err != nil {
		return nil, err
	}

	// Teacher: all tokens, no gradient, layer-normed last hidden state.
	tt, err := stopGradient(tok)
	if err != nil {
		return nil, err
	}
	tpos, err := stopGradient(pos)
	if err != nil {
		return nil, err
	}
	tt = G.Must(G.Reshape(tt, tensor.Shape{B, G_, D}))
	tpos = G.Must(G.Reshape(tpos, tensor.Shape{B, G_, D}))
	_, last, err := m.teacher.forward(g, tt, tpos)
	if err != nil {
		return nil, err
	}
	tgt, err := nn.LayerNormOp(last, nil, nil, 1e-5)
	if err != nil {
		return nil, err
	}
	if tgt, err = stopGradient(tgt); err != nil {
		return nil, err
	}
	tgt = G.Must(G.Reshape(tgt, tensor.Shape{B * G_, D}))
	if tgt, err = nn.Gather(tgt, tp.tgtIdx); err != nil {
		return nil, err
	}
	tgt = G.Must(G.Reshape(tgt, tensor.Shape{M * B, k, D}))

	// Student on the context tokens.
	ct, err := nn.Gather(tok, tp.ctxIdx)
	if err != nil {
		return nil, err
	}
	cp, err := nn.Gather(pos, tp.ctxIdx)
	if err != nil {
		return nil, err
	}
	ct = G.Must(G.Reshape(ct, tensor.Shape{B, n, D}))
	cp = G.Must(G.Reshape(cp, tensor.Shape{B, n, D}))
	ctx, _, err := m.student.forward(g, ct, cp)
	if err != nil {
		return nil, err
	}

	// Predictor for the M blocks.
	cc, err := nn.Gather(tp.centers.Node, tp.ctxIdx)
	if err != nil {
		return nil, err
	}
	tc, err := nn.Gather(tp.centers.Node, tp.tgtIdx)
	if err != nil {
		return nil, err
	}
	pred, err := m.pred.forward(g, ctx, cc, tc, tp.rep, M, B, n, k)
	if err != nil {
		return nil, err
	}
	loss, err := jepa.SmoothL1Loss(pred, tgt, c.LossBeta)
	if err != nil {
		return nil, err
	}
	tp.pred, tp.target = g.Read(pred), g.Read(tgt)
	if tp.prog, err = nn.Compile(g, loss); err != nil {
		return nil, err
	}
	return tp, nil
}

// setIndices fills the context and target rows for the batch: order holds
// each cloud's sequencer permutation ([B·G], position → FPS index).
func (tp *trainProgram) setIndices(mask *blockMask, order []int, G_, M int) {
	B, n, k := tp.B, tp.n, tp.k
	ci := tp.ctxIdx.Ints()
	for b := 0; b < B; b++ {
		o := order[b*G_ : (b+1)*G_]
		for j, p := range mask.Context {
			ci[b*n+j] = b*G_ + o[p]
		}
	}
	ti := tp.tgtIdx.Ints()
	for m := 0; m < M; m++ {
		blk := mask.Targets[m*k : (m+1)*k]
		for b := 0; b < B; b++ {
			o := order[b*G_ : (b+1)*G_]
			row := ti[(m*B+b)*k : (m*B+b+1)*k]
			for j, p := range blk {
				row[j] = b*G_ + o[p]
			}
		}
	}
}
