package datasets

import (
	"runtime"
	"sync"
)

// pointWorkers returns how many goroutines to use for n independent
// items: want if positive, else GOMAXPROCS, never more than n and never
// less than 1.
func pointWorkers(want, n int) int {
	w := want
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	if w > n {
		w = n
	}
	if w < 1 {
		w = 1
	}
	return w
}

// runPointItems calls fn(worker, i) for every i in [0,n) on w goroutines
// that take items in order from a shared counter (good when items have
// uneven cost, e.g. files). It stops handing out items after the first
// call that returns a non-nil error and returns the error of the lowest
// failing index among those that ran.
func runPointItems(w, n int, fn func(worker, i int) error) error {
	if w <= 1 {
		for i := range n {
			if err := fn(0, i); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		mu      sync.Mutex
		next    int
		errIdx  = -1
		firstEr error
		wg      sync.WaitGroup
	)
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		if errIdx >= 0 || next >= n {
			return -1
		}
		i := next
		next++
		return i
	}
	wg.Add(w)
	for k := range w {
		go func() {
			defer wg.Done()
			for i := take(); i >= 0; i = take() {
				if err := fn(k, i); err != nil {
					mu.Lock()
					if errIdx < 0 || i < errIdx {
						errIdx, firstEr = i, err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return firstEr
}
