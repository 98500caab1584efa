package pointjepa

import (
	"fmt"

	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// addRow returns x [R, C] + r [C] (r added to every row), with the output and
// r's gradient (the column sums) preallocated by the graph; gorgonia's
// BroadcastAdd materialises the repeated r and a new output on every run.
func addRow(x, r *G.Node) (*G.Node, error) {
	xs, rs := x.Shape(), r.Shape()
	if xs.Dims() != 2 || !rs.Eq(tensor.Shape{xs[1]}) {
		return nil, fmt.Errorf("pointjepa: addRow: shapes %v and %v, want [R, C] and [C]", xs, rs)
	}
	R, C := xs[0], xs[1]
	return nn.ApplyCustomOp(nn.CustomOp{
		Name:     "add_row",
		OutShape: tensor.Shape{R, C},
		DiffWRT:  []bool{true, true},
		Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
			switch d := out.Data().(type) {
			case []float32:
				addRows(d, in[0].Data().([]float32), in[1].Data().([]float32), C)
			case []float64:
				addRows(d, in[0].Data().([]float64), in[1].Data().([]float64), C)
			}
			return nil
		},
		Backward: func(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
			dr, err := nn.ApplyCustomOp(nn.CustomOp{
				Name:     "add_row_grad",
				OutShape: tensor.Shape{C},
				Forward: func(out *tensor.Dense, in []*tensor.Dense) error {
					switch d := out.Data().(type) {
					case []float32:
						sumRows(d, in[0].Data().([]float32), C)
					case []float64:
						sumRows(d, in[0].Data().([]float64), C)
					}
					return nil
				},
			}, grad)
			if err != nil {
				return nil, err
			}
			return G.Nodes{grad, dr}, nil
		},
	}, x, r)
}

// addRows sets y = x + r for every row of x (rows of width C).
func addRows[T float32 | float64](y, x, r []T, C int) {
	for i := 0; i < len(x); i += C {
		yr, xr := y[i:i+C], x[i:i+C]
		for j, v := range r {
			yr[j] = xr[j] + v
		}
	}
}

// sumRows sets s to the sum of the rows of dy (width C).
func sumRows[T float32 | float64](s, dy []T, C int) {
	clear(s)
	for i := 0; i < len(dy); i += C {
		for j, v := range dy[i : i+C] {
			s[j] += v
		}
	}
}
