package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomCloudFiles returns n points of a random cloud in each of the
// point formats (not meshes), keyed by extension.
func randomCloudFiles(t testing.TB, seed uint64, n int) (map[string][]byte, []r3.Vector) {
	rng := rand.New(rand.NewPCG(seed, 0))
	pts := make([]r3.Vector, n)
	for i := range pts {
		// float32-exact values so every format round-trips exactly.
		pts[i] = r3.Vector{X: float64(float32(rng.NormFloat64())), Y: float64(float32(rng.NormFloat64())), Z: float64(float32(rng.NormFloat64()))}
	}
	var npy bytes.Buffer
	flat := make([]float32, 0, 3*n)
	for _, p := range pts {
		flat = append(flat, float32(p.X), float32(p.Y), float32(p.Z))
	}
	require.NoError(t, WriteNpy(&npy, flat, n, 3))
	return map[string][]byte{
		".npy": npy.Bytes(),
		".ply": plySpec{format: "binary_little_endian", xyzType: "float", pts: pts}.bytes(),
		".pcd": pcdSpec{data: "binary", pts: pts}.bytes(),
		".xyz": xyzBytes(pts, nil, " "),
		".txt": xyzBytes(pts, nil, ","),
	}, pts
}

func TestLoadCloudFolderLayouts(t *testing.T) {
	files, pts := randomCloudFiles(t, 1, 40)
	off := []byte("OFF\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n")
	type want struct {
		splits  []string
		classes []string
		labels  map[string][]int // by split
		ids     map[string][]string
	}
	for _, c := range []struct {
		name  string
		files map[string][]byte
		want  want
	}{
		{"flat", map[string][]byte{"b.ply": files[".ply"], "a.npy": files[".npy"], "c.PCD": files[".pcd"], "README.md": []byte("x"), ".hidden.xyz": []byte("junk")},
			want{[]string{"all"}, nil, map[string][]int{"all": {-1, -1, -1}}, map[string][]string{"all": {"a", "b", "c"}}}},
		{"classes", map[string][]byte{"chair/1.xyz": files[".xyz"], "chair/2.txt": files[".txt"], "bed/x.pcd": files[".pcd"], "names.txt": []byte("bed\nchair\n"), "empty/notes.md": []byte("n")},
			want{[]string{"all"}, []string{"bed", "chair"}, map[string][]int{"all": {0, 1, 1}}, map[string][]string{"all": {"x", "1", "2"}}}},
		{"class/split", map[string][]byte{"b/train/1.npy": files[".npy"], "b/test/2.ply": files[".ply"], "a/train/3.off": off, "a/test/4.pcd": files[".pcd"], "a/train/5.xyz": files[".xyz"]},
			want{[]string{"test", "train"}, []string{"a", "b"}, map[string][]int{"train": {0, 0, 1}, "test": {0, 1}}, map[string][]string{"train": {"3", "5", "1"}, "test": {"4", "2"}}}},
		{"split/class", map[string][]byte{"train/cat/1.ply": files[".ply"], "train/dog/2.ply": files[".ply"], "test/dog/3.pcd": files[".pcd"], "test/eel/4.txt": files[".txt"]},
			want{[]string{"test", "train"}, []string{"cat", "dog", "eel"}, map[string][]int{"train": {0, 1}, "test": {1, 2}}, map[string][]string{"train": {"1", "2"}, "test": {"3", "4"}}}},
		{"split/flat", map[string][]byte{"train/1.ply": files[".ply"], "val/2.npy": files[".npy"]},
			want{[]string{"train", "val"}, nil, map[string][]int{"train": {-1}, "val": {-1}}, map[string][]string{"train": {"1"}, "val": {"2"}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeTree(t, root, c.files)
			sets, err := LoadCloudFolder(root, CloudFolderConfig{Workers: 3})
			require.NoError(t, err)
			require.Len(t, sets, len(c.want.splits))
			for _, sp := range c.want.splits {
				set := sets[sp]
				require.NotNil(t, set, sp)
				assert.Equal(t, c.want.classes, set.ClassNames, sp)
				if sp == CloudFolderAll {
					assert.Equal(t, "", set.Split)
				} else {
					assert.Equal(t, sp, set.Split)
				}
				var labels []int
				var ids []string
				for _, cl := range set.Clouds {
					labels = append(labels, cl.Label)
					ids = append(ids, cl.ID)
					assert.FileExists(t, cl.Path)
					if filepath.Ext(cl.Path) == ".off" {
						assert.Len(t, cl.Points, 1024, "meshes are sampled with 1024 points by default")
						continue
					}
					assert.Equal(t, pts, cl.Points, cl.Path)
					assert.Nil(t, cl.Normals)
				}
				assert.Equal(t, c.want.labels[sp], labels, sp)
				assert.Equal(t, c.want.ids[sp], ids, sp)
			}
			f, err := DetectPointFormat(root)
			require.NoError(t, err)
			assert.Equal(t, PointFormatFolder, f, "only a <class>/<split>/ tree of .npy (or .off) files alone goes to the ModelNet loaders")
		})
	}
}

func TestLoadCloudFolderBadLayouts(t *testing.T) {
	files, _ := randomCloudFiles(t, 2, 8)
	for _, c := range []struct {
		name  string
		files map[string][]byte
		msg   string
	}{
		{"empty", map[string][]byte{"README.md": []byte("x")}, "no point-cloud files"},
		{"class folders mixed", map[string][]byte{"a/1.ply": files[".ply"], "b/train/2.ply": files[".ply"]}, "some class folders hold clouds directly"},
		{"split folders mixed", map[string][]byte{"train/a/1.ply": files[".ply"], "test/2.ply": files[".ply"]}, "some split folders hold class folders"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeTree(t, root, c.files)
			_, err := LoadCloudFolder(root, CloudFolderConfig{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
	_, err := LoadCloudFolder(filepath.Join(t.TempDir(), "absent"), CloudFolderConfig{})
	assert.ErrorIs(t, err, ErrNotFound)
}

// TestLoadCloudFolderBadFiles checks that a bad file anywhere in the
// folder fails the load with an error naming it.
func TestLoadCloudFolderBadFiles(t *testing.T) {
	files, _ := randomCloudFiles(t, 3, 16)
	ok, _ := randomCloudFiles(t, 3, 32)
	same := xyzBytes([]r3.Vector{{X: 1, Y: 2, Z: 3}, {X: 1, Y: 2, Z: 3}, {X: 1, Y: 2, Z: 3}}, nil, " ")
	for _, c := range []struct {
		name, file string
		data       []byte
		cfg        CloudFolderConfig
		line       int
		field, msg string
	}{
		{"bad number", "c/bad.xyz", []byte("1 2 3\n4 five 6\n"), CloudFolderConfig{}, 2, "column 2", "not a finite number"},
		{"nan pcd", "c/nan.pcd", []byte("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 2\nDATA ascii\n1 2 3\nnan 0 0\n"), CloudFolderConfig{}, 7, "point[1]", "non-finite"},
		{"identical points", "c/same.xyz", same, CloudFolderConfig{}, 0, "points", "all 3 points are equal"},
		{"too few points", "c/few.ply", files[".ply"], CloudFolderConfig{NumPoints: 17}, 0, "", "16 points, CloudFolderConfig.NumPoints asks for 17"},
		{"truncated ply", "c/cut.ply", files[".ply"][:len(files[".ply"])-5], CloudFolderConfig{}, 0, "element vertex", "truncated"},
		{"flat mesh", "c/flat.off", []byte("OFF\n3 1 0\n0 0 0\n1 1 1\n2 2 2\n3 0 1 2\n"), CloudFolderConfig{}, 0, "", "zero surface area"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeTree(t, root, map[string][]byte{"a/ok.npy": ok[".npy"], "z/ok.pcd": ok[".pcd"], c.file: c.data})
			_, err := LoadCloudFolder(root, c.cfg)
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "%v", err)
			assert.Equal(t, filepath.Join(root, c.file), pe.File)
			assert.Equal(t, c.line, pe.Line, "%v", err)
			assert.Equal(t, c.field, pe.Field, "%v", err)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
}

// TestLoadCloudFolderResample checks NumPoints: FPS and random choice
// give subsets of the cloud, the same for a seed whatever Workers, and
// meshes are sampled with NumPoints.
func TestLoadCloudFolderResample(t *testing.T) {
	files, pts := randomCloudFiles(t, 4, 300)
	root := t.TempDir()
	tree := map[string][]byte{"m/t.off": []byte("OFF\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n")}
	tetraPLY, err := os.ReadFile(cloudFixture("tetra_binary_le.ply"))
	require.NoError(t, err)
	tree["m/tetra.ply"] = tetraPLY
	for ext, b := range files {
		tree["p/"+ext[1:]+ext] = b
	}
	writeTree(t, root, tree)
	in := map[r3.Vector]bool{}
	for _, p := range pts {
		in[p] = true
	}
	for _, s := range []CloudSampling{"", SampleFPS, SampleRandom} {
		var first map[string]*PointSet
		for _, w := range []int{1, 3} {
			sets, err := LoadCloudFolder(root, CloudFolderConfig{NumPoints: 64, Sampling: s, SampleFaces: true, Normals: true, Seed: 7, Workers: w})
			require.NoError(t, err)
			all := sets[CloudFolderAll]
			require.Equal(t, 7, all.Len())
			for _, c := range all.Clouds {
				require.Len(t, c.Points, 64, c.Path)
				if c.ID == "t" || c.ID == "tetra" {
					require.Len(t, c.Normals, 64, "sampled meshes keep triangle normals")
					continue
				}
				seen := map[r3.Vector]bool{}
				for _, p := range c.Points {
					assert.True(t, in[p], "%s: sampled point not in the cloud", c.Path)
					seen[p] = true
				}
				assert.Len(t, seen, 64, "%s: points drawn without replacement", c.Path)
			}
			if first == nil {
				first = sets
				continue
			}
			assert.Equal(t, first, sets, "sampling %q: same seed, same clouds with %d workers", s, w)
		}
	}
	// FPS spreads points: its minimum pairwise distance beats a random choice's.
	minDist := func(c PointCloud) float64 {
		d := 1e9
		for i := range c.Points {
			for j := range i {
				d = min(d, c.Points[i].Sub(c.Points[j]).Norm())
			}
		}
		return d
	}
	f, err := LoadCloudFolder(root, CloudFolderConfig{NumPoints: 32, Sampling: SampleFPS, SampleFaces: true})
	require.NoError(t, err)
	r, err := LoadCloudFolder(root, CloudFolderConfig{NumPoints: 32, Sampling: SampleRandom, SampleFaces: true})
	require.NoError(t, err)
	assert.Greater(t, minDist(f[CloudFolderAll].Clouds[2]), minDist(r[CloudFolderAll].Clouds[2]))
	// Without SampleFaces a PLY mesh is its 4 vertices: too few for 32.
	_, err = LoadCloudFolder(root, CloudFolderConfig{NumPoints: 32})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, filepath.Join(root, "m", "tetra.ply"), pe.File)
}

func TestLoadCloudFolderNormals(t *testing.T) {
	root := t.TempDir()
	cp, cn := cube8()
	var npy bytes.Buffer
	var flat []float32
	for i := range cp {
		flat = append(flat, float32(cp[i].X), float32(cp[i].Y), float32(cp[i].Z), float32(cn[i].X), float32(cn[i].Y), float32(cn[i].Z))
	}
	require.NoError(t, WriteNpy(&npy, flat, 8, 6))
	writeTree(t, root, map[string][]byte{
		"n.npy": npy.Bytes(), "n.xyz": xyzBytes(cp, cn, " "),
		"n.pcd": pcdSpec{data: "ascii", pts: cp, nrm: cn}.bytes(), "n.ply": plySpec{format: "ascii", xyzType: "double", pts: cp, nrm: cn}.bytes(),
		"plain.xyz": xyzBytes(cp, nil, " "),
	})
	sets, err := LoadCloudFolder(root, CloudFolderConfig{Normals: true})
	require.NoError(t, err)
	for _, c := range sets[CloudFolderAll].Clouds {
		assert.Equal(t, cp, c.Points, c.Path)
		if c.ID == "plain" {
			assert.Nil(t, c.Normals)
			continue
		}
		require.Len(t, c.Normals, 8, c.Path)
		assert.InDelta(t, cn[3].X, c.Normals[3].X, 1e-6, c.Path)
	}
	sets, err = LoadCloudFolder(root, CloudFolderConfig{})
	require.NoError(t, err)
	for _, c := range sets[CloudFolderAll].Clouds {
		assert.Nil(t, c.Normals, "normals are dropped by default")
	}
}

// TestLoadCloudFolderStaged loads the staged ModelNet40 npy subset and
// the PointNet++ txt subset through the folder loader and checks them
// against the dedicated loaders.
func TestLoadCloudFolderStaged(t *testing.T) {
	root := sharedPointData(t, "pointclouds/modelnet40_npy1024_subset")
	sets, err := LoadCloudFolder(root, CloudFolderConfig{})
	require.NoError(t, err)
	require.Len(t, sets, 2)
	for _, sp := range []string{"train", "test"} {
		want, err := LoadModelNetNpy(root, sp, ModelNetNpyConfig{})
		require.NoError(t, err)
		got := sets[sp]
		assert.Equal(t, want.ClassNames, got.ClassNames)
		require.Equal(t, want.Len(), got.Len(), sp)
		for i := range want.Clouds {
			if want.Clouds[i].Path != got.Clouds[i].Path || want.Clouds[i].Label != got.Clouds[i].Label {
				t.Fatalf("%s cloud %d: %s label %d, want %s label %d", sp, i, got.Clouds[i].Path, got.Clouds[i].Label, want.Clouds[i].Path, want.Clouds[i].Label)
			}
		}
		assert.Equal(t, want.Clouds[7].Points, got.Clouds[7].Points)
	}
	assert.Equal(t, 2468, sets["test"].Len(), "every test shape is staged")
	assert.Len(t, sets["train"].ClassNames, 40)

	txt := sharedPointData(t, "pointclouds/modelnet40_normal_resampled_subset")
	ts, err := LoadCloudFolder(txt, CloudFolderConfig{Normals: true, NumPoints: 1024, Seed: 1})
	require.NoError(t, err)
	all := ts[CloudFolderAll]
	require.NotNil(t, all, "no split level: one set")
	assert.Equal(t, []string{"airplane", "bathtub", "bed", "chair", "guitar", "lamp", "monitor", "sofa", "table", "toilet"}, all.ClassNames,
		"the modelnet40_*.txt lists beside the class folders are ignored")
	assert.Equal(t, 17, all.Len())
	lo, hi := all.PointsPerCloud()
	assert.Equal(t, [2]int{1024, 1024}, [2]int{lo, hi})
	for _, c := range all.Clouds {
		require.Len(t, c.Normals, 1024, c.Path)
	}
}

// TestLoadCloudFolderPLYFolderConverted writes the first shapes of the
// staged npy subset as PLY and PCD files and checks the folder loader
// reads the same clouds back (real coordinates through every format).
func TestLoadCloudFolderConvertedStaged(t *testing.T) {
	src := sharedPointData(t, "pointclouds/modelnet40_npy1024_subset")
	set, err := LoadModelNetNpy(src, "test", ModelNetNpyConfig{})
	require.NoError(t, err)
	root := t.TempDir()
	tree := map[string][]byte{}
	formats := []func(PointCloud) (string, []byte){
		func(c PointCloud) (string, []byte) {
			return ".ply", plySpec{format: "binary_little_endian", xyzType: "float", pts: c.Points}.bytes()
		},
		func(c PointCloud) (string, []byte) {
			return ".ply", plySpec{format: "ascii", xyzType: "float", pts: c.Points}.bytes()
		},
		func(c PointCloud) (string, []byte) { return ".pcd", pcdSpec{data: "binary", pts: c.Points}.bytes() },
		func(c PointCloud) (string, []byte) { return ".pcd", pcdSpec{data: "ascii", pts: c.Points}.bytes() },
		func(c PointCloud) (string, []byte) { return ".xyz", xyzBytes(c.Points, nil, " ") },
	}
	var want []PointCloud
	for i := 0; i < set.Len() && len(want) < 25; i += 97 {
		c := set.Clouds[i]
		ext, b := formats[len(want)%len(formats)](c)
		tree[filepath.Join("test", set.ClassNames[c.Label], fmt.Sprintf("%03d%s", len(want), ext))] = b
		want = append(want, c)
	}
	writeTree(t, root, tree)
	sets, err := LoadCloudFolder(root, CloudFolderConfig{})
	require.NoError(t, err)
	got := sets["test"]
	require.Equal(t, len(want), got.Len())
	byID := map[string]PointCloud{}
	for _, c := range got.Clouds {
		byID[c.ID] = c
	}
	for i, w := range want {
		c := byID[fmt.Sprintf("%03d", i)]
		assert.Equal(t, w.Points, c.Points, c.Path)
		assert.Equal(t, set.ClassNames[w.Label], got.ClassNames[c.Label], c.Path)
	}
}

func TestPointConfigValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		msg  string
	}{
		{"folder negative", CloudFolderConfig{NumPoints: -5}.Validate(), "CloudFolderConfig.NumPoints = -5, want 0 (the default) or 1 to 16777216"},
		{"folder huge", CloudFolderConfig{NumPoints: 100_000_000}.Validate(), "CloudFolderConfig.NumPoints = 100000000"},
		{"folder sampling", CloudFolderConfig{Sampling: "poisson"}.Validate(), `Sampling = "poisson"`},
		{"folder workers", CloudFolderConfig{Workers: -1}.Validate(), "Workers = -1"},
		{"off negative", ModelNetOFFConfig{NumPoints: -5}.Validate(), "ModelNetOFFConfig.NumPoints = -5"},
		{"txt classes", ModelNetTxtConfig{Classes: 7}.Validate(), "Classes = 7, want 40 or 10"},
		{"txt negative", ModelNetTxtConfig{NumPoints: -1}.Validate(), "ModelNetTxtConfig.NumPoints = -1"},
		{"synthetic negative", SyntheticCloudsConfig{NumPoints: -5}.Validate(), "SyntheticCloudsConfig.NumPoints = -5"},
		{"synthetic per class", SyntheticCloudsConfig{TrainPerClass: -1}.Validate(), "TrainPerClass = -1"},
		{"synthetic scale", SyntheticCloudsConfig{ScaleMin: 2, ScaleMax: 1}.Validate(), "ScaleMin, ScaleMax = 2, 1"},
		{"synthetic noise", SyntheticCloudsConfig{Noise: nanF64()}.Validate(), "Noise = NaN"},
		{"synthetic memory", SyntheticCloudsConfig{NumPoints: MaxPointsPerCloud, TrainPerClass: MaxSyntheticPerClass}.Validate(), "more than the"},
		{"splits format", PointSplitsConfig{Format: "las"}.Validate(), `unknown point-cloud format "las"`},
		{"splits points", PointSplitsConfig{NumPoints: -5}.Validate(), "PointSplitsConfig.NumPoints = -5"},
		{"splits columns", PointSplitsConfig{Columns: []int{0, 1}}.Validate(), "PointSplitsConfig.Columns = [0 1]"},
		{"npy normals", NpyConfig{NormalColumns: []int{3, -4, 5}}.Validate(), "NpyConfig.NormalColumns = [3 -4 5]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Error(t, c.err)
			assert.Contains(t, c.err.Error(), c.msg)
		})
	}
	for _, ok := range []interface{ Validate() error }{CloudFolderConfig{}, ModelNetOFFConfig{}, ModelNetTxtConfig{Classes: 10}, SyntheticCloudsConfig{}, PointSplitsConfig{Format: PointFormatFolder}} {
		assert.NoError(t, ok.Validate(), "%T", ok)
	}
	// The loaders return these errors instead of panicking.
	_, err := LoadModelNetOFF(t.TempDir(), "train", ModelNetOFFConfig{NumPoints: -5})
	assert.ErrorContains(t, err, "NumPoints = -5")
	_, err = LoadModelNetTxt(t.TempDir(), "train", ModelNetTxtConfig{Classes: 3})
	assert.ErrorContains(t, err, "Classes = 3")
	_, _, err = LoadPointSplits("", PointSplitsConfig{NumPoints: -5})
	assert.ErrorContains(t, err, "NumPoints = -5")
	_, _, err = LoadPointSplits("", PointSplitsConfig{NumPoints: 100_000_000})
	assert.ErrorContains(t, err, "NumPoints = 100000000")
	assert.PanicsWithValue(t, "datasets: SyntheticCloudsConfig.NumPoints = -5, want 0 (the default) or 1 to 16777216 (check with SyntheticCloudsConfig.Validate)",
		func() { SyntheticClouds(SyntheticCloudsConfig{NumPoints: -5}) })
}

// TestPointMemoryEstimate checks the estimate and that a request larger
// than the machine is refused before any file is read.
func TestPointMemoryEstimate(t *testing.T) {
	assert.Equal(t, int64(24*1024*10), EstimatePointBytes(10, 1024, false))
	assert.Equal(t, int64(48*1024*10), EstimatePointBytes(10, 1024, true))
	assert.Equal(t, int64(0), EstimatePointBytes(-1, 1024, true))
	assert.Equal(t, int64(1<<63-1), EstimatePointBytes(1<<40, 1<<40, true), "saturates")
	assert.Greater(t, PointMemoryBudget(), int64(0))
	assert.Equal(t, "1.9 GB", formatBytes(1_900_000_000))
	assert.Equal(t, "512 B", formatBytes(512))

	files := PointMemoryBudget()/EstimatePointBytes(1, MaxPointsPerCloud, true) + 1
	if files > 400 {
		t.Skipf("a machine of %s needs %d files to exceed", formatBytes(PointMemoryBudget()), files)
	}
	root := t.TempDir()
	// The files are not even valid: the estimate comes first.
	tree := map[string][]byte{}
	for i := range files {
		tree[fmt.Sprintf("c%03d.xyz", i)] = []byte("not a cloud")
	}
	writeTree(t, root, tree)
	_, err := LoadCloudFolder(root, CloudFolderConfig{NumPoints: MaxPointsPerCloud, Normals: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "of memory this machine has")
	var pe *ParseError
	assert.False(t, errors.As(err, &pe), "refused before reading: %v", err)
}

func TestLoadPointSplitsFolder(t *testing.T) {
	root := t.TempDir()
	files, _ := randomCloudFiles(t, 5, 50)
	writeTree(t, root, map[string][]byte{"train/a/1.ply": files[".ply"], "train/b/2.pcd": files[".pcd"], "test/a/3.xyz": files[".xyz"]})
	sets, f, err := LoadPointSplits(root, PointSplitsConfig{NumPoints: 20})
	require.NoError(t, err)
	assert.Equal(t, PointFormatFolder, f)
	assert.Equal(t, 2, sets["train"].Len())
	assert.Len(t, sets["test"].Clouds[0].Points, 20)
	assert.Equal(t, []string{"a", "b"}, sets["test"].ClassNames)
}

// TestPointCloudValidateDegenerate checks that Validate rejects a cloud
// whose points all coincide (a single point included) and accepts one
// with two distinct points.
func TestPointCloudValidateDegenerate(t *testing.T) {
	p := r3.Vector{X: 1, Y: 2, Z: 3}
	for _, n := range []int{1, 2, 100} {
		c := PointCloud{Points: make([]r3.Vector, n), ID: "dup"}
		for i := range c.Points {
			c.Points[i] = p
		}
		err := c.Validate()
		var pe *ParseError
		require.ErrorAs(t, err, &pe, "%d points", n)
		assert.Equal(t, "dup", pe.File)
		assert.Equal(t, "points", pe.Field)
		assert.Contains(t, err.Error(), "no extent")
		c.Points[n-1].Z = 4
		if n > 1 {
			assert.NoError(t, c.Validate(), "%d points", n)
		}
	}
}
