package nn

import (
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestSizeClass(t *testing.T) {
	prev := 0
	for n := 1; n < 1<<20; n += 1 + n/37 {
		class, capacity := sizeClass(n)
		require.GreaterOrEqual(t, capacity, n)
		require.LessOrEqual(t, float64(capacity), 1.25*float64(n)+1, "n=%d", n)
		require.GreaterOrEqual(t, class, prev, "classes grow with n")
		prev = class
		c2, cap2 := sizeClass(capacity)
		require.Equal(t, class, c2, "a class's capacity belongs to the class (n=%d)", n)
		require.Equal(t, capacity, cap2)
	}
}

// TestPoolReuseAcrossRebuilds: a graph rebuilt for a slightly different
// batch reuses the buffers the previous program returned, and results stay
// right (buffers arrive with stale values).
func TestPoolReuseAcrossRebuilds(t *testing.T) {
	FreeBuffers()
	lin := NewLinear("lin", 8, 16, LinearConfig{}, newRNG(1))
	run := func(rows int) ([]float32, *Program) {
		g := NewGraph(GraphConfig{Train: true})
		x := g.Input("x", rows, 8)
		xs := make([]float32, rows*8)
		for i := range xs {
			xs[i] = float32(i%7) - 3
		}
		require.NoError(t, x.Set(xs))
		y, err := lin.Forward(g, x.Node)
		require.NoError(t, err)
		y = G.Must(ReLU(y))
		o := g.Read(y)
		p, err := Compile(g, G.Must(G.Sum(y)))
		require.NoError(t, err)
		lin.Params().ZeroGrad()
		require.NoError(t, p.Run())
		return o.Value().Float32s(), p
	}
	first, p := run(100)
	want := append([]float32(nil), first...)
	wantGrad := append([]float32(nil), lin.Weight.GradFloat32s()...)
	require.NoError(t, p.Close())
	pool.Lock()
	pooled := 0
	for _, l := range pool.f32 {
		pooled += len(l)
	}
	pool.Unlock()
	require.GreaterOrEqual(t, pooled, 4, "Close returns the op and gradient buffers")

	// 97 rows fall in the same size classes: the buffers come back.
	got, p2 := run(97)
	// A BLAS may block a 97-row product differently (OpenBLAS does), so
	// this compares within rounding; the 100-row rerun below is exact.
	require.InDeltaSlice(t, want[:97*16], got, 1e-5)
	pool.Lock()
	left := 0
	for _, l := range pool.f32 {
		left += len(l)
	}
	pool.Unlock()
	require.Less(t, left, pooled, "the rebuilt graph took buffers back")
	require.NoError(t, p2.Close())
	got, p3 := run(100)
	require.Equal(t, want, got)
	require.Equal(t, wantGrad, lin.Weight.GradFloat32s())
	require.NoError(t, p3.Close())
}

// TestPoolBounded: returned buffers beyond the limit are not kept, taking
// one out frees its bytes, and lowering the limit drops what is pooled.
func TestPoolBounded(t *testing.T) {
	FreeBuffers()
	defer FreeBuffers()
	prev := SetBufferPoolLimit(10 << 10) // 10 KiB: two 1,024-float buffers (4 KiB each) fit, a third does not
	defer SetBufferPoolLimit(prev)
	bs := []buffer{getBuffer(tensor.Float32, 1024), getBuffer(tensor.Float32, 1024), getBuffer(tensor.Float32, 1024)}
	for _, b := range bs {
		putBuffer(b)
	}
	class, _ := sizeClass(1024)
	require.Len(t, pool.f32[class], 2)
	require.Equal(t, int64(8<<10), pool.bytes)
	got := getBuffer(tensor.Float32, 1000) // same class: reused
	require.Len(t, pool.f32[class], 1)
	require.Equal(t, int64(4<<10), pool.bytes)
	putBuffer(got)
	require.Equal(t, int64(8<<10), pool.bytes)
	require.Equal(t, int64(10<<10), SetBufferPoolLimit(1<<10))
	require.Zero(t, pool.bytes)
	require.Empty(t, pool.f32[class])
	SetBufferPoolLimit(-5)
	putBuffer(getBuffer(tensor.Float64, 8))
	require.Zero(t, pool.bytes, "a limit of 0 keeps nothing")
}
