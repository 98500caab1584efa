package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseModelNetTxt(t *testing.T) {
	pts, nrm, err := ParseModelNetTxt(strings.NewReader("1,2,3,0,0,1\n -0.5 , 0.25,1e-3,1,0,0\r\n\n"), "a.txt")
	require.NoError(t, err)
	assert.Equal(t, []r3.Vector{{X: 1, Y: 2, Z: 3}, {X: -0.5, Y: 0.25, Z: 1e-3}}, pts)
	assert.Equal(t, []r3.Vector{{Z: 1}, {X: 1}}, nrm)

	pts, nrm, err = ParseModelNetTxt(strings.NewReader("1,2,3\n4,5,6"), "b.txt")
	require.NoError(t, err)
	assert.Len(t, pts, 2)
	assert.Nil(t, nrm)
}

func TestParseModelNetTxtErrors(t *testing.T) {
	cases := []struct {
		name, in, field string
		line            int
	}{
		{"five fields", "1,2,3,4,5\n", "", 1},
		{"seven fields", "1,2,3,4,5,6,7\n", "", 1},
		{"field count changes", "1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3\n", "", 3},
		{"not a number", "1,2,3\n1,x,3\n", "column 2", 2},
		{"nan", "1,2,3,0,0,1\n\n1,2,nan,0,0,1\n", "column 3", 3},
		{"inf", "1,2,inf\n", "column 3", 1},
		{"empty field", "1,,3\n", "column 2", 1},
		{"trailing comma", "1,2,3,\n", "column 4", 1},
		{"empty", "\n\n", "", 0},
		{"spaces only", "1 2 3\n", "column 1", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseModelNetTxt(strings.NewReader(c.in), "bad.txt")
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "bad.txt", pe.File)
			assert.Equal(t, c.line, pe.Line, "%v", err)
			assert.Equal(t, c.field, pe.Field, "%v", err)
		})
	}
}

func TestLoadModelNetTxtStaged(t *testing.T) {
	root := sharedPointData(t, "pointclouds/modelnet40_normal_resampled_subset")

	// The staged folder holds 17 of the 12,311 shapes: by default that is an error.
	_, err := LoadModelNetTxt(root, "test", ModelNetTxtConfig{})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "2461 of the 2468 shapes listed")
	assert.Contains(t, err.Error(), "modelnet40_test.txt")

	// subset_manifest.csv: 10 train and 7 test shapes.
	train, err := LoadModelNetTxt(root, "train", ModelNetTxtConfig{SkipMissing: true, Normals: true})
	require.NoError(t, err)
	assert.Equal(t, 10, train.Len())
	assert.Len(t, train.Skipped, 9843-10)
	test, err := LoadModelNetTxt(root, "test", ModelNetTxtConfig{SkipMissing: true, NumPoints: 1024})
	require.NoError(t, err)
	assert.Equal(t, 7, test.Len())
	assert.Len(t, test.Skipped, 2468-7)
	require.Len(t, train.ClassNames, 40)
	assert.Equal(t, "airplane", train.ClassNames[0])

	c := train.Clouds[0]
	assert.Equal(t, "airplane_0126", c.ID)
	assert.Equal(t, 0, c.Label)
	require.Len(t, c.Points, 10000)
	require.Len(t, c.Normals, 10000)
	// First line of airplane_0126.txt: -0.068510,-0.087520,0.187900,-0.639100,0.768900,0.020190
	assert.Equal(t, r3.Vector{X: -0.068510, Y: -0.087520, Z: 0.187900}, c.Points[0])
	assert.Equal(t, r3.Vector{X: -0.639100, Y: 0.768900, Z: 0.020190}, c.Normals[0])
	for _, n := range c.Normals {
		assert.InDelta(t, 1, n.Norm(), 2e-3)
	}
	labels := map[string]int{}
	for _, c := range test.Clouds {
		assert.Len(t, c.Points, 1024)
		assert.Nil(t, c.Normals)
		labels[c.ID] = c.Label
	}
	assert.Equal(t, 35, labels["toilet_0409"], "toilet is class 35 of modelnet40_shape_names.txt")

	ten, err := LoadModelNetTxt(root, "test", ModelNetTxtConfig{Classes: 10, SkipMissing: true})
	require.NoError(t, err)
	assert.Len(t, ten.ClassNames, 10)
}

func TestLoadModelNetTxtErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	}
	_, err := LoadModelNetTxt(dir, "train", ModelNetTxtConfig{})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "modelnet40_shape_names.txt")

	write("modelnet40_shape_names.txt", "chair\nnight_stand\n")
	write("modelnet40_train.txt", "chair_0001\nnight_stand_0002\n")
	write("chair/chair_0001.txt", "0,0,0,0,0,1\n1,1,1,0,1,0\n")
	write("night_stand/night_stand_0002.txt", "0,0,0,0,0,1\n1,1,1,0,1\n")
	_, err = LoadModelNetTxt(dir, "train", ModelNetTxtConfig{})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, filepath.Join(dir, "night_stand", "night_stand_0002.txt"), pe.File)
	assert.Equal(t, 2, pe.Line)

	write("night_stand/night_stand_0002.txt", "0,0,0,0,0,1\n1,1,1,0,1,0\n")
	set, err := LoadModelNetTxt(dir, "train", ModelNetTxtConfig{})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, []int{set.Clouds[0].Label, set.Clouds[1].Label})

	_, err = LoadModelNetTxt(dir, "train", ModelNetTxtConfig{NumPoints: 3})
	require.ErrorContains(t, err, "NumPoints")

	write("modelnet40_train.txt", "chair_0001\nsofa_0001\n")
	_, err = LoadModelNetTxt(dir, "train", ModelNetTxtConfig{})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Line)
	assert.Contains(t, err.Error(), `class "sofa"`)

	write("modelnet40_train.txt", "chair_0001\nchair\n")
	_, err = LoadModelNetTxt(dir, "train", ModelNetTxtConfig{})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Line)
}
