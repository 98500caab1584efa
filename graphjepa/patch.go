package graphjepa

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/nongrid/jepa/datasets"
)

// Patcher cuts graphs into PatchBatches (spec graph-jepa.md §3–4, §6), the
// reference's GraphJEPAPartitionTransform plus PyG's collation of
// SubgraphsData.
//
// For every graph of a batch it
//
//  1. assigns every node a slot: a graph with fewer nodes than p slots puts
//     each node in its own slot, the slots drawn at random (torch.randperm(p)[:N]);
//     a larger graph is partitioned into p parts by the configured
//     Partitioner, in training batches after dropping every directed edge row
//     with probability DropRate (an undirected edge survives if either row
//     does);
//  2. relabels so the largest used slot is p−1 (unused slots end up at the
//     low ids);
//  3. expands every part by Hops hops over the original (undropped) edges,
//     so patches overlap;
//  4. copies each patch's nodes (sorted by node id) and the directed edges
//     with both ends inside it (in CSR order), as the reference's
//     subgraphs_nodes_mapper / subgraphs_edges_mapper / combined_subgraphs;
//  5. writes the overlap counts M·Mᵀ, the non-empty mask and the patch PE
//     (node RWSE pooled over the members: max in training, mean in
//     evaluation under PEPoolReference);
//  6. draws 1 context and T targets uniformly without replacement among the
//     non-empty slots (np.random.choice(…, 1+T, replace=False)).
//
// The node RWSE is computed once per graph by NewPatcher. Randomness comes
// only from the *rand.Rand passed to Batch, drawn graph by graph in batch
// order, so the same generator state gives the same batch. A Patcher is safe
// for concurrent use; its scratch buffers are recycled, so once warm it
// allocates nothing per node (PatchBatch slices grow to the largest batch
// and are then reused).
type Patcher struct {
	cfg    PatchConfig
	graphs []*datasets.Graph

	rwse  []float32 // [Σ N_g, K] node RWSE
	rwOff []int     // graph g's rows start at rwOff[g]

	f, ef          int
	nodeLabel      bool // graphs carry NodeLabel (first column copied)
	edgeLabel      bool
	maxN, maxEdges int

	scratch chan *patchScratch
	batches chan *PatchBatch // buffers recycled between Streams
}

// NewPatcher validates cfg and graphs and precomputes the node RWSE of every
// graph (in parallel over cfg.Workers goroutines). Graph errors name the
// graph's index in graphs: an empty graph, a malformed CSR, NaN or Inf
// features, feature widths that differ from graph 0's, or a graph with fewer
// nodes than p and fewer than 1+T nodes (it cannot give 1+T non-empty slots;
// PatchConfig.RepeatTargets lets it through). The Patcher keeps graphs and
// reads them; it never writes them.
func NewPatcher(cfg PatchConfig, graphs []*datasets.Graph) (*Patcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if len(graphs) == 0 {
		return nil, errors.New("graphjepa: NewPatcher: no graphs")
	}
	p := &Patcher{cfg: cfg, graphs: graphs, rwOff: make([]int, len(graphs)+1)}
	g0 := graphs[0]
	if g0 == nil {
		return nil, errors.New("graphjepa: graph 0: nil")
	}
	p.f, p.ef = g0.F, g0.EF
	p.nodeLabel, p.edgeLabel = g0.NodeLabel != nil, g0.EdgeLabel != nil
	for i, g := range graphs {
		if g == nil {
			return nil, fmt.Errorf("graphjepa: graph %d: nil", i)
		}
		if g.NumNodes() <= 0 {
			return nil, fmt.Errorf("graphjepa: graph %d: empty graph (no nodes); Graph-JEPA needs at least %d nodes per graph", i, cfg.Targets+1)
		}
		if err := g.Validate(); err != nil {
			return nil, fmt.Errorf("graphjepa: graph %d: %w", i, err)
		}
		switch {
		case g.F != p.f:
			return nil, fmt.Errorf("graphjepa: graph %d: %d node features, graph 0 has %d", i, g.F, p.f)
		case g.EF != p.ef:
			return nil, fmt.Errorf("graphjepa: graph %d: %d edge features, graph 0 has %d", i, g.EF, p.ef)
		case (g.NodeLabel != nil) != p.nodeLabel || (g.EdgeLabel != nil) != p.edgeLabel:
			return nil, fmt.Errorf("graphjepa: graph %d: node/edge labels present (%v/%v) unlike graph 0 (%v/%v)", i, g.NodeLabel != nil, g.EdgeLabel != nil, p.nodeLabel, p.edgeLabel)
		case p.f == 0 && !p.nodeLabel:
			return nil, fmt.Errorf("graphjepa: graph %d: no node features and no node labels", i)
		}
		n := g.NumNodes()
		if n < cfg.Patches && n < cfg.Targets+1 && !cfg.RepeatTargets {
			return nil, fmt.Errorf("graphjepa: graph %d: %d nodes give %d non-empty patch slots, fewer than 1 context + %d targets (the reference would crash; set PatchConfig.RepeatTargets to repeat targets, or drop the graph)", i, n, n, cfg.Targets)
		}
		p.rwOff[i+1] = p.rwOff[i] + n
		p.maxN = max(p.maxN, n)
		p.maxEdges = max(p.maxEdges, len(g.Col))
	}
	p.rwse = make([]float32, p.rwOff[len(graphs)]*cfg.RWDim)
	p.computeRWSE()
	p.scratch = make(chan *patchScratch, cfg.Workers+2)
	p.batches = make(chan *PatchBatch, 4*cfg.Workers+4)
	return p, nil
}

