package datasets

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readOFFFixture(t *testing.T, name string) *TriMesh {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "points", name))
	require.NoError(t, err)
	defer f.Close()
	m, err := ParseOFF(f, name)
	require.NoError(t, err)
	return m
}

func TestParseOFF(t *testing.T) {
	cube := readOFFFixture(t, "cube.off")
	assert.Len(t, cube.Vertices, 8)
	require.Len(t, cube.Triangles, 12, "6 quads → 12 triangles")
	assert.Equal(t, [3]int{0, 3, 2}, cube.Triangles[0])
	assert.Equal(t, [3]int{0, 2, 1}, cube.Triangles[1])

	// ModelNet's "OFF<count>" variant.
	tet := readOFFFixture(t, "tetra_glued.off")
	assert.Len(t, tet.Vertices, 4)
	assert.Len(t, tet.Triangles, 4)
	assert.Equal(t, r3.Vector{X: 2}, tet.Vertices[1])

	// Counts on the keyword line after a blank, colours, comments.
	m, err := ParseOFF(strings.NewReader("OFF 3 1 0\n0 0 0 255 0 0\n1 0 0\n\n0 1 0 # corner\n3 0 1 2 0.5 0.5 0.5\n"), "c.off")
	require.NoError(t, err)
	assert.Len(t, m.Triangles, 1)
}

