// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !purego

package nn

import "golang.org/x/sys/cpu"

// Kernels in adam_amd64.s; each updates the first n &^ 7 parameters.

//go:noescape
func adamAVX2(p, grad, m, v *float32, c *[8]float32, n int)

//go:noescape
func adamL2AVX2(p, grad, m, v *float32, c *[8]float32, n int)

// adamAsm reports whether the assembly Adam kernels run on this CPU (tests
// switch it off to compare them with the Go code).
var adamAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// adamVector32 updates the first len(p) &^ 7 parameters with the assembly
// kernel and returns how many it updated (0 without AVX2 and FMA).
func adamVector32(p, g, m, v []float32, c *adamCoef) int {
	n := len(p) &^ 7
	if !adamAsm || n == 0 {
		return 0
	}
	_, _, _ = g[len(p)-1], m[len(p)-1], v[len(p)-1]
	k := [8]float32{float32(c.beta1), float32(c.beta2), float32(c.omb1), float32(c.omb2),
		float32(c.negStepSize), float32(c.bc2Sqrt), float32(c.eps), float32(c.decay)}
	if c.l2 != 0 {
		k[7] = float32(c.l2)
		adamL2AVX2(&p[0], &g[0], &m[0], &v[0], &k, n)
	} else {
		adamAVX2(&p[0], &g[0], &m[0], &v[0], &k, n)
	}
	return n
}
