package gnn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// bceWithLogits adds the mean binary cross-entropy of logits z [B, 1]
// against labels y (0/1, read at every run): mean(softplus(z) − y·z), as
// torch.nn.BCEWithLogitsLoss.
func bceWithLogits(z *G.Node, y []float64) (*G.Node, error) {
	zs := z.Shape()
	n := zs.TotalSize()
	op := nn.CustomOp{Name: "BCEWithLogits", OutShape: tensor.Shape{}, DiffWRT: []bool{true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			var s float64
			for i, v := range floats(in[0]) {
				s += softplus(v) - y[i]*v
			}
			setScalar(out, s/float64(n))
			return nil
		},
		Backward: func(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			bop := nn.CustomOp{Name: "BCEWithLogitsGrad", OutShape: zs.Clone(),
				Forward: func(out *tensor.Dense, vals []*tensor.Dense) error {
					g := floats(vals[1])[0]
					for i, v := range floats(vals[0]) {
						setAt(out, i, g*(1/(1+math.Exp(-v))-y[i])/float64(n))
					}
					return nil
				}}
			d, err := nn.ApplyCustomOp(bop, in[0], grad)
			return G.Nodes{d}, err
		},
	}
	return nn.ApplyCustomOp(op, z)
}

func softplus(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }

func floats(t *tensor.Dense) []float64 {
	switch d := t.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return d
	case float32:
		return []float64{float64(d)}
	case float64:
		return []float64{d}
	}
	return nil
}

func setScalar(t *tensor.Dense, v float64) {
	switch d := t.Data().(type) {
	case []float32:
		d[0] = float32(v)
	case []float64:
		d[0] = v
	case float32, float64:
		_ = t.SetAt(convertLike(d, v))
	}
}

func convertLike(like any, v float64) any {
	if _, ok := like.(float32); ok {
		return float32(v)
	}
	return v
}

func setAt(t *tensor.Dense, i int, v float64) {
	switch d := t.Data().(type) {
	case []float32:
		d[i] = float32(v)
	case []float64:
		d[i] = v
	}
}

// accuracy returns the fraction of logits on the side of their label.
func accuracy(logits, y []float64) float64 {
	ok := 0
	for i, z := range logits {
		if (z > 0) == (y[i] == 1) {
			ok++
		}
	}
	return float64(ok) / float64(len(y))
}

