package graphjepa

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/nongrid/jepa/gnn"
	"github.com/nongrid/jepa/hyperbolic"
	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// graphKind selects what a batch graph computes.
type graphKind int

const (
	// kindTrain is one training step, the reference's forward() under
	// model.train(): BatchNorm batch statistics (and running-statistic
	// updates), the JEPA loss and its gradients.
	kindTrain graphKind = iota
	// kindLoss is the held-out JEPA-loss pass, forward() under
	// model.eval(): running statistics, no gradients.
	kindLoss
	// kindEmbed is the evaluation embedding, encode() under model.eval().
	kindEmbed
)

// batchGraph is a compiled graph for one PatchBatch shape.
type batchGraph struct {
	prog         *nn.Program
	loss         *nn.Output // kindTrain, kindLoss
	pred, target *nn.Output // [B·T, 2], kindTrain and kindLoss
	emb          *nn.Output // [B, d], kindEmbed
}

func (bg *batchGraph) close() {
	if bg.prog != nil {
		_ = bg.prog.Close()
	}
}

// build adds the model's computation over b to a new graph and compiles
// it. pe is the patch PE [B·P, K] pooled the way the computation needs
// (see peFor). Every input is set from b, so the program is ready to run.
func (m *Model) build(b *PatchBatch, pe []float32, kind graphKind, rng *rand.Rand) (bg *batchGraph, err error) {
	if err := m.checkBatch(b); err != nil {
		return nil, err
	}
	cfg := m.cfg
	B, P, T, K, d := b.B, b.P, b.T, b.K, cfg.Hidden
	g := nn.NewGraph(nn.GraphConfig{Dtype: m.dt, Train: kind == kindTrain, Rand: rng})
	bg = &batchGraph{}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("graphjepa: building the model graph: %v", r)
		}
	}()

	sub, subCtx, err := m.patchEmbeddings(g, b, kind == kindTrain)
	if err != nil {
		return nil, err
	}
	peIn := g.Input("patch_pe", B*P, K)
	if err := peIn.Set(pe); err != nil {
		return nil, err
	}

	if kind == kindEmbed {
		emb, err := m.encodeGraph(g, b, sub, peIn.Node)
		if err != nil {
			return nil, err
		}
		bg.emb = g.Read(emb)
		bg.prog, err = nn.Compile(g, nil)
		return bg, err
	}

	ctxSlots := make([]int, B)
	tgtSlots := make([]int, B*T)
	for i := 0; i < B; i++ {
		ctxSlots[i] = i*P + b.Context[i]
		for j := 0; j < T; j++ {
			tgtSlots[i*T+j] = i*P + b.Targets[i*T+j]
		}
	}
	ctxIdx := nn.IndicesOf("context_slots", ctxSlots)
	tgtIdx := nn.IndicesOf("target_slots", tgtSlots)

	// Context: patch embedding + PE, a sequence of length 1.
	cpe, err := gatherForward(g, peIn.Node, ctxIdx, m.patchPE)
	if err != nil {
		return nil, err
	}
	c := subCtx
	if c == nil {
		if c, err = nn.Gather(sub, ctxIdx); err != nil {
			return nil, err
		}
	}
	c = G.Must(G.Add(c, cpe))
	cOut, err := m.contextForward(g, c)
	if err != nil {
		return nil, err
	}

	// Target PEs: the predictor's queries (and, with TargetPE, added to
	// the target patch embeddings).
	tpe, err := gatherForward(g, peIn.Node, tgtIdx, m.patchPE)
	if err != nil {
		return nil, err
	}

	// Targets, without gradient: Hadamard attention over the T target
	// patches with the overlap counts between them, mean over channels,
	// (cosh z, sinh z).
	t, err := nn.Gather(sub, tgtIdx)
	if err != nil {
		return nil, err
	}
	if cfg.TargetPE {
		t = G.Must(G.Add(t, tpe))
	}
	if t, err = stopGradient(t); err != nil {
		return nil, err
	}
	t = G.Must(G.Reshape(t, tensor.Shape{B, T, d}))
	ov := make([]float32, B*T*T)
	for i := 0; i < B; i++ {
		for r := 0; r < T; r++ {
			sr := b.Targets[i*T+r]
			for s := 0; s < T; s++ {
				ov[(i*T+r)*T+s] = b.Overlap[(i*P+sr)*P+b.Targets[i*T+s]]
			}
		}
	}
	ovIn := g.Input("target_overlap", B, T, T)
	if err := ovIn.Set(ov); err != nil {
		return nil, err
	}
	tOut, err := m.target.t.Forward(g, t, nil, nil, ovIn.Node)
	if err != nil {
		return nil, err
	}
	target, err := hyperbolaNode(m.dt, G.Must(G.Reshape(tOut, tensor.Shape{B * T, d})))
	if err != nil {
		return nil, err
	}

	// Prediction from the context output plus each target's PE.
	cRep, err := nn.RepeatAxis1(cOut, T)
	if err != nil {
		return nil, err
	}
	q := G.Must(G.Add(cRep, G.Must(G.Reshape(tpe, tensor.Shape{B, T, d}))))
	pred, err := m.predictor.Forward(g, q)
	if err != nil {
		return nil, err
	}
	pred = G.Must(G.Reshape(pred, tensor.Shape{B * T, 2}))

	var loss *G.Node
	switch cfg.Loss {
	case LossMSE:
		loss, err = jepa.MSELoss(pred, target)
	default:
		loss, err = jepa.SmoothL1Loss(pred, target, cfg.Beta)
	}
	if err != nil {
		return nil, err
	}
	bg.pred, bg.target = g.Read(pred), g.Read(target)
	if kind == kindTrain {
		bg.prog, err = nn.Compile(g, loss)
		return bg, err
	}
	bg.loss = g.Read(loss)
	bg.prog, err = nn.Compile(g, nil)
	return bg, err
}

