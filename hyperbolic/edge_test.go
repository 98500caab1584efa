package hyperbolic

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// The edge-case table: inputs at the origin, on and beyond the boundary,
// at ‖x‖√c = 1 − 1e-7, at the projection radius, 1e6-sized and tiny, for
// several curvatures, in float64 and float32. Every value and every VJP
// must stay finite.

const edgeD = 3

// ballEdgeRows returns the edge rows for curvature c.
func ballEdgeRows(c float64) map[string][]float64 {
	sc := math.Sqrt(c)
	dir := []float64{0.6, 0, -0.8}
	at := func(r float64) []float64 { o := make([]float64, edgeD); scaleTo(o, dir, r); return o }
	return map[string][]float64{
		"zero":          make([]float64, edgeD),
		"tiny":          at(1e-300),
		"boundary":      at(1 / sc),
		"1-1e-7":        at((1 - 1e-7) / sc),
		"maxnorm":       at((1 - 1e-5) / sc),
		"beyond":        at(2 / sc),
		"huge":          at(1e6),
		"moderate":      {0.1 / sc, 0.2 / sc, -0.05 / sc},
		"opposite rim":  at(-(1 - 1e-7) / sc),
		"huge negative": at(-1e6),
	}
}

func conv[T Float](a []float64) []T {
	o := make([]T, len(a))
	for i, v := range a {
		o[i] = T(v)
	}
	return o
}

func edgeBall[T Float](t *testing.T, b PoincareBall[T]) {
	rows := ballEdgeRows(b.C)
	one := []T{1.5}
	w := conv[T]([]float64{1, 2, 3, -4, 0.5, 6})
	for xn, xf := range rows {
		x := conv[T](xf)
		for yn, yf := range rows {
			y := conv[T](yf)
			g := conv[T]([]float64{0.3, -1.2, 0.7})
			name := func(op string) string { return fmt.Sprintf("%T c=%v %s(x=%s, y=%s)", b, b.C, op, xn, yn) }
			requireFinite(t, name("Projx"), b.Projx(nil, x, edgeD))
			requireFinite(t, name("ProjxVJP"), b.ProjxVJP(nil, x, g, edgeD))
			requireFinite(t, name("Lambda"), b.Lambda(nil, x, edgeD))
			requireFinite(t, name("Norm"), b.Norm(nil, x, y, edgeD))
			requireFinite(t, name("EgradToRgrad"), b.EgradToRgrad(nil, x, y, edgeD))
			requireFinite(t, name("Expmap0"), b.Expmap0(nil, x, edgeD))
			requireFinite(t, name("Expmap0VJP"), b.Expmap0VJP(nil, x, g, edgeD))
			requireFinite(t, name("Logmap0"), b.Logmap0(nil, x, edgeD))
			requireFinite(t, name("Logmap0VJP"), b.Logmap0VJP(nil, x, g, edgeD))
			requireFinite(t, name("MobiusAdd"), b.MobiusAdd(nil, x, y, edgeD))
			gx, gy := b.MobiusAddVJP(nil, nil, x, y, g, edgeD)
			requireFinite(t, name("MobiusAddVJP x"), gx)
			requireFinite(t, name("MobiusAddVJP y"), gy)
			requireFinite(t, name("MobiusScalarMul"), b.MobiusScalarMul(nil, -3, x, edgeD))
			requireFinite(t, name("MobiusMatvec"), b.MobiusMatvec(nil, w, x, 2, edgeD))
			gw, gmx := b.MobiusMatvecVJP(nil, nil, w, x, g[:2], 2, edgeD)
			requireFinite(t, name("MobiusMatvecVJP w"), gw)
			requireFinite(t, name("MobiusMatvecVJP x"), gmx)
			requireFinite(t, name("Expmap"), b.Expmap(nil, x, y, edgeD))
			requireFinite(t, name("Logmap"), b.Logmap(nil, x, y, edgeD))
			requireFinite(t, name("Dist"), b.Dist(nil, x, y, edgeD))
			gx, gy = b.DistVJP(nil, nil, x, y, one, edgeD)
			requireFinite(t, name("DistVJP x"), gx)
			requireFinite(t, name("DistVJP y"), gy)
			requireFinite(t, name("Gyration"), b.Gyration(nil, x, y, g, edgeD))
			requireFinite(t, name("Transp"), b.Transp(nil, x, y, g, edgeD))
			gx, gy = b.ExpmapVJP(nil, nil, x, y, g, edgeD)
			requireFinite(t, name("ExpmapVJP x"), gx)
			requireFinite(t, name("ExpmapVJP u"), gy)
			gx, gy = b.LogmapVJP(nil, nil, x, y, g, edgeD)
			requireFinite(t, name("LogmapVJP x"), gx)
			requireFinite(t, name("LogmapVJP y"), gy)
			for _, r := range []float64{-3, 0, 1e6} {
				gs, gr := b.MobiusScalarMulVJP(nil, r, x, g, edgeD)
				requireFinite(t, name(fmt.Sprintf("MobiusScalarMulVJP x r=%v", r)), gs)
				requireFinite(t, name(fmt.Sprintf("MobiusScalarMulVJP r r=%v", r)), []float64{gr})
			}
			// The third argument of Gyration and Transp is any vector: the
			// edge rows themselves, and g.
			for _, w := range [][]T{g, y, x} {
				gu, gv, gw := b.GyrationVJP(nil, nil, nil, x, y, w, g, edgeD)
				requireFinite(t, name("GyrationVJP u"), gu)
				requireFinite(t, name("GyrationVJP v"), gv)
				requireFinite(t, name("GyrationVJP w"), gw)
				gu, gv, gw = b.TranspVJP(nil, nil, nil, x, y, w, g, edgeD)
				requireFinite(t, name("TranspVJP x"), gu)
				requireFinite(t, name("TranspVJP y"), gv)
				requireFinite(t, name("TranspVJP v"), gw)
			}
			requireFinite(t, name("LambdaVJP"), b.LambdaVJP(nil, x, one, edgeD))
		}
	}
	// Unclamped: the VJP at x = y is the zero subgradient, not NaN.
	u := PoincareBall[T]{C: b.C, Unclamped: true}
	x := conv[T](rows["moderate"])
	gx, gy := u.DistVJP(nil, nil, x, x, one, edgeD)
	require.Equal(t, make([]T, edgeD), gx)
	require.Equal(t, make([]T, edgeD), gy)
	// Points produced from edge inputs are inside the projection radius.
	for xn, xf := range rows {
		p := b.Expmap0(nil, conv[T](xf), edgeD)
		require.LessOrEqualf(t, math.Sqrt(sqnorm(p)), b.MaxNorm()*(1+1e-6), "Expmap0(%s)", xn)
	}
}

