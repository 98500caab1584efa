package main

import (
	"bytes"
	"encoding/json"
	"github.com/nongrid/jepa/internal/shareddata"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedData returns ../shared/data/<rel> or skips the test.
func sharedData(t *testing.T, rel string) string { return shareddata.Dir(t, rel) }

func runDataJSON(t *testing.T, args ...string) dataSummary {
	t.Helper()
	var out, errOut bytes.Buffer
	require.NoError(t, runData(append(args, "--json"), &out, &errOut), errOut.String())
	var s dataSummary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s), out.String())
	return s
}

func TestDataStagedModelNetNpy(t *testing.T) {
	root := sharedData(t, "pointclouds/modelnet40_npy1024_subset")
	s := runDataJSON(t, "--data", root)
	assert.Equal(t, "npy", s.Format)
	assert.Equal(t, map[string]int{"train": 5099, "test": 2468}, s.Splits)
	assert.Equal(t, 7567, s.Clouds)
	assert.Equal(t, 1024, s.PointsPerCloud)
	assert.Equal(t, 40, s.Classes)
	assert.False(t, s.Normals)
	assert.Equal(t, 100, s.ClassCounts["test"][0], "airplane test shapes")

}

func TestDataStagedModelNetTxt(t *testing.T) {
	root := sharedData(t, "pointclouds/modelnet40_normal_resampled_subset")
	var out, errOut bytes.Buffer
	err := runData([]string{"--data", root, "--json"}, &out, &errOut)
	require.ErrorIs(t, err, datasets.ErrNotFound, "most listed shapes are not staged")

	s := runDataJSON(t, "--data", root, "--skip-missing")
	assert.Equal(t, "modelnet-txt", s.Format)
	assert.Equal(t, map[string]int{"train": 10, "test": 7}, s.Splits)
	assert.Equal(t, map[string]int{"train": 9833, "test": 2461}, s.Skipped)
	assert.Equal(t, 10000, s.PointsPerCloud)
	assert.True(t, s.Normals)
	assert.Equal(t, 40, s.Classes)

	// The format named explicitly, and the readable table.
	out.Reset()
	require.NoError(t, runData([]string{"--data", root, "--format", "modelnet-txt", "--skip-missing"}, &out, &out))
	assert.Contains(t, out.String(), "clouds   17 (train 10, test 7)")
	assert.Contains(t, out.String(), "points   10000 per cloud")
	assert.Contains(t, out.String(), "skipped  9833 train shapes listed but missing")
	assert.Regexp(t, `(?m)^airplane\s+1\s+1$`, out.String())
	assert.Regexp(t, `(?m)^bathtub\s+1\s+0$`, out.String())
}

func TestDataSynthetic(t *testing.T) {
	s := runDataJSON(t)
	assert.Equal(t, "synthetic", s.Format)
	assert.Equal(t, map[string]int{"train": 320, "test": 80}, s.Splits)
	assert.Equal(t, 400, s.Clouds)
	assert.Equal(t, 1024, s.PointsPerCloud)
	assert.Equal(t, 8, s.Classes)

	s = runDataJSON(t, "--format", "synthetic", "--points", "256")
	assert.Equal(t, 256, s.PointsPerCloud)
}

func TestDataFixtures(t *testing.T) {
	root := t.TempDir()
	write := func(rel string, b []byte) {
		p := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	var npy bytes.Buffer
	require.NoError(t, datasets.WriteNpy(&npy, make([]float32, 8*3), 8, 3))
	write("sn/ShapeNet-55/train.txt", []byte("02691156-a.npy\n02691156-b.npy\n"))
	write("sn/ShapeNet-55/test.txt", []byte("03001627-c.npy\n"))
	for _, id := range []string{"02691156-a", "02691156-b", "03001627-c"} {
		write("sn/shapenet_pc/"+id+".npy", npy.Bytes())
	}
	s := runDataJSON(t, "--data", filepath.Join(root, "sn"))
	assert.Equal(t, "shapenet", s.Format)
	assert.Equal(t, map[string]int{"train": 2, "test": 1}, s.Splits)
	assert.Equal(t, []string{"02691156", "03001627"}, s.ClassNames)

	off := []byte("OFF\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n")
	write("mn/chair/train/chair_0001.off", off)
	write("mn/chair/test/chair_0002.off", off)
	write("mn/desk/train/desk_0001.off", off)
	write("mn/desk/test/desk_0002.off", off)
	s = runDataJSON(t, "--data", filepath.Join(root, "mn"), "--points", "50")
	assert.Equal(t, "off", s.Format)
	assert.Equal(t, map[string]int{"train": 2, "test": 2}, s.Splits)
	assert.Equal(t, 50, s.PointsPerCloud)
}

func TestDataErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	assert.ErrorContains(t, runData([]string{"--data", dir}, &out, &errOut), "cannot tell the format")
	assert.Error(t, runData([]string{"--data", filepath.Join(dir, "nope")}, &out, &errOut))
	assert.ErrorContains(t, runData([]string{"--data", dir, "--format", "ply"}, &out, &errOut), "unknown --format")
	assert.ErrorContains(t, runData([]string{"--format", "npy"}, &out, &errOut), "needs --data")
	assert.Error(t, runData([]string{"--bogus"}, &out, &errOut))

	// A malformed file is reported with its path and field.
	p := filepath.Join(dir, "a", "train", "a_1.npy")
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte("\x93NUMPY\x01\x00\x10\x00{'descr': '<i4'}"), 0o644))
	err := runData([]string{"--data", dir}, &out, &errOut)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), p), err.Error())

	// Through the dispatcher: exit code 1 and the message on stderr.
	errOut.Reset()
	assert.Equal(t, 1, run([]string{"data", "--data", dir}, &out, &errOut))
	assert.Contains(t, errOut.String(), "pointjepa data: ")
}