// patchEmbeddings adds the input encoders and the GINE patch encoder over
// the node copies of b (spec §5) and returns one d-vector per slot, [B·P, d]
// (zeros for empty slots under mean pooling).
//
// Under mean pooling (and not m.dense) the last block's output Linear runs
// after the mean over each slot's copies rather than before it: the mean
// of W·h + b over a slot's copies is W·mean(h) + b, so it costs one row
// per non-empty slot instead of one per copy (a third of the rows or
// fewer), the same values to rounding. With train set it also returns the
// context slots' embeddings [B, d] computed apart: the loss reaches the
// patch encoder only through the context patches, so the output Linear's
// backward pass runs over their B rows; the full output, for the targets,
// then carries no gradient.
func (m *Model) patchEmbeddings(g *nn.Graph, b *PatchBatch, train bool) (sub, subCtx *G.Node, err error) {
	N, Nc, BP := b.NumNodes(), b.NumCopies(), b.B*b.P
	var h, e *G.Node
	if m.inputEmb != nil {
		h, err = m.inputEmb.Forward(g, nn.IndicesOf("node_label", b.NodeLabel))
	} else {
		x := g.Input("x", N, b.F)
		if err = x.Set(b.X); err != nil {
			return nil, nil, err
		}
		h, err = m.inputLin.Forward(g, x.Node)
	}
	if err != nil {
		return nil, nil, err
	}
	// Edge inputs: one row per original edge, gathered to every copy edge
	// as the reference does; or, when the edges repeat a few distinct
	// inputs (bond types, the zeros of a featureless set), one row per
	// distinct input that the copy edges read in place
	// (gnn.Edges.WithEdgeRows): the same values, without the [copy edges,
	// d] matrix and its gradient.
	var eClass, eFirst []int // class of every edge, first edge of each class
	if !m.dense {
		eClass, eFirst = m.edgeClasses(b)
	}
	shared := len(eFirst) > 0 && 4*len(eFirst) <= len(b.CopyEdge)
	edgeIn := func(name string, rows []int) (*G.Node, error) {
		if m.edgeEmb != nil {
			labels := b.EdgeLabel
			if rows != nil {
				labels = make([]int, len(rows))
				for i, r := range rows {
					labels[i] = b.EdgeLabel[r]
				}
			}
			return m.edgeEmb.Forward(g, nn.IndicesOf(name, labels))
		}
		attr := b.EdgeAttr
		if rows != nil {
			attr = make([]float32, 0, len(rows)*b.EF)
			for _, r := range rows {
				attr = append(attr, b.EdgeAttr[r*b.EF:(r+1)*b.EF]...)
			}
		}
		ea := g.Input(name, len(attr)/b.EF, b.EF)
		if err := ea.Set(attr); err != nil {
			return nil, err
		}
		return m.edgeLin.Forward(g, ea.Node)
	}
	if shared {
		e, err = edgeIn("edge_class_attr", eFirst)
	} else {
		e, err = edgeIn("edge_attr", nil)
	}
	if err != nil {
		return nil, nil, err
	}
	copyNode := nn.IndicesOf("copy_node", b.CopyNode)
	copySlot := nn.IndicesOf("copy_slot", b.CopySlot)
	edges, err := gnn.NewEdges(nn.IndicesOf("copy_src", b.CopySrc), nn.IndicesOf("copy_dst", b.CopyDst), Nc)
	if err != nil {
		return nil, nil, err
	}
	// eRow: the row of e every copy edge reads; eRowClass: the class of
	// every row of e.
	eRow, eRowClass := b.CopyEdge, eClass
	if shared {
		eRow = make([]int, len(b.CopyEdge))
		for k, j := range b.CopyEdge {
			eRow[k] = eClass[j]
		}
		eRowClass = seqInts(len(eFirst))
		if edges, err = edges.WithEdgeRows(nn.IndicesOf("copy_edge_class", eRow), len(eFirst)); err != nil {
			return nil, nil, err
		}
	}
	// The first block runs on one row per group of copies that see the
	// same inputs (gnn.GroupNodes, Block.ForwardGrouped): node rows of one
	// class (equal feature rows or labels) are equal, edge rows likewise,
	// so copies with the same class and the same multiset of (source class,
	// edge class) over their in-edges get the same output. MUTAG's one-hot
	// atoms and bonds give a few hundred groups for ≈ 7,300 copies; the
	// featureless sets (IMDB, REDDIT) one per in-degree. Used when it saves
	// at least half the rows; the last block keeps the per-copy path (its
	// context-only backward).
	var groups *gnn.NodeGroups
	if !m.dense && len(m.gnns) > 1 && N > 0 {
		if groups, err = m.firstBlockGroups(b, eRow, eRowClass); err != nil {
			return nil, nil, err
		}
		if 2*len(groups.Counts) > Nc {
			groups = nil
		}
	}
	nodes, edgeRows := h, e // [N, d], [M or classes, d]
	if groups == nil {
		if h, err = nn.Gather(h, copyNode); err != nil {
			return nil, nil, err
		}
	}
	if !shared {
		if e, err = nn.Gather(e, nn.IndicesOf("copy_edge", b.CopyEdge)); err != nil {
			return nil, nil, err
		}
	}
	poolFirst := !m.dense && m.patchPMA == nil
	var copyRank *nn.Indices
	var slotCopies, rankSlot []int
	if len(m.gnns) > 1 || poolFirst {
		copyRank, slotCopies, rankSlot = nonEmptySlots(b)
	}
	for i, l := range m.gnns {
		if i == 0 && groups != nil {
			out, err := l.block.ForwardGrouped(g, nodes, edgeRows, groups)
			if err != nil {
				return nil, nil, err
			}
			if out, err = l.out.Forward(g, out); err != nil {
				return nil, nil, err
			}
			if h, err = nn.Gather(out, nn.IndicesOf("copy_group", groups.Row)); err != nil {
				return nil, nil, err
			}
			continue
		}
		if i > 0 {
			// Mix in the patch summary, then average the copies of every
			// original node across the patches that hold it.
			s, err := m.mixPatches(g, i-1, h, copyRank, slotCopies, copySlot, BP)
			if err != nil {
				return nil, nil, err
			}
			h = G.Must(G.Add(h, s))
			if h, err = nn.SegmentMean(h, copyNode, N); err != nil {
				return nil, nil, err
			}
			if h, err = nn.Gather(h, copyNode); err != nil {
				return nil, nil, err
			}
		}
		if h, err = l.block.Forward(g, h, edges, e); err != nil {
			return nil, nil, err
		}
		if poolFirst && i == len(m.gnns)-1 {
			return m.pooledOutput(g, b, l.out, h, copyRank, len(slotCopies), rankSlot, train)
		}
		if h, err = l.out.Forward(g, h); err != nil {
			return nil, nil, err
		}
	}
	if m.patchPMA != nil {
		sub, err = m.pmaPatchPool(g, b, h, copySlot)
		return sub, nil, err
	}
	sub, err = nn.SegmentMean(h, copySlot, BP)
	return sub, subCtx, err
}

