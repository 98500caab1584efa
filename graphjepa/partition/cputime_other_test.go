//go:build !unix

package partition

// cpuNanos is not available here; benchmarks then omit their CPU metric.
func cpuNanos() int64 { return -1 }
