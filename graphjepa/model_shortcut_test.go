package graphjepa

import (
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/nn"
	"gorgonia.org/tensor"
)

// TestShortcutsMatchDense compares a training step with the exact
// shortcuts (length-1 context attention without q/k, context-only backward
// of the last output Linear) against the dense computation: the same loss,
// predictions, targets and every gradient, to rounding, in float64 and
// float32.
func TestShortcutsMatchDense(t *testing.T) {
	set := tinySet()
	for _, dt := range []struct {
		name string
		t    tensor.Dtype
		tol  float64
	}{{"float64", nn.Float64, 1e-12}, {"float32", nn.Float32, 2e-5}} {
		cfg := tinyConfig().WithDefaults()
		cfg.GNNLayers = 3
		p, err := NewPatcher(cfg.Patch, set.Graphs)
		if err != nil {
			t.Fatal(err)
		}
		var b PatchBatch
		if err := p.Batch(&b, seq(0, 16), true, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		m := newModel(cfg, b.F, b.EF, dt.t)
		step := func(dense bool) (loss float64, pred, target []float64, grads map[string][]float64) {
			m.dense = dense
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
		l1, p1, t1, g1 := step(false)
		closeTo(t, dt.name+" loss", []float64{l1}, []float64{l0}, dt.tol)
		closeTo(t, dt.name+" prediction", p1, p0, dt.tol)
		closeTo(t, dt.name+" target", t1, t0, dt.tol)
		for name, g := range g0 {
			closeTo(t, dt.name+" grad "+name, g1[name], g, dt.tol)
		}
	}
}
