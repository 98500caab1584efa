package graphjepa

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	"gorgonia.org/tensor"
)

// TestShortcutsMatchDense compares a training step with the exact
// shortcuts (length-1 context attention without q/k, the last output
// Linear after the per-slot mean with a context-only backward, patch mixing
// on distinct slot rows, and the first block on groups of copies) against
// the dense computation: the same loss, predictions, targets, every
// gradient and the BatchNorm running statistics, to rounding, in float64
// and float32; then the held-out loss pass and the evaluation embedding.
func TestShortcutsMatchDense(t *testing.T) {
	set := tinySet()
	for _, dt := range []struct {
		name     string
		t        tensor.Dtype
		tol      float64
		features string // "" the set's, "none" IMDB-like zeros, "one-hot" three node and two edge classes, "embedding" the same as labels
	}{{"float64", nn.Float64, 1e-12, ""}, {"float32", nn.Float32, 2e-5, ""},
		{"float64 featureless", nn.Float64, 1e-12, "none"}, {"float32 featureless", nn.Float32, 2e-5, "none"},
		{"float64 one-hot", nn.Float64, 1e-12, "one-hot"}, {"float32 one-hot", nn.Float32, 2e-5, "one-hot"},
		{"float64 embedding", nn.Float64, 1e-12, "embedding"}, {"float32 embedding", nn.Float32, 2e-5, "embedding"}} {
		cfg := tinyConfig().WithDefaults()
		if dt.features == "embedding" { // molecules' and ZINC's label encoders
			cfg.NodeEncoder, cfg.EdgeEncoder = EncoderEmbedding, EncoderEmbedding
			cfg.NodeVocab, cfg.EdgeVocab = 3, 2
		}
		cfg.GNNLayers = 3
		p, err := NewPatcher(cfg.Patch, set.Graphs)
		if err != nil {
			t.Fatal(err)
		}
		var b PatchBatch
		if err := p.Batch(&b, seq(0, 16), true, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		edges := len(b.EdgeAttr) / b.EF
		switch dt.features {
		case "none": // IMDB's inputs: x = zeros(N, 1), edge_attr = zeros(E, 1)
			b.F, b.EF = 1, 1
			b.X = make([]float32, b.NumNodes())
			b.EdgeAttr = make([]float32, edges)
		case "embedding": // three atom and two bond labels
			b.NodeLabel = make([]int, b.NumNodes())
			for v := range b.NodeLabel {
				b.NodeLabel[v] = v % 3
			}
			b.EdgeLabel = make([]int, edges)
			for j := range b.EdgeLabel {
				b.EdgeLabel[j] = j % 2
			}
		case "one-hot":
			b.F, b.EF = 3, 2
			b.X = make([]float32, 3*b.NumNodes())
			for v := range b.NumNodes() {
				b.X[3*v+v%3] = 1
			}
			b.EdgeAttr = make([]float32, 2*edges)
			for j := range edges {
				b.EdgeAttr[2*j+j%2] = 1
			}
		}
		m := newModel(cfg, b.F, b.EF, dt.t)
		if dt.features != "" {
			ec, ef := m.edgeClasses(&b)
			gs, err := m.firstBlockGroups(&b, b.CopyEdge, ec)
			if err != nil {
				t.Fatal(err)
			}
			if 2*len(gs.Counts) > b.NumCopies() {
				t.Fatalf("%s: %d groups for %d copies: the grouped first block would not run", dt.name, len(gs.Counts), b.NumCopies())
			}
			if 4*len(ef) > len(b.CopyEdge) {
				t.Fatalf("%s: %d edge classes for %d copy edges: the shared edge rows would not be used", dt.name, len(ef), len(b.CopyEdge))
			}
		}
		var buffers []*nn.Param
		for _, q := range m.params.List() {
			if q.Buffer && q.Value.Dtype() == dt.t {
				buffers = append(buffers, q)
			}
		}
		start := snapshot(buffers)
		step := func(dense bool) (loss float64, pred, target []float64, grads map[string][]float64) {
			m.dense = dense
			restore(buffers, start)
			m.params.ZeroGrad()
			var scratch []float32
			l, pr, tg, err := m.runLoss(&b, kindTrain, p, &scratch)
			if err != nil {
				t.Fatal(err)
			}
			grads = map[string][]float64{}
			for _, q := range m.params.List() {
				if q.Grad == nil || q.Buffer {
					continue
				}
				g := make([]float64, q.Len())
				switch v := q.Grad.Data().(type) {
				case []float32:
					for i, x := range v {
						g[i] = float64(x)
					}
				case []float64:
					copy(g, v)
				}
				grads[q.Name] = g
			}
			return l, pr, tg, grads
		}
		// BatchNorm running statistics change with every training step;
		// they do not enter a training step's outputs.
		l0, p0, t0, g0 := step(true)
		r0 := snapshot(buffers)
		l1, p1, t1, g1 := step(false)
		r1 := snapshot(buffers)
		for i, q := range buffers {
			closeTo(t, dt.name+" "+q.Name, r1[i], r0[i], dt.tol)
		}
		closeTo(t, dt.name+" loss", []float64{l1}, []float64{l0}, dt.tol)
		closeTo(t, dt.name+" prediction", p1, p0, dt.tol)
		closeTo(t, dt.name+" target", t1, t0, dt.tol)
		for name, g := range g0 {
			closeTo(t, dt.name+" grad "+name, g1[name], g, dt.tol)
		}
		// The held-out loss pass and the evaluation embedding (running
		// statistics, no gradients).
		eval := func(dense bool) (loss float64, pred, emb []float64) {
			m.dense = dense
			var scratch []float32
			l, pr, _, err := m.runLoss(&b, kindLoss, p, &scratch)
			if err != nil {
				t.Fatal(err)
			}
			pe := peFor(&b, false, false, func(i int) []float32 { return p.NodeRWSE(b.Graphs[i]) }, &scratch)
			e, err := m.embedBatch(&b, pe)
			if err != nil {
				t.Fatal(err)
			}
			return l, pr, e
		}
		el0, ep0, ee0 := eval(true)
		el1, ep1, ee1 := eval(false)
		closeTo(t, dt.name+" held-out loss", []float64{el1}, []float64{el0}, dt.tol)
		closeTo(t, dt.name+" held-out prediction", ep1, ep0, dt.tol)
		closeTo(t, dt.name+" embedding", ee1, ee0, dt.tol)
	}
}

// snapshot copies the values of ps as float64.
func snapshot(ps []*nn.Param) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		switch v := p.Value.Data().(type) {
		case []float32:
			for _, x := range v {
				out[i] = append(out[i], float64(x))
			}
		case []float64:
			out[i] = append([]float64(nil), v...)
		}
	}
	return out
}

func restore(ps []*nn.Param, vals [][]float64) {
	for i, p := range ps {
		switch v := p.Value.Data().(type) {
		case []float32:
			for j := range v {
				v[j] = float32(vals[i][j])
			}
		case []float64:
			copy(v, vals[i])
		}
	}
}