// pooledOutput returns the last block's output Linear of every slot's mean
// copy, scattered to [B·P, d] with zeros for the empty slots, and with train
// set the context slots' rows [B, d] computed apart (see patchEmbeddings).
// copyRank numbers every copy's slot among the S non-empty ones, rankSlot
// gives the slot of each.
func (m *Model) pooledOutput(g *nn.Graph, b *PatchBatch, out *nn.Linear, h *G.Node, copyRank *nn.Indices, S int, rankSlot []int, train bool) (sub, subCtx *G.Node, err error) {
	pooled, err := nn.SegmentMean(h, copyRank, S)
	if err != nil {
		return nil, nil, err
	}
	y, err := out.Forward(g, pooled)
	if err != nil {
		return nil, nil, err
	}
	if sub, err = nn.ScatterAdd(y, nn.IndicesOf("slot_of_rank", rankSlot), b.B*b.P); err != nil {
		return nil, nil, err
	}
	if !train {
		return sub, nil, nil
	}
	rank := make([]int, b.B)
	for i := range rank {
		rank[i] = slotRank(rankSlot, i*b.P+b.Context[i])
	}
	c, err := nn.Gather(pooled, nn.IndicesOf("context_slot_rank", rank))
	if err != nil {
		return nil, nil, err
	}
	subCtx, err = out.Forward(g, c)
	return sub, subCtx, err
}

