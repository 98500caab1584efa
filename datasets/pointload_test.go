package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDetectPointFormatStaged(t *testing.T) {
	for rel, want := range map[string]PointFormat{
		"pointclouds/modelnet40_npy1024_subset":          PointFormatNpy,
		"pointclouds/modelnet40_normal_resampled_subset": PointFormatModelNetTxt,
		"pointclouds/shapenet55_splits":                  PointFormatShapeNet,
	} {
		f, err := DetectPointFormat(sharedPointData(t, rel))
		require.NoError(t, err, rel)
		assert.Equal(t, want, f, rel)
	}
	f, err := DetectPointFormat("")
	require.NoError(t, err)
	assert.Equal(t, PointFormatSynthetic, f)
}

func TestLoadPointSplits(t *testing.T) {
	root := t.TempDir()
	write := func(rel string, b []byte) {
		p := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	var npy bytes.Buffer
	require.NoError(t, WriteNpy(&npy, []float32{1, 2, 3, 4, 5, 6}, 2, 3))
	write("npy/a/train/a_1.npy", npy.Bytes())
	write("npy/a/val/a_2.npy", npy.Bytes())
	write("npy/b/train/b_1.npy", npy.Bytes())
	write("npy/b/val/b_2.npy", npy.Bytes())

	sets, f, err := LoadPointSplits(filepath.Join(root, "npy"), PointSplitsConfig{Columns: []int{0, 2, 1}})
	require.NoError(t, err)
	assert.Equal(t, PointFormatNpy, f)
	require.Len(t, sets, 2)
	assert.Equal(t, 2, sets["val"].Len())
	assert.Equal(t, 3.0, sets["train"].Clouds[0].Points[0].Y, "columns 0,2,1 put z in y")

	write("off/a/train/a_1.off", []byte("OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n"))
	sets, f, err = LoadPointSplits(filepath.Join(root, "off"), PointSplitsConfig{NumPoints: 10, Normals: true})
	require.NoError(t, err)
	assert.Equal(t, PointFormatOFF, f)
	assert.Len(t, sets["train"].Clouds[0].Normals, 10)

	sets, f, err = LoadPointSplits("", PointSplitsConfig{NumPoints: 32})
	require.NoError(t, err)
	assert.Equal(t, PointFormatSynthetic, f)
	assert.Equal(t, 320, sets["train"].Len())
	assert.Len(t, sets["test"].Clouds[0].Points, 32)

	_, err = DetectPointFormat(filepath.Join(root, "nope"))
	assert.Error(t, err)
	write("empty/readme.md", []byte("x"))
	_, err = DetectPointFormat(filepath.Join(root, "empty"))
	assert.ErrorContains(t, err, "cannot tell the format")
	_, _, err = LoadPointSplits(root, PointSplitsConfig{Format: "ply"})
	assert.ErrorContains(t, err, "unknown point-cloud format")
	_, _, err = LoadPointSplits("", PointSplitsConfig{Format: PointFormatNpy})
	assert.ErrorContains(t, err, "needs a dataset folder")
	_, _, err = LoadPointSplits(filepath.Join(root, "empty"), PointSplitsConfig{Format: PointFormatModelNetTxt})
	assert.ErrorIs(t, err, ErrNotFound)
}
