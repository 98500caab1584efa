package datasets_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nongrid/jepa/datasets"
)

// Point-JEPA's data path: clouds → a [B,P,3] batch → batch augmentations →
// 64 patches of 32 points per cloud.
func ExampleGrouper() {
	train, _ := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{TrainPerClass: 4})
	batch, err := datasets.Collate(nil, train.Clouds[:8])
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	aug := datasets.ComposeBatch(
		datasets.AnisotropicScale{}, datasets.Center{}, datasets.UnitSphere{}, datasets.RotateAxis{})
	if err := aug.TransformBatch(batch, rng); err != nil {
		panic(err)
	}
	var g datasets.Grouper // 64 groups × 32 points, random FPS start
	groups, err := g.Group(nil, batch, rng)
	if err != nil {
		panic(err)
	}
	fmt.Printf("patches [%d,%d,%d,3], centers [%d,%d,3]\n", groups.B, groups.G, groups.K, groups.B, groups.G)
	fmt.Println("first patch point is its center:", groups.Patches[0] == 0 && groups.Patches[1] == 0 && groups.Patches[2] == 0)
	// Output:
	// patches [8,64,32,3], centers [8,64,3]
	// first patch point is its center: true
}

func ExampleSyntheticClouds() {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{})
	lo, hi := train.PointsPerCloud()
	fmt.Println(train.Len(), test.Len(), lo, hi)
	fmt.Println(train.ClassNames)
	// Output:
	// 320 80 1024 1024
	// [sphere cube cylinder cone torus dumbbell helix octahedron]
}

func ExampleFPS() {
	// Five points on a line: FPS from point 0 takes the far end, then the middle.
	xyz := []float32{0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0}
	fmt.Println(datasets.FPS(make([]int, 3), xyz, 0, nil))
	// Output: [0 4 2]
}

func ExampleKNN() {
	xyz := []float32{0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0}
	centers := []float32{2, 0, 0}
	idx := make([]int, 3)
	dist := make([]float32, 3)
	datasets.KNN(idx, dist, xyz, centers, 3, nil)
	fmt.Println(idx, dist) // ties (points 1 and 3) go to the lower index
	// Output: [2 1 3] [0 1 1]
}

func ExampleDecodeNpyPoints() {
	var buf bytes.Buffer
	if err := datasets.WriteNpy(&buf, []float32{1, 2, 3, 4, 5, 6}, 2, 3); err != nil {
		panic(err)
	}
	pts, _, err := datasets.DecodeNpyPoints("mem.npy", buf.Bytes(), datasets.NpyConfig{}, nil, nil)
	fmt.Println(len(pts), pts[1].X, err)

	bad := bytes.Replace(buf.Bytes(), []byte("<f4"), []byte("<i4"), 1)
	_, _, err = datasets.DecodeNpyPoints("mem.npy", bad, datasets.NpyConfig{}, nil, nil)
	fmt.Println(err)
	// Output:
	// 2 4 <nil>
	// mem.npy: descr: dtype "<i4" not supported (want "<f4" float32 or "<f8" float64, little-endian)
}

func ExampleParseOFF() {
	off := "OFF4 1 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n" // ModelNet's glued header, one quad
	m, err := datasets.ParseOFF(strings.NewReader(off), "quad.off")
	if err != nil {
		panic(err)
	}
	c, _ := m.SamplePoints(100, rand.New(rand.NewPCG(1, 1)), true)
	fmt.Println(len(m.Triangles), "triangles;", len(c.Points), "points; normal", c.Normals[0])
	// Output: 2 triangles; 100 points; normal (0.000000000000000000000000, 0.000000000000000000000000, 1.000000000000000000000000)
}

// Loading the ModelNet40 1024-point npy export (compiled, not run: it
// needs the data).
func ExampleLoadModelNetNpy() {
	train, err := datasets.LoadModelNetNpy("data/modelnet40_npy1024", "train", datasets.ModelNetNpyConfig{})
	if err != nil {
		fmt.Println(err) // names the file and field of any bad array
		return
	}
	fmt.Println(train.Len(), len(train.ClassNames))
}
