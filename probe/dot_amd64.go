//go:build !purego

package probe

import "golang.org/x/sys/cpu"

var useDotAVX2 = cpu.X86.HasAVX2

// dotLanes4 stores in lanes[4q : 4q+4] the four partial sums of
// Σ_{i < n&^3} x[i]·w[q·ldw+i] (sum j holds the elements i ≡ j mod 4) for
// q < 4; see dotMany.
//
//go:noescape
func dotLanes4(n int, x, w *float64, ldw int, lanes *[16]float64)
