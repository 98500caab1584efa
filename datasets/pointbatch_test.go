package datasets

import (
	"math"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func nanF64() float64 { return math.NaN() }

func TestCollate(t *testing.T) {
	clouds := []PointCloud{
		{Points: []r3.Vector{{X: 1, Y: 2, Z: 3}, {X: 4, Y: 5, Z: 6}}, Label: 7},
		{Points: []r3.Vector{{X: -1, Y: -2, Z: -3}, {X: 0.5, Y: 0.25, Z: 0.125}}, Label: 2},
	}
	b, err := Collate(nil, clouds)
	require.NoError(t, err)
	assert.Equal(t, 2, b.B)
	assert.Equal(t, 2, b.P)
	assert.Equal(t, []float32{1, 2, 3, 4, 5, 6, -1, -2, -3, 0.5, 0.25, 0.125}, b.Points)
	assert.Equal(t, []int{7, 2}, b.Labels)
	assert.Equal(t, []float32{-1, -2, -3, 0.5, 0.25, 0.125}, b.Cloud(1))

	// Buffers are reused for a batch that is not larger.
	p0 := &b.Points[0]
	b2, err := Collate(b, clouds[:1])
	require.NoError(t, err)
	assert.Same(t, b, b2)
	assert.Same(t, p0, &b2.Points[0])
	assert.Equal(t, 1, b2.B)
	assert.Len(t, b2.Points, 6)
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { _, _ = Collate(b, clouds) }))
}

func TestCollateErrors(t *testing.T) {
	_, err := Collate(nil, nil)
	require.Error(t, err)

	clouds := []PointCloud{
		{Points: make([]r3.Vector, 3), ID: "a"},
		{Points: make([]r3.Vector, 2), ID: "b"},
	}
	_, err = Collate(nil, clouds)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "b", pe.File)
	assert.Contains(t, err.Error(), "2 points")

	clouds[1].Points = make([]r3.Vector, 3)
	clouds[1].Points[2].Y = 1e300 // overflows float32
	_, err = Collate(nil, clouds)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "point[2]", pe.Field)

	clouds[1].Points[2].Y = math.Inf(-1)
	_, err = Collate(nil, clouds)
	require.ErrorAs(t, err, &pe)
}
