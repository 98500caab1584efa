package jepa

import (
	"context"
	"fmt"
	"runtime/metrics"
)

// registerBuiltins adds the trainer's own hooks (see the Hook* names).
func (t *Trainer) registerBuiltins() {
	t.OnStep(HookCollapse, PriorityMonitor, func(_ context.Context, t *Trainer) error { return t.checkCollapse() })
	t.OnEpoch(HookPlateau, PrioritySchedule, func(_ context.Context, t *Trainer) error { return t.stepPlateau() })

	t.OnStep(HookMetrics, PriorityMetrics, func(_ context.Context, t *Trainer) error {
		if t.metrics == nil || (t.rec.Step%t.cfg.LogEvery != 0 && !t.rec.extra) {
			return nil
		}
		return t.metrics.write(&t.rec)
	})
	t.OnEpoch(HookMetrics, PriorityMetrics, func(_ context.Context, t *Trainer) error {
		if t.metrics == nil {
			return nil
		}
		return t.metrics.write(&t.rec)
	})

	t.OnStep(HookCheckpoint, PriorityCheckpoint, func(_ context.Context, t *Trainer) error {
		if t.runDir == "" || t.cfg.CheckpointEvery == 0 || t.state.Step%t.cfg.CheckpointEvery != 0 {
			return nil
		}
		return t.SaveCheckpoint()
	})
	t.OnEpoch(HookCheckpoint, PriorityCheckpoint, func(_ context.Context, t *Trainer) error {
		if t.runDir == "" || t.cfg.CheckpointEvery != 0 {
			return nil
		}
		return t.SaveCheckpoint()
	})
	t.OnEnd(HookCheckpoint, PriorityCheckpoint, func(_ context.Context, t *Trainer) error {
		if t.runDir == "" || t.err != nil || t.lastCheckpoint == t.state.Step {
			return nil
		}
		return t.SaveCheckpoint()
	})

	t.OnStart(HookProgress, PriorityProgress, func(_ context.Context, t *Trainer) error {
		t.progress = newProgress(t)
		return nil
	})
	t.OnStep(HookProgress, PriorityProgress, func(_ context.Context, t *Trainer) error {
		t.progress.step(t)
		return nil
	})
	t.OnEpoch(HookProgress, PriorityProgress, func(_ context.Context, t *Trainer) error {
		t.progress.epoch(t)
		return nil
	})
	t.OnEnd(HookProgress, PriorityProgress, func(_ context.Context, t *Trainer) error {
		t.progress.end(t)
		return nil
	})

	t.OnEnd(HookPlot, PriorityPlot, func(_ context.Context, t *Trainer) error {
		if t.runDir == "" || t.cfg.NoPlots {
			return nil
		}
		_, err := PlotRun(t.runDir)
		return err
	})
}

// collapseState counts consecutive steps below the thresholds and
// remembers the last epoch warned about, per key.
type collapseState struct {
	below  map[string]int
	warned map[string]int // epoch+1 of the last warning
}

// checkCollapse is the collapse alarm (CollapseConfig).
func (t *Trainer) checkCollapse() error {
	c := t.cfg.Collapse
	if c.Action == CollapseOff {
		return nil
	}
	if t.collapse.below == nil {
		t.collapse.below, t.collapse.warned = map[string]int{}, map[string]int{}
	}
	for _, k := range []struct {
		key string
		min float64
	}{{KeyPredStd, c.PredStdMin}, {KeyTargetStd, c.TargetStdMin}} {
		v, ok := t.rec.Get(k.key)
		if !ok || k.min < 0 {
			continue
		}
		if v > k.min {
			t.collapse.below[k.key] = 0
			continue
		}
		t.collapse.below[k.key]++
		if t.collapse.below[k.key] < c.Patience {
			continue
		}
		cerr := &CollapseError{Step: t.state.Step, Key: k.key, Value: v, Threshold: k.min}
		if c.Action == CollapseStop {
			return cerr
		}
		if t.collapse.warned[k.key] != t.rec.Epoch+1 {
			t.collapse.warned[k.key] = t.rec.Epoch + 1
			fmt.Fprintf(t.out, "warning: %v\n", cerr)
		}
	}
	return nil
}

// stepPlateau steps ReduceLROnPlateau on the epoch's metric and applies
// StopBelowLR.
func (t *Trainer) stepPlateau() error {
	if t.plateau != nil {
		key := t.cfg.LR.PlateauMetric
		v, ok := t.rec.Get(key)
		if !ok {
			return fmt.Errorf("the plateau schedule watches %q but the epoch record has no such value (set it from an epoch hook of priority < %d)", key, PrioritySchedule)
		}
		t.plateau.Step(v)
	}
	if t.cfg.LR.StopBelowLR > 0 && t.opt.LR() < t.cfg.LR.StopBelowLR {
		t.Stop(fmt.Sprintf("learning rate %.3g fell below %.3g", t.opt.LR(), t.cfg.LR.StopBelowLR))
	}
	return nil
}

// liveHeapBytes returns the bytes of live heap objects, read from
// runtime/metrics (no stop-the-world, unlike runtime.ReadMemStats).
func (t *Trainer) liveHeapBytes() uint64 {
	if t.heap == nil {
		t.heap = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	}
	metrics.Read(t.heap)
	if t.heap[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return t.heap[0].Value.Uint64()
}
