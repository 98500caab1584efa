package gnn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/gnn"
	"github.com/nongrid/jepa/nn"
)

// A GINE layer (Graph-JEPA's patch encoder layer) followed by a mean pool
// per graph, on a batch of two graphs: a triangle and a path of three
// nodes, each node with 2 features and each directed edge with 2 features.
func ExampleGINE() {
	triangle := &datasets.Graph{RowPtr: []int{0, 2, 4, 6}, Col: []int{1, 2, 0, 2, 0, 1}, F: 2, EF: 2,
		X:        []float32{1, 0, 0, 1, 1, 1},
		EdgeAttr: []float32{1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1}}
	path := &datasets.Graph{RowPtr: []int{0, 1, 3, 4}, Col: []int{1, 0, 2, 1}, F: 2, EF: 2,
		X:        []float32{0, 1, 1, 0, 0, 1},
		EdgeAttr: []float32{1, 1, 1, 1, 0, 1, 0, 1}}
	batch, err := datasets.CollateGraphs(nil, []*datasets.Graph{triangle, path})
	if err != nil {
		panic(err)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	conv := gnn.NewGINE("conv", gnn.GraphJEPAMLP("conv.nn", 2, 2, nn.Float32, rng), gnn.GINConfig{}, rng)

	g := nn.NewGraph(nn.GraphConfig{}) // float32, evaluation mode (BatchNorm running stats)
	in, err := gnn.NewGraphInputs(g, batch)
	if err != nil {
		panic(err)
	}
	h, err := conv.Forward(g, in.X.Node, in.Edges, in.EdgeAttr.Node)
	if err != nil {
		panic(err)
	}
	pooled, err := gnn.MeanPool(h, in.Batch, in.NumGraphs)
	if err != nil {
		panic(err)
	}
	out := g.Read(pooled)
	prog, err := nn.Compile(g, nil)
	if err != nil {
		panic(err)
	}
	if err := prog.Run(); err != nil {
		panic(err)
	}
	fmt.Println("parameters:", conv.Params().Names())
	fmt.Println("graph embeddings:", out.Value().Shape())
	vals := out.Float64s()
	fmt.Printf("triangle: %.3f\n", vals[:2])
	fmt.Printf("path:     %.3f\n", vals[2:])
	// Output:
	// parameters: [conv.eps conv.nn.layers.0.weight conv.nn.layers.1.weight conv.nn.norms.0.bias conv.nn.norms.0.num_batches_tracked conv.nn.norms.0.running_mean conv.nn.norms.0.running_var conv.nn.norms.0.weight conv.nn.norms.1.bias conv.nn.norms.1.num_batches_tracked conv.nn.norms.1.running_mean conv.nn.norms.1.running_var conv.nn.norms.1.weight]
	// graph embeddings: (2, 2)
	// triangle: [0.246 0.264]
	// path:     [0.114 0.122]
}

// Point-JEPA's patch tokenizer on 2 patches of 4 points (reduced widths):
// [N, K, 3] patches → [N, C] tokens, invariant to the order of the points.
func ExampleMiniPointNet() {
	rng := rand.New(rand.NewPCG(3, 4))
	tok := gnn.NewMiniPointNet("tokenizer.embedding", gnn.MiniPointNetConfig{Hidden1: 8, Global: 8, Hidden2: 8, Out: 4}, rng)

	patches := []float32{
		0, 0, 0, 0.1, 0, 0, 0, 0.1, 0, 0, 0, 0.1, // patch 0
		0, 0, 0, -0.2, 0.1, 0, 0.1, 0.1, 0.1, 0, -0.1, 0.2, // patch 1
	}
	g := nn.NewGraph(nn.GraphConfig{Train: true}) // BatchNorm on batch statistics
	x := g.Input("patches", 2, 4, 3)
	if err := x.Set(patches); err != nil {
		panic(err)
	}
	tokens, err := tok.Forward(g, x.Node)
	if err != nil {
		panic(err)
	}
	out := g.Read(tokens)
	prog, err := nn.Compile(g, nil)
	if err != nil {
		panic(err)
	}
	if err := prog.Run(); err != nil {
		panic(err)
	}
	fmt.Println("tokens:", out.Value().Shape())
	for _, p := range tok.Params().List() {
		if !p.Buffer {
			fmt.Println(p.Name, p.Shape())
		}
	}
	vals := out.Float64s()
	fmt.Printf("token 0: %.3f\n", vals[:4])
	fmt.Printf("token 1: %.3f\n", vals[4:])
	// Output:
	// tokens: (2, 4)
	// tokenizer.embedding.first_conv.0.weight [8 3]
	// tokenizer.embedding.first_conv.1.weight [8]
	// tokenizer.embedding.first_conv.1.bias [8]
	// tokenizer.embedding.first_conv.3.weight [8 8]
	// tokenizer.embedding.first_conv.3.bias [8]
	// tokenizer.embedding.second_conv.0.weight [8 16]
	// tokenizer.embedding.second_conv.1.weight [8]
	// tokenizer.embedding.second_conv.1.bias [8]
	// tokenizer.embedding.second_conv.3.weight [4 8]
	// tokenizer.embedding.second_conv.3.bias [4]
	// token 0: [1.219 0.495 0.654 0.005]
	// token 1: [1.079 -0.150 0.270 0.180]
}

// Pooling two sets of different sizes with a PMA (one seed): the second set
// is padded from 2 to 3 elements, and the mask makes the padding invisible.
func ExamplePMA() {
	rng := rand.New(rand.NewPCG(5, 6))
	pma := gnn.NewPMA("pool", 4, 1, gnn.MABConfig{Heads: 2}, rng)

	g := nn.NewGraph(nn.GraphConfig{})
	x := g.Input("sets", 2, 3, 4)
	mask := g.Input("mask", 2, 3)
	if err := x.Set([]float32{
		1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, // set 0: three elements
		1, 1, 0, 0, 0, 0, 1, 1, 9, 9, 9, 9, // set 1: two elements + padding
	}); err != nil {
		panic(err)
	}
	if err := mask.Set([]float32{1, 1, 1, 1, 1, 0}); err != nil {
		panic(err)
	}
	pooled, err := pma.Forward(g, x.Node, mask.Node)
	if err != nil {
		panic(err)
	}
	out := g.Read(pooled)
	prog, err := nn.Compile(g, nil)
	if err != nil {
		panic(err)
	}
	if err := prog.Run(); err != nil {
		panic(err)
	}
	fmt.Println(out.Value().Shape())
	v := out.Float64s()
	fmt.Printf("set 0: %.3f\nset 1: %.3f\n", v[:4], v[4:])
	// Output:
	// (2, 1, 4)
	// set 0: [0.658 -1.595 1.009 -0.072]
	// set 1: [0.598 -1.622 1.006 0.018]
}
