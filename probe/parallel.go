package probe

import (
	"runtime"
	"sync"
)

// parallelFor calls f(0), …, f(n−1) on up to GOMAXPROCS goroutines and
// returns when all calls are done. Callers make every f(i) write only its
// own results, so the outcome does not depend on scheduling.
func parallelFor(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
