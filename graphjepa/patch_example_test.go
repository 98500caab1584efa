package graphjepa_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/graphjepa"
)

// A 6-cycle has fewer nodes than p = 8 slots: every node gets its own random
// slot, grown by its two neighbours (a 1-hop ego net of 3 nodes), so the 6
// non-empty slots hold 18 node copies and the top slot p−1 is used.
func ExamplePatcher_Batch() {
	ring := &datasets.Graph{RowPtr: []int{0, 2, 4, 6, 8, 10, 12}, Col: []int{1, 5, 0, 2, 1, 3, 2, 4, 3, 5, 0, 4}, X: make([]float32, 6), F: 1}
	p, err := graphjepa.NewPatcher(graphjepa.PatchConfig{Patches: 8, Targets: 2, RWDim: 4}, []*datasets.Graph{ring})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b graphjepa.PatchBatch
	if err := p.Batch(&b, []int{0}, true, rand.New(rand.NewPCG(1, 2))); err != nil {
		fmt.Println(err)
		return
	}
	nonEmpty := 0
	for _, m := range b.Mask {
		if m {
			nonEmpty++
		}
	}
	fmt.Println("non-empty slots:", nonEmpty, "copies:", b.NumCopies(), "copy edges:", len(b.CopySrc), "top slot used:", b.Mask[7])
	q := b.Context[0]
	fmt.Println("context patch size:", b.Overlap[q*8+q])
	fmt.Printf("node RWSE (1..4 steps): %.3f\n", p.NodeRWSE(0)[:4])
	// Output:
	// non-empty slots: 6 copies: 18 copy edges: 24 top slot used: true
	// context patch size: 3
	// node RWSE (1..4 steps): [0.000 0.500 0.000 0.375]
}

// A Stream patches batches in the background; the same seed gives the same
// batches whatever the number of workers.
func ExamplePatcher_Stream() {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 10})
	p, err := graphjepa.NewPatcher(graphjepa.PatchConfig{}, set.Graphs)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := p.Stream(context.Background(), graphjepa.StreamConfig{BatchSize: 8, Shuffle: true, Train: true, Seed: 1, Epochs: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	graphs := 0
	for {
		b, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		graphs += b.B
	}
	fmt.Println("batches per epoch:", s.BatchesPerEpoch(), "graphs patched:", graphs, "partitioner:", p.PartitionerName())
	// Output:
	// batches per epoch: 4 graphs patched: 60 partitioner: recursive-bisection
}
