package cli

import (
	"fmt"
	"runtime/debug"
)

// GCPolicy is the garbage-collector setting TuneGC chose.
type GCPolicy struct {
	// Tuned is false when the user chose (GOGC or GOMEMLIMIT set) or the
	// available memory could not be read; the Go defaults then apply.
	Tuned bool
	// Limit is the soft memory limit set (runtime/debug.SetMemoryLimit), in
	// bytes; 0 when not Tuned.
	Limit int64
	// Reason says why, for a progress line.
	Reason string
}

// String is the one-line description progress output prints.
func (p GCPolicy) String() string { return "gc: " + p.Reason }

// MinTunedLimit is the smallest memory limit TuneGC sets; with less memory
// available it leaves Go's defaults.
const MinTunedLimit = 2 << 30

// TuneGC replaces Go's default collector pacing (GOGC=100) for a training
// process: the collector is off until the heap reaches a soft limit of
// 40 % of the memory available when the process starts (AvailableMemory:
// MemAvailable of /proc/meminfo, lowered to a cgroup's free memory), so
// that two training processes started together still fit (at 60 %, a
// Point-JEPA pretraining and a Graph-JEPA reproduction started minutes
// apart came within 0.4 GB of a 24 GB machine). A training step allocates and drops hundreds of MB of
// tensors; at GOGC=100 the collector runs several times per step and the
// returned pages are faulted back in by the next one (system time as large
// as user time). Measured with `pointjepa bench --preset cpu --steps 6`
// on 2 cores: 15.8 clouds/s with the defaults, 36.5 with GOGC=off and a
// 6 GiB limit.
//
// Setting GOGC or GOMEMLIMIT in the environment keeps Go's behaviour for
// them (the user chose); so does a system whose available memory cannot be
// read or is below MinTunedLimit. getenv is os.Getenv and avail
// AvailableMemory in the CLIs; both are parameters for tests.
func TuneGC(getenv func(string) string, avail func() (uint64, bool)) GCPolicy {
	if v := getenv("GOGC"); v != "" {
		return GCPolicy{Reason: "GOGC=" + v + " from the environment"}
	}
	if v := getenv("GOMEMLIMIT"); v != "" {
		return GCPolicy{Reason: "GOMEMLIMIT=" + v + " from the environment"}
	}
	free, ok := avail()
	if !ok {
		return GCPolicy{Reason: "Go defaults (available memory unknown)"}
	}
	limit := int64(float64(free) * 0.4)
	if limit < MinTunedLimit {
		return GCPolicy{Reason: fmt.Sprintf("Go defaults (only %.1f GiB available)", gib(free))}
	}
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(-1)
	return GCPolicy{Tuned: true, Limit: limit, Reason: fmt.Sprintf(
		"collector off below a %.1f GiB soft limit (40%% of %.1f GiB available); set GOGC or GOMEMLIMIT to choose yourself",
		gib(limit), gib(free))}
}

func gib[T int64 | uint64](b T) float64 { return float64(b) / (1 << 30) }
