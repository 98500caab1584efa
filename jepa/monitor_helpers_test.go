package jepa

import "gonum.org/v1/gonum/mat"

type matrix = mat.Matrix

// toyEmbeddings returns the target-encoder embeddings (48×6) of the toy
// data set, computed from the current parameters.
func toyEmbeddings(m *toyJEPA) *mat.Dense {
	x := mat.NewDense(m.n, m.d, append([]float64(nil), m.data...))
	w := mat.NewDense(m.h, m.d, append([]float64(nil), m.tgt.Weight.Float64s()...))
	var z mat.Dense
	z.Mul(x, w.T())
	b := m.tgt.Bias.Float64s()
	for i := 0; i < m.n; i++ {
		for j := 0; j < m.h; j++ {
			z.Set(i, j, z.At(i, j)+b[j])
		}
	}
	return &z
}
