package pointjepa

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The pretraining step runs as two programs joined by a gradient bridge, so
// that only the cheap part depends on the batch's mask sizes:
//
//   - tokenProgram, one per batch size B (fixed shape): the tokenizer
//     (train-mode BatchNorm over all B·G·K points), the positional MLP, the
//     teacher on all B·G tokens (no dropout: eval mode, no gradient) and its
//     layer-normed last hidden state, then the bridge op.
//   - contextProgram, one per (context length n, target length k): the
//     student on the context tokens, the predictor, the smooth L1 loss.
//
// The bridge op's forward copies the tokens and positions into two bridge
// parameters that the context program reads, runs the context program
// (forward and backward: the student and predictor gradients accumulate, and
// the bridge parameters receive the gradients with respect to the tokens and
// positions) and outputs its loss; its backward hands those gradients to the
// tokenizer and positional MLP of the token program. The loss and every
// gradient are those of the single graph (checked in TestBridgeMatchesOneGraph).

// tokenProgram is the fixed-shape half of the step.
type tokenProgram struct {
	prog             *nn.Program
	patches, centers *nn.Input
	bridge           *bridge
	B                int
}

// bridge carries tokens, positions and teacher targets into the current
// context program and their gradients back.
type bridge struct {
	tok, pos *nn.Param // [B·G, D], read by the context program
	ctx      *contextProgram
}

// contextProgram is the mask-dependent half of the step.
type contextProgram struct {
	prog           *nn.Program
	centers        *nn.Input // [B·G, 3]
	targets        *nn.Input // [B·G, D] layer-normed teacher output
	ctxIdx, tgtIdx *nn.Indices
	rep            *nn.Indices
	pred, target   *nn.Output
	B, n, k        int
	bytes          int64 // ValueBytes after its first run (0 before)
}

// buildTokens compiles the token program for B clouds.
func (m *Model) buildTokens(B int, rng *rand.Rand) (tp *tokenProgram, err error) {
	defer catch(&err, "building the token graph")
	c := &m.cfg
	G_, K, D := c.Groups, c.GroupSize, c.Width
	g := nn.NewGraph(nn.GraphConfig{Train: true, Rand: rng})
	br := &bridge{
		tok: nn.NewParam("bridge.tokens", tensor.Float32, B*G_, D),
		pos: nn.NewParam("bridge.positions", tensor.Float32, B*G_, D),
	}
	tp = &tokenProgram{B: B, bridge: br}
	tp.patches = g.Input("patches", B*G_, K, 3)
	tp.centers = g.Input("centers", B*G_, 3)
	tok, err := m.tok.forward(g, tp.patches.Node) // [B·G, D]
	if err != nil {
		return nil, err
	}
	pos, err := m.pos.forward(g, tp.centers.Node) // [B·G, D]
	if err != nil {
		return nil, err
	}
	// The teacher reads copies: gorgonia may update a reshaped view in place
	// (the first block's x + pos), which would overwrite the tokens the
	// bridge still has to read.
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
	tgt = G.Must(G.Reshape(tgt, tensor.Shape{B * G_, D}))
	loss, err := br.apply(tok, pos, tgt)
	if err != nil {
		return nil, err
	}
	if tp.prog, err = nn.Compile(g, loss); err != nil {
		return nil, err
	}
	return tp, nil
}

// apply adds the bridge op: (tokens, positions, targets) → loss, with
// gradients for tokens and positions (targets get none: the teacher runs
// under no_grad).
func (br *bridge) apply(tok, pos, tgt *G.Node) (*G.Node, error) {
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     "pointjepa_context_bridge",
		OutShape: tensor.Shape{},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			cp := br.ctx
			if cp == nil {
				return fmt.Errorf("pointjepa: bridge: no context program set")
			}
			copy(br.tok.Float32s(), in[0].Data().([]float32))
			copy(br.pos.Float32s(), in[1].Data().([]float32))
			if err := cp.targets.Set(in[2].Data().([]float32)); err != nil {
				return err
			}
			br.tok.ZeroGrad()
			br.pos.ZeroGrad()
			if err := cp.prog.Run(); err != nil {
				return err
			}
			setScalar(out, cp.prog.Loss())
			return nil
		},
		Backward: func(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
			gt, err := scaledGrad("bridge_grad_tokens", br.tok, grad)
			if err != nil {
				return nil, err
			}
			gp, err := scaledGrad("bridge_grad_positions", br.pos, grad)
			if err != nil {
				return nil, err
			}
			return G.Nodes{gt, gp, nil}, nil
		},
		DiffWRT: []bool{true, true, false},
	}, tok, pos, tgt)
}