// computeRWSE fills p.rwse over cfg.Workers goroutines, graphs dealt in
// fixed interleaved order (the result does not depend on the schedule).
func (p *Patcher) computeRWSE() {
	k := p.cfg.RWDim
	workers := min(p.cfg.Workers, len(p.graphs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var s rwseScratch
			for i := w; i < len(p.graphs); i += workers {
				cachedRWSE(&s, p.rwse[p.rwOff[i]*k:p.rwOff[i+1]*k], p.graphs[i], k)
			}
		})
	}
	wg.Wait()
}

// Config returns the patch configuration with its defaults filled in.
func (p *Patcher) Config() PatchConfig { return p.cfg }

// Len returns the number of graphs.
func (p *Patcher) Len() int { return len(p.graphs) }

// Graph returns graph i.
func (p *Patcher) Graph(i int) *datasets.Graph { return p.graphs[i] }

// NodeRWSE returns graph i's node RWSE, row-major [N_i, RWDim] (a view).
func (p *Patcher) NodeRWSE(i int) []float32 {
	k := p.cfg.RWDim
	return p.rwse[p.rwOff[i]*k : p.rwOff[i+1]*k]
}

// PartitionerName names the partitioner used for graphs with at least p
// nodes (DefaultPartitionerName, "recursive-bisection", unless configured).
func (p *Patcher) PartitionerName() string { return p.cfg.PartitionerName }

// NeedsPartitioner reports whether any graph has at least p nodes, i.e.
// whether the partitioner is ever called.
func (p *Patcher) NeedsPartitioner() bool { return p.maxN >= p.cfg.Patches }

// Batch patches and collates the graphs idx (indices into the Patcher's
// graphs) into dst, reusing dst's slices. train selects the training
// transform (edge drop, PE pooling for training); rng supplies every random
// draw. An error names the graph (its index) and what was wrong: a
// partitioner failure or a partition with fewer than 1+T non-empty slots.
//
// X is filled whenever the graphs have node features (F > 0) and NodeLabel
// / EdgeLabel whenever they carry integer labels (their first column), so
// the model picks what its encoders read; EdgeAttr is zeros(M, 1) for sets
// without edge features, as the reference's.
func (p *Patcher) Batch(dst *PatchBatch, idx []int, train bool, rng *rand.Rand) error {
	if len(idx) == 0 {
		return errors.New("graphjepa: Patcher.Batch: no graphs")
	}
	for _, i := range idx {
		if i < 0 || i >= len(p.graphs) {
			return fmt.Errorf("graphjepa: Patcher.Batch: graph index %d out of range [0,%d)", i, len(p.graphs))
		}
	}
	s := p.getScratch()
	defer p.putScratch(s)
	return p.batch(s, dst, idx, train, rng)
}

func (p *Patcher) getScratch() *patchScratch {
	select {
	case s := <-p.scratch:
		return s
	default:
		return p.newScratch()
	}
}

func (p *Patcher) putScratch(s *patchScratch) {
	select {
	case p.scratch <- s:
	default:
	}
}

