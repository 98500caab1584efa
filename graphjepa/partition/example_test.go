package partition_test

import (
	"fmt"
	"os"

	"github.com/nongrid/jepa/graphjepa/partition"
)

// Two triangles joined by one edge, in CSR form (both directions listed).
var (
	rowPtr = []int{0, 2, 4, 7, 10, 12, 14}
	col    = []int{1, 2, 0, 2, 0, 1, 3, 2, 4, 5, 3, 5, 3, 4}
)

func ExamplePartitioner_Partition() {
	p := partition.New(partition.Config{}) // METIS PartGraphRecursive defaults
	part := make([]int, 6)
	if err := p.Partition(rowPtr, col, 2, part); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same side:", part[0] == part[1] && part[1] == part[2], part[3] == part[4] && part[4] == part[5])
	fmt.Println("edge cut:", partition.EdgeCut(rowPtr, col, part))
	fmt.Printf("imbalance: %.2f\n", partition.Imbalance(part, 2))
	// Output:
	// same side: true true
	// edge cut: 1
	// imbalance: 1.00
}

func ExamplePartitioner_PartitionWeighted() {
	p := partition.New(partition.Config{Seed: 1})
	part := make([]int, 6)
	// a heavy bridge: cutting it costs 10
	ew := make([]float64, len(col))
	for j := range ew {
		ew[j] = 1
	}
	ew[6], ew[7] = 10, 10 // the entries 2→3 and 3→2
	cut, err := p.PartitionWeighted(partition.Weighted{RowPtr: rowPtr, Col: col, EdgeWeight: ew}, 2, part)
	fmt.Println("cut weight:", cut, err)
	fmt.Println("bridge kept:", part[2] == part[3])
	// Output:
	// cut weight: 2 <nil>
	// bridge kept: true
}

func ExampleWriteMETIS() {
	_ = partition.WriteMETIS(os.Stdout, rowPtr, col)
	// Output:
	// 6 7
	// 2 3
	// 1 3
	// 1 2 4
	// 3 5 6
	// 4 6
	// 4 5
}

func ExamplePartitioner_Partition_badInput() {
	p := partition.New(partition.Config{})
	err := p.Partition([]int{0, 1, 1}, []int{1}, 2, make([]int, 2))
	fmt.Println(err)
	// Output:
	// partition: adjacency is not symmetric: node 0 lists 1 neighbours but is listed by 0 entries
}
