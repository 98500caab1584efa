package split_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets/split"
)

// The test folds equal scikit-learn's: for tr, te in
// StratifiedKFold(5, shuffle=True, random_state=12345).split(X, labels):
// print(te). Graph-JEPA uses the same with n_splits=10.
func ExampleStratifiedKFold() {
	labels := []int{1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1}
	folds, err := split.StratifiedKFold{NSplits: 5, Shuffle: true, Seed: 12345}.Split(labels)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range folds {
		fmt.Println(f.Test)
	}
	// Output:
	// [0 14 16 19]
	// [5 9 15 18]
	// [3 7 10 12]
	// [1 2 8 17]
	// [4 6 11 13]
}

func ExampleNumpyRandomState() {
	// numpy.random.RandomState(42).permutation(10)
	r := split.NewNumpyRandomState(42)
	fmt.Println(r.Permutation(10))
	// Output:
	// [8 1 5 0 7 2 9 4 3 6]
}

func ExampleSampleEpisode() {
	var labels []int
	for i := range 300 {
		labels = append(labels, i%10)
	}
	ep, err := split.SampleEpisode(labels, split.EpisodeConfig{Way: 5, Shot: 10}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(ep.Classes), len(ep.Support), len(ep.Query))
	// Output:
	// 5 50 100
}
