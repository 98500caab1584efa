package pointjepa

import (
	"strings"
	"testing"

	"github.com/nongrid/jepa/jepa"
)

// TestLRInterval checks that Config.LRInterval maps the warmup + cosine
// onto epochs (the reference) or onto the same epochs counted in optimizer
// steps, and that the cpu preset steps it per step.
func TestLRInterval(t *testing.T) {
	c := tinyConfig()
	c.Epochs, c.WarmupEpochs = 13, 2
	r, err := c.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.LRInterval != LRPerEpoch {
		t.Fatalf("zero LRInterval resolved to %q, want %q", r.LRInterval, LRPerEpoch)
	}
	l := lrSchedule(r, 307)
	if l.Interval != jepa.IntervalEpoch || l.Warmup != 2 || l.Total != 13 {
		t.Errorf("per epoch: interval %q warmup %d total %d, want epoch 2 13", l.Interval, l.Warmup, l.Total)
	}
	r.LRInterval = LRPerStep
	l = lrSchedule(r, 307)
	if l.Interval != jepa.IntervalStep || l.Warmup != 614 || l.Total != 3991 {
		t.Errorf("per step: interval %q warmup %d total %d, want step 614 3991", l.Interval, l.Warmup, l.Total)
	}
	r.WarmupEpochs = -1
	if l = lrSchedule(r, 307); l.Warmup != 0 || l.Total != 3991 {
		t.Errorf("per step, no warmup: warmup %d total %d, want 0 3991", l.Warmup, l.Total)
	}

	cpu, err := Preset("cpu")
	if err != nil {
		t.Fatal(err)
	}
	if cpu.LRInterval != LRPerStep || cpu.TauMin != 0.995 || cpu.TauMax != 0.9999 {
		t.Errorf("cpu preset: LRInterval %q, tau %v → %v; want step, 0.995 → 0.9999", cpu.LRInterval, cpu.TauMin, cpu.TauMax)
	}
	paper, err := Preset("paper")
	if err != nil {
		t.Fatal(err)
	}
	if paper.LRInterval != LRPerEpoch || paper.TauMin != 0.9995 || paper.TauMax != 0.99999 {
		t.Errorf("paper preset: LRInterval %q, tau %v → %v; want the released epoch, 0.9995 → 0.99999", paper.LRInterval, paper.TauMin, paper.TauMax)
	}

	c.LRInterval = "batch"
	if _, err := c.Resolve(); err == nil || !strings.Contains(err.Error(), "LRInterval") {
		t.Errorf("LRInterval \"batch\": err %v, want one naming LRInterval", err)
	}
}
