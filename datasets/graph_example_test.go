package datasets_test

import (
	"fmt"
	"log"

	"github.com/nongrid/jepa/datasets"
)

func ExampleLoadTU() {
	// A folder (or .zip) with TINY_A.txt, TINY_graph_indicator.txt, ...
	s, err := datasets.LoadTU("../testdata/graphs/tiny", datasets.TUConfig{})
	if err != nil {
		log.Fatal(err)
	}
	st := s.Stats()
	fmt.Printf("%s: %d graphs, %d nodes, %d edges, %d classes, F=%d, EF=%d\n",
		s.Name, st.Graphs, st.Nodes, st.Edges, s.NumClasses, s.F, s.EF)
	fmt.Println("class values:", s.ClassValues)
	for _, n := range s.Notes {
		fmt.Println("note:", n)
	}
	// Output:
	// TINY: 2 graphs, 7 nodes, 5 edges, 2 classes, F=5, EF=3
	// class values: [-2 5]
	// note: graph labels [-2 5] remapped to 0..1 in sorted order
	// note: TINY_node_attributes.txt (1 column(s)) holds continuous node attributes, unused: set UseNodeAttr (--use-node-attr) to include them
	// note: TINY_edge_attributes.txt (1 column(s)) holds continuous edge attributes, unused: set UseEdgeAttr (--use-edge-attr) to include them
	// note: removed 1 self-loop entries
	// note: merged 1 duplicate edge entries (attributes summed, as PyG coalesce)
	// note: added 1 missing reverse edge entries to make the adjacency symmetric (PyG would keep them one-way)
}

func ExampleLoadGIN() {
	s, err := datasets.LoadGIN("../testdata/graphs/gin/TOY", datasets.GINConfig{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name, len(s.Graphs), "graphs,", s.F, "one-hot tags,", len(s.Folds), "folds")
	fmt.Println("fold 1 test:", s.Folds[0].Test)
	// Output:
	// TOY 3 graphs, 3 one-hot tags, 2 folds
	// fold 1 test: [2]
}

func ExampleLoadZINC() {
	s, err := datasets.LoadZINC("../testdata/graphs/zinc/tiny_p4.pkl", datasets.ZINCConfig{})
	if err != nil {
		log.Fatal(err)
	}
	g := s.Graphs[0]
	fmt.Println("atoms:", g.NodeLabel, "bonds (per direction):", g.EdgeLabel, "target:", g.Target)
	// Output:
	// atoms: [6 0 0 27] bonds (per direction): [1 1 1 2 1 2 3 3] target: [0.5]
}

func ExampleSyntheticGraphs() {
	s := datasets.SyntheticGraphs(datasets.SyntheticConfig{Seed: 1})
	st := s.Stats()
	fmt.Println(st.Graphs, "graphs,", s.NumClasses, "classes", s.ClassCounts(), "F =", s.F, "EF =", s.EF)
	fmt.Println(datasets.SyntheticGraphClassNames)
	// Output:
	// 180 graphs, 3 classes [60 60 60] F = 4 EF = 3
	// [ring-with-chords tree-with-shortcuts ladder]
}

func ExampleCollateGraphs() {
	s, err := datasets.LoadTU("../testdata/graphs/tiny", datasets.TUConfig{})
	if err != nil {
		log.Fatal(err)
	}
	var batch *datasets.GraphBatch // reused across mini-batches
	batch, err = datasets.CollateGraphs(batch, s.Graphs)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("X:", batch.NumNodes(), "x", batch.F)
	fmt.Println("edge_index[0]:", batch.EdgeIndex[0])
	fmt.Println("edge_index[1]:", batch.EdgeIndex[1])
	fmt.Println("batch:", batch.Batch)
	fmt.Println("ptr:", batch.Ptr, "y:", batch.Y)
	// Output:
	// X: 7 x 5
	// edge_index[0]: [0 1 1 2 2 3 4 5 5 6]
	// edge_index[1]: [1 0 2 1 3 2 5 4 6 5]
	// batch: [0 0 0 0 1 1 1]
	// ptr: [0 4 7] y: [1 0]
}