// patchScratch is one worker's per-graph buffers, sized for the largest
// graph so that patching allocates nothing per node.
type patchScratch struct {
	part     []int    // [N] slot of every node
	perm     []int    // [p] random slot placement
	slotCnt  []int    // [p+1] counting sort of nodes by part
	byPart   []int    // [N] nodes sorted by part
	stamp    []uint32 // [N] == cur when the node is in the current slot
	cur      uint32
	pos      []int     // [N] copy index of a node in the current slot
	members  []int     // [N] current slot's members
	keep     []bool    // [2E] kept directed rows (edge drop)
	dropPtr  []int     // [N+1] CSR of the dropped graph
	dropCol  []int     // [2E]
	nodeCnt  []int     // [N+1] slots per node (overlap)
	nodeSlot []int     // [Σ copies] slots of each node, CSR by node
	nonEmpty []int     // [p]
	pe       []float32 // [K] pooling accumulator
	parter   Partitioner
}

func (p *Patcher) newScratch() *patchScratch {
	n, m, P := p.maxN, p.maxEdges, p.cfg.Patches
	s := &patchScratch{
		part: make([]int, n), perm: make([]int, P), slotCnt: make([]int, P+1),
		byPart: make([]int, n), stamp: make([]uint32, n), pos: make([]int, n),
		members: make([]int, 0, n), keep: make([]bool, m),
		dropPtr: make([]int, n+1), dropCol: make([]int, 0, m),
		nodeCnt: make([]int, n+1), nonEmpty: make([]int, 0, P),
		pe: make([]float32, p.cfg.RWDim),
	}
	if n >= P {
		s.parter = p.cfg.Partitioner(p.cfg.PartitionSeed) // set by withDefaults
	}
	return s
}

// batch is Batch with a scratch.
func (p *Patcher) batch(s *patchScratch, dst *PatchBatch, idx []int, train bool, rng *rand.Rand) error {
	P, T, K := p.cfg.Patches, p.cfg.Targets, p.cfg.RWDim
	B := len(idx)
	ef := max(p.ef, 1)
	dst.B, dst.P, dst.T, dst.F, dst.EF, dst.K = B, P, T, p.f, ef, K
	dst.X = dst.X[:0]
	dst.NodeLabel = dst.NodeLabel[:0]
	dst.EdgeAttr = dst.EdgeAttr[:0]
	dst.EdgeLabel = dst.EdgeLabel[:0]
	dst.NodePtr = append(dst.NodePtr[:0], 0)
	dst.CopyNode, dst.CopySlot = dst.CopyNode[:0], dst.CopySlot[:0]
	dst.SlotPtr = append(dst.SlotPtr[:0], 0)
	dst.CopySrc, dst.CopyDst, dst.CopyEdge = dst.CopySrc[:0], dst.CopyDst[:0], dst.CopyEdge[:0]
	dst.Overlap = resize(dst.Overlap, B*P*P)
	clear(dst.Overlap)
	dst.Mask = resize(dst.Mask, B*P)
	dst.PE = resize(dst.PE, B*P*K)
	clear(dst.PE)
	dst.Context = resize(dst.Context, B)
	dst.Targets = resize(dst.Targets, B*T)
	dst.Graphs = append(dst.Graphs[:0], idx...)
	dst.Y = dst.Y[:0]
	if !p.nodeLabel {
		dst.NodeLabel = nil
	}
	if !p.edgeLabel {
		dst.EdgeLabel = nil
	}
	edgeBase := 0
	for b, gi := range idx {
		g := p.graphs[gi]
		if err := p.patchGraph(s, dst, b, gi, g, edgeBase, train, rng); err != nil {
			return err
		}
		edgeBase += len(g.Col)
		dst.X = append(dst.X, g.X...)
		if p.nodeLabel {
			n, l := g.NumNodes(), len(g.NodeLabel)/g.NumNodes()
			for v := range n {
				dst.NodeLabel = append(dst.NodeLabel, g.NodeLabel[v*l])
			}
		}
		if p.ef == 0 {
			dst.EdgeAttr = appendZeros(dst.EdgeAttr, len(g.Col))
		} else {
			dst.EdgeAttr = append(dst.EdgeAttr, g.EdgeAttr...)
		}
		if p.edgeLabel {
			l := len(g.EdgeLabel) / max(len(g.Col), 1)
			for j := range g.Col {
				dst.EdgeLabel = append(dst.EdgeLabel, g.EdgeLabel[j*l])
			}
		}
		dst.NodePtr = append(dst.NodePtr, dst.NodePtr[b]+g.NumNodes())
		dst.Y = append(dst.Y, g.Y)
	}
	if p.f == 0 {
		dst.X = nil
	}
	return nil
}

