package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/diff/fd"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// GradCheckConfig configures GradCheck. The zero value checks every input
// with central differences of step 1e-6 and tolerance 1e-6.
type GradCheckConfig struct {
	// Step is the finite-difference step (default 1e-6).
	Step float64
	// Tol bounds |analytic − numeric| ≤ Tol·(1 + |numeric|) (default 1e-6).
	Tol float64
	// Seed seeds the random projection R of the output (default 1).
	Seed uint64
	// NoGrad lists input indices that are data, not differentiated
	// (masks, index-like weights).
	NoGrad []int
	// Params are parameters bound inside Build (layer weights) whose
	// gradients are checked as well.
	Params []*Param
	// Train builds the graph in training mode.
	Train bool
	// MaxPerTensor, if positive, checks at most that many elements of each
	// input and parameter, chosen at random (seeded): a quicker check for
	// slow builds such as the race detector's. Zero checks every element.
	MaxPerTensor int
	// Rand is the graph's generator (a PCG-seeded one when nil).
	Rand *rand.Rand
	// BeforeRun, if set, is called before every forward evaluation; tests of
	// random ops use it to reseed Rand's source and replay the same draws.
	BeforeRun func()
}

// GradCheckResult reports the largest discrepancy found.
type GradCheckResult struct {
	MaxErr  float64 // max |analytic − numeric| / (1 + |numeric|)
	Worst   string  // "name[i]" of the worst element
	Checked int     // number of scalar derivatives compared
}

// GradCheck compares the symbolic gradients of a computation with central
// finite differences computed by gonum's diff/fd, in float64.
//
// build adds the computation to a float64 Graph, given one node per input
// (bound to a copy of inputs[i]), and returns its output node of any shape.
// The checked scalar is Σ out ⊙ R for a fixed random R, so every output
// element contributes. GradCheck returns an error naming the worst element
// when a discrepancy exceeds the tolerance.
func GradCheck(build func(g *Graph, in []*G.Node) (*G.Node, error), inputs []*tensor.Dense, cfg *GradCheckConfig) (*GradCheckResult, error) {
	var c GradCheckConfig
	if cfg != nil {
		c = *cfg
	}
	if c.Step == 0 {
		c.Step = 1e-6
	}
	if c.Tol == 0 {
		c.Tol = 1e-6
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	noGrad := map[int]bool{}
	for _, i := range c.NoGrad {
		noGrad[i] = true
	}
	if c.Rand == nil {
		c.Rand = rand.New(rand.NewPCG(c.Seed, 2))
	}
	g := NewGraph(GraphConfig{Dtype: Float64, Train: c.Train, Rand: c.Rand})
	var checked []*Param
	nodes := make([]*G.Node, len(inputs))
	for i, t := range inputs {
		if t.Dtype() != Float64 {
			return nil, fmt.Errorf("nn: GradCheck: input %d is %v, want float64", i, t.Dtype())
		}
		p := &Param{Name: fmt.Sprintf("input%d", i), Value: t.Clone().(*tensor.Dense)}
		if noGrad[i] {
			p.Buffer = true
		} else {
			p.Grad = newDense(Float64, t.Shape()...)
			checked = append(checked, p)
		}
		nodes[i] = g.Param(p)
	}
	checked = append(checked, c.Params...)
	out, err := build(g, nodes)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(c.Seed, 1))
	r := make([]float64, out.Shape().TotalSize())
	for i := range r {
		r[i] = rng.Float64()*2 - 1
	}
	var proj *G.Node
	if out.IsScalar() {
		proj = G.NewConstant(r[0])
	} else {
		proj = G.NewConstant(tensor.New(tensor.WithShape(out.Shape()...), tensor.WithBacking(r)))
	}
	loss, err := G.Sum(G.Must(G.HadamardProd(out, proj)))
	if err != nil {
		return nil, fmt.Errorf("nn: GradCheck: %w", err)
	}
	prog, err := Compile(g, loss)
	if err != nil {
		return nil, err
	}
	defer prog.Close()
	for _, p := range checked {
		p.ZeroGrad()
	}
	if c.BeforeRun != nil {
		c.BeforeRun()
	}
	if err := prog.Run(); err != nil {
		return nil, err
	}
	analytic := make([][]float64, len(checked))
	for i, p := range checked {
		analytic[i] = append([]float64(nil), p.GradFloat64s()...)
	}
	res := &GradCheckResult{}
	var runErr error
	for i, p := range checked {
		x := p.Float64s()
		orig := append([]float64(nil), x...)
		f := func(y []float64) float64 {
			copy(x, y)
			if c.BeforeRun != nil {
				c.BeforeRun()
			}
			if err := prog.Run(); err != nil && runErr == nil {
				runErr = err
			}
			return prog.Loss()
		}
		var num []float64
		elems := checkedElements(len(x), c.MaxPerTensor, rng)
		if elems == nil {
			num = fd.Gradient(nil, f, append([]float64(nil), orig...), &fd.Settings{Formula: fd.Central, Step: c.Step})
		} else {
			num = make([]float64, len(x))
			y := append([]float64(nil), orig...)
			for _, j := range elems {
				num[j] = fd.Derivative(func(t float64) float64 {
					y[j] = orig[j] + t
					v := f(y)
					y[j] = orig[j]
					return v
				}, 0, &fd.Settings{Formula: fd.Central, Step: c.Step})
			}
		}
		copy(x, orig)
		if runErr != nil {
			return nil, runErr
		}
		for _, j := range elementsOrAll(elems, len(num)) {
			e := math.Abs(analytic[i][j]-num[j]) / (1 + math.Abs(num[j]))
			if math.IsNaN(e) {
				e = math.Inf(1)
			}
			res.Checked++
			if e > res.MaxErr || res.Worst == "" {
				res.MaxErr = e
				res.Worst = fmt.Sprintf("%s[%d] (analytic %.9g, numeric %.9g)", p.Name, j, analytic[i][j], num[j])
			}
		}
	}
	if res.MaxErr > c.Tol {
		return res, fmt.Errorf("nn: GradCheck: gradient mismatch %.3g > %.3g at %s", res.MaxErr, c.Tol, res.Worst)
	}
	return res, nil
}

// checkedElements returns the indices to check among n (nil: all of them).
func checkedElements(n, max int, rng *rand.Rand) []int {
	if max <= 0 || n <= max {
		return nil
	}
	return rng.Perm(n)[:max]
}

func elementsOrAll(elems []int, n int) []int {
	if elems != nil {
		return elems
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}

// RandTensor returns a float64 tensor of the given shape with values drawn
// uniformly from [lo, hi), for gradient checks and tests.
func RandTensor(rng *rand.Rand, lo, hi float64, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = lo + (hi-lo)*rng.Float64()
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
}
