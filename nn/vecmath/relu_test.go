// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// reluCase runs one ReLU-family function on fresh copies of its inputs
// and returns every slice it writes.
type reluCase struct {
	name string
	run  func(k reluKernels, in [5][]float32) [][]float32
}

var reluCases = []reluCase{
	{"ReLU", func(k reluKernels, in [5][]float32) [][]float32 {
		dst := make([]float32, len(in[0]))
		k.relu(dst, in[0])
		return [][]float32{dst}
	}},
	{"ReLUGrad", func(k reluKernels, in [5][]float32) [][]float32 {
		dx := make([]float32, len(in[0]))
		k.reluGrad(dx, in[0], in[1])
		return [][]float32{dx}
	}},
	{"AddReLU", func(k reluKernels, in [5][]float32) [][]float32 {
		dst := slices.Clone(in[2])
		k.addReLU(dst, in[0])
		return [][]float32{dst}
	}},
	{"ReLUAdd", func(k reluKernels, in [5][]float32) [][]float32 {
		dst := make([]float32, len(in[0]))
		k.reluAdd(dst, in[0], in[1])
		return [][]float32{dst}
	}},
	{"AddReLUSum", func(k reluKernels, in [5][]float32) [][]float32 {
		dst := slices.Clone(in[2])
		k.addReLUSum(dst, in[0], in[1])
		return [][]float32{dst}
	}},
	{"AddReLUSumGrad", func(k reluKernels, in [5][]float32) [][]float32 {
		dg, acc := make([]float32, len(in[0])), slices.Clone(in[3])
		k.addReLUSumGrad(dg, acc, in[0], in[1], in[2])
		return [][]float32{dg, acc}
	}},
}

// reluInputs returns five slices of n values: random bit patterns (NaNs of
// both signs, infinities, subnormals), normal values and signed zeros.
func reluInputs(rng *rand.Rand, n int) [5][]float32 {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.Float32frombits(0x7fc00001), math.Float32frombits(0xffc00001), math.Float32frombits(1), math.Float32frombits(0x80000001)}
	var in [5][]float32
	for s := range in {
		in[s] = make([]float32, n)
		for i := range in[s] {
			switch rng.IntN(4) {
			case 0:
				in[s][i] = math.Float32frombits(rng.Uint32())
			case 1:
				in[s][i] = special[rng.IntN(len(special))]
			default:
				in[s][i] = float32(rng.NormFloat64())
			}
		}
	}
	return in
}

// TestReLUKernelsAgree: every kernel set computes the ReLU family bit for
// bit as the portable code does, at every length around the vector widths
// (the assembly's 16- and 8-element loops and the Go tail).
func TestReLUKernelsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	generic := available[len(available)-1].relu
	for _, n := range append(seq(0, 70), 255, 1000, 4099) {
		in := reluInputs(rng, n)
		for _, c := range reluCases {
			want := c.run(generic, in)
			for _, k := range available[:len(available)-1] {
				got := c.run(k.relu, in)
				for o := range want {
					for i := range want[o] {
						if sumCase(c.name) && isNaN(in[0][i]) && isNaN(in[1][i]) {
							// a NaN plus a NaN: which operand's sign the sum
							// keeps is the compiler's choice of operand order
							continue
						}
						require.Truef(t, sameBits(got[o][i], want[o][i]), "%s/%s n=%d output %d [%d]: %g (%#x), generic %g (%#x); inputs %g %g %g",
							c.name, k.name, n, o, i, got[o][i], math.Float32bits(got[o][i]), want[o][i], math.Float32bits(want[o][i]), in[0][i], in[1][i], in[2][i])
					}
				}
			}
		}
	}
}

func sumCase(name string) bool { return name == "AddReLUSum" || name == "AddReLUSumGrad" }

func isNaN(v float32) bool { return v != v }

func seq(lo, hi int) []int {
	var s []int
	for n := lo; n <= hi; n++ {
		s = append(s, n)
	}
	return s
}

// TestReLUValues checks the definitions on hand-picked values, with the
// kernel set in use.
func TestReLUValues(t *testing.T) {
	nan, negNaN := math.Float32frombits(0x7fc00000), math.Float32frombits(0xffc00000)
	negZero := float32(math.Copysign(0, -1))
	x := []float32{-2, -0.5, negZero, 0, 0.5, 3, nan, negNaN, float32(math.Inf(1)), float32(math.Inf(-1)), 1e-45, -1e-45, 7, -7, 2, -2, 9}
	want := []float32{0, 0, 0, 0, 0.5, 3, nan, 0, float32(math.Inf(1)), 0, 1e-45, 0, 7, 0, 2, 0, 9}
	for _, name := range Kernels() {
		require.NoError(t, SetKernel(name))
		got := make([]float32, len(x))
		ReLU(got, x)
		for i := range x {
			require.Truef(t, sameBits(got[i], want[i]), "%s: ReLU(%g) = %g, want %g", name, x[i], got[i], want[i])
		}
		require.Equal(t, uint32(0), math.Float32bits(got[2]), "%s: ReLU(−0) must be +0", name)
		dy := ones(len(x))
		dx := make([]float32, len(x))
		ReLUGrad(dx, x, dy)
		for i := range x {
			w := float32(0)
			if want[i] != 0 {
				w = 1
			}
			require.Equalf(t, w, dx[i], "%s: ReLUGrad at %g", name, x[i])
		}
		dst := ones(len(x))
		AddReLUSum(dst, x, ones(len(x)))
		require.Equal(t, float32(5), dst[5], name)   // 1 + relu(3 + 1)
		require.Equal(t, float32(1), dst[0], name)   // 1 + relu(−2 + 1)
		require.Equal(t, float32(1.5), dst[1], name) // 1 + relu(−0.5 + 1)
		// in place
		y := slices.Clone(x)
		ReLU(y, y)
		require.Equal(t, float32(3), y[5], name)
		require.Equal(t, float32(0), y[0], name)
	}
	require.NoError(t, SetKernel(Kernels()[0]))
}

func TestReLULengthMismatchPanics(t *testing.T) {
	a, b := make([]float32, 4), make([]float32, 5)
	require.Panics(t, func() { ReLU(a, b) })
	require.Panics(t, func() { ReLUGrad(a, a, b) })
	require.Panics(t, func() { AddReLUSum(a, a, b) })
	require.Panics(t, func() { AddReLUSumGrad(a, a, a, a, b) })
}
