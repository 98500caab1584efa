package probe_test

import (
	"fmt"

	"github.com/nongrid/jepa/probe"
)

// The ROC AUC of decision scores, as scikit-learn's roc_auc_score: the
// fraction of (positive, negative) pairs ranked correctly, ties counting
// one half. Here the positives 0.35, 0.8, 0.4 against the negatives 0.1,
// 0.4 win 1 + 2 + 1.5 of 6 pairs.
func ExampleROCAUC() {
	scores := []float64{0.1, 0.4, 0.35, 0.8, 0.4}
	labels := []int{0, 0, 1, 1, 1}
	auc, err := probe.ROCAUC(scores, labels)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", auc)
	// Output:
	// 0.7500
}
