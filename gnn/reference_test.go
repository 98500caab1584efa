package gnn

import (
	"math"
	"testing"

	"github.com/nongrid/jepa/nn"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The reference values below were computed with PyTorch 1.13 (Debian
// python3-torch) in float64 by the following script, which writes out PyG's
// GINEConv, GCNConv (≥ 2.3: add_remaining_self_loops + gcn_norm, lin without
// bias, bias after propagate) and mean/max aggregation with plain torch
// index_add_, the official Set Transformer MAB (ln=True), and Point-JEPA's
// PointNetSmall with Conv1d layers (reduced widths). Inputs and weights are
// a·sin(b·i + c) over the flat index i, so Go builds the same numbers.
//
//	import torch, math
//	torch.set_default_dtype(torch.float64)
//	def fill(shape, a, b, c):
//	    n = 1
//	    for s in shape: n *= s
//	    return torch.tensor([a*math.sin(b*i+c) for i in range(n)]).reshape(shape)
//	src = torch.tensor([0, 1, 2, 0, 3, 2, 1, 0, 4, 5]); tgt = torch.tensor([2, 2, 0, 2, 3, 1, 4, 1, 0, 4])
//	N, M, D = 6, 10, 4
//	x = fill((N, D), 1, 0.7, 0.1); e = fill((M, D), 1, 0.5, 1.3)
//	def bn_train(h):  # BatchNorm1d training mode, weight 1 bias 0
//	    m = h.mean(0); v = h.var(0, unbiased=False)
//	    return (h - m) / torch.sqrt(v + 1e-5)
//	# GINE: nn = Linear(4,4,nobias) -> BN -> ReLU -> Linear(4,3,nobias); eps = 0.25
//	W0 = fill((4, 4), 0.5, 1.1, 0.2); W1 = fill((3, 4), 0.5, 0.9, -0.4); eps = 0.25
//	msg = torch.relu(x[src] + e)
//	agg = torch.zeros(N, D).index_add_(0, tgt, msg)
//	h = agg + (1 + eps) * x
//	out = torch.relu(bn_train(h @ W0.T)) @ W1.T
//	print("GINE", [round(v, 12) for v in out.flatten().tolist()])
//	# GCN (PyG >= 2.3 defaults: add_remaining_self_loops, gcn_norm, lin no bias, bias after)
//	Wg = fill((3, 4), 0.5, 0.8, 0.3); bg = fill((3,), 0.2, 1.7, 0.5)
//	keep = src != tgt
//	s2 = torch.cat([src[keep], torch.arange(N)]); t2 = torch.cat([tgt[keep], torch.arange(N)])
//	w = torch.ones(s2.numel())
//	deg = torch.zeros(N).index_add_(0, t2, w)
//	dis = deg.pow(-0.5); dis[dis == float('inf')] = 0
//	norm = dis[s2] * w * dis[t2]
//	hx = x @ Wg.T
//	outg = torch.zeros(N, 3).index_add_(0, t2, norm.view(-1, 1) * hx[s2]) + bg
//	print("GCN", [round(v, 12) for v in outg.flatten().tolist()])
//	# GIN sum, mean and max propagation of x with ReLU(x_u + e) messages
//	print("MEAN", [round(v, 12) for v in (agg / torch.zeros(N).index_add_(0, tgt, torch.ones(M)).clamp(min=1).view(-1, 1)).flatten().tolist()])
//	mx = torch.zeros(N, D)
//	for v in range(N):
//	    sel = msg[tgt == v]
//	    if sel.shape[0]: mx[v] = sel.max(0).values
//	print("MAX", [round(v, 12) for v in mx.flatten().tolist()])
//	# Set Transformer MAB, official form with ln=True: dim_Q 3, dim_K 5, dim_V 4, 2 heads
//	X = fill((2, 3, 3), 1, 0.3, 0.0); Y = fill((2, 5, 5), 1, 0.45, 0.7)
//	def lin(t, W, b): return t @ W.T + b
//	Wq, bq = fill((4, 3), 0.5, 1.3, 0.1), fill((4,), 0.1, 0.7, 0.0)
//	Wk, bk = fill((4, 5), 0.5, 0.6, 0.4), fill((4,), 0.1, 0.9, 0.3)
//	Wv, bv = fill((4, 5), 0.5, 1.7, 0.8), fill((4,), 0.1, 1.1, 0.6)
//	Wo, bo = fill((4, 4), 0.5, 0.5, 1.2), fill((4,), 0.1, 1.3, 0.9)
//	Q, K, V = lin(X, Wq, bq), lin(Y, Wk, bk), lin(Y, Wv, bv)
//	dh = 2
//	Q_, K_, V_ = torch.cat(Q.split(dh, 2), 0), torch.cat(K.split(dh, 2), 0), torch.cat(V.split(dh, 2), 0)
//	A = torch.softmax(Q_.bmm(K_.transpose(1, 2)) / math.sqrt(4), 2)
//	O = torch.cat((Q_ + A.bmm(V_)).split(2, 0), 2)
//	ln = lambda t: torch.nn.functional.layer_norm(t, (4,))
//	O = ln(O); O = O + torch.relu(lin(O, Wo, bo)); O = ln(O)
//	print("MAB", [round(v, 12) for v in O.flatten().tolist()])
//	# mini-PointNet (PointNetSmall layout, reduced widths 3->6->4 | 8->5->3), train-mode BN
//	P = fill((4, 5, 3), 1, 0.37, 0.2)
//	C0 = torch.nn.Conv1d(3, 6, 1, bias=False); C3 = torch.nn.Conv1d(6, 4, 1); S0 = torch.nn.Conv1d(8, 5, 1, bias=False); S3 = torch.nn.Conv1d(5, 3, 1)
//	with torch.no_grad():
//	    C0.weight.copy_(fill((6, 3, 1), 0.5, 1.3, 0.2)); C3.weight.copy_(fill((4, 6, 1), 0.5, 0.7, 0.9)); C3.bias.copy_(fill((4,), 0.1, 1.9, 0.1))
//	    S0.weight.copy_(fill((5, 8, 1), 0.5, 0.8, 0.4)); S3.weight.copy_(fill((3, 5, 1), 0.5, 1.4, 0.6)); S3.bias.copy_(fill((3,), 0.1, 2.3, 0.7))
//	first = torch.nn.Sequential(C0, torch.nn.BatchNorm1d(6), torch.nn.ReLU(), C3)
//	second = torch.nn.Sequential(S0, torch.nn.BatchNorm1d(5), torch.nn.ReLU(), S3)
//	f = first(P.transpose(2, 1)); g = f.max(dim=2, keepdim=True).values
//	f = torch.cat([g.expand(-1, -1, 5), f], 1); tok = second(f).max(dim=2).values
//	print("MINI", [round(v, 12) for v in tok.flatten().tolist()])
var (
	refGINE = []float64{
		0.343346785993, -0.586019712162, 0.707689432045, 0.397586228897, -0.386884358033, 0.296297379532,
		-2.869323e-06, -0.576144723255, 1.033328128535, 0.954885060871, -0.745229420371, 0.381696448763,
		-0.000123385563, -0.042632738721, 0.076585920082, 0.606299259025, -0.43403202814, 0.172144489361,
	}
	refGCN = []float64{
		0.521994304711, -0.225782878475, 0.209980401736, 0.308188160577, -0.042094469039, 0.057036186843,
		0.562398389614, -0.291632259996, 0.301050503957, -0.100480740831, 0.303848086559, -0.225000203707,
		0.062362548053, 0.173559122851, -0.127709908964, 0.591529460424, -0.381917587277, 0.452182174258,
	}
	refMean = []float64{
		0.0, 0.0, 0.372891470305, 1.091748472794, 0.248286994889, 0.312724620336,
		0.452589982039, 0.615026585238, 0.698388424803, 1.135701052684, 1.21428900638, 0.845632716896,
		0.922941536131, 0.0, 0.0, 0.0, 1.171746920266, 1.051550515516,
		0.634919957649, 0.228186623839, 0.0, 0.0, 0.0, 0.0,
	}
	refMax = []float64{
		0.0, 0.0, 0.74578294061, 1.492656696513, 0.496573989777, 0.625449240672,
		0.46573724876, 1.230053170476, 1.063391602064, 1.715899436274, 1.89966682036, 1.393413596711,
		0.922941536131, 0.0, 0.0, 0.0, 1.434674749121, 1.601925804882,
		1.199233887774, 0.456373247679, 0.0, 0.0, 0.0, 0.0,
	}
	refMABOfficial = []float64{
		1.026521135467, -0.348645936017, -1.4779940712, 0.800118871749, 1.354329021588, -1.427959698284,
		-0.212144352593, 0.285775029289, 1.2288750301, -1.532356495007, 0.370428659438, -0.066947194531,
		0.461456264103, -0.787491038717, 1.410760564523, -1.084725789909, -1.064234193816, 1.379774981643,
		0.518171198662, -0.833711986489, -1.095977015369, 1.615710545201, -0.09676265465, -0.422970875182,
	}
	refMiniPointNet = []float64{
		0.145730699995, 0.132717708149, 0.046049310113, 0.064421768724, 0.014112000806, 0.109292850277,
		0.710677464138, 0.621373312808, 0.312396498672, 0.064421768724, 0.014112000806, 0.039387670724,
	}
)

// fillSin sets p[i] = a·sin(b·i + c) over the flat index.
func fillSin(p *nn.Param, a, b, c float64) {
	d := p.Float64s()
	for i := range d {
		d[i] = a * math.Sin(b*float64(i)+c)
	}
}

// sinTensor returns a float64 tensor with t[i] = a·sin(b·i + c).
func sinTensor(a, b, c float64, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = a * math.Sin(b*float64(i)+c)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
}

func TestAgainstPyTorch(t *testing.T) {
	f64 := nn.Float64
	rng := newRNG(1)
	x, e := sinTensor(1, 0.7, 0.1, 6, 4), sinTensor(1, 0.5, 1.3, 10, 4)
	edges := testEdges()
	const tol = 1e-10

	t.Run("GINE", func(t *testing.T) {
		gine := NewGINE("conv", GraphJEPAMLP("conv.nn", 4, 3, f64, rng), GINConfig{Dtype: f64, Eps: 0.25}, rng)
		mlp := gine.NN.(*MixerMLP)
		fillSin(mlp.Layers[0].Weight, 0.5, 1.1, 0.2)
		fillSin(mlp.Layers[1].Weight, 0.5, 0.9, -0.4)
		got := runForward(t, true, []*tensor.Dense{x, e}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
			return gine.Forward(g, in[0], edges, in[1])
		})
		require.InDeltaSlice(t, refGINE, got, tol)
	})
	t.Run("GCN", func(t *testing.T) {
		gcn := NewGCN("conv", 4, 3, GCNConfig{Dtype: f64}, rng)
		fillSin(gcn.Lin.Weight, 0.5, 0.8, 0.3)
		fillSin(gcn.Bias, 0.2, 1.7, 0.5)
		got := runForward(t, false, []*tensor.Dense{x}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
			return gcn.Forward(g, in[0], edges, nil)
		})
		require.InDeltaSlice(t, refGCN, got, tol)
	})
	for _, tc := range []struct {
		aggr Aggr
		want []float64
	}{{Mean, refMean}, {Max, refMax}} {
		t.Run(tc.aggr.String(), func(t *testing.T) {
			got := runForward(t, false, []*tensor.Dense{x, e}, func(g *nn.Graph, in []*G.Node) (*G.Node, error) {
				return Propagate(in[0], in[1], edges, PropagateConfig{Aggr: tc.aggr, ReLU: true})
			})
			require.InDeltaSlice(t, tc.want, got, tol)
		})
	}
	t.Run("MAB official ln", func(t *testing.T) {
		mab := NewMAB("mab", 3, 5, 4, MABConfig{Dtype: f64, Heads: 2, Form: OfficialForm, LayerNorm: SwitchOn}, rng)
		fillSin(mab.Q.Weight, 0.5, 1.3, 0.1)
		fillSin(mab.Q.Bias, 0.1, 0.7, 0.0)
		fillSin(mab.K.Weight, 0.5, 0.6, 0.4)
		fillSin(mab.K.Bias, 0.1, 0.9, 0.3)
		fillSin(mab.V.Weight, 0.5, 1.7, 0.8)
		fillSin(mab.V.Bias, 0.1, 1.1, 0.6)
		fillSin(mab.FF1.Weight, 0.5, 0.5, 1.2)
		fillSin(mab.FF1.Bias, 0.1, 1.3, 0.9)
		got := runForward(t, false, []*tensor.Dense{sinTensor(1, 0.3, 0, 2, 3, 3), sinTensor(1, 0.45, 0.7, 2, 5, 5)},
			func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return mab.Forward(g, in[0], in[1], nil) })
		require.InDeltaSlice(t, refMABOfficial, got, tol)
	})
	t.Run("MiniPointNet", func(t *testing.T) {
		m := NewMiniPointNet("tok", MiniPointNetConfig{Dtype: f64, Hidden1: 6, Global: 4, Hidden2: 5, Out: 3}, rng)
		fillSin(m.First0.Weight, 0.5, 1.3, 0.2)
		fillSin(m.First3.Weight, 0.5, 0.7, 0.9)
		fillSin(m.First3.Bias, 0.1, 1.9, 0.1)
		fillSin(m.Second0.Weight, 0.5, 0.8, 0.4)
		fillSin(m.Second3.Weight, 0.5, 1.4, 0.6)
		fillSin(m.Second3.Bias, 0.1, 2.3, 0.7)
		got := runForward(t, true, []*tensor.Dense{sinTensor(1, 0.37, 0.2, 4, 5, 3)},
			func(g *nn.Graph, in []*G.Node) (*G.Node, error) { return m.Forward(g, in[0]) })
		require.InDeltaSlice(t, refMiniPointNet, got, tol)
	})
}
