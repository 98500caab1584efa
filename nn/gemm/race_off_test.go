// Copyright ©2026 The nongrid/jepa Authors. All rights reserved.

//go:build !race

package gemm

const raceEnabled = false