// slotRank returns the rank of slot q among the non-empty slots listed in
// increasing order by rankSlot (q must be one of them).
func slotRank(rankSlot []int, q int) int {
	r, ok := slices.BinarySearch(rankSlot, q)
	if !ok {
		panic(fmt.Sprintf("graphjepa: slot %d is empty", q))
	}
	return r
}

// mixPatches returns U[i] of every copy's slot summary (the mean of the
// slot's copies of h), [Nc, d]. The reference applies U (Linear →
// BatchNorm → ReLU) to the summary gathered to every copy; here it runs on
// one row per non-empty slot with BatchNorm weighting each by the slot's
// copies (nn.BatchNorm.ForwardRepeated), the same computation on a third of
// the rows or fewer, then gathers. With m.dense it runs as the reference.
func (m *Model) mixPatches(g *nn.Graph, i int, h *G.Node, copyRank *nn.Indices, slotCopies []int, copySlot *nn.Indices, slots int) (*G.Node, error) {
	if m.dense {
		s, err := nn.SegmentMean(h, copySlot, slots)
		if err != nil {
			return nil, err
		}
		if s, err = nn.Gather(s, copySlot); err != nil {
			return nil, err
		}
		return m.u[i].Forward(g, s)
	}
	s, err := nn.SegmentMean(h, copyRank, len(slotCopies))
	if err != nil {
		return nil, err
	}
	if s, err = m.u[i].ForwardRepeated(g, s, slotCopies); err != nil {
		return nil, err
	}
	return nn.Gather(s, copyRank)
}

