package graphjepa

import (
	"fmt"
	"math"
	"runtime"
)

// PEPooling chooses how the node RWSE of a patch's members is pooled into
// the patch positional encoding (spec graph-jepa.md §4).
type PEPooling int

const (
	// PEPoolReference max-pools in training batches and mean-pools in
	// evaluation batches, as the reference does (model.py:92 forward vs
	// model.py:176 encode) [quirk]. The zero value.
	PEPoolReference PEPooling = iota
	// PEPoolMean mean-pools in both (a clean variant).
	PEPoolMean
	// PEPoolMax max-pools in both (a clean variant).
	PEPoolMax
)

// String returns "reference", "mean" or "max".
func (p PEPooling) String() string {
	switch p {
	case PEPoolReference:
		return "reference"
	case PEPoolMean:
		return "mean"
	case PEPoolMax:
		return "max"
	}
	return fmt.Sprintf("PEPooling(%d)", int(p))
}

// PatchConfig configures patching (spec graph-jepa.md §3, §4 pooling, §6).
// The zero value is the reference's MUTAG setting: p = 32 slots, T = 3
// targets, per-directed-row edge drop 0.3 in training, RWSE of 15 steps, a
// 1-hop expansion, the reference's PE pooling, and graphjepa/partition's
// multilevel recursive bisection (METIS_PartGraphRecursive's counterpart)
// for graphs with at least p nodes (see Partitioner).
type PatchConfig struct {
	// Patches is p, the number of patch slots per graph (metis.n_patches);
	// 0 means 32 (128 for REDDIT-B/M5 in their presets).
	Patches int `json:"patches"`

	// Targets is T, the number of target patches drawn per graph besides
	// the one context patch (jepa.num_targets); 0 means 3 (MUTAG; PROTEINS
	// uses 2 and the other sets 4 through their presets).
	Targets int `json:"targets"`

	// DropRate is the probability that a training graph's directed edge row
	// is dropped before partitioning (metis.drop_rate); 0 means 0.3. Each
	// direction is tested on its own and the partitioner sees an edge if
	// either direction survived, so an undirected edge disappears with
	// probability DropRate² [quirk, subgraph_extractors.py:63-71].
	// Evaluation batches never drop edges, and graphs with fewer than p
	// nodes are never partitioned, so the drop does not touch them.
	DropRate float64 `json:"drop_rate"`

	// NoEdgeDrop turns the training edge drop off (DropRate is ignored).
	NoEdgeDrop bool `json:"no_edge_drop,omitempty"`

	// RWDim is the number of random-walk steps of the node RWSE, the width
	// K of PatchBatch.PE (pos_enc.rw_dim = patch_rw_dim); 0 means 15.
	RWDim int `json:"rw_dim"`

	// Hops is the number of expansion hops after partitioning
	// (metis.num_hops), taken over the original, undropped edges; 0 means
	// 1. NoExpansion turns the expansion off.
	Hops int `json:"hops"`

	// NoExpansion keeps the bare parts (no k-hop expansion).
	NoExpansion bool `json:"no_expansion,omitempty"`

	// PEPooling is how node RWSE is pooled per patch; the zero value is the
	// reference's max-in-training, mean-in-evaluation.
	PEPooling PEPooling `json:"pe_pooling"`

	// RepeatTargets lets a graph with fewer than 1+T non-empty slots
	// through: the context is drawn uniformly as usual and the T targets
	// cycle over a random order of the other non-empty slots (the context
	// itself when it is the only one). The reference would crash
	// (np.random.choice without replacement); the default false returns an
	// error naming the graph.
	RepeatTargets bool `json:"repeat_targets,omitempty"`

	// Partitioner makes the partitioner for graphs with at least p nodes
	// (METIS_PartGraphRecursive in the reference). nil means the one
	// PartitionerName names (PartitionerByName), by default
	// graphjepa/partition's multilevel recursive bisection.
	Partitioner PartitionerFactory `json:"-"`

	// PartitionerName names the partitioner in outputs and run directories:
	// with a nil Partitioner one of PartitionerNames ("" means
	// DefaultPartitionerName, "recursive-bisection"), so that a Config read
	// back from JSON brings its partitioner back; with a custom Partitioner
	// any name ("" means "custom").
	PartitionerName string `json:"partitioner,omitempty"`

	// PartitionSeed seeds every Partitioner the patcher makes (one per
	// patching worker). The patcher assumes a partition depends only on the
	// graph it is given, as METIS' does with its default options (fixed
	// seed); a partitioner whose result depends on earlier calls would make
	// the batches depend on the worker schedule.
	PartitionSeed uint64 `json:"partition_seed,omitempty"`

	// Workers is the number of patching goroutines of a Stream; 0 means
	// min(GOMAXPROCS, 4). Results do not depend on it.
	Workers int `json:"-"`
}

