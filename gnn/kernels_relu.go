package gnn

import (
	"math"

	"github.com/nongrid/jepa/nn/vecmath"
)

// Branch-free ReLU kernels. The float32 forms call package vecmath's ReLU
// family (AVX2 where the CPU has it, the same bits as the code here); the
// float64 forms, used by the gradient checks, stay in Go. The signs of
// activations are random, so a compare-and-branch per element mispredicts about half the time and runs
// several times slower than the arithmetic (measured ≈ 10× on random data);
// Go does not turn float compares into conditional moves, so these kernels
// work on the IEEE bits instead: for x with bits b (as a signed integer),
// x > 0 exactly when b > 0 and b ≠ −0, i.e. when (−b & ^b) has its sign
// bit set. (A positive NaN counts as positive here; PyTorch's ReLU mask
// would not. Such inputs are already broken.)

// pos32 returns all ones when v > 0 (see above) and zero otherwise.
func pos32(v float32) uint32 {
	b := int32(math.Float32bits(v))
	return uint32((-b & ^b) >> 31)
}

func pos64(v float64) uint64 {
	b := int64(math.Float64bits(v))
	return uint64((-b & ^b) >> 63)
}

func relu64(v float64) float64 { return math.Float64frombits(math.Float64bits(v) & pos64(v)) }

// addReLU: dst += max(a, 0).
func addReLU[T float](dst, a []T) {
	switch d := any(dst).(type) {
	case []float32:
		vecmath.AddReLU(d, any(a).([]float32)[:len(d)])
	case []float64:
		a := any(a).([]float64)[:len(d)]
		for j, v := range a {
			d[j] += relu64(v)
		}
	}
}

// addReLUSum: dst += max(a + b, 0).
func addReLUSum[T float](dst, a, b []T) {
	switch d := any(dst).(type) {
	case []float32:
		vecmath.AddReLUSum(d, any(a).([]float32)[:len(d)], any(b).([]float32)[:len(d)])
	case []float64:
		a, b := any(a).([]float64)[:len(d)], any(b).([]float64)[:len(d)]
		for j := range d {
			d[j] += relu64(a[j] + b[j])
		}
	}
}

// reluInto: dst = max(a, 0) (+ r when r is not nil).
func reluInto[T float](dst, a, r []T) {
	switch d := any(dst).(type) {
	case []float32:
		a := any(a).([]float32)[:len(d)]
		if r == nil {
			vecmath.ReLU(d, a)
			return
		}
		vecmath.ReLUAdd(d, a, any(r).([]float32)[:len(d)])
	case []float64:
		a := any(a).([]float64)[:len(d)]
		if r == nil {
			for j, v := range a {
				d[j] = relu64(v)
			}
			return
		}
		r := any(r).([]float64)[:len(d)]
		for j, v := range a {
			d[j] = relu64(v) + r[j]
		}
	}
}

// maskInto: dst = dy where h > 0, else 0 (ReLU's backward).
func maskInto[T float](dst, dy, h []T) {
	switch d := any(dst).(type) {
	case []float32:
		vecmath.ReLUGrad(d, any(h).([]float32)[:len(d)], any(dy).([]float32)[:len(d)])
	case []float64:
		g, h := any(dy).([]float64)[:len(d)], any(h).([]float64)[:len(d)]
		for j := range d {
			d[j] = math.Float64frombits(math.Float64bits(g[j]) & pos64(h[j]))
		}
	}
}

// edgeGrad is the backward of one ReLU(x_u + e_k) message: de = dv/c where
// x_u + e_k > 0 (else 0), and acc += de. With e nil the mask is x_u > 0;
// with de nil only acc is updated; c = 1 skips the division.
func edgeGrad[T float](de, acc, dv, x, e []T, c T) {
	switch a := any(acc).(type) {
	case []float32:
		edgeGrad32(any(de).([]float32), a, any(dv).([]float32), any(x).([]float32), any(e).([]float32), float32(c))
	case []float64:
		edgeGrad64(any(de).([]float64), a, any(dv).([]float64), any(x).([]float64), any(e).([]float64), float64(c))
	}
}

func edgeGrad32(de, acc, dv, x, e []float32, c float32) {
	n := len(acc)
	dv, x = dv[:n], x[:n]
	if e != nil && de != nil && c == 1 { // GINE
		vecmath.AddReLUSumGrad(de[:n], acc, x, e[:n], dv)
		return
	}
	for j := range acc {
		pre := x[j]
		if e != nil {
			pre += e[j]
		}
		g := dv[j]
		if c != 1 {
			g /= c
		}
		g = math.Float32frombits(math.Float32bits(g) & pos32(pre))
		if de != nil {
			de[j] = g
		}
		acc[j] += g
	}
}

func edgeGrad64(de, acc, dv, x, e []float64, c float64) {
	n := len(acc)
	dv, x = dv[:n], x[:n]
	for j := range acc {
		pre := x[j]
		if e != nil {
			pre += e[j]
		}
		g := dv[j]
		if c != 1 {
			g /= c
		}
		g = math.Float64frombits(math.Float64bits(g) & pos64(pre))
		if de != nil {
			de[j] = g
		}
		acc[j] += g
	}
}

// edgeGradShared is edgeGrad for an edge whose feature row is shared: the
// edge's gradient g = ReLU'(x + e)·dv/c is added to acc (the source row)
// and to de (the shared row's gradient part); tmp [len(acc)] is scratch.
func edgeGradShared[T float](de, tmp, acc, dv, x, e []T, c T) {
	if a, ok := any(acc).([]float32); ok && c == 1 {
		// The GINE case, vectorised: the kernel writes g to its first
		// argument and adds it to its second; run it for both sums.
		t, ds := any(tmp).([]float32), any(de).([]float32)
		xs, es, dvs := any(x).([]float32), any(e).([]float32), any(dv).([]float32)
		n := len(a)
		vecmath.AddReLUSumGrad(t[:n], a, xs[:n], es[:n], dvs[:n])
		vecmath.AddReLUSumGrad(t[:n], ds[:n], xs[:n], es[:n], dvs[:n])
		return
	}
	edgeGrad(tmp, acc, dv, x, e, c)
	add(de, tmp)
}
