//go:build !amd64 || purego

package probe

const useDotAVX2 = false

func dotLanes4(n int, x, w *float64, ldw int, lanes *[16]float64) {
	panic("probe: dotLanes4 without AVX2")
}
