package probe

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
)

// Scaler standardises features to zero mean and unit variance per column, as
// scikit-learn's StandardScaler does: the standard deviation is the
// population one (divisor n), and a column with zero variance is only
// centred (its scale is 1).
type Scaler struct {
	Mean  []float64 // per column
	Scale []float64 // per column, never zero
}

// fitScaler computes the column means and scales of g.
func fitScaler(g blas64.General) *Scaler {
	s := &Scaler{Mean: make([]float64, g.Cols), Scale: make([]float64, g.Cols)}
	n := float64(g.Rows)
	for i := range g.Rows {
		row := g.Data[i*g.Stride : i*g.Stride+g.Cols]
		for j, v := range row {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= n
	}
	for i := range g.Rows {
		row := g.Data[i*g.Stride : i*g.Stride+g.Cols]
		for j, v := range row {
			d := v - s.Mean[j]
			s.Scale[j] += d * d
		}
	}
	for j, v := range s.Scale {
		sd := math.Sqrt(v / n)
		if sd == 0 || math.IsNaN(sd) {
			sd = 1
		}
		s.Scale[j] = sd
	}
	return s
}

// transform returns a standardised copy of g.
func (s *Scaler) transform(g blas64.General) blas64.General {
	out := blas64.General{Rows: g.Rows, Cols: g.Cols, Stride: g.Cols, Data: make([]float64, g.Rows*g.Cols)}
	for i := range g.Rows {
		src := g.Data[i*g.Stride : i*g.Stride+g.Cols]
		dst := out.Data[i*g.Cols : (i+1)*g.Cols]
		for j, v := range src {
			dst[j] = (v - s.Mean[j]) / s.Scale[j]
		}
	}
	return out
}