// scaledGrad adds a node holding upstream·p.Grad (the upstream gradient is a
// scalar: 1 for the loss itself).
func scaledGrad(name string, p *nn.Param, upstream *G.Node) (*G.Node, error) {
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     name,
		OutShape: tensor.Shape(p.Shape()).Clone(),
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			s := float32(scalarOf(in[0]))
			d, g := out.Data().([]float32), p.GradFloat32s()
			for i, v := range g {
				d[i] = s * v
			}
			return nil
		},
	}, upstream)
}

func setScalar(t *tensor.Dense, v float64) {
	switch d := t.Data().(type) {
	case float32:
		t.Set(0, float32(v))
	case float64:
		t.Set(0, v)
	case []float32:
		d[0] = float32(v)
	case []float64:
		d[0] = v
	}
}

func scalarOf(t *tensor.Dense) float64 {
	switch d := t.Data().(type) {
	case float32:
		return float64(d)
	case float64:
		return d
	case []float32:
		return float64(d[0])
	case []float64:
		return d[0]
	}
	panic(fmt.Sprintf("pointjepa: scalar of %T", t.Data()))
}

// buildContext compiles the context program for the bridge br: B clouds, n
// context tokens, target blocks of k tokens; rng drives its dropout and
// drop-path masks.
func (m *Model) buildContext(br *bridge, B, n, k int, rng *rand.Rand) (cp *contextProgram, err error) {
	defer catch(&err, "building the context graph")
	c := &m.cfg
	G_, D, M := c.Groups, c.Width, c.TargetBlocks
	g := nn.NewGraph(nn.GraphConfig{Train: true, Rand: rng})
	cp = &contextProgram{B: B, n: n, k: k}
	cp.centers = g.Input("centers", B*G_, 3)
	cp.targets = g.Input("targets", B*G_, D)
	cp.ctxIdx = nn.NewIndices("context", B*n)
	cp.tgtIdx = nn.NewIndices("targets", M*B*k)
	cp.rep = nn.NewIndices("context_repeat", M*B*n)
	rep := cp.rep.Ints()
	for mb := 0; mb < M*B; mb++ {
		b := mb % B
		for j := 0; j < n; j++ {
			rep[mb*n+j] = b*n + j
		}
	}
	tok, pos := g.Param(br.tok), g.Param(br.pos)

	tgt, err := nn.Gather(cp.targets.Node, cp.tgtIdx)
	if err != nil {
		return nil, err
	}
	tgt = G.Must(G.Reshape(tgt, tensor.Shape{M * B, k, D}))

	ct, err := nn.Gather(tok, cp.ctxIdx)
	if err != nil {
		return nil, err
	}
	cpos, err := nn.Gather(pos, cp.ctxIdx)
	if err != nil {
		return nil, err
	}
	ct = G.Must(G.Reshape(ct, tensor.Shape{B, n, D}))
	cpos = G.Must(G.Reshape(cpos, tensor.Shape{B, n, D}))
	ctx, _, err := m.student.forward(g, ct, cpos)
	if err != nil {
		return nil, err
	}
	cc, err := nn.Gather(cp.centers.Node, cp.ctxIdx)
	if err != nil {
		return nil, err
	}
	tc, err := nn.Gather(cp.centers.Node, cp.tgtIdx)
	if err != nil {
		return nil, err
	}
	pred, err := m.pred.forward(g, ctx, cc, tc, cp.rep, M, B, n, k)
	if err != nil {
		return nil, err
	}
	loss, err := jepa.SmoothL1Loss(pred, tgt, c.LossBeta)
	if err != nil {
		return nil, err
	}
	cp.pred, cp.target = g.Read(pred), g.Read(tgt)
	if cp.prog, err = nn.Compile(g, loss); err != nil {
		return nil, err
	}
	return cp, nil
}

