package pointjepa

import (
	"math"
	"slices"
)

// sequencer orders the G patches of every cloud of a batch (spec §1.5,
// the reference's PointSequencer). The order is applied to tokens and
// centers together; the model realises it by gathering rows, so order is
// all a sequencer computes. A sequencer keeps scratch space and is not safe
// for concurrent use.
type sequencer struct {
	method string
	dist   []float64 // [G,G] distances of one cloud
	seen   []bool
	codes  []uint64
	idx    []int
}

// order writes into dst[b*G:(b+1)*G] the indices (into cloud b's FPS order)
// of its centers in sequencer order, for the [B,G,3] centers. It returns dst.
func (s *sequencer) order(dst []int, centers []float32, B, G int) []int {
	if len(dst) != B*G || len(centers) != B*G*3 {
		panic("pointjepa: sequencer.order: bad slice lengths")
	}
	for b := 0; b < B; b++ {
		c := centers[b*G*3 : (b+1)*G*3]
		o := dst[b*G : (b+1)*G]
		switch s.method {
		case SequencerGreedyMin:
			s.greedy(o, c, G, minSumIndex(c, G))
		case SequencerGreedy:
			s.greedy(o, c, G, 0)
		case SequencerMorton:
			s.morton(o, c, G)
		default: // SequencerNone
			for i := range o {
				o[i] = i
			}
		}
	}
	return dst
}

// minSumIndex returns the center with the smallest x + y + z (summed in
// float32, as torch's center.sum(dim=2)), ties to the lowest index (argmin).
func minSumIndex(c []float32, G int) int {
	best, bi := float32(math.Inf(1)), 0
	for i := 0; i < G; i++ {
		v := (c[3*i] + c[3*i+1]) + c[3*i+2]
		if v < best {
			best, bi = v, i
		}
	}
	return bi
}

// greedy is iterative_nearest(_min_start): from start, repeatedly append
// the nearest center not yet in the chain (Euclidean distance from the
// last one), ties to the lowest index. Distances are computed in float64
// from the float32 coordinates (the reference's float32 cdist may order two
// nearly equidistant centers differently).
func (s *sequencer) greedy(o []int, c []float32, G, start int) {
	if cap(s.dist) < G*G {
		s.dist = make([]float64, G*G)
		s.seen = make([]bool, G)
	}
	d, seen := s.dist[:G*G], s.seen[:G]
	for i := 0; i < G; i++ {
		for j := i; j < G; j++ {
			dx := float64(c[3*i]) - float64(c[3*j])
			dy := float64(c[3*i+1]) - float64(c[3*j+1])
			dz := float64(c[3*i+2]) - float64(c[3*j+2])
			v := dx*dx + dy*dy + dz*dz
			d[i*G+j], d[j*G+i] = v, v
		}
		seen[i] = false
	}
	last := start
	o[0], seen[start] = start, true
	for t := 1; t < G; t++ {
		row := d[last*G : (last+1)*G]
		best, bi := math.Inf(1), -1
		for j, v := range row {
			if !seen[j] && (v < best || bi < 0) {
				best, bi = v, j
			}
		}
		o[t], seen[bi], last = bi, true, bi
	}
}

// morton orders the centers by their Morton (z-order) code, as PointGPT's
// z_order (the reference's ablation): coordinates are shifted by
// |min − 0.5| over all coordinates of the cloud, scaled by 256, mapped to
// 2²¹ − v, rounded, and their 21 low bits interleaved x, y, z (x lowest).
// Ties keep the FPS order (a stable sort; the reference's numpy argsort
// leaves them unspecified).
func (s *sequencer) morton(o []int, c []float32, G int) {
	lo := math.Inf(1)
	for _, v := range c[:3*G] {
		lo = min(lo, float64(v))
	}
	shift := math.Abs(lo - 0.5)
	if cap(s.codes) < G {
		s.codes = make([]uint64, G)
	}
	codes := s.codes[:G]
	for i := 0; i < G; i++ {
		var code uint64
		for a := 0; a < 3; a++ {
			q := math.Round(float64(1<<21) - 256*(float64(c[3*i+a])+shift))
			code |= spread3(uint64(int64(q))) << a
		}
		codes[i] = code
		o[i] = i
	}
	slices.SortStableFunc(o, func(a, b int) int {
		switch {
		case codes[a] < codes[b]:
			return -1
		case codes[a] > codes[b]:
			return 1
		}
		return 0
	})
}

// spread3 puts the 21 low bits of x three positions apart.
func spread3(x uint64) uint64 {
	x &= 0x1fffff
	x = (x | x<<32) & 0x1f00000000ffff
	x = (x | x<<16) & 0x1f0000ff0000ff
	x = (x | x<<8) & 0x100f00f00f00f00f
	x = (x | x<<4) & 0x10c30c30c30c30c3
	x = (x | x<<2) & 0x1249249249249249
	return x
}
