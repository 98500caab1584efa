// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !amd64 || purego

package nn

// adamAsm is false: no assembly Adam kernel on this platform.
var adamAsm = false

// adamVector32 updates nothing: the Go kernel does all the work.
func adamVector32(p, g, m, v []float32, c *adamCoef) int { return 0 }
