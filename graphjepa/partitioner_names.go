package graphjepa

import (
	"fmt"
	"strings"

	"github.com/nongrid/jepa/graphjepa/partition"
)

// Partitioner names (PatchConfig.PartitionerName, the CLIs' --partitioner).
const (
	// DefaultPartitionerName is graphjepa/partition's multilevel recursive
	// bisection, the pure-Go counterpart of METIS_PartGraphRecursive that
	// the reference calls (spec §3); the default.
	DefaultPartitionerName = "recursive-bisection"
	// LouvainPartitionerName is gonum's Louvain communities cut to k parts
	// (partition.Louvain), for comparison.
	LouvainPartitionerName = "louvain"
	// PlaceholderPartitionerName is BFSPlaceholder: balanced runs of a
	// breadth-first order, NOT METIS; no reported number may come from it.
	PlaceholderPartitionerName = "bfs-placeholder"
)

// PartitionerNames lists the names PartitionerByName knows, the default
// first.
func PartitionerNames() []string {
	return []string{DefaultPartitionerName, LouvainPartitionerName, PlaceholderPartitionerName}
}

// PartitionerByName returns the factory of a named partitioner; "" means
// DefaultPartitionerName. Every Partitioner it makes restarts from its seed
// on each call, so a partition depends only on the graph (as METIS' with its
// default options).
func PartitionerByName(name string) (PartitionerFactory, error) {
	switch name {
	case "", DefaultPartitionerName:
		return recursiveBisection, nil
	case LouvainPartitionerName:
		return func(seed uint64) Partitioner {
			return partition.New(partition.Config{Seed: seed, Method: partition.Louvain})
		}, nil
	case PlaceholderPartitionerName:
		return BFSPlaceholder, nil
	}
	return nil, fmt.Errorf("partitioner %q: unknown; known: %s", name, strings.Join(PartitionerNames(), ", "))
}

func recursiveBisection(seed uint64) Partitioner { return partition.New(partition.Config{Seed: seed}) }