func TestParseOFFErrors(t *testing.T) {
	cases := []struct {
		name, in, field string
		line            int
	}{
		{"empty", "", "", 0},
		{"not off", "PLY\n3 1 0\n", "", 1},
		{"coff", "COFF\n", "", 1},
		{"counts missing", "OFF\n", "", 1},
		{"bad count", "OFF\nx 1 0\n", "vertex count", 2},
		{"negative faces", "OFF\n3 -1 0\n", "face count", 2},
		{"huge count", "OFF\n999999999999 1 0\n", "vertex count", 2},
		{"one count", "OFF\n3\n", "", 2},
		{"no vertices", "OFF\n0 0 0\n", "vertex count", 2},
		{"too few vertex lines", "OFF\n3 1 0\n0 0 0\n1 0 0\n", "", 4},
		{"vertex short", "OFF\n3 1 0\n0 0\n", "", 3},
		{"vertex nan", "OFF\n3 1 0\n0 0 0\n1 nan 0\n0 1 0\n3 0 1 2\n", "column 2", 4},
		{"index out of range", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n", "index 3", 6},
		{"negative index", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 -1 2\n", "index 2", 6},
		{"degenerate polygon", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n2 0 1\n", "column 1", 6},
		{"face short", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n4 0 1 2\n", "", 6},
		{"missing face", "OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n", "", 6},
		{"trailing data", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 1 2\n", "", 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseOFF(strings.NewReader(c.in), "bad.off")
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "bad.off", pe.File)
			assert.Equal(t, c.line, pe.Line, "%v", err)
			assert.Equal(t, c.field, pe.Field, "%v", err)
		})
	}
}

func TestSamplePointsCube(t *testing.T) {
	cube := readOFFFixture(t, "cube.off")
	c, err := cube.SamplePoints(6000, rand.New(rand.NewPCG(1, 2)), true)
	require.NoError(t, err)
	require.Len(t, c.Points, 6000)
	perFace := map[string]int{}
	center := r3.Vector{X: 0.5, Y: 0.5, Z: 0.5}
	for i, p := range c.Points {
		onFace := ""
		for a, v := range []float64{p.X, p.Y, p.Z} {
			require.True(t, v >= -1e-12 && v <= 1+1e-12)
			if math.Abs(v) < 1e-12 || math.Abs(v-1) < 1e-12 {
				onFace = string(rune('x'+a)) + map[bool]string{true: "1", false: "0"}[v > 0.5]
			}
		}
		require.NotEmpty(t, onFace, "point %v is not on the surface", p)
		perFace[onFace]++
		n := c.Normals[i]
		assert.InDelta(t, 1, n.Norm(), 1e-12)
		assert.Greater(t, n.Dot(p.Sub(center)), 0.0, "normal points outwards")
	}
	// Six faces of equal area: 1000 each in expectation (binomial σ ≈ 29).
	require.Len(t, perFace, 6)
	for f, n := range perFace {
		assert.InDelta(t, 1000, n, 120, f)
	}

	again, err := cube.SamplePoints(6000, rand.New(rand.NewPCG(1, 2)), false)
	require.NoError(t, err)
	assert.Equal(t, c.Points, again.Points, "same seed, same cloud")
	assert.Nil(t, again.Normals)
}

func TestSamplePointsAreaWeighted(t *testing.T) {
	// Two disjoint triangles with areas 1.5 and 0.5: 75% / 25% of the points.
	m := &TriMesh{
		Vertices:  []r3.Vector{{}, {X: 1}, {Y: 3}, {Z: 10}, {X: 1, Z: 10}, {Y: 1, Z: 10}},
		Triangles: [][3]int{{0, 1, 2}, {3, 4, 5}, {0, 0, 1}}, // the last one has zero area
	}
	c, err := m.SamplePoints(20000, rand.New(rand.NewPCG(3, 4)), false)
	require.NoError(t, err)
	low := 0
	for _, p := range c.Points {
		if p.Z == 0 {
			low++
		}
	}
	assert.InDelta(t, 0.75, float64(low)/20000, 0.01)

	_, err = (&TriMesh{Vertices: m.Vertices, Triangles: [][3]int{{0, 0, 1}}}).SamplePoints(10, rand.New(rand.NewPCG(1, 1)), false)
	require.ErrorContains(t, err, "zero surface area")
	_, err = (&TriMesh{Vertices: m.Vertices}).SamplePoints(10, rand.New(rand.NewPCG(1, 1)), false)
	require.Error(t, err)
	_, err = m.SamplePoints(0, rand.New(rand.NewPCG(1, 1)), false)
	require.Error(t, err)
}

func TestLoadModelNetOFF(t *testing.T) {
	dir := t.TempDir()
	cp := func(src, dst string) {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "points", src))
		require.NoError(t, err)
		p := filepath.Join(dir, dst)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	cp("cube.off", "box/train/box_0001.off")
	cp("cube.off", "box/train/box_0002.off")
	cp("tetra_glued.off", "tetra/train/tetra_0001.off")
	cp("tetra_glued.off", "tetra/test/tetra_0002.off")

	set, err := LoadModelNetOFF(dir, "train", ModelNetOFFConfig{NumPoints: 100, Seed: 7})
	require.NoError(t, err)
	assert.Equal(t, []string{"box", "tetra"}, set.ClassNames)
	require.Equal(t, 3, set.Len())
	assert.Equal(t, "box_0002", set.Clouds[1].ID)
	assert.Equal(t, 1, set.Clouds[2].Label)
	assert.Len(t, set.Clouds[0].Points, 100)
	assert.NotEqual(t, set.Clouds[0].Points, set.Clouds[1].Points, "each mesh gets its own stream")

	one, err := LoadModelNetOFF(dir, "train", ModelNetOFFConfig{NumPoints: 100, Seed: 7, Workers: 1})
	require.NoError(t, err)
	assert.Equal(t, set.Clouds, one.Clouds)

	def, err := LoadModelNetOFF(dir, "train", ModelNetOFFConfig{})
	require.NoError(t, err)
	assert.Len(t, def.Clouds[0].Points, 1024)

	_, err = LoadModelNetOFF(dir, "test", ModelNetOFFConfig{})
	require.ErrorIs(t, err, ErrNotFound, "box has no test folder")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "box", "train", "box_0003.off"), []byte("OFF\n3 1 0\n0 0 0\n"), 0o644))
	_, err = LoadModelNetOFF(dir, "train", ModelNetOFFConfig{})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, filepath.Join(dir, "box", "train", "box_0003.off"), pe.File)
}

func TestSamplePointsHugeCoordinates(t *testing.T) {
	// Area 5e399 overflows to +Inf (this used to index past the last triangle).
	for _, off := range []string{
		"OFF\n3 1 0\n0 0 0\n1e200 0 0\n0 1e200 0\n3 0 1 2\n",
		"OFF\n3 1 0\n-1e308 0 0\n1e308 0 0\n0 1e308 0\n3 0 1 2\n", // NaN area
	} {
		m, err := ParseOFF(strings.NewReader(off), "huge.off")
		require.NoError(t, err)
		_, err = m.SamplePoints(4, rand.New(rand.NewPCG(1, 1)), false)
		require.ErrorContains(t, err, "overflows")
	}
}
