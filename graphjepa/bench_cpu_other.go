//go:build !unix

package graphjepa

import "time"

// processCPU returns 0: the platform's process CPU time is not read.
func processCPU() time.Duration { return 0 }
