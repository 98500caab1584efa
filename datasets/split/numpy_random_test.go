package split

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected values below were computed once with numpy 1.24.2 (Debian
// python3-numpy) by:
//
//	import numpy as np
//	r=np.random.RandomState(0); print(r.randint(2**32, dtype=np.uint32, size=5).tolist())
//	r=np.random.RandomState(12345); print(r.randint(2**32, dtype=np.uint32, size=3).tolist())
//	r=np.random.RandomState(5489); print([repr(v) for v in r.random_sample(4)])
//	r=np.random.RandomState(42); print(r.permutation(10).tolist())
//	r=np.random.RandomState(42); a=np.arange(25); r.shuffle(a); print(a.tolist())
//	r=np.random.RandomState(7); print([int(r.randint(0,10)) for _ in range(8)],
//	    int(r.randint(-5,2**40)), int(r.randint(3,4)), int(r.randint(0, 2**32)),
//	    int(r.randint(-2**62, 2**62)))
//	r=np.random.RandomState(2**32-1); print(r.randint(2**32, dtype=np.uint32, size=2).tolist())
//	r=np.random.RandomState(1); x=[r.randint(0,5) for _ in range(3)]; r.shuffle(a)
//	print(x, a.tolist(), repr(r.random_sample()))   # a is the shuffled array above

func TestNumpyRandomStateRawOutputs(t *testing.T) {
	r := NewNumpyRandomState(0)
	for i, want := range []uint32{2357136044, 2546248239, 3071714933, 3626093760, 2588848963} {
		assert.Equal(t, want, r.Uint32(), "seed 0, output %d", i)
	}
	r = NewNumpyRandomState(12345)
	for i, want := range []uint32{3992670690, 3823185381, 1358822685} {
		assert.Equal(t, want, r.Uint32(), "seed 12345, output %d", i)
	}
	r = NewNumpyRandomState(1<<32 - 1)
	assert.Equal(t, uint32(419326371), r.Uint32())
	assert.Equal(t, uint32(479346978), r.Uint32())
}

func TestNumpyRandomStateRandomSample(t *testing.T) {
	r := NewNumpyRandomState(5489)
	for i, want := range []float64{0.8147236863931789, 0.9057919370756192, 0.12698681629350606, 0.9133758561390194} {
		assert.Equal(t, want, r.RandomSample(), "sample %d", i) // bit-exact
	}
}

func TestNumpyRandomStatePermutationAndShuffle(t *testing.T) {
	r := NewNumpyRandomState(42)
	assert.Equal(t, []int{8, 1, 5, 0, 7, 2, 9, 4, 3, 6}, r.Permutation(10))

	r = NewNumpyRandomState(42)
	a := make([]int, 25)
	for i := range a {
		a[i] = i
	}
	r.Shuffle(a)
	want := []int{8, 16, 0, 23, 11, 9, 13, 1, 22, 5, 2, 12, 15, 3, 4, 20, 17, 21, 18, 24, 7, 10, 14, 19, 6}
	require.Equal(t, want, a)

	// Interleaved calls consume the stream as numpy does.
	r = NewNumpyRandomState(1)
	var x []int64
	for range 3 {
		x = append(x, r.Randint(0, 5))
	}
	assert.Equal(t, []int64{3, 4, 0}, x)
	r.Shuffle(a)
	assert.Equal(t, []int{4, 10, 18, 7, 22, 24, 23, 2, 19, 14, 11, 0, 6, 13, 21, 3, 1, 15, 16, 17, 8, 20, 9, 12, 5}, a)
	assert.Equal(t, 0.6704675101784022, r.RandomSample())

	assert.Empty(t, r.Permutation(0))
	assert.Panics(t, func() { r.Permutation(-1) })
}

func TestNumpyRandomStateRandint(t *testing.T) {
	r := NewNumpyRandomState(7)
	var got []int64
	for range 8 {
		got = append(got, r.Randint(0, 10))
	}
	assert.Equal(t, []int64{4, 9, 6, 3, 3, 7, 7, 9}, got)
	assert.Equal(t, int64(309610205524), r.Randint(-5, 1<<40)) // 64-bit masked path
	assert.Equal(t, int64(3), r.Randint(3, 4))                 // consumes nothing
	assert.Equal(t, int64(309457262), r.Randint(0, 1<<32))     // full 32-bit range
	assert.Equal(t, int64(3124365825960078042), r.Randint(-1<<62, 1<<62))
	assert.Panics(t, func() { r.Randint(2, 2) })
}

func TestNumpyRandomStateDeterministic(t *testing.T) {
	a, b := NewNumpyRandomState(99), NewNumpyRandomState(99)
	for range 2000 { // crosses a state refill (624 outputs)
		require.Equal(t, a.Uint32(), b.Uint32())
	}
	a.Seed(99)
	c := NewNumpyRandomState(99)
	assert.Equal(t, c.Permutation(50), a.Permutation(50))
}
