package pointjepa

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSequencerGreedyMinTies(t *testing.T) {
	// Centers on a line at x = 0, 1, 2, 3 given out of order, plus a tie:
	// from the start (smallest coordinate sum, index 2 at x = −1), the two
	// centers at distance 1 (indices 0 and 4, both at x = 0) tie: the lower
	// index comes first, then its twin at distance 0.
	c := []float32{
		0, 0, 0, // 0
		2, 0, 0, // 1
		-1, 0, 0, // 2: start (sum −1)
		1, 0, 0, // 3
		0, 0, 0, // 4: same as 0
	}
	var s sequencer
	s.method = SequencerGreedyMin
	got := s.order(make([]int, 5), c, 1, 5)
	if want := []int{2, 0, 4, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("greedy-min order %v, want %v", got, want)
	}
	// Start ties: two centers with the same smallest sum → the lower index.
	c2 := []float32{5, 5, 5, 0, 0, 0, 1, -1, 0, 9, 9, 9}
	got = s.order(make([]int, 4), c2, 1, 4)
	if got[0] != 1 {
		t.Errorf("greedy-min start %d, want 1 (sum 0 at indices 1 and 2: lowest index)", got[0])
	}
	s.method = SequencerGreedy
	if got = s.order(make([]int, 5), c, 1, 5); got[0] != 0 {
		t.Errorf("greedy start %d, want 0", got[0])
	}
}

// TestSequencerPermutation checks that every method returns a permutation of
// each cloud's centers and that the greedy chain always takes the nearest
// unvisited center.
func TestSequencerPermutation(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const B, G = 3, 64
	c := make([]float32, B*G*3)
	for i := range c {
		c[i] = float32(rng.NormFloat64())
	}
	for _, method := range []string{SequencerGreedyMin, SequencerGreedy, SequencerMorton, SequencerNone} {
		s := sequencer{method: method}
		o := s.order(make([]int, B*G), c, B, G)
		for b := 0; b < B; b++ {
			ob := slices.Clone(o[b*G : (b+1)*G])
			slices.Sort(ob)
			for i, v := range ob {
				if v != i {
					t.Fatalf("%s: cloud %d: order is not a permutation: %v", method, b, o[b*G:(b+1)*G])
				}
			}
		}
		if method != SequencerGreedyMin {
			continue
		}
		for b := 0; b < B; b++ {
			cb, ob := c[b*G*3:], o[b*G:(b+1)*G]
			d := func(i, j int) float64 {
				var s float64
				for a := 0; a < 3; a++ {
					x := float64(cb[3*i+a]) - float64(cb[3*j+a])
					s += x * x
				}
				return s
			}
			seen := map[int]bool{ob[0]: true}
			for p := 1; p < G; p++ {
				for j := 0; j < G; j++ {
					if !seen[j] && d(ob[p-1], j) < d(ob[p-1], ob[p]) {
						t.Fatalf("cloud %d position %d: took %d, but %d is nearer", b, p, ob[p], j)
					}
				}
				seen[ob[p]] = true
			}
		}
	}
}

func TestSequencerMorton(t *testing.T) {
	// Morton codes on a 2×2×2 grid: the coordinates are mapped to 2²¹ − v, so
	// larger coordinates get smaller codes; x is the lowest bit.
	var c []float32
	for i := 0; i < 8; i++ {
		c = append(c, float32(i&1), float32(i>>1&1), float32(i>>2&1))
	}
	s := sequencer{method: SequencerMorton}
	got := s.order(make([]int, 8), c, 1, 8)
	if want := []int{7, 6, 5, 4, 3, 2, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("morton order %v, want %v", got, want)
	}
}
