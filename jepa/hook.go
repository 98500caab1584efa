package jepa

import (
	"context"
	"fmt"
	"sort"
)

// HookFunc is a callback of the training loop. It reads the trainer's
// state (Step, Epoch, Record, LastResult, …) and may add values to the
// current Record or call Stop. A returned error ends the run with that
// error.
type HookFunc func(ctx context.Context, t *Trainer) error

// Event is a point of the training loop where hooks run.
type Event int

const (
	// EventStart runs before the first step (also of a resumed run).
	EventStart Event = iota
	// EventStep runs after every optimizer step and EMA update; the
	// current Record is the step's.
	EventStep
	// EventEpoch runs after the last step of every epoch; the current
	// Record is the epoch's and Epoch() already counts the finished epoch.
	EventEpoch
	// EventEnd runs once when the run ends, also after an error (see
	// Trainer.Err).
	EventEnd
)

func (e Event) String() string {
	switch e {
	case EventStart:
		return "start"
	case EventStep:
		return "step"
	case EventEpoch:
		return "epoch"
	case EventEnd:
		return "end"
	}
	return fmt.Sprintf("Event(%d)", int(e))
}

// Hook priorities: hooks of an event run in increasing priority order, in
// registration order among equal priorities. The built-in hooks use the
// named levels, so user hooks at PriorityDefault (evaluation, RankMe,
// LiDAR) see the step's values and their results are logged and
// checkpointed.
const (
	PriorityFirst      = -1000
	PriorityMonitor    = -100 // built-in: collapse alarm
	PriorityDefault    = 0    // user hooks
	PrioritySchedule   = 100  // built-in: plateau schedule, StopBelowLR
	PriorityMetrics    = 200  // built-in: metrics.jsonl
	PriorityCheckpoint = 300  // built-in: checkpoints
	PriorityProgress   = 400  // built-in: progress display
	PriorityPlot       = 500  // built-in: plots at the end
	PriorityLast       = 1000
)

// Names of the built-in hooks (see Trainer.RemoveHook).
const (
	HookCollapse   = "collapse"
	HookPlateau    = "lr-plateau"
	HookMetrics    = "metrics"
	HookCheckpoint = "checkpoint"
	HookProgress   = "progress"
	HookPlot       = "plot"
)

type hook struct {
	name     string
	event    Event
	priority int
	seq      int
	fn       HookFunc
}

// hooks is the registry of a trainer.
type hooks struct {
	list []*hook
	seq  int
}

func (h *hooks) add(event Event, name string, priority int, fn HookFunc) {
	if name == "" || fn == nil {
		panic("jepa: a hook needs a name and a function")
	}
	for _, x := range h.list {
		if x.name == name && x.event == event {
			panic(fmt.Sprintf("jepa: duplicate %v hook %q", event, name))
		}
	}
	h.seq++
	h.list = append(h.list, &hook{name: name, event: event, priority: priority, seq: h.seq, fn: fn})
	sort.SliceStable(h.list, func(i, j int) bool {
		a, b := h.list[i], h.list[j]
		if a.priority != b.priority {
			return a.priority < b.priority
		}
		return a.seq < b.seq
	})
}

func (h *hooks) remove(name string) bool {
	n := 0
	for _, x := range h.list {
		if x.name != name {
			h.list[n] = x
			n++
		}
	}
	removed := n < len(h.list)
	h.list = h.list[:n]
	return removed
}

// run calls the hooks of event in order; the first error stops it (for
// EventEnd every hook runs and the errors are joined by the caller).
func (h *hooks) run(ctx context.Context, t *Trainer, event Event, keepGoing bool) []error {
	var errs []error
	for _, x := range h.list {
		if x.event != event {
			continue
		}
		if err := x.fn(ctx, t); err != nil {
			errs = append(errs, fmt.Errorf("jepa: %v hook %q at step %d: %w", event, x.name, t.state.Step, err))
			if !keepGoing {
				return errs
			}
		}
	}
	return errs
}

// HookInfo describes a registered hook.
type HookInfo struct {
	Name     string
	Event    Event
	Priority int
}

// Hooks returns the registered hooks in the order they run within each
// event.
func (t *Trainer) Hooks() []HookInfo {
	out := make([]HookInfo, 0, len(t.hooks.list))
	for _, x := range t.hooks.list {
		out = append(out, HookInfo{Name: x.name, Event: x.event, Priority: x.priority})
	}
	return out
}

// OnStart registers fn to run before the first step. It panics if a start
// hook of that name exists (a programmer error), as do the other
// registration methods.
func (t *Trainer) OnStart(name string, priority int, fn HookFunc) {
	t.hooks.add(EventStart, name, priority, fn)
}

// OnStep registers fn to run after every step.
func (t *Trainer) OnStep(name string, priority int, fn HookFunc) {
	t.hooks.add(EventStep, name, priority, fn)
}

// EveryNSteps registers fn to run after every step whose number is a
// multiple of n (n ≥ 1).
func (t *Trainer) EveryNSteps(n int, name string, priority int, fn HookFunc) {
	if n < 1 {
		panic(fmt.Sprintf("jepa: EveryNSteps(%d)", n))
	}
	t.hooks.add(EventStep, name, priority, func(ctx context.Context, t *Trainer) error {
		if t.state.Step%n != 0 {
			return nil
		}
		return fn(ctx, t)
	})
}

// OnEpoch registers fn to run at the end of every epoch.
func (t *Trainer) OnEpoch(name string, priority int, fn HookFunc) {
	t.hooks.add(EventEpoch, name, priority, fn)
}

// OnEnd registers fn to run when the run ends, with or without error.
func (t *Trainer) OnEnd(name string, priority int, fn HookFunc) {
	t.hooks.add(EventEnd, name, priority, fn)
}

// RemoveHook removes every hook called name (of any event) and reports
// whether there was one; built-in hooks can be removed by their names
// (HookMetrics, HookCheckpoint, …).
func (t *Trainer) RemoveHook(name string) bool { return t.hooks.remove(name) }
