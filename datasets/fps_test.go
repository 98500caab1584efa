package datasets

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crossCheckCloud is the 256-point cloud of the pytorch3d cross-check:
// coordinates on a 1/500 grid (many equal distances) and every 37th point
// from index 100 on a duplicate of the point 100 before it.
func crossCheckCloud() []float32 {
	const n = 256
	xyz := make([]float32, 3*n)
	for i := range n {
		a := (i*7919 + 13) % 1000
		b := (i*104729 + 7) % 1000
		c := (i*1299709 + 3) % 1000
		xyz[3*i] = (float32(a) - 500) / 500
		xyz[3*i+1] = (float32(b) - 500) / 500
		xyz[3*i+2] = (float32(c) - 500) / 500
	}
	for j := 100; j < n; j++ {
		if j%37 == 0 {
			copy(xyz[3*j:3*j+3], xyz[3*(j-100):3*(j-100)+3])
		}
	}
	return xyz
}

// The expected indices were computed with torch 1.13 (float32, CPU) by a
// re-implementation of pytorch3d's CPU kernels (the kernels' loops, with
// torch.argmax = first maximum and a stable sort for the k nearest):
//
//	N = 256; i = torch.arange(N)
//	p = torch.stack([(i*7919+13)%1000, (i*104729+7)%1000, (i*1299709+3)%1000], 1).float()
//	p = (p - 500) / 500
//	for j in range(100, N):
//	    if j % 37 == 0: p[j] = p[j-100]
//	def sq(d): s = d[:,0]*d[:,0] + d[:,1]*d[:,1]; return s + d[:,2]*d[:,2]
//	def fps(p, K, start):
//	    dists = torch.full((N,), torch.finfo(torch.float32).max); sel = torch.zeros(N, dtype=torch.bool)
//	    idx = [start]; last = start; sel[start] = True
//	    for k in range(1, K):
//	        dists = torch.minimum(dists, sq(p - p[last])); dists[sel] = 0
//	        last = int(torch.argmax(dists)); idx.append(last); sel[last] = True
//	    return idx
//	def knn(p, centers, K):
//	    return [[int(x) for x in torch.sort(sq(p - c), stable=True)[1][:K]] for c in centers]
//	f = fps(p, 32, 17); knn(p, p[f[:4]], 16); fps(p, 8, 0)
var (
	crossFPS17 = []int{17, 196, 62, 11, 63, 48, 0, 142, 177, 137, 61, 50, 229, 74, 55, 203, 199, 243, 220, 197, 186, 230, 36, 8, 16, 180, 205, 31, 161, 176, 136, 10}
	crossFPS0  = []int{0, 100, 99, 110, 96, 62, 196, 137}
	crossKNN   = [][]int{
		{17, 65, 216, 213, 79, 154, 127, 202, 6, 113, 54, 168, 3, 116, 106, 175},
		{196, 244, 86, 207, 159, 45, 97, 145, 255, 49, 234, 193, 93, 8, 245, 35},
		{62, 14, 162, 124, 224, 25, 76, 114, 176, 28, 165, 125, 87, 235, 66, 186},
		{11, 111, 59, 221, 210, 73, 121, 173, 22, 107, 110, 169, 70, 84, 232, 155}, // 111 duplicates 11
	}
)

func TestFPSMatchesPytorch3d(t *testing.T) {
	xyz := crossCheckCloud()
	assert.Equal(t, crossFPS17, FPS(make([]int, 32), xyz, 17, nil))
	assert.Equal(t, crossFPS0, FPS(make([]int, 8), xyz, 0, new(FPSScratch)))
}

// fpsReference is the textbook O(N·G²) definition: the next point
// maximises the minimum distance to all selected points (first maximum),
// with pytorch3d's float32 distances and its MaxFloat32 start value.
func fpsReference(xyz []float32, g, start int) []int {
	n := len(xyz) / 3
	sel := []int{start}
	for len(sel) < g {
		best, bi := float32(-1), 0
		for p := range n {
			m := float32(math.MaxFloat32)
			for _, s := range sel {
				d := sqDist32(xyz[3*s]-xyz[3*p], xyz[3*s+1]-xyz[3*p+1], xyz[3*s+2]-xyz[3*p+2])
				m = min(m, d)
			}
			if m > best {
				best, bi = m, p
			}
		}
		sel = append(sel, bi)
	}
	return sel
}

