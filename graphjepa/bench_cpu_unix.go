//go:build unix

package graphjepa

import (
	"syscall"
	"time"
)

// processCPU returns the user + system CPU time of the process so far (0
// where the platform does not report it).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
