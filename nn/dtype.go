package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// Float32 and Float64 are the two element types every layer and op supports.
var (
	Float32 = tensor.Float32
	Float64 = tensor.Float64
)

// checkFloat panics unless dt is Float32 or Float64 (a programmer error).
func checkFloat(dt tensor.Dtype) {
	if dt != tensor.Float32 && dt != tensor.Float64 {
		panic(fmt.Sprintf("nn: dtype %v is not supported (want float32 or float64)", dt))
	}
}

// newDense returns a zeroed dense tensor of dtype dt and the given shape.
func newDense(dt tensor.Dtype, shape ...int) *tensor.Dense {
	checkFloat(dt)
	n := 1
	for _, s := range shape {
		n *= s
	}
	if dt == tensor.Float32 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(make([]float32, n)))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(make([]float64, n)))
}

func nan() float64 { return math.NaN() }

func sqrtF(v float64) float64 { return math.Sqrt(v) }
