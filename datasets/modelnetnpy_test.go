package datasets

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadModelNetNpyStaged(t *testing.T) {
	root := sharedPointData(t, "pointclouds/modelnet40_npy1024_subset")
	train, err := LoadModelNetNpy(root, "train", ModelNetNpyConfig{})
	require.NoError(t, err)
	test, err := LoadModelNetNpy(root, "test", ModelNetNpyConfig{})
	require.NoError(t, err)

	// Counts from the staging README: 5,099 train, 2,468 test, 40 classes.
	assert.Equal(t, 5099, train.Len())
	assert.Equal(t, 2468, test.Len())
	require.Len(t, train.ClassNames, 40)
	assert.Equal(t, "airplane", train.ClassNames[0])
	assert.Equal(t, "xbox", train.ClassNames[39])
	assert.Equal(t, train.ClassNames, test.ClassNames)
	lo, hi := train.PointsPerCloud()
	assert.Equal(t, 1024, lo)
	assert.Equal(t, 1024, hi)

	// README: train 64-140 per class, test 20-100 per class.
	for i, n := range train.ClassCounts() {
		assert.True(t, n >= 64 && n <= 140, "%s: %d train", train.ClassNames[i], n)
	}
	testCounts := test.ClassCounts()
	assert.Equal(t, 100, testCounts[0], "airplane test")
	for _, n := range testCounts {
		assert.True(t, n >= 20 && n <= 100)
	}
	c := test.Clouds[0]
	assert.Equal(t, "airplane_0627", c.ID)
	assert.Equal(t, 0, c.Label)
	assert.Equal(t, filepath.Join(root, "airplane", "test", "airplane_0627.npy"), c.Path)

	// The worker count does not change the result.
	one, err := LoadModelNetNpy(root, "test", ModelNetNpyConfig{Workers: 1})
	require.NoError(t, err)
	assert.Equal(t, test.Clouds[100], one.Clouds[100])
	assert.Equal(t, test.Clouds[2467], one.Clouds[2467])
}

func TestLoadModelNetNpyErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadModelNetNpy(filepath.Join(dir, "nope"), "train", ModelNetNpyConfig{})
	assert.ErrorIs(t, err, ErrNotFound)

	write := func(rel string, data []float32, shape ...int) {
		p := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		var b bytes.Buffer
		require.NoError(t, WriteNpy(&b, data, shape...))
		require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
	}
	write("a/train/a_1.npy", make([]float32, 12), 4, 3)
	write("b/train/b_1.npy", make([]float32, 12), 4, 3)
	write("b/train/b_2.npy", make([]float32, 12), 6, 2) // wrong shape
	_, err = LoadModelNetNpy(dir, "train", ModelNetNpyConfig{})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, filepath.Join(dir, "b", "train", "b_2.npy"), pe.File)
	assert.Equal(t, "shape", pe.Field)

	_, err = LoadModelNetNpy(dir, "test", ModelNetNpyConfig{})
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), filepath.Join(dir, "a", "test"))

	require.NoError(t, os.Remove(filepath.Join(dir, "b", "train", "b_2.npy")))
	set, err := LoadModelNetNpy(dir, "train", ModelNetNpyConfig{})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, set.ClassNames)
	assert.Equal(t, 1, set.Clouds[1].Label)
}

// BenchmarkLoadModelNetNpy loads all 7,567 staged ModelNet40 npy files
// (both splits) per iteration.
func BenchmarkLoadModelNetNpy(b *testing.B) {
	root := sharedPointData(b, "pointclouds/modelnet40_npy1024_subset")
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			for b.Loop() {
				n := 0
				for _, split := range []string{"train", "test"} {
					s, err := LoadModelNetNpy(root, split, ModelNetNpyConfig{Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
					n += s.Len()
				}
				if n != 7567 {
					b.Fatalf("%d clouds", n)
				}
			}
		})
	}
}

// The npy export is Z-up while PointNet++'s txt files are Y-up
// (staging README): with Columns {0, 2, 1} the npy clouds of the 7 staged
// test shapes lie on the txt surfaces, without the swap they do not. This
// checks the column selection against real data.
func TestModelNetNpyAxesMatchTxt(t *testing.T) {
	npyRoot := sharedPointData(t, "pointclouds/modelnet40_npy1024_subset")
	txt, err := LoadModelNetTxt(sharedPointData(t, "pointclouds/modelnet40_normal_resampled_subset"), "test", ModelNetTxtConfig{SkipMissing: true})
	require.NoError(t, err)
	require.Equal(t, 7, txt.Len())
	norm := Compose(Center{}, UnitSphere{})
	meanNN := func(a, b []r3.Vector) float64 {
		s := 0.0
		for _, p := range a {
			best := math.Inf(1)
			for _, q := range b {
				best = math.Min(best, p.Sub(q).Norm2())
			}
			s += math.Sqrt(best)
		}
		return s / float64(len(a))
	}
	for _, ref := range txt.Clouds {
		require.NoError(t, norm.TransformCloud(&ref, nil))
		path := filepath.Join(npyRoot, txt.ClassNames[ref.Label], "test", ref.ID+".npy")
		swapped, err := ReadNpyCloud(path, NpyConfig{Columns: []int{0, 2, 1}})
		require.NoError(t, err)
		plain, err := ReadNpyCloud(path, NpyConfig{})
		require.NoError(t, err)
		require.NoError(t, norm.TransformCloud(&swapped, nil))
		require.NoError(t, norm.TransformCloud(&plain, nil))
		ds, dp := meanNN(swapped.Points, ref.Points), meanNN(plain.Points, ref.Points)
		t.Logf("%s: mean NN distance %.3f with y/z swapped, %.3f without", ref.ID, ds, dp)
		assert.Less(t, ds, 0.12, ref.ID)
		assert.Less(t, ds, 0.6*dp, ref.ID)
	}
}