// cyclesAndPaths returns count graphs alternating between a cycle (label
// 0) and a path (label 1), each on a random number of nodes in [lo, hi],
// with node ids shuffled, constant node features [1] and constant edge
// features [1].
func cyclesAndPaths(rng *rand.Rand, count, lo, hi int) []*datasets.Graph {
	var out []*datasets.Graph
	for i := 0; i < count; i++ {
		n := lo + rng.IntN(hi-lo+1)
		perm := rng.Perm(n)
		adj := make([][]int, n)
		link := func(a, b int) {
			a, b = perm[a], perm[b]
			adj[a] = append(adj[a], b)
			adj[b] = append(adj[b], a)
		}
		for v := 0; v+1 < n; v++ {
			link(v, v+1)
		}
		y := 1
		if i%2 == 0 {
			link(n-1, 0)
			y = 0
		}
		g := &datasets.Graph{F: 1, EF: 1, Y: y, RowPtr: []int{0}}
		for v := 0; v < n; v++ {
			nb := adj[v]
			sortInts(nb)
			g.Col = append(g.Col, nb...)
			g.RowPtr = append(g.RowPtr, len(g.Col))
			g.X = append(g.X, 1)
		}
		for range g.Col {
			g.EdgeAttr = append(g.EdgeAttr, 1)
		}
		out = append(out, g)
	}
	return out
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func labelsOf(b *datasets.GraphBatch) []float64 {
	y := make([]float64, b.B)
	for i, v := range b.Y {
		y[i] = float64(v)
	}
	return y
}

// graphClassifier is a small graph-level binary classifier: node and edge
// encoders Linear(1→D), a stack of convs inside Blocks, a readout and a
// Linear(D→1) head.
type graphClassifier struct {
	nodeEnc, edgeEnc, head *nn.Linear
	blocks                 []*Block
	readout                Aggr
	edgeFeatures           bool
	params                 nn.Params
}

func (m *graphClassifier) forward(t *testing.T, g *nn.Graph, in *GraphInputs) *G.Node {
	x, err := m.nodeEnc.Forward(g, in.X.Node)
	require.NoError(t, err)
	var e *G.Node
	if m.edgeFeatures {
		e, err = m.edgeEnc.Forward(g, in.EdgeAttr.Node)
		require.NoError(t, err)
	}
	for _, b := range m.blocks {
		x, err = b.Forward(g, x, in.Edges, e)
		require.NoError(t, err)
	}
	x, err = Pool(x, in.Batch, in.NumGraphs, m.readout)
	require.NoError(t, err)
	z, err := m.head.Forward(g, x)
	require.NoError(t, err)
	return z
}

// trainGraphClassifier trains m on one batch of train graphs for steps
// AdamW steps and returns the first and last training losses and the
// accuracy on the test graphs in evaluation mode.
func trainGraphClassifier(t *testing.T, m *graphClassifier, train, test []*datasets.Graph, steps int, lr float64) (first, last, testAcc float64) {
	tb, err := datasets.CollateGraphs(nil, train)
	require.NoError(t, err)
	g := nn.NewGraph(nn.GraphConfig{Train: true})
	in, err := NewGraphInputs(g, tb)
	require.NoError(t, err)
	loss, err := bceWithLogits(m.forward(t, g, in), labelsOf(tb))
	require.NoError(t, err)
	prog, err := nn.Compile(g, loss)
	require.NoError(t, err)
	defer prog.Close()
	opt := nn.NewAdamW(m.params.Trainable(), nn.AdamConfig{LR: lr})
	for s := 0; s < steps; s++ {
		opt.ZeroGrad()
		require.NoError(t, prog.Run())
		opt.Step()
		if s == 0 {
			first = prog.Loss()
		}
		last = prog.Loss()
	}

	eb, err := datasets.CollateGraphs(nil, test)
	require.NoError(t, err)
	ge := nn.NewGraph(nn.GraphConfig{})
	ein, err := NewGraphInputs(ge, eb)
	require.NoError(t, err)
	out := ge.Read(m.forward(t, ge, ein))
	pe, err := nn.Compile(ge, nil)
	require.NoError(t, err)
	defer pe.Close()
	require.NoError(t, pe.Run())
	return first, last, accuracy(out.Float64s(), labelsOf(eb))
}

// shapeClouds returns count clouds of p points alternating between a sphere
// surface (label 0) and a cube surface (label 1), each scaled by a random
// factor in [0.7, 1.3] and jittered by N(0, 0.02²), as [count, p, 3] and
// labels.
func shapeClouds(rng *rand.Rand, count, p int) (*tensor.Dense, []float64) {
	pts := make([]float64, 0, count*p*3)
	y := make([]float64, count)
	for i := 0; i < count; i++ {
		s := 0.7 + 0.6*rng.Float64()
		y[i] = float64(i % 2)
		for j := 0; j < p; j++ {
			var v [3]float64
			if i%2 == 0 {
				n := 0.0
				for k := range v {
					v[k] = rng.NormFloat64()
					n += v[k] * v[k]
				}
				for k := range v {
					v[k] /= math.Sqrt(n)
				}
			} else {
				face := rng.IntN(3)
				for k := range v {
					v[k] = 2*rng.Float64() - 1
				}
				v[face] = float64(2*rng.IntN(2) - 1)
			}
			for k := range v {
				pts = append(pts, s*v[k]+0.02*rng.NormFloat64())
			}
		}
	}
	return tensor.New(tensor.WithShape(count, p, 3), tensor.WithBacking(pts)), y
}

// blobSets returns count padded 2-D sets of maxN/2–maxN points drawn
// around a random centre in [−2, 2]² with spread 0.3 (label 0) or 1.2
// (label 1), as x [count, maxN, 2], the mask [count, maxN] and labels.
// Telling the classes apart needs the points relative to their own set
// (the centres overlap); padded points hold large garbage on purpose.
func blobSets(rng *rand.Rand, count, maxN int) (x, mask *tensor.Dense, y []float64) {
	xs := make([]float64, count*maxN*2)
	ms := make([]float64, count*maxN)
	y = make([]float64, count)
	for i := 0; i < count; i++ {
		n := maxN/2 + rng.IntN(maxN-maxN/2+1)
		cx, cy := 4*rng.Float64()-2, 4*rng.Float64()-2
		sd := 0.3
		if i%2 == 1 {
			sd, y[i] = 1.2, 1
		}
		for j := 0; j < maxN; j++ {
			o := (i*maxN + j) * 2
			if j >= n {
				xs[o], xs[o+1] = 9*rng.Float64(), -9*rng.Float64()
				continue
			}
			ms[i*maxN+j] = 1
			xs[o], xs[o+1] = cx+sd*rng.NormFloat64(), cy+sd*rng.NormFloat64()
		}
	}
	return tensor.New(tensor.WithShape(count, maxN, 2), tensor.WithBacking(xs)),
		tensor.New(tensor.WithShape(count, maxN), tensor.WithBacking(ms)), y
}

// trainDense trains a model over dense inputs (one training batch) with
// AdamW and returns the first and last losses and the accuracy on the test
// inputs in evaluation mode. build adds the model and returns logits with
// one value per example.
func trainDense(t *testing.T, params []*nn.Param, build func(g *nn.Graph, in []*G.Node) (*G.Node, error),
	train []*tensor.Dense, ytrain []float64, test []*tensor.Dense, ytest []float64, steps int, lr float64) (first, last, testAcc float64) {
	run := func(train bool, inputs []*tensor.Dense) (*nn.Graph, *G.Node) {
		g := nn.NewGraph(nn.GraphConfig{Train: train})
		nodes := make([]*G.Node, len(inputs))
		for i, x := range inputs {
			in := g.Input("in", x.Shape()...)
			require.NoError(t, in.Set(x.Data().([]float64)))
			nodes[i] = in.Node
		}
		z, err := build(g, nodes)
		require.NoError(t, err)
		return g, z
	}
	g, z := run(true, train)
	loss, err := bceWithLogits(z, ytrain)
	require.NoError(t, err)
	prog, err := nn.Compile(g, loss)
	require.NoError(t, err)
	defer prog.Close()
	opt := nn.NewAdamW(params, nn.AdamConfig{LR: lr})
	for s := 0; s < steps; s++ {
		opt.ZeroGrad()
		require.NoError(t, prog.Run())
		opt.Step()
		if s == 0 {
			first = prog.Loss()
		}
		last = prog.Loss()
	}
	ge, ze := run(false, test)
	out := ge.Read(ze)
	pe, err := nn.Compile(ge, nil)
	require.NoError(t, err)
	defer pe.Close()
	require.NoError(t, pe.Run())
	return first, last, accuracy(out.Float64s(), ytest)
}