// patchGraph patches graph g (index gi) as graph b of dst.
func (p *Patcher) patchGraph(s *patchScratch, dst *PatchBatch, b, gi int, g *datasets.Graph, edgeBase int, train bool, rng *rand.Rand) error {
	P, T, K := p.cfg.Patches, p.cfg.Targets, p.cfg.RWDim
	n := g.NumNodes()
	nodeBase := dst.NodePtr[b]
	part := s.part[:n]

	// 1. Slots.
	if n < P {
		randPermPrefix(s.perm, n, rng)
		copy(part, s.perm[:n])
	} else {
		rowPtr, col := g.RowPtr, g.Col
		if train && !p.cfg.NoEdgeDrop {
			rowPtr, col = s.dropEdges(g, p.cfg.DropRate, rng)
		}
		if err := s.parter.Partition(rowPtr, col, P, part); err != nil {
			return fmt.Errorf("graphjepa: graph %d: partitioner %s: %w", gi, p.cfg.PartitionerName, err)
		}
		for v, q := range part {
			if q < 0 || q >= P {
				return fmt.Errorf("graphjepa: graph %d: partitioner %s put node %d in part %d, want [0,%d)", gi, p.cfg.PartitionerName, v, q, P)
			}
		}
	}
	// 2. Relabel: the largest used slot becomes P-1.
	shift := P - (slices.Max(part) + 1)
	for v := range part {
		part[v] += shift
	}
	// Counting sort of nodes by slot (ascending node id within a slot).
	cnt := s.slotCnt[:P+1]
	clear(cnt)
	for _, q := range part {
		cnt[q+1]++
	}
	for q := range P {
		cnt[q+1] += cnt[q]
	}
	byPart := s.byPart[:n]
	for v, q := range part {
		byPart[cnt[q]] = v
		cnt[q]++
	}
	// cnt[q] is now the end of slot q; its start is cnt[q-1] (0 for q = 0).

	hops := p.cfg.Hops
	if p.cfg.NoExpansion {
		hops = 0
	}
	copyBase := len(dst.CopyNode)
	pool := poolFor(p.cfg.PEPooling, train)
	nonEmpty := s.nonEmpty[:0]
	for q := range P {
		lo := 0
		if q > 0 {
			lo = cnt[q-1]
		}
		hi := cnt[q]
		slot := b*P + q
		if lo == hi {
			dst.Mask[slot] = false
			dst.SlotPtr = append(dst.SlotPtr, len(dst.CopyNode))
			continue
		}
		nonEmpty = append(nonEmpty, q)
		dst.Mask[slot] = true
		// 3. Expansion over the original edges.
		st := s.nextStamp()
		members := append(s.members[:0], byPart[lo:hi]...)
		for _, v := range members {
			s.stamp[v] = st
		}
		from := 0
		for range hops {
			to := len(members)
			for _, u := range members[from:to] {
				for _, v := range g.Neighbors(u) {
					if s.stamp[v] != st {
						s.stamp[v] = st
						members = append(members, v)
					}
				}
			}
			from = to
		}
		slices.Sort(members)
		s.members = members
		// 4. Copies and copy edges.
		for _, v := range members {
			s.pos[v] = len(dst.CopyNode)
			dst.CopyNode = append(dst.CopyNode, nodeBase+v)
			dst.CopySlot = append(dst.CopySlot, slot)
		}
		for _, u := range members {
			for j := g.RowPtr[u]; j < g.RowPtr[u+1]; j++ {
				v := g.Col[j]
				if s.stamp[v] == st {
					dst.CopySrc = append(dst.CopySrc, s.pos[u])
					dst.CopyDst = append(dst.CopyDst, s.pos[v])
					dst.CopyEdge = append(dst.CopyEdge, edgeBase+j)
				}
			}
		}
		dst.SlotPtr = append(dst.SlotPtr, len(dst.CopyNode))
		// 5. Patch PE.
		p.poolPE(dst.PE[slot*K:(slot+1)*K], gi, members, pool)
	}
	s.nonEmpty = nonEmpty
	// Overlap counts M·Mᵀ from each node's list of slots.
	p.overlap(s, dst.Overlap[b*P*P:(b+1)*P*P], dst.CopyNode[copyBase:], dst.CopySlot[copyBase:], nodeBase, n, b*P)
	// 6. Context and targets.
	if err := pickSlots(dst.Context[b:b+1], dst.Targets[b*T:(b+1)*T], nonEmpty, p.cfg.RepeatTargets, rng); err != nil {
		return fmt.Errorf("graphjepa: graph %d: %w", gi, err)
	}
	return nil
}