// firstBlockGroups groups the copies of b by what the first GINE block
// sees of them (gnn.GroupNodes): node classes are the node labels (with an
// input Embedding) or the distinct rows of X (with an input Linear); copy
// edge k reads row eRow[k] of the edge inputs, whose classes are eRowClass.
func (m *Model) firstBlockGroups(b *PatchBatch, eRow, eRowClass []int) (*gnn.NodeGroups, error) {
	var xClass []int
	if m.inputEmb != nil {
		xClass = b.NodeLabel
	} else {
		xClass = rowClasses(b.X, b.F)
	}
	return gnn.GroupNodes(b.CopyNode, xClass, b.CopySrc, b.CopyDst, eRow, eRowClass)
}

// edgeClasses numbers the distinct edge inputs of b in order of first
// appearance (the edge labels with an edge Embedding, the rows of
// EdgeAttr bit for bit with an edge Linear) and returns the class of every
// edge and the first edge of each class.
func (m *Model) edgeClasses(b *PatchBatch) (class, first []int) {
	if m.edgeEmb != nil {
		class = labelClasses(b.EdgeLabel)
	} else {
		class = rowClasses(b.EdgeAttr, b.EF)
	}
	for j, c := range class {
		if c == len(first) {
			first = append(first, j)
		}
	}
	return class, first
}

// labelClasses numbers the distinct labels in order of first appearance
// and returns the number of every label.
func labelClasses(labels []int) []int {
	class := make([]int, len(labels))
	seen := map[int]int{}
	for j, l := range labels {
		c, ok := seen[l]
		if !ok {
			c = len(seen)
			seen[l] = c
		}
		class[j] = c
	}
	return class
}

