package split

import "fmt"

// Fold is one train/test split of k-fold cross-validation. Both slices hold
// sample indices in increasing order, as scikit-learn returns them.
type Fold struct {
	Train []int
	Test  []int
}

// KFold reproduces scikit-learn's KFold(n_splits, shuffle, random_state):
// the samples (optionally shuffled with numpy's RandomState(Seed).shuffle)
// are cut into NSplits consecutive test blocks, the first n mod NSplits of
// them one sample larger.
type KFold struct {
	// NSplits is the number of folds; zero means 5, scikit-learn's default.
	NSplits int
	// Shuffle shuffles the sample order once before cutting it into blocks.
	Shuffle bool
	// Seed is scikit-learn's integer random_state, used only when Shuffle is
	// set. (scikit-learn's random_state=None, a fresh seed per call, has no
	// counterpart: the same Seed always gives the same folds.)
	Seed uint32
}

func (k KFold) nSplits() int {
	if k.NSplits == 0 {
		return 5
	}
	return k.NSplits
}

// Split returns the folds for n samples. It returns an error when the number
// of splits is below 2 or above n, as scikit-learn does.
func (k KFold) Split(n int) ([]Fold, error) {
	ns := k.nSplits()
	if err := checkSplits(ns, n); err != nil {
		return nil, err
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if k.Shuffle {
		NewNumpyRandomState(k.Seed).Shuffle(idx)
	}
	fold := make([]int, n)
	start := 0
	for f := range ns {
		size := n / ns
		if f < n%ns {
			size++
		}
		for _, i := range idx[start : start+size] {
			fold[i] = f
		}
		start += size
	}
	return foldsFromAssignment(fold, ns), nil
}

func checkSplits(nSplits, n int) error {
	if nSplits < 2 {
		return fmt.Errorf("split: k-fold cross-validation needs at least 2 splits, got %d", nSplits)
	}
	if n == 0 {
		return fmt.Errorf("split: no samples to split")
	}
	if nSplits > n {
		return fmt.Errorf("split: cannot have %d splits with only %d samples", nSplits, n)
	}
	return nil
}

// foldsFromAssignment turns a fold id per sample into Folds with increasing
// indices.
func foldsFromAssignment(fold []int, nSplits int) []Fold {
	counts := make([]int, nSplits)
	for _, f := range fold {
		counts[f]++
	}
	folds := make([]Fold, nSplits)
	for f := range folds {
		folds[f].Test = make([]int, 0, counts[f])
		folds[f].Train = make([]int, 0, len(fold)-counts[f])
	}
	for i, f := range fold {
		for g := range folds {
			if g == f {
				folds[g].Test = append(folds[g].Test, i)
			} else {
				folds[g].Train = append(folds[g].Train, i)
			}
		}
	}
	return folds
}
