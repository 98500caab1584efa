package probe

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// ErrEmpty is returned (wrapped) when there are no samples or no features.
var ErrEmpty = errors.New("probe: empty input")

// rawRows returns x as a row-major blas64.General, copying only when x is not
// a *mat.Dense.
func rawRows(x mat.Matrix) blas64.General {
	if d, ok := x.(*mat.Dense); ok {
		return d.RawMatrix()
	}
	return mat.DenseCopyOf(x).RawMatrix()
}

// checkFeatures returns x as row-major data after checking that it is
// non-empty, finite and, when wantCols > 0, has wantCols columns.
func checkFeatures(x mat.Matrix, wantCols int) (blas64.General, error) {
	if x == nil {
		return blas64.General{}, fmt.Errorf("%w: nil feature matrix", ErrEmpty)
	}
	r, c := x.Dims()
	if r == 0 || c == 0 {
		return blas64.General{}, fmt.Errorf("%w: feature matrix is %d×%d", ErrEmpty, r, c)
	}
	if wantCols > 0 && c != wantCols {
		return blas64.General{}, fmt.Errorf("probe: features have %d columns, the model was fitted on %d", c, wantCols)
	}
	g := rawRows(x)
	for i := range g.Rows {
		row := g.Data[i*g.Stride : i*g.Stride+g.Cols]
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return blas64.General{}, fmt.Errorf("probe: feature row %d, column %d is %v", i, j, v)
			}
		}
	}
	return g, nil
}

// checkSamples checks features as checkFeatures does (any width) and that
// there is one target per row, and returns the row-major features.
func checkSamples(x mat.Matrix, n int) (blas64.General, error) {
	g, err := checkFeatures(x, 0)
	if err != nil {
		return g, err
	}
	return g, checkLabels(g.Rows, n)
}

// checkLabels checks that y has one label per row.
func checkLabels(rows, n int) error {
	if rows != n {
		return fmt.Errorf("probe: %d feature rows but %d targets", rows, n)
	}
	return nil
}

// encodeClasses returns the sorted distinct labels and each sample's index
// into them (scikit-learn's LabelEncoder). It returns an error for fewer than
// two classes, which no classifier here can fit.
func encodeClasses(y []int) (classes, enc []int, err error) {
	classes = slices.Clone(y)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("probe: need samples of at least 2 classes, got only class %d", classes[0])
	}
	enc = make([]int, len(y))
	for i, l := range y {
		enc[i], _ = slices.BinarySearch(classes, l)
	}
	return classes, enc, nil
}

// selectRows copies the given rows of g into a new row-major matrix.
func selectRows(g blas64.General, rows []int) blas64.General {
	out := blas64.General{Rows: len(rows), Cols: g.Cols, Stride: g.Cols, Data: make([]float64, len(rows)*g.Cols)}
	for k, i := range rows {
		copy(out.Data[k*g.Cols:(k+1)*g.Cols], g.Data[i*g.Stride:i*g.Stride+g.Cols])
	}
	return out
}

func denseOf(g blas64.General) *mat.Dense {
	var d mat.Dense
	d.SetRawMatrix(g)
	return &d
}