// setIndices fills the context and target rows for the batch: order holds
// each cloud's sequencer permutation ([B·G], position → FPS index).
func (cp *contextProgram) setIndices(mask *blockMask, order []int, G_, M int) {
	B, n, k := cp.B, cp.n, cp.k
	ci := cp.ctxIdx.Ints()
	for b := 0; b < B; b++ {
		o := order[b*G_ : (b+1)*G_]
		for j, p := range mask.Context {
			ci[b*n+j] = b*G_ + o[p]
		}
	}
	ti := cp.tgtIdx.Ints()
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

// stepper runs pretraining steps: the token program and a cache of context
// programs (least recently used evicted), bounded in number and in bytes.
type stepper struct {
	m      *Model
	rng    *rand.Rand
	tok    *tokenProgram
	progs  []*contextProgram // least recently used first
	max    int
	budget int64 // bytes of context programs kept
}

// contextCache is the number of context programs kept: a context program
// holds only the student and predictor activations, and (n, k) pairs recur
// (about 29 × 4 of them at 64 groups, most mass on a few dozen).
func contextCache(c *Config) int {
	if c.Width*c.BatchSize > 192*64 {
		return 8
	}
	return 32
}

// maxContextBytes bounds the memory of the cached context programs: 4 GiB,
// or half the soft memory limit (runtime/debug.SetMemoryLimit, GOMEMLIMIT)
// when that is lower. At the cpu preset a context program keeps 240–450 MB
// after its run; 32 of them took a ModelNet40 pretraining to a 17.7 GB peak
// RSS. Replaying that run's 3,991 mask shapes, an LRU cache of 11 programs
// misses 3,259 times instead of 2,017 (about 150 ms of graph building per
// miss, 2–3 % of the run).
func maxContextBytes() int64 {
	b := int64(4 << 30)
	if l := debug.SetMemoryLimit(-1); l < math.MaxInt64 && l/2 < b {
		b = l / 2
	}
	return b
}

func newStepper(m *Model, rng *rand.Rand) *stepper {
	return &stepper{m: m, rng: rng, max: contextCache(&m.cfg), budget: maxContextBytes()}
}

// makeRoom evicts least recently used context programs until one more of
// the largest size seen fits the count and byte bounds.
func (s *stepper) makeRoom() {
	var total, largest int64
	for _, p := range s.progs {
		if p.bytes == 0 {
			p.bytes = p.prog.ValueBytes()
		}
		total += p.bytes
		largest = max(largest, p.bytes)
	}
	for len(s.progs) > 0 && (len(s.progs) >= s.max || total+largest > s.budget) {
		total -= s.progs[0].bytes
		s.progs[0].prog.Close()
		s.progs = s.progs[1:]
	}
}

func (s *stepper) close() {
	if s.tok != nil {
		s.tok.prog.Close()
		s.tok = nil
	}
	for _, p := range s.progs {
		p.prog.Close()
	}
	s.progs = nil
}

// prepare returns the programs for a batch of B clouds and mask, with the
// inputs of both set.
func (s *stepper) prepare(gb *grouped, mask *blockMask) (*tokenProgram, *contextProgram, error) {
	c := &s.m.cfg
	B := gb.batch.B
	if s.tok == nil || s.tok.B != B {
		s.close()
		tp, err := s.m.buildTokens(B, s.rng)
		if err != nil {
			return nil, nil, err
		}
		s.tok = tp
	}
	n, k := len(mask.Context), mask.K
	var cp *contextProgram
	for i, p := range s.progs {
		if p.n == n && p.k == k {
			cp = p
			s.progs = append(append(s.progs[:i:i], s.progs[i+1:]...), p)
			break
		}
	}
	if cp == nil {
		s.makeRoom()
		var err error
		if cp, err = s.m.buildContext(s.tok.bridge, B, n, k, s.rng); err != nil {
			return nil, nil, err
		}
		s.progs = append(s.progs, cp)
	}
	s.tok.bridge.ctx = cp
	if err := s.tok.patches.Set(gb.groups.Patches); err != nil {
		return nil, nil, err
	}
	if err := s.tok.centers.Set(gb.groups.Centers); err != nil {
		return nil, nil, err
	}
	if err := cp.centers.Set(gb.groups.Centers); err != nil {
		return nil, nil, err
	}
	cp.setIndices(mask, gb.order, c.Groups, c.TargetBlocks)
	return s.tok, cp, nil
}
