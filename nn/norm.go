package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LayerNormConfig configures a LayerNorm. The zero value is
// torch.nn.LayerNorm's default: eps 1e-5, affine, float32.
type LayerNormConfig struct {
	Dtype    tensor.Dtype
	Eps      float64 // 1e-5 when zero
	NoAffine bool    // elementwise_affine=False
}

// LayerNorm normalises the last dimension (Ba, Kiros & Hinton 2016):
// y = (x − mean)/√(var + eps)·weight + bias, with the biased variance.
//
// Shapes: x [..., D] → y [..., D]. Parameters "<name>.weight" (ones) and
// "<name>.bias" (zeros), both [D].
type LayerNorm struct {
	Weight, Bias *Param
	D            int
	Eps          float64
	params       Params
}

// NewLayerNorm returns a LayerNorm over a last dimension of size d.
func NewLayerNorm(name string, d int, cfg LayerNormConfig) *LayerNorm {
	ln := &LayerNorm{D: d, Eps: cfg.Eps}
	if ln.Eps == 0 {
		ln.Eps = 1e-5
	}
	if !cfg.NoAffine {
		dt := dtypeOr(cfg.Dtype)
		ln.Weight = NewParam(joinName(name, "weight"), dt, d)
		ln.Bias = NewParam(joinName(name, "bias"), dt, d)
		FillConstant(ln.Weight, 1)
		ln.Weight.NoDecay, ln.Bias.NoDecay = true, true
		ln.params.Add(ln.Weight, ln.Bias)
	}
	return ln
}

// Params returns the layer's parameters (none without affine).
func (ln *LayerNorm) Params() *Params { return &ln.params }

// Forward adds the layer to g.
func (ln *LayerNorm) Forward(g *Graph, x *G.Node) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() < 1 || xs[xs.Dims()-1] != ln.D {
		return nil, fmt.Errorf("nn: LayerNorm %s: input shape %v does not match normalized shape [%d]", ln.name(), xs, ln.D)
	}
	var w, b *G.Node
	if ln.Weight != nil {
		w, b = g.Param(ln.Weight), g.Param(ln.Bias)
	}
	return LayerNormOp(x, w, b, ln.Eps)
}

func (ln *LayerNorm) name() string {
	if ln.Weight == nil {
		return "(no affine)"
	}
	return ln.Weight.Name
}

// BatchNormConfig configures a BatchNorm. The zero value is
// torch.nn.BatchNorm1d's default: eps 1e-5, momentum 0.1, affine, float32.
type BatchNormConfig struct {
	Dtype    tensor.Dtype
	Eps      float64 // 1e-5 when zero
	Momentum float64 // 0.1 when zero
}

// BatchNorm is batch normalisation over the last (channel) dimension (Ioffe &
// Szegedy 2015), torch.nn.BatchNorm1d for channels-last data: statistics are
// taken over every leading dimension. In a training graph it normalises with
// the batch mean and biased variance and updates the running statistics
// (running_var with the unbiased variance, as PyTorch); in an evaluation
// graph it uses the running statistics.
//
// Shapes: x [..., C] → y [..., C]. Parameters "<name>.weight", "<name>.bias";
// buffers "<name>.running_mean", "<name>.running_var",
// "<name>.num_batches_tracked" (int64), as PyTorch names them.
type BatchNorm struct {
	Weight, Bias            *Param
	RunningMean, RunningVar *Param
	NumBatchesTracked       *Param
	C                       int
	Eps, Momentum           float64
	params                  Params
}

