// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

package vecmath

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzKernels runs every function of every kernel set on fuzzed float32 bit
// patterns (four bytes each, so any length, NaN payloads, infinities and
// subnormals) starting at a fuzzed offset, and checks each value against the
// float64 reference within the accuracy bound, the assembly kernel sets
// against each other bit for bit, and against the portable kernels within
// genericSlack times the bound, with dy = 1 and with dy a second fuzzed
// slice.
//
//	go test -run '^$' -fuzz FuzzKernels -fuzztime 3m ./nn/vecmath
func FuzzKernels(f *testing.F) {
	seed := func(vs ...float32) []byte {
		b := make([]byte, 4*len(vs))
		for i, v := range vs {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		return b
	}
	inf := float32(math.Inf(1))
	f.Add(seed(0, 1, -1, 2.5, -7.9, 9, -5.6), uint8(0))
	f.Add(seed(inf, -inf, float32(math.NaN()), 1e-40, -1e-40, math.MaxFloat32, -88.8, 88.72, -103.9, 0.0004), uint8(3))
	f.Add(seed(make([]float32, 33)...), uint8(15))
	f.Fuzz(func(t *testing.T, data []byte, off uint8) {
		n := len(data) / 4
		o := int(off % 17)
		buf := make([]float32, o+n)
		x := buf[o:]
		for i := range x {
			x[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
		}
		dys := [][]float32{ones(n), make([]float32, n)}
		for i := range x {
			dys[1][i] = x[n-1-i]
		}
		generic := available[len(available)-1]
		want := make([]float32, n)
		got := make([]float32, n)
		first := make([]float32, n)
		for _, fn := range testFuncs {
			for d, dy := range dys {
				if d > 0 && !fn.grad {
					continue
				}
				fn.run(generic, want, x, dy)
				for ki, k := range available {
					fn.run(k, got, x, dy)
					for i, v := range x {
						if d == 0 {
							e := checkValue(t, fn, v, got[i], fn.ref(float64(v)))
							require.LessOrEqual(t, e, fn.bound, "%s/%s(%g) = %g", fn.name, k.name, v, got[i])
						}
						if k == generic {
							continue
						}
						if ki == 0 {
							first[i] = got[i]
						} else {
							require.True(t, sameBits(first[i], got[i]), "%s(%g): %s %g, %s %g", fn.name, v, available[0].name, first[i], k.name, got[i])
						}
						g, w := got[i], want[i]
						if g != g || w != w || math.IsInf(float64(w), 0) || math.IsInf(float64(g), 0) {
							require.True(t, sameBits(g, w), "%s/%s(%g) = %g, generic %g", fn.name, k.name, v, g, w)
							continue
						}
						if d == 0 {
							require.LessOrEqual(t, fn.err(g, float64(w), float64(v)), genericSlack*fn.bound,
								"%s/%s(%g) = %g, generic %g", fn.name, k.name, v, g, w)
						}
					}
				}
			}
		}
	})
}