func TestBallEdgeCases(t *testing.T) {
	for _, c := range []float64{1, 0.3, 4} {
		edgeBall(t, Ball{C: c})
		edgeBall(t, Ball32{C: c})
	}
	// The zero-safe norm: at u = 0 Expmap0 and Logmap0 have Jacobian I.
	g := []float64{0.3, -1.2, 0.7}
	requireClose(t, "Expmap0VJP at 0", Ball{}.Expmap0VJP(nil, make([]float64, 3), g, 3), g, 1e-15, 0)
	requireClose(t, "Logmap0VJP at 0", Ball{}.Logmap0VJP(nil, make([]float64, 3), g, 3), g, 1e-15, 0)
	// Dist at x = y: value 0, gradient 0.
	x := []float64{0.1, 0.2, 0.3}
	require.Equal(t, []float64{0}, Ball{}.Dist(nil, x, x, 3))
	gx, _ := Ball{}.DistVJP(nil, nil, x, x, []float64{1}, 3)
	require.Equal(t, make([]float64, 3), gx)
	// Beyond the artanh clamp the distance saturates at 2·artanh(1−1e-7).
	rim := []float64{1 - 1e-9, 0, 0}
	far := []float64{-(1 - 1e-9), 0, 0}
	require.InDelta(t, 2*ArtanhClamped(1), Ball{}.Dist(nil, rim, far, 3)[0], 1e-12)
}

