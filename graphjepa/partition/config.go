package partition

import "fmt"

// Method selects the partitioning strategy.
type Method int

const (
	// RecursiveBisection is multilevel recursive bisection, the algorithm of
	// METIS' PartGraphRecursive (the default).
	RecursiveBisection Method = iota
	// Louvain detects communities with gonum's Louvain modularity
	// optimisation and then cuts or merges them into k parts of balanced
	// size; kept for comparison, it does not hold the balance bound.
	Louvain
)

// String returns "rb" or "louvain".
func (m Method) String() string {
	switch m {
	case RecursiveBisection:
		return "rb"
	case Louvain:
		return "louvain"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod parses "rb" (also "recursive") or "louvain".
func ParseMethod(s string) (Method, error) {
	switch s {
	case "rb", "recursive", "":
		return RecursiveBisection, nil
	case "louvain":
		return Louvain, nil
	}
	return 0, fmt.Errorf("partition: method %q: want rb or louvain", s)
}

// Config holds the partitioner's settings. Its zero value is METIS 5
// PartGraphRecursive with its default options: heavy-edge matching,
// greedy graph growing from 4 or 7 seeds (METIS: 5 or 7; see smallNIParts),
// FM refinement with 10 passes, one cut, ufactor 1 (each bisection may
// exceed its target weight by 0.1 %, or by one vertex weight when that is
// more), no k-way refinement.
type Config struct {
	// Seed seeds the random visiting orders and growing seeds. Every call of
	// Partition restarts from it, so the same graph always gets the same
	// partition (as METIS with a fixed seed), whatever was partitioned before.
	Seed uint64

	// UFactor is the allowed imbalance of one bisection in thousandths, as
	// METIS' -ufactor: a side may weigh up to (1+UFactor/1000) times its
	// target, or by the slack of at most one vertex weight or 3 % described in
	// the package documentation (Balance).
	// 0 means METIS' default for recursive bisection, 1.
	UFactor int

	// NCuts is the number of multilevel bisections computed for every
	// bisection, keeping the best (METIS -ncuts); 0 means 1.
	NCuts int

	// NIter is the number of FM passes per level (METIS -niter); 0 means 10.
	NIter int

	// KWayRefine runs greedy k-way boundary refinement on the input graph
	// after the recursion (not part of PartGraphRecursive; off by default).
	// It never lets a part exceed max(1.03·W/k, the heaviest part so far).
	KWayRefine bool

	// Method is the strategy; the zero value is RecursiveBisection.
	Method Method
}

func (c Config) check() error {
	if c.UFactor < 0 {
		return fmt.Errorf("partition: Config.UFactor = %d, want >= 0 (0: METIS' default 1)", c.UFactor)
	}
	if c.NCuts < 0 {
		return fmt.Errorf("partition: Config.NCuts = %d, want >= 0 (0: 1)", c.NCuts)
	}
	if c.NIter < 0 {
		return fmt.Errorf("partition: Config.NIter = %d, want >= 0 (0: 10)", c.NIter)
	}
	if c.Method != RecursiveBisection && c.Method != Louvain {
		return fmt.Errorf("partition: Config.Method = %d, want RecursiveBisection or Louvain", int(c.Method))
	}
	return nil
}

// METIS constants for recursive bisection.
const (
	coarsenTo        = 20        // stop coarsening at this many vertices
	coarsenFraction  = 0.85      // and when a level shrinks by less than this
	unmatchedFor2Hop = 0.10      // fraction of unmatched vertices that triggers 2-hop matching
	smallNIParts     = 4         // growing seeds on a graph that reached coarsenTo (METIS: 5; see below)
	largeNIParts     = 7         // growing seeds otherwise
	directCutoff     = coarsenTo // graphs this small are bisected without coarsening
	onePassMaxN      = 20        // up to this size, a growing try gets more than one FM pass only when promising (initBisection)
	promising        = 1.3       // a try within this factor of the best cut so far is promising
	dedupMaxN        = 12        // up to this size, growing tries repeating a start are skipped and the tries get 1 FM pass (initBisection)
)

// FM limits: how many moves past the best cut a pass explores. METIS uses
// clamp(n/100, 15, 100) everywhere, which on the graphs of ≤ 40 vertices
// that dominate a 32-way recursion means moving every vertex and moving it
// back, pass after pass. While refining we use
// clamp(n/100, min(15, max(5, n/4)), 100), and in the growing tries (whose
// best is refined again) 4 passes instead of 10; on PROTEINS, DD and
// REDDIT the total cut is unchanged within ±0.3 % and the time falls by a
// quarter. (A limit below 15 in the growing tries loses the optimum on
// grids.)
//
// The growing tries on a coarsest graph of at most coarsenTo vertices are 4
// (METIS: 5) with a move limit of 10 (METIS: 15): with the FM of
// fm2WaySmall these tries are a third of a 32-way partition of a 500-node
// grid, and the change took it from 0.89 to 0.79 ms while the total cut
// moved by +0.10 % on PROTEINS (k = 32), -0.03 % on DD, +0.07 % on 200
// REDDIT-BINARY graphs at k = 128 and -0.1 % on five grids averaged over 20
// seeds (a limit of 7 loses the 8×16 grid's optimum too often).
const (
	initFMPasses   = 4
	initLimit      = 10
	refineLimitMin = 5
	refineLimitDiv = 4
)