func randomCloud(rng *rand.Rand, n int, grid bool) []float32 {
	xyz := make([]float32, 3*n)
	for i := range xyz {
		if grid {
			xyz[i] = float32(rng.IntN(5)) / 4 // many ties and duplicates
		} else {
			xyz[i] = float32(rng.NormFloat64())
		}
	}
	return xyz
}

func TestFPSBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s FPSScratch // reused across sizes
	for trial := range 60 {
		n := 1 + rng.IntN(200)
		g := 1 + rng.IntN(min(n, 40))
		if trial%12 == 0 {
			n = fpsTreeMinPoints + rng.IntN(100) // the tree path
			g = fpsTreeMinSamples
		}
		xyz := randomCloud(rng, n, trial%3 == 0)
		start := rng.IntN(n)
		want := fpsReference(xyz, g, start)
		require.Equal(t, want, FPS(make([]int, g), xyz, start, &s), "trial %d n=%d g=%d", trial, n, g)
		md := make([]float32, n)
		require.Equal(t, want, fpsPlain(make([]int, g), xyz, start, md), "plain, trial %d", trial)
	}
}

func TestFPSProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xyz := randomCloud(rng, 1024, false)
	idx := FPS(make([]int, 64), xyz, 5, nil)
	seen := map[int]bool{}
	for _, i := range idx {
		assert.False(t, seen[i], "index %d twice", i)
		seen[i] = true
	}
	// The second point is the farthest from the start.
	far, fi := float32(0), 0
	for p := range 1024 {
		if d := sqDist32(xyz[15]-xyz[3*p], xyz[16]-xyz[3*p+1], xyz[17]-xyz[3*p+2]); d > far {
			far, fi = d, p
		}
	}
	assert.Equal(t, fi, idx[1])

	var s FPSScratch
	dst := make([]int, 64)
	FPS(dst, xyz, 0, &s)
	assert.Equal(t, 0.0, testing.AllocsPerRun(5, func() { FPS(dst, xyz, 0, &s) }))
	many := make([]int, 256) // the tree path
	FPS(many, xyz, 0, &s)
	assert.Equal(t, 0.0, testing.AllocsPerRun(5, func() { FPS(many, xyz, 7, &s) }))
	assert.Equal(t, fpsPlain(make([]int, 256), xyz, 7, make([]float32, 1024)), many)
	assert.Panics(t, func() { FPS(make([]int, 2000), xyz, 0, nil) })
	assert.Panics(t, func() { FPS(make([]int, 4), xyz, 1024, nil) })
	assert.Panics(t, func() { FPS(make([]int, 4), xyz[:10], 0, nil) })
	assert.Empty(t, FPS(nil, xyz, 0, nil))
}

// The tree-pruned FPS equals the plain loop on larger clouds and longer
// runs, on surface-like, Gaussian and grid (tie-heavy) clouds.
func TestFPSTreeMatchesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	train, _ := SyntheticClouds(SyntheticCloudsConfig{NumPoints: 4096, TrainPerClass: 1})
	surface, err := Collate(nil, train.Clouds[:8])
	require.NoError(t, err)
	var s FPSScratch
	for i := range 8 {
		clouds := map[string][]float32{
			"surface":  surface.Cloud(i),
			"gaussian": randomCloud(rng, 3000, false),
			"grid":     randomCloud(rng, 2000, true),
		}
		for name, xyz := range clouds {
			n := len(xyz) / 3
			g := 300 + rng.IntN(300)
			start := rng.IntN(n)
			want := fpsPlain(make([]int, g), xyz, start, make([]float32, n))
			require.Equal(t, want, FPS(make([]int, g), xyz, start, &s), "%s cloud %d", name, i)
		}
	}
}
