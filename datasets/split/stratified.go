package split

import (
	"fmt"
	"slices"
)

// StratifiedKFold reproduces scikit-learn's
// StratifiedKFold(n_splits, shuffle, random_state) fold for fold, sample for
// sample, for the algorithm scikit-learn has used since 0.22 (checked against
// the Debian 1.2.1 build and the current source, whose _make_test_folds is
// unchanged). Versions before 0.22 used a different algorithm and give other
// folds.
//
// The algorithm: classes are numbered in order of first appearance in the
// labels; the labels sorted by that number are dealt round robin into the
// folds, which fixes how many samples of each class every test fold gets; then
// for each class in turn the block list of fold ids for that class
// (0,0,…,1,1,…) is optionally shuffled with numpy's RandomState(Seed).shuffle,
// one generator shared across classes, and handed out to the class's samples
// in index order.
//
// Graph-JEPA's TU-dataset protocol is
// StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 12345} over all graphs.
type StratifiedKFold struct {
	// NSplits is the number of folds; zero means 5, scikit-learn's default.
	NSplits int
	// Shuffle shuffles the fold ids within each class.
	Shuffle bool
	// Seed is scikit-learn's integer random_state, used only when Shuffle is
	// set.
	Seed uint32
	// Warn, if not nil, receives the text of the UserWarning scikit-learn
	// emits when the least populated class has fewer than NSplits members
	// (some test folds then miss that class). Splitting goes on, as in
	// scikit-learn.
	Warn func(msg string)
}

func (s StratifiedKFold) nSplits() int {
	if s.NSplits == 0 {
		return 5
	}
	return s.NSplits
}

// Split returns the folds for the given class labels (any integers; only
// equality matters). It returns an error for fewer than 2 splits, no labels,
// more splits than samples, or when every class has fewer members than the
// number of splits, which are the cases where scikit-learn raises.
func (s StratifiedKFold) Split(labels []int) ([]Fold, error) {
	fold, err := s.Assign(labels)
	if err != nil {
		return nil, err
	}
	return foldsFromAssignment(fold, s.nSplits()), nil
}

// Assign returns the test fold of every sample (scikit-learn's
// _make_test_folds). Errors and warnings are those of Split.
func (s StratifiedKFold) Assign(labels []int) ([]int, error) {
	ns := s.nSplits()
	if err := checkSplits(ns, len(labels)); err != nil {
		return nil, err
	}
	// Encode classes by order of first appearance.
	code := make(map[int]int)
	enc := make([]int, len(labels))
	var counts []int
	for i, l := range labels {
		c, ok := code[l]
		if !ok {
			c = len(counts)
			code[l] = c
			counts = append(counts, 0)
		}
		enc[i] = c
		counts[c]++
	}
	nClasses := len(counts)
	minCount := slices.Min(counts)
	if slices.Max(counts) < ns {
		return nil, fmt.Errorf("split: %d splits cannot be more than the number of members in each class (largest class has %d)", ns, slices.Max(counts))
	}
	if minCount < ns && s.Warn != nil {
		s.Warn(fmt.Sprintf("The least populated class in y has only %d members, which is less than n_splits=%d.", minCount, ns))
	}

	// allocation[f][c]: samples of class c in test fold f, from dealing the
	// class-sorted labels round robin over the folds.
	allocation := make([][]int, ns)
	for f := range allocation {
		allocation[f] = make([]int, nClasses)
	}
	pos := 0
	for c, n := range counts {
		for range n {
			allocation[pos%ns][c]++
			pos++
		}
	}

	fold := make([]int, len(labels))
	var rng *NumpyRandomState
	if s.Shuffle {
		rng = NewNumpyRandomState(s.Seed)
	}
	perClass := make([]int, 0, slices.Max(counts))
	next := make([]int, nClasses) // next position in each class's fold list
	lists := make([][]int, nClasses)
	for c := range nClasses {
		perClass = perClass[:0]
		for f := range ns {
			for range allocation[f][c] {
				perClass = append(perClass, f)
			}
		}
		if rng != nil {
			rng.Shuffle(perClass)
		}
		lists[c] = slices.Clone(perClass)
	}
	for i, c := range enc {
		fold[i] = lists[c][next[c]]
		next[c]++
	}
	return fold, nil
}