// seqInts returns 0, 1, …, n−1.
func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// rowClasses numbers the distinct rows of x [len(x)/w, w] (bit for bit) in
// order of first appearance and returns the number of every row.
func rowClasses(x []float32, w int) []int {
	if w <= 0 {
		return nil
	}
	rows := len(x) / w
	class := make([]int, rows)
	seen := make(map[string]int)
	key := make([]byte, 4*w)
	for r := range rows {
		for j, v := range x[r*w : (r+1)*w] {
			u := math.Float32bits(v)
			key[4*j], key[4*j+1], key[4*j+2], key[4*j+3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
		}
		k, ok := seen[string(key)]
		if !ok {
			k = len(seen)
			seen[string(key)] = k
		}
		class[r] = k
	}
	return class
}

// nonEmptySlots numbers the non-empty slots of b in slot order and returns
// the number of every copy's slot, [Nc], the copies of each non-empty slot
// and its slot index q (in increasing order).
func nonEmptySlots(b *PatchBatch) (copyRank *nn.Indices, copies, slots []int) {
	rank := make([]int, len(b.CopySlot))
	for q := 0; q+1 < len(b.SlotPtr); q++ {
		lo, hi := b.SlotPtr[q], b.SlotPtr[q+1]
		if hi == lo {
			continue
		}
		for c := lo; c < hi; c++ {
			rank[c] = len(copies)
		}
		copies = append(copies, hi-lo)
		slots = append(slots, q)
	}
	return nn.IndicesOf("copy_slot_rank", rank), copies, slots
}

// contextForward runs the context encoder on its length-1 sequences, x [B,
// d] → [B, d]. The softmax over a single key is exactly 1, so every
// attention layer returns out_proj(v_proj(·)) and q_proj, k_proj get a zero
// gradient (as in the reference): the q/k projections and the score
// computation are skipped, with the shared nn layers of the encoder.
func (m *Model) contextForward(g *nn.Graph, x *G.Node) (*G.Node, error) {
	if m.dense {
		B, d := x.Shape()[0], x.Shape()[1]
		y, err := m.context.t.Forward(g, G.Must(G.Reshape(x, tensor.Shape{B, 1, d})), nil, nil, nil)
		if err != nil {
			return nil, err
		}
		return G.Reshape(y, tensor.Shape{B, d})
	}
	var err error
	for _, blk := range m.context.t.Blocks {
		h, err := blk.Norm1.Forward(g, x)
		if err != nil {
			return nil, err
		}
		if h, err = blk.Attn.V.Forward(g, h); err != nil {
			return nil, err
		}
		if h, err = blk.Attn.Out.Forward(g, h); err != nil {
			return nil, err
		}
		x = G.Must(G.Add(x, h))
		if h, err = blk.Norm2.Forward(g, x); err != nil {
			return nil, err
		}
		if h, err = blk.FC1.Forward(g, h); err != nil {
			return nil, err
		}
		if h, err = nn.ActReLU.Apply(h); err != nil {
			return nil, err
		}
		if h, err = blk.FC2.Forward(g, h); err != nil {
			return nil, err
		}
		x = G.Must(G.Add(x, h))
	}
	return x, err
}

// encodeGraph adds the reference's encode() after the patch encoder:
// patch embedding + PE for every slot, the target encoder over all P slots
// with the overlap weights and empty slots masked as keys, then the masked
// mean over the non-empty slots → [B, d].
func (m *Model) encodeGraph(g *nn.Graph, b *PatchBatch, sub, pe *G.Node) (*G.Node, error) {
	B, P, d := b.B, b.P, m.cfg.Hidden
	penc, err := m.patchPE.Forward(g, pe)
	if err != nil {
		return nil, err
	}
	x := G.Must(G.Reshape(G.Must(G.Add(sub, penc)), tensor.Shape{B, P, d}))
	mask := make([]float32, B*P)
	for i, ok := range b.Mask {
		if ok {
			mask[i] = 1
		}
	}
	maskIn := g.Input("mask", B, P)
	if err := maskIn.Set(mask); err != nil {
		return nil, err
	}
	ovIn := g.Input("overlap", B, P, P)
	if err := ovIn.Set(b.Overlap); err != nil {
		return nil, err
	}
	out, err := m.target.t.Forward(g, x, nil, maskIn.Node, ovIn.Node)
	if err != nil {
		return nil, err
	}
	if m.graphPMA != nil {
		y, err := m.graphPMA.Forward(g, out, maskIn.Node)
		if err != nil {
			return nil, err
		}
		return G.Reshape(y, tensor.Shape{B, d})
	}
	return gnn.MaskedMean(out, maskIn.Node)
}

// pmaPatchPool pools the node copies of every slot with PMA (one seed)
// instead of their mean: the copies are laid out as padded sets [B·P,
// maxCopies, d] with a mask. An empty slot yields PMA of an all-padded set
// (its seed passed through the block), never used as a target or context
// and masked out of the evaluation pooling.
func (m *Model) pmaPatchPool(g *nn.Graph, b *PatchBatch, h *G.Node, copySlot *nn.Indices) (*G.Node, error) {
	BP, d := b.B*b.P, m.cfg.Hidden
	maxC := 1
	for q := 0; q < BP; q++ {
		maxC = max(maxC, b.SlotPtr[q+1]-b.SlotPtr[q])
	}
	mask := make([]float32, BP*maxC)
	if _, err := gnn.FillDenseMask(mask, b.CopySlot, BP, maxC); err != nil {
		return nil, err
	}
	maskIn := g.Input("copy_mask", BP, maxC)
	if err := maskIn.Set(mask); err != nil {
		return nil, err
	}
	dense, err := gnn.ToDenseBatch(h, copySlot, BP, maxC)
	if err != nil {
		return nil, err
	}
	y, err := m.patchPMA.Forward(g, dense, maskIn.Node)
	if err != nil {
		return nil, err
	}
	return G.Reshape(y, tensor.Shape{BP, d})
}

// gatherForward returns layer(x[idx]).
func gatherForward(g *nn.Graph, x *G.Node, idx *nn.Indices, layer interface {
	Forward(*nn.Graph, *G.Node) (*G.Node, error)
}) (*G.Node, error) {
	y, err := nn.Gather(x, idx)
	if err != nil {
		return nil, err
	}
	return layer.Forward(g, y)
}

// hyperbolaNode maps the rows of x [n, d] to Graph-JEPA's target points
// (cosh z, sinh z), z the row mean, without the clamp of package
// hyperbolic (the reference's unguarded cosh/sinh).
func hyperbolaNode(dt tensor.Dtype, x *G.Node) (*G.Node, error) {
	if dt == tensor.Float64 {
		return hyperbolic.UnitHyperbola[float64]{Unclamped: true}.FromMeanNode(x)
	}
	return hyperbolic.UnitHyperbola[float32]{Unclamped: true}.FromMeanNode(x)
}

// stopGradient returns a copy of x through which no gradient flows (the
// reference computes its targets under torch.no_grad()).
func stopGradient(x *G.Node) (*G.Node, error) {
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     "StopGradient",
		OutShape: x.Shape().Clone(),
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch o := out.Data().(type) {
			case []float32:
				copy(o, in[0].Data().([]float32))
			case []float64:
				copy(o, in[0].Data().([]float64))
			}
			return nil
		},
		DiffWRT: []bool{false},
		Backward: func(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
			return G.Nodes{nil}, nil
		},
	}, x)
}

