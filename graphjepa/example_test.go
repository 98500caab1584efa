package graphjepa_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/graphjepa"
)

// Pre-train a small Graph-JEPA on the synthetic graph set and embed its
// graphs. A real run starts from the data set's preset, e.g.
// graphjepa.Preset("MUTAG"), and the graphs of datasets.LoadTU.
func Example() {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 10, MaxNodes: 20})
	cfg, err := graphjepa.Preset("MUTAG")
	if err != nil {
		log.Fatal(err)
	}
	cfg.Hidden, cfg.Heads, cfg.Epochs, cfg.BatchSize = 32, 4, 2, 16 // small enough for an example

	train, held := set.Graphs[5:], set.Graphs[:5]
	model, err := graphjepa.Pretrain(context.Background(), set.Subset(seqFrom(5, len(set.Graphs))), cfg,
		graphjepa.Options{Validation: held})
	if err != nil {
		log.Fatal(err)
	}
	emb, err := model.Embed(train)
	if err != nil {
		log.Fatal(err)
	}
	r, c := emb.Dims()
	fmt.Printf("%d graphs → %d×%d embeddings, %d parameters\n", len(train), r, c, model.NumParams()["total"])
	// Output:
	// 25 graphs → 25×32 embeddings, 80100 parameters
}

// Save a model with the reference's PyTorch state-dict names and load it
// back.
func ExampleLoad() {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 6, MaxNodes: 16})
	cfg := graphjepa.Config{Hidden: 16, Heads: 2, Epochs: 1, BatchSize: 9}
	model, err := graphjepa.Pretrain(context.Background(), set, cfg, graphjepa.Options{})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "graphjepa-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := model.Save(dir); err != nil { // model.safetensors + config.json
		log.Fatal(err)
	}
	loaded, err := graphjepa.Load(dir)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := model.Embed(set.Graphs[:4])
	b, _ := loaded.Embed(set.Graphs[:4])
	fmt.Println("same embeddings:", a.At(3, 7) == b.At(3, 7))
	// Output:
	// same embeddings: true
}

// Presets carry the published settings of the paper's data sets.
func ExamplePreset() {
	for _, name := range []string{"MUTAG", "IMDB-M", "REDDIT-BINARY"} {
		cfg, err := graphjepa.Preset(name)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d epochs, batch %d, lr %g, p %d, T %d, β %g, %d transformer layers\n", name, cfg.Epochs, cfg.BatchSize,
			cfg.LR, cfg.Patch.Patches, cfg.Patch.Targets, cfg.Beta, cfg.EncoderLayers)
	}
	_, err := graphjepa.Preset("NCI2")
	fmt.Println(err != nil)
	// Output:
	// MUTAG: 50 epochs, batch 128, lr 0.0005, p 32, T 3, β 1, 4 transformer layers
	// IMDB-M: 5 epochs, batch 32, lr 0.0005, p 32, T 4, β 0.5, 2 transformer layers
	// REDDIT-BINARY: 10 epochs, batch 32, lr 0.0001, p 128, T 4, β 0.5, 4 transformer layers
	// true
}

func seqFrom(lo, hi int) []int {
	s := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}

// Fine-tune a pre-trained model with a task head: one 0/1 task (here the
// synthetic class), scored by test ROC-AUC after every epoch. Molecule
// files give the labels of several tasks with missing entries
// (datasets.MoleculeSet's Labels and Mask).
func ExampleFineTune() {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{GraphsPerClass: 12, MaxNodes: 16})
	cfg := graphjepa.Config{Hidden: 16, Heads: 2, Epochs: 1, BatchSize: 8}
	model, err := graphjepa.Pretrain(context.Background(), set, cfg, graphjepa.Options{})
	if err != nil {
		log.Fatal(err)
	}
	task := func(graphs []*datasets.Graph) graphjepa.TaskData {
		d := graphjepa.TaskData{Graphs: graphs}
		for _, g := range graphs {
			d.Labels = append(d.Labels, float32(min(g.Y, 1))) // class 0 against the others
			d.Present = append(d.Present, true)
		}
		return d
	}
	train, valid, test := task(set.Graphs[:24]), task(set.Graphs[24:30]), task(set.Graphs[30:])
	ft, err := graphjepa.FineTune(context.Background(), model, 1, train, valid, test,
		graphjepa.FineTuneConfig{Epochs: 3, BatchSize: 8}, nil)
	if err != nil {
		log.Fatal(err)
	}
	p, err := ft.Predict(set.Graphs[:2])
	if err != nil {
		log.Fatal(err)
	}
	r, c := p.Dims()
	fmt.Printf("%d epochs, test ROC-AUC in [0, 1]: %v, predictions %d×%d\n",
		len(ft.Epochs), ft.Final() >= 0 && ft.Final() <= 1, r, c)
	// Output:
	// 3 epochs, test ROC-AUC in [0, 1]: true, predictions 2×1
}
