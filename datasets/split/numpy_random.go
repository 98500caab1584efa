package split

import "fmt"

// MT19937 constants (Matsumoto & Nishimura 1998).
const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// NumpyRandomState is the Mersenne Twister of numpy's legacy
// numpy.random.RandomState, seeded as RandomState(seed) seeds it from an
// integer (Matsumoto and Nishimura's init_genrand). Every method consumes the
// generator exactly as the numpy method of the same name does, so a sequence
// of calls gives numpy's numbers bit for bit.
//
// The zero value is not usable; create one with NewNumpyRandomState.
type NumpyRandomState struct {
	key [mtN]uint32
	pos int
}

// NewNumpyRandomState returns the generator of numpy.random.RandomState(seed).
// numpy accepts integer seeds in [0, 2³²-1], which is the range of uint32.
func NewNumpyRandomState(seed uint32) *NumpyRandomState {
	r := &NumpyRandomState{}
	r.Seed(seed)
	return r
}

// Seed resets the generator to the state of numpy.random.RandomState(seed).
func (r *NumpyRandomState) Seed(seed uint32) {
	s := seed
	for i := 0; i < mtN; i++ {
		r.key[i] = s
		s = 1812433253*(s^(s>>30)) + uint32(i) + 1
	}
	r.pos = mtN
}

// generate refills the state block (the "genrand" twist).
func (r *NumpyRandomState) generate() {
	k := &r.key
	var i int
	for ; i < mtN-mtM; i++ {
		y := k[i]&mtUpperMask | k[i+1]&mtLowerMask
		k[i] = k[i+mtM] ^ y>>1 ^ -(y&1)&mtMatrixA
	}
	for ; i < mtN-1; i++ {
		y := k[i]&mtUpperMask | k[i+1]&mtLowerMask
		k[i] = k[i+mtM-mtN] ^ y>>1 ^ -(y&1)&mtMatrixA
	}
	y := k[mtN-1]&mtUpperMask | k[0]&mtLowerMask
	k[mtN-1] = k[mtM-1] ^ y>>1 ^ -(y&1)&mtMatrixA
	r.pos = 0
}

// Uint32 returns the next raw 32-bit output (numpy's next_uint32; what
// RandomState.randint(2**32, dtype=np.uint32) returns, and what
// RandomState.tomaxint consumes).
func (r *NumpyRandomState) Uint32() uint32 {
	if r.pos == mtN {
		r.generate()
	}
	y := r.key[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

// Uint64 returns two raw outputs joined, the first in the high half (numpy's
// next_uint64 for MT19937).
func (r *NumpyRandomState) Uint64() uint64 {
	hi := uint64(r.Uint32())
	return hi<<32 | uint64(r.Uint32())
}

// RandomSample returns a float64 in [0, 1) with 53 random bits, as
// RandomState.random_sample() (and numpy.random.rand) does: two outputs a, b
// give ((a>>5)·2²⁶ + (b>>6)) / 2⁵³.
func (r *NumpyRandomState) RandomSample() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// interval returns a uniform integer in [0, max] by masked rejection: it
// draws raw outputs, keeps the bits of the smallest all-ones mask covering
// max, and retries while the value exceeds max. This is numpy's legacy
// random_interval, which RandomState.shuffle and permutation use. Ranges that
// fit in 32 bits consume one 32-bit output per draw, wider ones a 64-bit one.
func (r *NumpyRandomState) interval(max uint64) uint64 {
	if max == 0 {
		return 0
	}
	mask := max
	mask |= mask >> 1
	mask |= mask >> 2
	mask |= mask >> 4
	mask |= mask >> 8
	mask |= mask >> 16
	mask |= mask >> 32
	if max <= 0xffffffff {
		for {
			v := uint64(r.Uint32()) & mask
			if v <= max {
				return v
			}
		}
	}
	for {
		v := r.Uint64() & mask
		if v <= max {
			return v
		}
	}
}

// Shuffle permutes x in place as RandomState.shuffle does for a
// one-dimensional array: Fisher-Yates from the last element down, swapping
// x[i] with x[j] for j drawn uniformly from [0, i] by masked rejection.
func (r *NumpyRandomState) Shuffle(x []int) {
	for i := len(x) - 1; i > 0; i-- {
		j := r.interval(uint64(i))
		x[i], x[j] = x[j], x[i]
	}
}

// Permutation returns RandomState.permutation(n): a shuffled 0, 1, …, n-1.
// It panics if n is negative.
func (r *NumpyRandomState) Permutation(n int) []int {
	if n < 0 {
		panic(fmt.Sprintf("split: negative permutation length %d", n))
	}
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r.Shuffle(p)
	return p
}

// Randint returns one draw of RandomState.randint(low, high) with numpy's
// default integer dtype (int64): a uniform integer in [low, high). As numpy
// does, it draws by masked rejection on high-low-1, using one 32-bit output
// per draw when the range fits in 32 bits and a 64-bit output otherwise; when
// high-low is 1 it consumes nothing and returns low. It panics if high <= low
// (numpy raises ValueError "low >= high").
func (r *NumpyRandomState) Randint(low, high int64) int64 {
	if high <= low {
		panic(fmt.Sprintf("split: Randint: low >= high (%d >= %d)", low, high))
	}
	rng := uint64(high) - uint64(low) - 1
	if rng == 0 {
		return low
	}
	switch {
	case rng == 0xffffffff:
		return low + int64(r.Uint32())
	case rng < 0xffffffff:
		// numpy's buffered_bounded_masked_uint32: one 32-bit output per try.
		return low + int64(r.interval(rng))
	case rng == 0xffffffffffffffff:
		return low + int64(r.Uint64())
	default:
		return low + int64(r.interval(rng))
	}
}