// withDefaults returns c with every zero field replaced by its default.
func (c PatchConfig) withDefaults() PatchConfig {
	if c.Patches == 0 {
		c.Patches = 32
	}
	if c.Targets == 0 {
		c.Targets = 3
	}
	if c.DropRate == 0 {
		c.DropRate = 0.3
	}
	if c.RWDim == 0 {
		c.RWDim = 15
	}
	if c.Hops == 0 {
		c.Hops = 1
	}
	switch {
	case c.Partitioner == nil:
		if c.PartitionerName == "" {
			c.PartitionerName = DefaultPartitionerName
		}
		// An unknown name leaves Partitioner nil: Validate reports it.
		c.Partitioner, _ = PartitionerByName(c.PartitionerName)
	case c.PartitionerName == "":
		c.PartitionerName = "custom"
	}
	if c.Workers == 0 {
		c.Workers = min(runtime.GOMAXPROCS(0), 4)
	}
	return c
}

// WithDefaults returns c with every zero field replaced by the paper
// default it stands for (Patches 32, Targets 3, DropRate 0.3, RWDim 15,
// Hops 1, the partitioner named by PartitionerName, Workers).
func (c PatchConfig) WithDefaults() PatchConfig { return c.withDefaults() }

// Validate reports a field out of range (after defaults), naming it.
func (c PatchConfig) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Patches < 2:
		return fmt.Errorf("graphjepa: PatchConfig.Patches = %d: want at least 2 slots (0 means 32)", c.Patches)
	case c.Targets < 1:
		return fmt.Errorf("graphjepa: PatchConfig.Targets = %d: want at least 1 (0 means 3)", c.Targets)
	case c.Targets+1 > c.Patches:
		return fmt.Errorf("graphjepa: PatchConfig.Targets = %d: 1 context + %d targets need at least %d slots, have Patches = %d", c.Targets, c.Targets, c.Targets+1, c.Patches)
	case math.IsNaN(c.DropRate) || c.DropRate < 0 || c.DropRate >= 1:
		return fmt.Errorf("graphjepa: PatchConfig.DropRate = %v: want a probability in [0, 1) (0 means 0.3; NoEdgeDrop turns it off)", c.DropRate)
	case c.RWDim < 1:
		return fmt.Errorf("graphjepa: PatchConfig.RWDim = %d: want at least 1 step (0 means 15)", c.RWDim)
	case c.Hops < 1:
		return fmt.Errorf("graphjepa: PatchConfig.Hops = %d: want at least 1 (0 means 1; NoExpansion turns it off)", c.Hops)
	case c.PEPooling < PEPoolReference || c.PEPooling > PEPoolMax:
		return fmt.Errorf("graphjepa: PatchConfig.PEPooling = %d: want PEPoolReference, PEPoolMean or PEPoolMax", int(c.PEPooling))
	case c.Partitioner == nil:
		_, err := PartitionerByName(c.PartitionerName)
		return fmt.Errorf("graphjepa: PatchConfig.PartitionerName: %v (or set PatchConfig.Partitioner)", err)
	case c.Workers < 0:
		return fmt.Errorf("graphjepa: PatchConfig.Workers = %d: want ≥ 0 (0 means min(GOMAXPROCS, 4))", c.Workers)
	}
	return nil
}