// checkBatch verifies that b fits the model: feature widths, index
// lengths and slot counts.
func (m *Model) checkBatch(b *PatchBatch) error {
	cfg := m.cfg
	switch {
	case b.B < 1:
		return fmt.Errorf("graphjepa: batch has %d graphs", b.B)
	case b.P != cfg.Patch.Patches:
		return fmt.Errorf("graphjepa: batch has %d patch slots per graph, the model was configured with %d", b.P, cfg.Patch.Patches)
	case b.K != cfg.Patch.RWDim:
		return fmt.Errorf("graphjepa: batch PE width %d, the model's patch_rw_encoder takes %d (rw_dim)", b.K, cfg.Patch.RWDim)
	case len(b.NodePtr) != b.B+1 || len(b.SlotPtr) != b.B*b.P+1 || len(b.Mask) != b.B*b.P ||
		len(b.Overlap) != b.B*b.P*b.P || len(b.Context) != b.B || len(b.Targets) != b.B*b.T:
		return fmt.Errorf("graphjepa: malformed batch: index lengths do not match B=%d, P=%d, T=%d", b.B, b.P, b.T)
	case len(b.CopySlot) != len(b.CopyNode) || len(b.CopyDst) != len(b.CopySrc) || len(b.CopyEdge) != len(b.CopySrc):
		return fmt.Errorf("graphjepa: malformed batch: copy index lengths differ")
	}
	N := b.NumNodes()
	if m.inputEmb != nil {
		if len(b.NodeLabel) != N {
			return fmt.Errorf("graphjepa: the model embeds integer node labels (Embedding(%d, d)) but the batch has %d labels for %d nodes", cfg.NodeVocab, len(b.NodeLabel), N)
		}
	} else if b.F != m.f || len(b.X) != N*b.F {
		return fmt.Errorf("graphjepa: node features have width %d, the model's input_encoder takes %d", b.F, m.f)
	}
	if m.edgeEmb == nil && (b.EF != m.ef || b.EF < 1 || len(b.EdgeAttr)%b.EF != 0) {
		return fmt.Errorf("graphjepa: edge features have width %d, the model's edge_encoder takes %d", b.EF, m.ef)
	}
	return nil
}
