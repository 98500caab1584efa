package jepa

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nongrid/jepa/nn"
	"gorgonia.org/tensor"
)

// toyJEPA is the smallest JEPA: a linear context encoder sees a masked
// copy of a synthetic vector, a linear predictor maps its output to the
// layer-normed output of an EMA target encoder that sees the full vector,
// and the loss is SmoothL1 (Point-JEPA's β = 2). The data set is fixed;
// each epoch shuffles it (EpochStarter) and each step draws its feature
// mask from StepContext.Rand. The seed sets the initial parameters; the
// data set is fixed.
type toyJEPA struct {
	dt          tensor.Dtype
	n, d, h, b  int
	data        []float64
	params      nn.Params
	ctx, tgt, p *nn.Linear
	perm        []int

	// training program: context encoder + predictor + loss
	prog          *nn.Program
	xIn, targetIn *nn.Input
	predOut       *nn.Output
	// target program: target encoder + layer norm, no gradients
	tprog  *nn.Program
	txIn   *nn.Input
	tOut   *nn.Output
	xb, xm []float64

	nanLossAt, nanGradAt int // inject a NaN at this step (0: never)
	values               map[string]float64
}

func newToyJEPA(dt tensor.Dtype, seed uint64) *toyJEPA {
	m := &toyJEPA{dt: dt, n: 48, d: 8, h: 6, b: 12, values: map[string]float64{}}
	rng := rand.New(rand.NewPCG(1234, 99)) // the data set is the same for every seed
	// Data: 3 latent factors mixed into 8 features plus noise.
	mix := make([]float64, 3*m.d)
	for i := range mix {
		mix[i] = rng.NormFloat64()
	}
	m.data = make([]float64, m.n*m.d)
	for i := 0; i < m.n; i++ {
		z := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		for j := 0; j < m.d; j++ {
			v := 0.1 * rng.NormFloat64()
			for k := range z {
				v += z[k] * mix[k*m.d+j]
			}
			m.data[i*m.d+j] = v
		}
	}
	rng = rand.New(rand.NewPCG(seed, 99)) // initial parameters
	cfg := nn.LinearConfig{Dtype: dt}
	m.ctx = nn.NewLinear("context_encoder.proj", m.d, m.h, cfg, rng)
	m.tgt = nn.NewLinear("target_encoder.proj", m.d, m.h, cfg, rng)
	m.p = nn.NewLinear("predictor.proj", m.h, m.h, cfg, rng)
	m.params.AddAll(m.ctx.Params(), m.tgt.Params(), m.p.Params())
	m.perm = make([]int, m.n)
	m.xb = make([]float64, m.b*m.d)
	m.xm = make([]float64, m.b*m.d)
	if err := m.build(); err != nil {
		panic(err)
	}
	return m
}

func (m *toyJEPA) build() error {
	g := nn.NewGraph(nn.GraphConfig{Dtype: m.dt, Train: true})
	m.xIn = g.Input("x_context", m.b, m.d)
	m.targetIn = g.Input("target", m.b, m.h)
	c, err := m.ctx.Forward(g, m.xIn.Node)
	if err != nil {
		return err
	}
	pred, err := m.p.Forward(g, c)
	if err != nil {
		return err
	}
	m.predOut = g.Read(pred)
	loss, err := SmoothL1Loss(pred, m.targetIn.Node, 2)
	if err != nil {
		return err
	}
	if m.prog, err = nn.Compile(g, loss); err != nil {
		return err
	}
	tg := nn.NewGraph(nn.GraphConfig{Dtype: m.dt})
	m.txIn = tg.Input("x", m.b, m.d)
	tz, err := m.tgt.Forward(tg, m.txIn.Node)
	if err != nil {
		return err
	}
	tn, err := nn.LayerNormOp(tz, nil, nil, 1e-5) // Point-JEPA's target normalisation
	if err != nil {
		return err
	}
	m.tOut = tg.Read(tn)
	m.tprog, err = nn.Compile(tg, nil)
	return err
}

func (m *toyJEPA) Params() *nn.Params        { return &m.params }
func (m *toyJEPA) OnlineParams() []*nn.Param { return m.ctx.Params().List() }
func (m *toyJEPA) TargetParams() []*nn.Param { return m.tgt.Params().List() }
func (m *toyJEPA) StepsPerEpoch() int        { return m.n / m.b }
func (m *toyJEPA) StartEpoch(_ int, rng *rand.Rand) error {
	for i := range m.perm {
		m.perm[i] = i
	}
	rng.Shuffle(len(m.perm), func(i, j int) { m.perm[i], m.perm[j] = m.perm[j], m.perm[i] })
	return nil
}

func (m *toyJEPA) Step(_ context.Context, s *StepContext) (StepResult, error) {
	for r := 0; r < m.b; r++ {
		copy(m.xb[r*m.d:(r+1)*m.d], m.data[m.perm[s.StepInEpoch*m.b+r]*m.d:])
	}
	// Context: drop a random half of the features, the same for the batch.
	copy(m.xm, m.xb)
	for j := 0; j < m.d; j++ {
		if s.Rand.IntN(2) == 0 {
			for r := 0; r < m.b; r++ {
				m.xm[r*m.d+j] = 0
			}
		}
	}
	if err := m.txIn.Set(m.xb); err != nil {
		return StepResult{}, err
	}
	if err := m.tprog.Run(); err != nil {
		return StepResult{}, err
	}
	target := m.tOut.Float64s()
	if err := m.targetIn.Set(target); err != nil {
		return StepResult{}, err
	}
	if err := m.xIn.Set(m.xm); err != nil {
		return StepResult{}, err
	}
	if err := m.prog.Run(); err != nil {
		return StepResult{}, err
	}
	loss := m.prog.Loss()
	if s.Step == m.nanLossAt {
		loss = math.NaN()
	}
	if s.Step == m.nanGradAt {
		switch g := m.p.Weight.Grad.Data().(type) {
		case []float32:
			g[3] = float32(math.Inf(1))
		case []float64:
			g[3] = math.Inf(1)
		}
	}
	m.values[KeyPredStd] = TokenStd(m.predOut.Float64s(), m.h, nil)
	m.values[KeyTargetStd] = TokenStd(target, m.h, nil)
	return StepResult{Loss: loss, Samples: m.b, Values: m.values}, nil
}

// paramBits returns every parameter value as float64 bits, by name.
func paramBits(ps *nn.Params) map[string][]uint64 {
	out := map[string][]uint64{}
	for _, p := range ps.List() {
		var bits []uint64
		switch d := p.Value.Data().(type) {
		case []float32:
			for _, v := range d {
				bits = append(bits, uint64(math.Float32bits(v)))
			}
		case []float64:
			for _, v := range d {
				bits = append(bits, math.Float64bits(v))
			}
		default:
			panic(fmt.Sprintf("unexpected %T", d))
		}
		out[p.Name] = bits
	}
	return out
}
