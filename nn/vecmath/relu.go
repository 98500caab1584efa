// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import "math"

// The ReLU family: the rectifier and the fused forms message passing and
// residual blocks need, each one pass over memory. They are exact (no
// rounding beyond the additions they name), and every kernel set computes
// them bit for bit alike. Positivity is decided on the bits, so that no
// branch depends on the sign of the data: x counts as positive when its
// bits, read as a signed integer, are above zero, i.e. x > 0 or x is a NaN
// with the sign bit clear. Such a NaN passes through ReLU unchanged, so a
// NaN in the activations is not hidden; a NaN with the sign bit set
// becomes 0, like every other negative input. −0 is not positive. (Where
// a[i] and b[i] are both NaN, which one's sign a[i] + b[i] keeps is not
// specified.)

// ReLU sets dst[i] = max(x[i], 0).
func ReLU(dst, x []float32) {
	check("ReLU", len(dst), len(x))
	kernels().relu.relu(dst, x)
}

// ReLUGrad sets dx[i] = dy[i] where x[i] > 0 and 0 elsewhere: the backward
// of [ReLU] given its input x (or its output: both have the same positive
// entries).
func ReLUGrad(dx, x, dy []float32) {
	check("ReLUGrad", len(dx), len(x))
	check("ReLUGrad", len(dy), len(x))
	kernels().relu.reluGrad(dx, x, dy)
}

// AddReLU sets dst[i] += max(x[i], 0).
func AddReLU(dst, x []float32) {
	check("AddReLU", len(dst), len(x))
	kernels().relu.addReLU(dst, x)
}

// ReLUAdd sets dst[i] = max(x[i], 0) + r[i] (a rectified residual branch).
func ReLUAdd(dst, x, r []float32) {
	check("ReLUAdd", len(dst), len(x))
	check("ReLUAdd", len(r), len(x))
	kernels().relu.reluAdd(dst, x, r)
}

// AddReLUSum sets dst[i] += max(a[i] + b[i], 0): GINE's message
// ReLU(x_u + e_uv) added to its target's sum.
func AddReLUSum(dst, a, b []float32) {
	check("AddReLUSum", len(dst), len(a))
	check("AddReLUSum", len(b), len(a))
	kernels().relu.addReLUSum(dst, a, b)
}

// AddReLUSumGrad is the backward of [AddReLUSum] for one message: with
// g[i] = dy[i] where a[i] + b[i] > 0 and 0 elsewhere, it sets dg[i] = g[i]
// and acc[i] += g[i] (the gradient of b, and the gradient of a summed over
// the messages that read it).
func AddReLUSumGrad(dg, acc, a, b, dy []float32) {
	check("AddReLUSumGrad", len(dg), len(a))
	check("AddReLUSumGrad", len(acc), len(a))
	check("AddReLUSumGrad", len(b), len(a))
	check("AddReLUSumGrad", len(dy), len(a))
	kernels().relu.addReLUSumGrad(dg, acc, a, b, dy)
}

// reluKernels is the ReLU family of one kernel set.
type reluKernels struct {
	relu, addReLU       func(dst, x []float32)
	reluGrad            func(dx, x, dy []float32)
	reluAdd, addReLUSum func(dst, a, b []float32)
	addReLUSumGrad      func(dg, acc, a, b, dy []float32)
}

var reluGeneric = reluKernels{
	relu:           reluGen,
	reluGrad:       reluGradGen,
	addReLU:        addReLUGen,
	reluAdd:        reluAddGen,
	addReLUSum:     addReLUSumGen,
	addReLUSumGrad: addReLUSumGradGen,
}

// pos32 returns all ones when v counts as positive (see above), else 0.
func pos32(v float32) uint32 {
	b := int32(math.Float32bits(v))
	return uint32((-b & ^b) >> 31)
}

func relu32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) & pos32(v)) }

func reluGen(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = relu32(v)
	}
}

func reluGradGen(dx, x, dy []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		dx[i] = math.Float32frombits(math.Float32bits(dy[i]) & pos32(v))
	}
}

func addReLUGen(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] += relu32(v)
	}
}

func reluAddGen(dst, x, r []float32) {
	dst, r = dst[:len(x)], r[:len(x)]
	for i, v := range x {
		dst[i] = relu32(v) + r[i]
	}
}

func addReLUSumGen(dst, a, b []float32) {
	dst, b = dst[:len(a)], b[:len(a)]
	for i, v := range a {
		dst[i] += relu32(v + b[i])
	}
}

func addReLUSumGradGen(dg, acc, a, b, dy []float32) {
	dg, acc, b, dy = dg[:len(a)], acc[:len(a)], b[:len(a)], dy[:len(a)]
	for i, v := range a {
		g := math.Float32frombits(math.Float32bits(dy[i]) & pos32(v+b[i]))
		dg[i] = g
		acc[i] += g
	}
}
