package pointjepa

import (
	"math/rand/v2"
	"testing"
)

// TestMaskSizes draws 2,000 masks at T = 64 with the paper's ratios and
// compares their sizes with the ranges measured from the official samplers
// (spec §1.11: k ∈ [9, 12]; union of the 4 blocks 12–48, mean 32.3; context
// 6–34, mean 17.7; 34 is a sample maximum, the algorithm allows 41), and checks contiguity and disjointness.
func TestMaskSizes(t *testing.T) {
	cfg, _ := Preset("paper")
	rng := rand.New(rand.NewPCG(1, 1))
	var m blockMask
	var sumU, sumC float64
	minU, maxU, minC, maxC := 64, 0, 64, 0
	const draws = 2000
	for d := 0; d < draws; d++ {
		sampleMask(&m, rng, 64, &cfg)
		if m.K < 9 || m.K > 12 {
			t.Fatalf("target block of %d tokens, want 9–12", m.K)
		}
		if len(m.Targets) != 4*m.K {
			t.Fatalf("%d target indices, want 4·%d", len(m.Targets), m.K)
		}
		tgt := map[int]bool{}
		for b := 0; b < 4; b++ {
			blk := m.Targets[b*m.K : (b+1)*m.K]
			for j := 1; j < len(blk); j++ {
				if blk[j] != blk[j-1]+1 {
					t.Fatalf("target block %v is not contiguous", blk)
				}
			}
			if blk[0] < 0 || blk[len(blk)-1] >= 64 {
				t.Fatalf("target block %v out of range", blk)
			}
			for _, i := range blk {
				tgt[i] = true
			}
		}
		// Context: increasing, target-free, and contiguous in the target-free list.
		var valid []int
		for i := 0; i < 64; i++ {
			if !tgt[i] {
				valid = append(valid, i)
			}
		}
		start := -1
		for i, v := range valid {
			if v == m.Context[0] {
				start = i
			}
		}
		if start < 0 {
			t.Fatalf("context starts at target %d", m.Context[0])
		}
		for j, v := range m.Context {
			if start+j >= len(valid) || valid[start+j] != v {
				t.Fatalf("context %v is not a contiguous run of the target-free list %v", m.Context, valid)
			}
		}
		u, c := len(tgt), len(m.Context)
		sumU += float64(u)
		sumC += float64(c)
		minU, maxU, minC, maxC = min(minU, u), max(maxU, u), min(minC, c), max(maxC, c)
	}
	meanU, meanC := sumU/draws, sumC/draws
	t.Logf("union %d–%d mean %.1f; context %d–%d mean %.1f", minU, maxU, meanU, minC, maxC, meanC)
	if minU < 12 || maxU > 48 || meanU < 31 || meanU > 33.6 {
		t.Errorf("target union %d–%d mean %.1f, want within 12–48, mean ≈ 32.3", minU, maxU, meanU)
	}
	// The reference's 2,000 draws reached 34 context tokens; the bound of its
	// algorithm is int(0.75·(64−9)) = 41 (four coinciding 9-token blocks).
	if minC < 6 || maxC > 41 || meanC < 16.9 || meanC > 18.5 {
		t.Errorf("context %d–%d mean %.1f, want within 6–41, mean ≈ 17.7", minC, maxC, meanC)
	}
}

// TestMaskSeeded checks that the same generator state gives the same masks.
func TestMaskSeeded(t *testing.T) {
	cfg, _ := Preset("paper")
	var a, b blockMask
	sampleMask(&a, rand.New(rand.NewPCG(7, 7)), 64, &cfg)
	sampleMask(&b, rand.New(rand.NewPCG(7, 7)), 64, &cfg)
	if a.K != b.K || len(a.Context) != len(b.Context) || a.Context[0] != b.Context[0] || a.Targets[0] != b.Targets[0] {
		t.Errorf("same seed, different masks: %+v vs %+v", a, b)
	}
}
