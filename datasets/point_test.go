package datasets

import (
	"github.com/nongrid/jepa/internal/shareddata"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedPointData returns ../shared/data/<rel> or skips the test.
func sharedPointData(t testing.TB, rel string) string { return shareddata.Dir(t, rel) }

func TestPointCloudValidate(t *testing.T) {
	c := PointCloud{Points: []r3.Vector{{X: 1}, {Y: 2}}, Path: "a.txt"}
	require.NoError(t, c.Validate())

	bad := c.Clone()
	bad.Points[1].Z = nanF64()
	err := bad.Validate()
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "a.txt", pe.File)
	assert.Equal(t, "point[1]", pe.Field)
	assert.Equal(t, 0.0, c.Points[1].Z, "Clone must deep-copy")

	bad = c.Clone()
	bad.Normals = []r3.Vector{{X: 1}}
	require.ErrorAs(t, bad.Validate(), &pe)
	assert.Equal(t, "normals", pe.Field)

	require.Error(t, (&PointCloud{ID: "empty"}).Validate())
}

func TestPointSetStats(t *testing.T) {
	s := PointSet{ClassNames: []string{"a", "b"}, Clouds: []PointCloud{
		{Points: make([]r3.Vector, 3), Label: 1},
		{Points: make([]r3.Vector, 5), Label: 1},
		{Points: make([]r3.Vector, 4), Label: 0},
		{Points: make([]r3.Vector, 4), Label: -1},
	}}
	lo, hi := s.PointsPerCloud()
	assert.Equal(t, 3, lo)
	assert.Equal(t, 5, hi)
	assert.Equal(t, []int{1, 2}, s.ClassCounts())
	assert.Equal(t, 4, s.Len())
}