// NewBatchNorm returns a BatchNorm over c channels.
func NewBatchNorm(name string, c int, cfg BatchNormConfig) *BatchNorm {
	dt := dtypeOr(cfg.Dtype)
	bn := &BatchNorm{C: c, Eps: cfg.Eps, Momentum: cfg.Momentum,
		Weight:            NewParam(joinName(name, "weight"), dt, c),
		Bias:              NewParam(joinName(name, "bias"), dt, c),
		RunningMean:       NewBuffer(joinName(name, "running_mean"), dt, c),
		RunningVar:        NewBuffer(joinName(name, "running_var"), dt, c),
		NumBatchesTracked: NewInt64Buffer(joinName(name, "num_batches_tracked")),
	}
	if bn.Eps == 0 {
		bn.Eps = 1e-5
	}
	if bn.Momentum == 0 {
		bn.Momentum = 0.1
	}
	FillConstant(bn.Weight, 1)
	FillConstant(bn.RunningVar, 1)
	bn.Weight.NoDecay, bn.Bias.NoDecay = true, true
	bn.params.Add(bn.Weight, bn.Bias, bn.RunningMean, bn.RunningVar, bn.NumBatchesTracked)
	return bn
}

// Params returns the parameters and buffers.
func (bn *BatchNorm) Params() *Params { return &bn.params }

// Forward adds the layer to g, in g's mode.
func (bn *BatchNorm) Forward(g *Graph, x *G.Node) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() < 1 || xs[xs.Dims()-1] != bn.C {
		return nil, fmt.Errorf("nn: BatchNorm %s: input shape %v does not match %d channels (last dimension)", bn.Weight.Name, xs, bn.C)
	}
	if g.Train() && xs.TotalSize()/bn.C < 2 {
		return nil, fmt.Errorf("nn: BatchNorm %s: training needs more than 1 value per channel, got input shape %v", bn.Weight.Name, xs)
	}
	st := &batchNormState{runningMean: bn.RunningMean, runningVar: bn.RunningVar, numBatches: bn.NumBatchesTracked,
		momentum: bn.Momentum, eps: bn.Eps, train: g.Train()}
	return batchNormOp(x, g.Param(bn.Weight), g.Param(bn.Bias), st)
}

// ForwardRepeated adds the layer for a batch in which row r of x [R, C]
// stands for counts[r] identical rows (zero counts allowed): in training,
// the statistics, the running-statistics update and the gradients are those
// of the expanded batch, so that for any index list idx with counts[r] =
// |{i : idx[i] = r}|
//
//	Gather(ForwardRepeated(x, counts), idx) = Forward(Gather(x, idx))
//
// in value and in the gradient reaching x, at the cost of R rows instead of
// len(idx). Row-wise layers around it (Linear, ReLU) commute with the gather,
// so a whole Linear → BatchNorm → ReLU stack can run on the distinct rows
// (gnn.MixerMLP.ForwardRepeated; Graph-JEPA's patch mixing, whose input
// repeats every patch summary once per node copy). In evaluation mode the
// counts are not used. It returns an error if len(counts) ≠ R, a count is
// negative, or (training) the counts sum to less than 2.
func (bn *BatchNorm) ForwardRepeated(g *Graph, x *G.Node, counts []int) (*G.Node, error) {
	xs := x.Shape()
	if xs.Dims() != 2 || xs[1] != bn.C {
		return nil, fmt.Errorf("nn: BatchNorm %s: ForwardRepeated needs input [rows, %d], got shape %v", bn.Weight.Name, bn.C, xs)
	}
	if len(counts) != xs[0] {
		return nil, fmt.Errorf("nn: BatchNorm %s: %d row counts for %d rows", bn.Weight.Name, len(counts), xs[0])
	}
	w := make([]float64, len(counts))
	total := 0.0
	for r, n := range counts {
		if n < 0 {
			return nil, fmt.Errorf("nn: BatchNorm %s: row %d has count %d", bn.Weight.Name, r, n)
		}
		w[r] = float64(n)
		total += w[r]
	}
	if g.Train() && total < 2 {
		return nil, fmt.Errorf("nn: BatchNorm %s: training needs more than 1 value per channel, got %v repeated rows", bn.Weight.Name, total)
	}
	st := &batchNormState{runningMean: bn.RunningMean, runningVar: bn.RunningVar, numBatches: bn.NumBatchesTracked,
		momentum: bn.Momentum, eps: bn.Eps, train: g.Train(), counts: w, total: total}
	return batchNormOp(x, g.Param(bn.Weight), g.Param(bn.Bias), st)
}
