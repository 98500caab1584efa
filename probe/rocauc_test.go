package probe

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestROCAUCByHand checks cases counted pair by pair.
func TestROCAUCByHand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []float64
		labels []int
		want   float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []int{0, 0, 1, 1}, 1},
		{"reversed", []float64{0.9, 0.8, 0.2, 0.1}, []int{0, 0, 1, 1}, 0},
		{"all tied", []float64{3, 3, 3, 3, 3}, []int{0, 1, 1, 0, 1}, 0.5},
		// positives 0.35, 0.8 against negatives 0.1, 0.4: 3 of 4 pairs.
		{"one swap", []float64{0.1, 0.4, 0.35, 0.8}, []int{0, 0, 1, 1}, 0.75},
		// positives 0.5, 0.9, 0.5, 0.2 against negatives 0.5, 0.1, 0.9:
		// 1.5 + 2.5 + 1.5 + 1 = 6.5 of 12 pairs.
		{"ties across classes", []float64{0.5, 0.5, 0.9, 0.1, 0.5, 0.2, 0.9}, []int{1, 0, 1, 0, 1, 1, 0}, 6.5 / 12},
		// The larger label is positive: 1 beats -1 in 1.5 of 4 pairs.
		{"labels -1/1", []float64{0.2, 0.1, 0.7, 0.7}, []int{-1, 1, 1, -1}, 1.5 / 4},
		{"labels 3/7", []float64{1, 2}, []int{3, 7}, 1},
	} {
		got, err := ROCAUC(tc.scores, tc.labels)
		require.NoError(t, err, tc.name)
		assert.InDelta(t, tc.want, got, 1e-15, tc.name)
	}
}

// TestROCAUCScikitLearn compares with scikit-learn 1.2.1 (Debian
// python3-sklearn):
//
//	from sklearn.metrics import roc_auc_score
//	print(roc_auc_score([0,1,1,0,1,0,0,1,1,1], [3,1,4,1,5,9,2,6,5,3]))  # 0.625
//	n = 200
//	s = [((i*37) % 11)/10 for i in range(n)]
//	y = [int((i*i + 3*i) % 7 < 3) for i in range(n)]
//	print(roc_auc_score(y, s))  # 0.4660164397006502
//	s2 = [((i*7919) % 1009)/1009.0 - 0.5*y[i] for i in range(n)]
//	print(roc_auc_score(y, s2))  # 0.13053613053613053
func TestROCAUCScikitLearn(t *testing.T) {
	got, err := ROCAUC([]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, []int{0, 1, 1, 0, 1, 0, 0, 1, 1, 1})
	require.NoError(t, err)
	assert.InDelta(t, 0.625, got, 1e-15)

	const n = 200
	s, s2, y := make([]float64, n), make([]float64, n), make([]int, n)
	for i := range n {
		if (i*i+3*i)%7 < 3 {
			y[i] = 1
		}
		s[i] = float64((i*37)%11) / 10
		s2[i] = float64((i*7919)%1009)/1009.0 - 0.5*float64(y[i])
	}
	got, err = ROCAUC(s, y)
	require.NoError(t, err)
	assert.InDelta(t, 0.4660164397006502, got, 1e-14, "many ties")
	got, err = ROCAUC(s2, y)
	require.NoError(t, err)
	assert.InDelta(t, 0.13053613053613053, got, 1e-14, "no ties")
}

// TestROCAUCSymmetry: negating the scores gives 1 − AUC, and the order of
// the samples does not matter.
func TestROCAUCSymmetry(t *testing.T) {
	s := []float64{0.3, 0.3, 0.1, 0.9, 0.5, 0.5, 0.2, 0.7}
	y := []int{1, 0, 0, 1, 1, 0, 1, 0}
	a, err := ROCAUC(s, y)
	require.NoError(t, err)
	neg := make([]float64, len(s))
	for i, v := range s {
		neg[i] = -v
	}
	b, err := ROCAUC(neg, y)
	require.NoError(t, err)
	assert.InDelta(t, 1, a+b, 1e-15)
	rs, ry := make([]float64, len(s)), make([]int, len(y))
	for i := range s {
		rs[len(s)-1-i], ry[len(y)-1-i] = s[i], y[i]
	}
	c, err := ROCAUC(rs, ry)
	require.NoError(t, err)
	assert.Equal(t, a, c)
}

func TestROCAUCBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []float64
		labels []int
		want   string
	}{
		{"one class", []float64{0.1, 0.2}, []int{1, 1}, "only class 1"},
		{"three classes", []float64{0.1, 0.2, 0.3}, []int{0, 1, 2}, "more than two"},
		{"lengths", []float64{0.1}, []int{0, 1}, "1 scores but 2 labels"},
		{"empty", nil, nil, "no samples"},
		{"NaN", []float64{0.1, math.NaN()}, []int{0, 1}, "score 1 is NaN"},
		{"Inf", []float64{math.Inf(-1), 0}, []int{0, 1}, "score 0 is -Inf"},
	} {
		_, err := ROCAUC(tc.scores, tc.labels)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
	}
}