// overlap adds |P_i ∩ P_j| for the graph's copies into ov ([P, P]).
func (p *Patcher) overlap(s *patchScratch, ov []float32, copyNode, copySlot []int, nodeBase, n, slotBase int) {
	P := p.cfg.Patches
	cnt := s.nodeCnt[:n+1]
	clear(cnt)
	for _, v := range copyNode {
		cnt[v-nodeBase+1]++
	}
	for v := range n {
		cnt[v+1] += cnt[v]
	}
	if cap(s.nodeSlot) < len(copyNode) {
		s.nodeSlot = make([]int, len(copyNode), 2*len(copyNode))
	}
	ns := s.nodeSlot[:len(copyNode)]
	for c, v := range copyNode {
		v -= nodeBase
		ns[cnt[v]] = copySlot[c] - slotBase
		cnt[v]++
	}
	lo := 0
	for v := range n {
		hi := cnt[v]
		sl := ns[lo:hi]
		for _, a := range sl {
			row := ov[a*P : (a+1)*P]
			for _, c := range sl {
				row[c]++
			}
		}
		lo = hi
	}
}

// nextStamp returns a fresh stamp value for the slot membership marks.
func (s *patchScratch) nextStamp() uint32 {
	s.cur++
	if s.cur == 0 {
		clear(s.stamp)
		s.cur = 1
	}
	return s.cur
}

// dropEdges keeps every directed row of g with probability 1−rate (one
// uniform per row in CSR order, kept iff U > rate as the reference does) and
// returns the symmetric CSR of the undirected edges with at least one kept
// row (nx.Graph deduplicates the two directions).
func (s *patchScratch) dropEdges(g *datasets.Graph, rate float64, rng *rand.Rand) (rowPtr, col []int) {
	n, m := g.NumNodes(), len(g.Col)
	keep := s.keep[:m]
	for j := range keep {
		keep[j] = rng.Float64() > rate
	}
	rowPtr = s.dropPtr[:n+1]
	col = s.dropCol[:0]
	rowPtr[0] = 0
	for u := range n {
		for j := g.RowPtr[u]; j < g.RowPtr[u+1]; j++ {
			v := g.Col[j]
			if keep[j] || keep[reverseEntry(g, u, v)] {
				col = append(col, v)
			}
		}
		rowPtr[u+1] = len(col)
	}
	s.dropCol = col
	return rowPtr, col
}

// reverseEntry returns the CSR position of v→u, given that u→v exists.
func reverseEntry(g *datasets.Graph, u, v int) int {
	lo, hi := g.RowPtr[v], g.RowPtr[v+1]
	j, _ := slices.BinarySearch(g.Col[lo:hi], u)
	return lo + j
}

// peMax and peMean name the pooling of one batch.
const (
	peMean = false
	peMax  = true
)

func poolFor(p PEPooling, train bool) bool {
	switch p {
	case PEPoolMean:
		return peMean
	case PEPoolMax:
		return peMax
	}
	return train // reference: max in training, mean in evaluation
}

// poolPE pools graph gi's node RWSE rows of members into dst ([K]).
func (p *Patcher) poolPE(dst []float32, gi int, members []int, useMax bool) {
	K := p.cfg.RWDim
	rw := p.NodeRWSE(gi)
	if useMax {
		copy(dst, rw[members[0]*K:(members[0]+1)*K])
		for _, v := range members[1:] {
			for k, x := range rw[v*K : (v+1)*K] {
				dst[k] = max(dst[k], x)
			}
		}
		return
	}
	// Mean in float32 in member order, as torch_scatter's scatter mean.
	clear(dst)
	for _, v := range members {
		for k, x := range rw[v*K : (v+1)*K] {
			dst[k] += x
		}
	}
	inv := float32(len(members))
	for k := range dst {
		dst[k] /= inv
	}
}

// randPermPrefix writes the first k entries of a uniform random permutation
// of 0..len(perm)-1 into perm[:k] (a partial Fisher–Yates shuffle; the
// distribution of torch.randperm(p)[:k]).
func randPermPrefix(perm []int, k int, rng *rand.Rand) {
	for i := range perm {
		perm[i] = i
	}
	n := len(perm)
	for i := range k {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

func appendZeros(s []float32, n int) []float32 {
	s = slices.Grow(s, n)
	l := len(s)
	s = s[:l+n]
	clear(s[l:])
	return s
}
