//go:build unix

package partition

import "syscall"

// cpuNanos returns the CPU time (user + system) the process has used, in
// nanoseconds, or -1 when it cannot be read. Benchmarks report it next to
// the wall time because on a shared machine the wall time mostly measures
// the other load.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
