package jepa_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
	"gonum.org/v1/gonum/mat"
)

// quadratic is a minimal Model: an online vector w pulled towards c by
// the loss mean((w − c)²), whose gradient it writes by hand, and a target
// vector that follows w by EMA. Real JEPAs build an nn graph in Step.
type quadratic struct {
	params nn.Params
	w, t   *nn.Param
	c      []float32
}

func newQuadratic() *quadratic {
	q := &quadratic{
		w: nn.NewParam("context_encoder.w", nn.Float32, 4),
		t: nn.NewParam("target_encoder.w", nn.Float32, 4),
		c: []float32{1, -2, 0.5, 3},
	}
	q.params.Add(q.w, q.t)
	return q
}

func (q *quadratic) Params() *nn.Params        { return &q.params }
func (q *quadratic) OnlineParams() []*nn.Param { return []*nn.Param{q.w} }
func (q *quadratic) TargetParams() []*nn.Param { return []*nn.Param{q.t} }

func (q *quadratic) Step(_ context.Context, _ *jepa.StepContext) (jepa.StepResult, error) {
	w, g := q.w.Float32s(), q.w.GradFloat32s()
	var loss float64
	for i := range w {
		d := w[i] - q.c[i]
		loss += float64(d*d) / float64(len(w))
		g[i] += 2 * d / float32(len(w))
	}
	return jepa.StepResult{Loss: loss, Samples: 1}, nil
}

// The training loop with hooks: an epoch report, a hook every 15 steps and
// one at the end attach without touching the loop. An empty run directory
// means nothing is written; pass one to get config.json, metrics.jsonl,
// checkpoints and plots.
func ExampleTrainer() {
	m := newQuadratic()
	cfg := jepa.Config{
		Seed: 1, Epochs: 3, StepsPerEpoch: 10,
		Optimizer: jepa.OptimizerConfig{Name: "adam", LR: 0.1},
		EMA:       jepa.EMAConfig{Schedule: jepa.MomentumLinear, Start: 0.9},
		Progress:  jepa.ProgressOff,
	}
	tr, err := jepa.New(m, cfg, "")
	if err != nil {
		log.Fatal(err)
	}
	tr.OnEpoch("report", jepa.PriorityDefault, func(_ context.Context, t *jepa.Trainer) error {
		r := t.Record()
		fmt.Printf("epoch %d: mean loss %.4f, lr %g, ema momentum %.4f\n", r.Epoch+1, r.Values[jepa.KeyLoss], r.Values[jepa.KeyLR], t.Momentum())
		return nil
	})
	tr.EveryNSteps(15, "halfway", jepa.PriorityDefault, func(_ context.Context, t *jepa.Trainer) error {
		fmt.Printf("step %d of %d\n", t.Step(), t.TotalSteps())
		return nil
	})
	tr.OnEnd("target", jepa.PriorityDefault, func(_ context.Context, t *jepa.Trainer) error {
		fmt.Printf("online %.2f, target %.2f\n", m.w.Float32s(), m.t.Float32s())
		return t.Err()
	})
	if err := tr.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// epoch 1: mean loss 2.3875, lr 0.1, ema momentum 0.9300
	// step 15 of 30
	// epoch 2: mean loss 0.7868, lr 0.1, ema momentum 0.9633
	// step 30 of 30
	// epoch 3: mean loss 0.1798, lr 0.1, ema momentum 0.9967
	// online [1.03 -2.21 0.48 2.58], target [0.77 -0.99 0.41 1.05]
}

// RankMe of embeddings spread over two of three directions is about 2;
// collapsed embeddings (all rows equal) give about 1.
func ExampleRankMe() {
	spread := mat.NewDense(4, 3, []float64{
		1, 0, 0,
		0, 1, 0,
		-1, 0, 0,
		0, -1, 0,
	})
	collapsed := mat.NewDense(4, 3, []float64{
		1, 2, 3,
		1, 2, 3,
		1, 2, 3,
		1, 2, 3,
	})
	for _, z := range []*mat.Dense{spread, collapsed} {
		r, err := jepa.RankMe(z)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%.3f\n", r)
	}
	// Output:
	// 2.000
	// 1.000
}

// SmoothL1Loss is a graph op: here Point-JEPA's β = 2 on a 2×2 prediction.
func ExampleSmoothL1Loss() {
	g := nn.NewGraph(nn.GraphConfig{Dtype: nn.Float64})
	pred, target := g.Input("pred", 2, 2), g.Input("target", 2, 2)
	_ = pred.Set([]float64{0, 1, 2, 5})
	_ = target.Set([]float64{0, 0, 0, 0})
	loss, err := jepa.SmoothL1Loss(pred.Node, target.Node, 2)
	if err != nil {
		log.Fatal(err)
	}
	out := g.Read(loss)
	prog, err := nn.Compile(g, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer prog.Close()
	if err := prog.Run(); err != nil {
		log.Fatal(err)
	}
	// (0 + ½·1²/2 + (2 − 1) + (5 − 1)) / 4
	fmt.Printf("%.4f\n", out.Scalar())
	// Output: 1.3125
}
