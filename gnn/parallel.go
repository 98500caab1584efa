package gnn

import (
	"gorgonia.org/tensor"
)

// float is the set of element types the kernels support.
type float interface{ ~float32 | ~float64 }

// data returns the backing slice of t as []T (nil for an empty tensor,
// whose Data method would panic).
func data[T float](t *tensor.Dense) []T {
	if t.Shape().TotalSize() == 0 {
		return nil
	}
	return t.Data().([]T)
}

// rowGrain returns a minimum chunk (in rows of width w) worth a goroutine:
// about 16k elements.
func rowGrain(w int) int {
	if w <= 0 {
		return 1 << 14
	}
	return max(1, (1<<14)/w)
}