func edgeLorentz[T Float](t *testing.T, l Hyperboloid[T]) {
	const d = 4
	k := l.K
	rk := math.Sqrt(k)
	rows := map[string][]float64{
		"zero":     make([]float64, d),
		"origin":   {rk, 0, 0, 0},
		"moderate": toF64(l.Expmap0(nil, conv[T]([]float64{0, 0.3, -0.2, 0.1}), d)),
		"far":      toF64(l.Expmap0(nil, conv[T]([]float64{0, 1e6, 0, 0}), d)),
		"huge raw": {1e6, -1e6, 2e6, 0},
		"negative": {-3, 1, 1, 1},
		"tangent":  {0, 1e-12, 0, 0},
	}
	g := conv[T]([]float64{0.3, -1.2, 0.7, 2})
	one := []T{1.5}
	for xn, xf := range rows {
		x := conv[T](xf)
		for yn, yf := range rows {
			y := conv[T](yf)
			name := func(op string) string { return fmt.Sprintf("%T k=%v %s(x=%s, y=%s)", l, k, op, xn, yn) }
			requireFinite(t, name("Inner"), l.Inner(nil, x, y, d))
			requireFinite(t, name("Projx"), l.Projx(nil, x, d))
			requireFinite(t, name("ProjxVJP"), l.ProjxVJP(nil, x, g, d))
			requireFinite(t, name("Proju"), l.Proju(nil, x, y, d))
			requireFinite(t, name("EgradToRgrad"), l.EgradToRgrad(nil, x, y, d))
			requireFinite(t, name("Expmap0"), l.Expmap0(nil, x, d))
			requireFinite(t, name("Expmap0VJP"), l.Expmap0VJP(nil, x, g, d))
			requireFinite(t, name("Logmap0"), l.Logmap0(nil, x, d))
			requireFinite(t, name("Logmap0VJP"), l.Logmap0VJP(nil, x, g, d))
			requireFinite(t, name("Expmap"), l.Expmap(nil, x, y, d))
			requireFinite(t, name("Logmap"), l.Logmap(nil, x, y, d))
			requireFinite(t, name("Dist"), l.Dist(nil, x, y, d))
			gx, gy := l.DistVJP(nil, nil, x, y, one, d)
			requireFinite(t, name("DistVJP x"), gx)
			requireFinite(t, name("DistVJP y"), gy)
			requireFinite(t, name("ToBall"), l.ToBall(nil, x, d))
			requireFinite(t, name("ToBallVJP"), l.ToBallVJP(nil, x, g[:d-1], d))
			gx, gy = l.InnerVJP(nil, nil, x, y, one, d)
			requireFinite(t, name("InnerVJP u"), gx)
			requireFinite(t, name("InnerVJP v"), gy)
			gx, gy = l.ProjuVJP(nil, nil, x, y, g, d)
			requireFinite(t, name("ProjuVJP x"), gx)
			requireFinite(t, name("ProjuVJP u"), gy)
			gx, gy = l.ExpmapVJP(nil, nil, x, y, g, d)
			requireFinite(t, name("ExpmapVJP x"), gx)
			requireFinite(t, name("ExpmapVJP u"), gy)
			gx, gy = l.LogmapVJP(nil, nil, x, y, g, d)
			requireFinite(t, name("LogmapVJP x"), gx)
			requireFinite(t, name("LogmapVJP y"), gy)
		}
	}
	for xn, xf := range ballEdgeRows(1 / k) {
		x := conv[T](xf)
		name := fmt.Sprintf("%T k=%v FromBall(%s)", l, k, xn)
		requireFinite(t, name, l.FromBall(nil, x, edgeD))
		requireFinite(t, name+" VJP", l.FromBallVJP(nil, x, g, edgeD))
	}
}

func TestLorentzEdgeCases(t *testing.T) {
	for _, k := range []float64{1, 0.3, 4} {
		edgeLorentz(t, Lorentz{K: k})
		edgeLorentz(t, Lorentz32{K: k})
	}
}

func edgeHyperbola[T Float](t *testing.T, h UnitHyperbola[T]) {
	z := conv[T]([]float64{0, 1e-300, 1e6, -1e6, 49.9, -60})
	p := h.FromScalar(nil, z)
	requireFinite(t, "FromScalar", p)
	requireFinite(t, "FromScalarVJP", h.FromScalarVJP(nil, z, conv[T]([]float64{1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1})))
	x := conv[T]([]float64{1e6, 1e6, 0, 0, -1e6, 3})
	requireFinite(t, "FromMean", h.FromMean(nil, x, 3))
	requireFinite(t, "FromMeanVJP", h.FromMeanVJP(nil, x, conv[T]([]float64{1, 1, 1, 1}), 3))
	q := conv[T]([]float64{0, 0, -5, 1e6, 1e30, -1e30})
	requireFinite(t, "ToScalar", h.ToScalar(nil, q))
	requireFinite(t, "ToScalarVJP", h.ToScalarVJP(nil, q, conv[T]([]float64{1, 1, 1})))
	d := h.Dist(nil, q, p[:len(q)], 2)
	requireFinite(t, "Dist", d)
	a, b := h.DistVJP(nil, nil, q, p[:len(q)], conv[T]([]float64{1, 1, 1}), 2)
	requireFinite(t, "DistVJP p", a)
	requireFinite(t, "DistVJP q", b)
}

func TestHyperbolaEdgeCases(t *testing.T) {
	edgeHyperbola(t, Hyperbola{})
	edgeHyperbola(t, Hyperbola32{})
}
