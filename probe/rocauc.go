package probe

import (
	"fmt"
	"math"
	"slices"
)

// ROCAUC returns the area under the ROC curve of scores (one per sample,
// larger meaning more positive) against binary labels, as scikit-learn's
// roc_auc_score(labels, scores) does for two classes: the labels may be any
// two distinct integers, the larger one being the positive class, and tied
// scores count one half (the trapezoid over distinct thresholds, which is
// the Mann–Whitney U statistic with averaged ranks divided by P·N).
//
// The sum is exact for fewer than 2²⁶ samples (it counts half-pairs in a
// float64), so the result equals scikit-learn's up to its rounding of the
// trapezoid (≤ 1e-15 in practice).
//
// An error is returned for different lengths, no samples, a NaN or
// infinite score, more than two classes, or a single class (the AUC is
// then undefined; scikit-learn raises ValueError).
func ROCAUC(scores []float64, labels []int) (float64, error) {
	if len(scores) != len(labels) {
		return 0, fmt.Errorf("probe: ROCAUC: %d scores but %d labels", len(scores), len(labels))
	}
	if len(scores) == 0 {
		return 0, fmt.Errorf("%w: ROCAUC of no samples", ErrEmpty)
	}
	neg, pos := labels[0], labels[0]
	for i, l := range labels {
		switch {
		case l == neg || l == pos:
		case neg == pos:
			neg, pos = min(neg, l), max(pos, l)
		default:
			return 0, fmt.Errorf("probe: ROCAUC: labels take more than two values (%d, %d and %d at sample %d)", neg, pos, l, i)
		}
		if math.IsNaN(scores[i]) || math.IsInf(scores[i], 0) {
			return 0, fmt.Errorf("probe: ROCAUC: score %d is %v", i, scores[i])
		}
	}
	if neg == pos {
		return 0, fmt.Errorf("probe: ROCAUC: only class %d is present; the ROC AUC needs both classes", neg)
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case scores[a] < scores[b]:
			return -1
		case scores[a] > scores[b]:
			return 1
		}
		return 0
	})
	// Walk the groups of tied scores in ascending order: every positive
	// of a group beats the negatives below it and ties (half) with the
	// negatives of its own group. The sum counts half-pairs.
	var halfPairs, negBelow, nPos float64
	for lo := 0; lo < len(order); {
		hi := lo
		var p, q float64
		for ; hi < len(order) && scores[order[hi]] == scores[order[lo]]; hi++ {
			if labels[order[hi]] == pos {
				p++
			} else {
				q++
			}
		}
		halfPairs += p * (2*negBelow + q)
		negBelow += q
		nPos += p
		lo = hi
	}
	return halfPairs / (2 * nPos * negBelow), nil
}
