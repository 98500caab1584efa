package cli

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTuneGCRespectsEnvironment(t *testing.T) {
	env := func(k string) func(string) string {
		return func(name string) string {
			if name == k {
				return "200"
			}
			return ""
		}
	}
	plenty := func() (uint64, bool) { return 10 << 30, true }
	p := TuneGC(env("GOGC"), plenty)
	assert.False(t, p.Tuned)
	assert.Equal(t, "gc: GOGC=200 from the environment", p.String())
	p = TuneGC(env("GOMEMLIMIT"), plenty)
	assert.False(t, p.Tuned)
	assert.Equal(t, "gc: GOMEMLIMIT=200 from the environment", p.String())
}

func TestTuneGCNeedsMemory(t *testing.T) {
	none := func(string) string { return "" }
	p := TuneGC(none, func() (uint64, bool) { return 0, false })
	assert.False(t, p.Tuned)
	assert.Equal(t, "Go defaults (available memory unknown)", p.Reason)
	p = TuneGC(none, func() (uint64, bool) { return 1 << 30, true })
	assert.False(t, p.Tuned)
	assert.Equal(t, "Go defaults (only 1.0 GiB available)", p.Reason)
}

func TestTuneGCSetsLimit(t *testing.T) {
	oldLimit, oldPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
	defer func() { debug.SetMemoryLimit(oldLimit); debug.SetGCPercent(oldPercent) }()
	p := TuneGC(func(string) string { return "" }, func() (uint64, bool) { return 10 << 30, true })
	require.True(t, p.Tuned)
	assert.Equal(t, int64(4<<30), p.Limit)
	assert.Equal(t, int64(4<<30), debug.SetMemoryLimit(-1))
	assert.Equal(t, -1, debug.SetGCPercent(-1), "collector off below the limit")
	assert.Contains(t, p.String(), "4.0 GiB soft limit (40% of 10.0 GiB available)")
}
