// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build race

package gemm

// raceEnabled thins the exhaustive shape loops under the race detector,
// which slows the assembly-free parts of the tests about tenfold.
const raceEnabled = true
