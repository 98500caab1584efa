package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func randomBatch(rng *rand.Rand, b, p int) *PointBatch {
	pb := &PointBatch{B: b, P: p, Points: randomCloud(rng, b*p, false), Labels: make([]int, b)}
	return pb
}

func TestGrouperGroup(t *testing.T) {
	for _, np := range []int{300, 600} { // brute-force and tree KNN
		testGrouperGroup(t, np)
	}
}

func testGrouperGroup(t *testing.T, np int) {
	batch := randomBatch(rand.New(rand.NewPCG(7, 8)), 5, np)
	gr := &Grouper{NumGroups: 16, GroupSize: 8, Workers: 2}
	out, err := gr.Group(nil, batch, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	assert.Equal(t, []int{5, 16, 8}, []int{out.B, out.G, out.K})

	// Same starts as drawing rng.IntN(P) per cloud in order.
	rng := rand.New(rand.NewPCG(1, 1))
	for b := range 5 {
		xyz := batch.Cloud(b)
		cidx := FPS(make([]int, 16), xyz, rng.IntN(np), nil)
		require.Equal(t, cidx, out.CenterIdx[b*16:(b+1)*16])
		centers := make([]float32, 0, 48)
		for _, c := range cidx {
			centers = append(centers, xyz[3*c:3*c+3]...)
		}
		require.Equal(t, centers, out.Centers[b*48:(b+1)*48])
		nidx, nd := knnReference(xyz, centers, 8)
		require.Equal(t, nidx, out.NeighborIdx[b*128:(b+1)*128])
		require.Equal(t, nd, out.SqDist[b*128:(b+1)*128])
		for j := range 16 {
			// The center is its own nearest neighbour: patch point 0 is the origin.
			assert.Equal(t, cidx[j], nidx[j*8])
			assert.Equal(t, []float32{0, 0, 0}, out.Patches[((b*16+j)*8)*3:((b*16+j)*8)*3+3])
			for m := range 8 {
				q := nidx[j*8+m]
				for a := range 3 {
					assert.Equal(t, xyz[3*q+a]-centers[3*j+a], out.Patches[((b*16+j)*8+m)*3+a])
				}
			}
		}
	}

	// Worker count and buffer reuse do not change anything.
	one := &Grouper{NumGroups: 16, GroupSize: 8, Workers: 1}
	out1, err := one.Group(nil, batch, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	assert.Equal(t, out, out1)
	again, err := gr.Group(out1, batch, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	assert.Same(t, out1, again)
	assert.Equal(t, out.Patches, again.Patches)
}

// With many groups FPS builds the tree and the KNN search reuses it.
func TestGrouperManyGroups(t *testing.T) {
	batch := randomBatch(rand.New(rand.NewPCG(5, 6)), 2, 700)
	gr := &Grouper{NumGroups: fpsTreeMinSamples, GroupSize: 5}
	out, err := gr.Group(nil, batch, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	for b := range 2 {
		xyz := batch.Cloud(b)
		centers := out.Centers[b*out.G*3 : (b+1)*out.G*3]
		idx, dist := knnReference(xyz, centers, 5)
		require.Equal(t, idx, out.NeighborIdx[b*out.G*5:(b+1)*out.G*5])
		require.Equal(t, dist, out.SqDist[b*out.G*5:(b+1)*out.G*5])
	}
}

func TestGrouperDefaultsAndFixedStart(t *testing.T) {
	batch := randomBatch(rand.New(rand.NewPCG(9, 9)), 3, 1024)
	var gr Grouper
	out, err := gr.Group(nil, batch, rand.New(rand.NewPCG(2, 2)))
	require.NoError(t, err)
	assert.Equal(t, 64, out.G)
	assert.Equal(t, 32, out.K)
	assert.Len(t, out.Patches, 3*64*32*3)

	fixed := Grouper{FixedStart: true}
	out, err = fixed.Group(out, batch, nil)
	require.NoError(t, err)
	for b := range 3 {
		assert.Equal(t, 0, out.CenterIdx[b*64])
	}
}

func TestGrouperErrors(t *testing.T) {
	gr := &Grouper{NumGroups: 8, GroupSize: 4}
	rng := rand.New(rand.NewPCG(1, 2))
	_, err := gr.Group(nil, &PointBatch{}, rng)
	require.Error(t, err)

	small := randomBatch(rng, 2, 6)
	_, err = gr.Group(nil, small, rng)
	require.ErrorContains(t, err, "too few points")

	gr = &Grouper{NumGroups: 4, GroupSize: 10}
	_, err = gr.Group(nil, small, rng)
	require.ErrorContains(t, err, "too few points")

	b := randomBatch(rng, 2, 20)
	b.Points[3*(20+7)+1] = float32(math.NaN())
	_, err = gr.Group(nil, b, rng)
	require.ErrorContains(t, err, "cloud 1, point 7")

	assert.Panics(t, func() { _, _ = gr.Group(nil, randomBatch(rng, 2, 20), nil) })
}

func TestGrouperSteadyStateAllocs(t *testing.T) {
	batch := randomBatch(rand.New(rand.NewPCG(3, 3)), 8, 256)
	gr := &Grouper{NumGroups: 16, GroupSize: 8, Workers: 2}
	rng := rand.New(rand.NewPCG(4, 4))
	out, err := gr.Group(nil, batch, rng)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := gr.Group(out, batch, rng); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 0.0, allocs)
}

// Benchmarks: Point-JEPA's tokenizer sizes, a batch of 32 clouds of 1024
// points, 64 centers, 32 neighbours.
const (
	benchB = 32
	benchP = 1024
	benchG = 64
	benchK = 32
)

// syntheticBatch collates b synthetic clouds (surfaces, like real data)
// of p points.
func syntheticBatch(tb testing.TB, b, p int) *PointBatch {
	train, _ := SyntheticClouds(SyntheticCloudsConfig{NumPoints: p, TrainPerClass: (b + 7) / 8})
	batch, err := Collate(nil, train.Clouds[:b])
	if err != nil {
		tb.Fatal(err)
	}
	return batch
}

// BenchmarkFPS: FPS 1024 → 64 on each of 32 clouds. "plain" is the direct
// O(N·G) loop over all points (pytorch3d's CPU algorithm) on one
// goroutine, the baseline; "fps" is FPS (plain loop at this size) on one goroutine;
// "batch" is FPSSubsample over the batch (parallel, GOMAXPROCS).
// "8192to1024" is Point-JEPA's subsampling step on one cloud.
func BenchmarkFPS(b *testing.B) {
	batch := syntheticBatch(b, benchB, benchP)
	b.Run("plain", func(b *testing.B) {
		dst := make([]int, benchG)
		md := make([]float32, benchP)
		b.ReportAllocs()
		for b.Loop() {
			for c := range benchB {
				fpsPlain(dst, batch.Cloud(c), 0, md)
			}
		}
	})
	b.Run("fps", func(b *testing.B) {
		dst := make([]int, benchG)
		var s FPSScratch
		b.ReportAllocs()
		for b.Loop() {
			for c := range benchB {
				FPS(dst, batch.Cloud(c), 0, &s)
			}
		}
	})
	b.Run("batch", func(b *testing.B) {
		work := &PointBatch{}
		sub := &FPSSubsample{N: benchG}
		rng := rand.New(rand.NewPCG(1, 1))
		b.ReportAllocs()
		for b.Loop() {
			work.B, work.P = batch.B, batch.P
			work.Points = append(work.Points[:0], batch.Points...)
			if err := sub.TransformBatch(work, rng); err != nil {
				b.Fatal(err)
			}
		}
	})
	big := syntheticBatch(b, 1, 8192)
	b.Run("8192to1024/plain", func(b *testing.B) {
		dst := make([]int, 1024)
		md := make([]float32, 8192)
		for b.Loop() {
			fpsPlain(dst, big.Points, 0, md)
		}
	})
	b.Run("8192to1024/tree", func(b *testing.B) {
		dst := make([]int, 1024)
		var s FPSScratch
		b.ReportAllocs()
		for b.Loop() {
			FPS(dst, big.Points, 0, &s)
		}
	})
}

// BenchmarkKNNGroup: 32 clouds × KNN-32 of 64 centers among 1024 points.
// "fullsort" is the baseline (all distances, then a stable sort per
// center); "knn-serial" is KNN (brute force, 4-center blocks, heap) per
// cloud on one goroutine; "knn-tree-serial" is the box-tree search that
// Grouper uses from 512 points (tree build included); "group" is the
// whole Grouper.Group (FPS + KNN + centered patches) on 1 or 2 workers.
func BenchmarkKNNGroup(b *testing.B) {
	batch := syntheticBatch(b, benchB, benchP)
	centers := make([][]float32, benchB)
	for c := range benchB {
		xyz := batch.Cloud(c)
		for _, i := range FPS(make([]int, benchG), xyz, 0, nil) {
			centers[c] = append(centers[c], xyz[3*i:3*i+3]...)
		}
	}
	b.Run("fullsort", func(b *testing.B) {
		for b.Loop() {
			for c := range benchB {
				knnReference(batch.Cloud(c), centers[c], benchK)
			}
		}
	})
	b.Run("knn-serial", func(b *testing.B) {
		idx := make([]int, benchG*benchK)
		dist := make([]float32, benchG*benchK)
		heap := make([]uint64, 4*benchK)
		b.ReportAllocs()
		for b.Loop() {
			for c := range benchB {
				KNN(idx, dist, batch.Cloud(c), centers[c], benchK, heap)
			}
		}
	})
	b.Run("knn-tree-serial", func(b *testing.B) {
		idx := make([]int, benchK)
		dist := make([]float32, benchK)
		heap := make([]uint64, benchK)
		var s FPSScratch
		b.ReportAllocs()
		for b.Loop() {
			for c := range benchB {
				s.build(batch.Cloud(c))
				for j := range benchG {
					s.knnTree(heap, centers[c][3*j], centers[c][3*j+1], centers[c][3*j+2])
					knnEmit(idx, dist, heap)
				}
			}
		}
	})
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("group/workers=%d", w), func(b *testing.B) {
			gr := &Grouper{Workers: w}
			rng := rand.New(rand.NewPCG(1, 1))
			out, _ := gr.Group(nil, batch, rng)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := gr.Group(out, batch, rng); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The Grouper's worker goroutines stop once the Grouper is unreachable.
func TestGrouperWorkersStop(t *testing.T) {
	for range 3 { // let workers of earlier tests' Groupers stop first
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	before := runtime.NumGoroutine()
	func() {
		gr := &Grouper{NumGroups: 4, GroupSize: 4, Workers: 4}
		_, err := gr.Group(nil, randomBatch(rand.New(rand.NewPCG(1, 1)), 8, 32), rand.New(rand.NewPCG(2, 2)))
		require.NoError(t, err)
		assert.GreaterOrEqual(t, runtime.NumGoroutine(), before+3, "3 workers besides the caller")
	}()
	for range 100 {
		runtime.GC()
		if runtime.NumGoroutine() <= before {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}
