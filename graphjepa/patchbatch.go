package graphjepa

// PatchBatch is a mini-batch of B graphs, each cut into P patch slots and
// collated the way the reference batches its SubgraphsData (spec
// graph-jepa.md §3–6): every patch holds copies of its member nodes, and
// message passing runs over the disjoint union of all copies.
//
// Shapes and index spaces (N original nodes, M original directed edges, Nc
// node copies, Ec copy edges, row-major):
//
//	X          [N, F]      node features of the B graphs, concatenated (nil when the model embeds NodeLabel)
//	NodeLabel  [N]         integer node label per original node (ZINC's atom type; nil otherwise)
//	EdgeAttr   [M, EF]     edge features of the original directed edges, graph by graph in CSR order
//	                       (EF = 1 and all zeros when the data set has none, as the reference's zeros(E,1))
//	EdgeLabel  [M]         integer edge label per original directed edge (ZINC's bond type; nil otherwise)
//	NodePtr    [B+1]       graph b owns original nodes NodePtr[b]:NodePtr[b+1]
//	CopyNode   [Nc]        original node (0..N-1) of every copy (the reference's subgraphs_nodes_mapper)
//	CopySlot   [Nc]        global slot b·P+s of every copy (subgraphs_batch); copies are sorted by slot
//	SlotPtr    [B·P+1]     slot q owns copies SlotPtr[q]:SlotPtr[q+1] (empty slots own none)
//	CopySrc    [Ec]        source copy of every copy edge (combined_subgraphs row 0)
//	CopyDst    [Ec]        target copy of every copy edge (row 1); both endpoints in the same slot
//	CopyEdge   [Ec]        original directed edge (0..M-1) of every copy edge (subgraphs_edges_mapper)
//	Overlap    [B, P, P]   overlap counts |P_i ∩ P_j| (M·Mᵀ, diagonal |P_i|), float32 integers
//	Mask       [B, P]      true for a non-empty slot
//	PE         [B, P, K]   patch positional encoding: node RWSE (K = rw_dim) pooled over the slot's
//	                       members, max-pooled for training batches and mean-pooled for evaluation
//	                       batches as the reference does (PatchConfig decides); zeros for empty slots
//	Context    [B]         the context slot of every graph (0..P-1)
//	Targets    [B, T]      the T target slots of every graph (0..P-1), distinct from the context
//
// A PatchBatch is produced by the patcher (patching runs beside training, off
// the hot path of a step) and consumed by the model; the model must not keep
// references to its slices after a step returns, so the producer may reuse
// them for a later batch.
type PatchBatch struct {
	B, P, T int // graphs, patch slots per graph, targets per graph
	F, EF   int // node and edge feature widths of X and EdgeAttr
	K       int // PE width (rw_dim)

	X         []float32
	NodeLabel []int
	EdgeAttr  []float32
	EdgeLabel []int
	NodePtr   []int

	CopyNode []int
	CopySlot []int
	SlotPtr  []int
	CopySrc  []int
	CopyDst  []int
	CopyEdge []int

	Overlap []float32
	Mask    []bool
	PE      []float32

	Context []int
	Targets []int

	// Graphs are the indices, in the data set the batch was drawn from, of
	// its B graphs (for error messages and for embedding in order); Y their
	// classes (-1 when unlabelled).
	Graphs []int
	Y      []int
}

// NumNodes returns N, the number of original nodes.
func (b *PatchBatch) NumNodes() int { return b.NodePtr[b.B] }

// NumCopies returns Nc, the number of node copies over all patches.
func (b *PatchBatch) NumCopies() int { return len(b.CopyNode) }

// Partitioner cuts an undirected graph into k parts, the role METIS'
// PartGraphRecursive plays in the reference (spec §3). The graph is given in
// CSR form over n = len(rowPtr)-1 nodes, symmetric, without self-loops (the
// patcher passes the graph left after the random edge drop). Partition writes
// part[v] ∈ [0, k) for every node v (len(part) == n) and reports bad input
// as an error. A Partitioner need not be safe for concurrent use: each
// patching worker gets its own from a PartitionerFactory.
type Partitioner interface {
	Partition(rowPtr, col []int, k int, part []int) error
}

// PartitionerFactory returns a new Partitioner seeded with seed.
type PartitionerFactory func(seed uint64) Partitioner
