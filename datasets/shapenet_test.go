package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadShapeNet55StagedSplits(t *testing.T) {
	root := sharedPointData(t, "pointclouds/shapenet55_splits")
	// No point data is staged: every listed shape is missing.
	_, err := LoadShapeNet55(root, "train", ShapeNetConfig{PointDir: t.TempDir()})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "41952 of the 41952 shapes listed")

	// With a few generated clouds present, the rest is skipped; labels
	// come from the 55 synsets of both lists.
	pc := t.TempDir()
	for _, id := range []string{"02828884-3d2ee152db78b312e5a8eba5f6050bab", "03001627-d3a38afe0a0341cefebad4f49b26ec52"} {
		var b bytes.Buffer
		require.NoError(t, WriteNpy(&b, make([]float32, 8192*3), 8192, 3))
		require.NoError(t, os.WriteFile(filepath.Join(pc, id+".npy"), b.Bytes(), 0o644))
	}
	set, err := LoadShapeNet55(root, "train", ShapeNetConfig{PointDir: pc, SkipMissing: true})
	require.NoError(t, err)
	require.Len(t, set.ClassNames, 55)
	assert.Equal(t, "02691156", set.ClassNames[0]) // airplane
	require.Equal(t, 2, set.Len())
	assert.Len(t, set.Skipped, 41950)
	assert.Equal(t, "02828884-3d2ee152db78b312e5a8eba5f6050bab", set.Clouds[0].ID)
	assert.Equal(t, "02828884", set.ClassNames[set.Clouds[0].Label])
	assert.Equal(t, "03001627", set.ClassNames[set.Clouds[1].Label])
	assert.Len(t, set.Clouds[1].Points, 8192)
}

func TestLoadShapeNet55Fixture(t *testing.T) {
	root := t.TempDir()
	write := func(rel string, b []byte) {
		p := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	npy := func(n int) []byte {
		var b bytes.Buffer
		data := make([]float32, 3*n)
		for i := range data {
			data[i] = float32(i)
		}
		require.NoError(t, WriteNpy(&b, data, n, 3))
		return b.Bytes()
	}
	write("ShapeNet-55/train.txt", []byte("03001627-aaa.npy\n02691156-bbb.npy\n04379243-.npy\n"))
	write("ShapeNet-55/test.txt", []byte("04379243-ccc.npy\n"))
	write("shapenet_pc/03001627-aaa.npy", npy(16))
	write("shapenet_pc/02691156-bbb.npy", npy(16))
	write("shapenet_pc/04379243-ccc.npy", npy(8))
	write("shapenet_pc/04379243-.npy", npy(8)) // the official list has two such ids

	train, err := LoadShapeNet55(root, "train", ShapeNetConfig{})
	require.NoError(t, err)
	assert.Equal(t, []string{"02691156", "03001627", "04379243"}, train.ClassNames)
	assert.Equal(t, []int{1, 0, 2}, []int{train.Clouds[0].Label, train.Clouds[1].Label, train.Clouds[2].Label})
	assert.Equal(t, "04379243-", train.Clouds[2].ID)
	assert.Equal(t, 5.0, train.Clouds[0].Points[1].Z)
	test, err := LoadShapeNet55(root, "test", ShapeNetConfig{})
	require.NoError(t, err)
	assert.Equal(t, 2, test.Clouds[0].Label)
	assert.Empty(t, test.Skipped)

	write("ShapeNet-55/test.txt", []byte("04379243-ccc.npy\nchair.npy\n"))
	_, err = LoadShapeNet55(root, "test", ShapeNetConfig{})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Line)
	assert.Equal(t, filepath.Join(root, "ShapeNet-55", "test.txt"), pe.File)

	write("ShapeNet-55/test.txt", []byte("04379243-ccc.npy\n"))
	write("shapenet_pc/04379243-ccc.npy", []byte("not npy"))
	_, err = LoadShapeNet55(root, "test", ShapeNetConfig{})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "magic", pe.Field)

	_, err = LoadShapeNet55(root, "val", ShapeNetConfig{})
	require.ErrorIs(t, err, ErrNotFound)
}
