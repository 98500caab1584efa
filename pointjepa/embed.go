package pointjepa

import (
	"github.com/nongrid/jepa/datasets"
	"gonum.org/v1/gonum/mat"
)

// Embed returns the features of spec §2.1 for clouds: row i is clouds[i],
// 2·Width columns ([max, mean] over the tokens of the student's final
// LayerNorm output).
func (m *Model) Embed(clouds []datasets.PointCloud) (*mat.Dense, error) {
	return nil, errNotYet
}
