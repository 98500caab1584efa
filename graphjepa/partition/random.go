package partition

import "math/bits"

// intn returns a uniform random integer in [0, n), n > 0, from p's PCG
// source. It draws exactly what math/rand/v2's Rand.IntN draws on 64-bit
// platforms (Lemire's multiply-and-reject), so a seed gives the partitions
// it gave through a rand.Rand, but it calls the concrete source directly
// instead of through the rand.Source interface and a swap closure: the
// recursion draws a random number for every boundary vertex of every FM
// pass.
func (p *Partitioner) intn(n int) int {
	un := uint64(n)
	if un&(un-1) == 0 {
		return int(p.src.Uint64() & (un - 1))
	}
	hi, lo := bits.Mul64(p.src.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(p.src.Uint64(), un)
		}
	}
	return int(hi)
}

// shuffle permutes s uniformly at random (Fisher–Yates, the same draws and
// swaps as Rand.Shuffle).
func (p *Partitioner) shuffle(s []int) {
	for i := len(s) - 1; i > 0; i-- {
		j := p.intn(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}
