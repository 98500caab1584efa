package split

import (
	"bufio"
	"github.com/nongrid/jepa/internal/shareddata"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Expected folds were computed once with scikit-learn 1.2.1 / numpy 1.24.2
// (Debian python3-sklearn) by this script; each string holds the test fold of
// every sample in order:
//
//	import numpy as np
//	from sklearn.model_selection import StratifiedKFold, KFold
//	def fid(splitter, y):
//	    f = np.empty(len(y), int)
//	    for k, (tr, te) in enumerate(splitter.split(np.zeros(len(y)), y)):
//	        f[te] = k
//	    return ''.join(str(v) for v in f)
//	y = np.random.RandomState(3).choice([7, 2, 5, 9], size=97, p=[.4, .3, .25, .05])
//	print('labels', ''.join({7:'a',2:'b',5:'c',9:'d'}[v] for v in y))
//	print('s10_12345', fid(StratifiedKFold(10, shuffle=True, random_state=12345), y))
//	print('s5_noshuf', fid(StratifiedKFold(5), y))
//	print('s3_0', fid(StratifiedKFold(3, shuffle=True, random_state=0), y))
//	print('s4_4294967295', fid(StratifiedKFold(4, shuffle=True, random_state=2**32-1), y))
//	print('k5_7', fid(KFold(5, shuffle=True, random_state=7), np.zeros(23)))
//	print('k4', fid(KFold(4), np.zeros(10)))
//	m = np.loadtxt('.../MUTAG/MUTAG_graph_labels.txt', dtype=int)
//	print('mutag', fid(StratifiedKFold(10, shuffle=True, random_state=12345), m))
//
// The labels a, b, c, d stand for 7, 2, 5, 9: the first-appearance order
// (2, 7, 5, 9) differs from the sorted order, which the algorithm depends on.
const (
	skLabels      = "bcabccaaababbabbabababbabcaaacdbccaabbaabbaabcbaabaababaccbbabababaadabbcbbaaaaaabadbbcacccbccbcb"
	skFolds10     = "6016942360441330709153825095035223017677518017727280342158845468653648237649495325169948181026799"
	skFolds5Plain = "0000000000000000000111111111110112111112122222222222222322233333333313333343444444444434334444444"
	skFolds3Seed0 = "1021222221102221001022202121122211112222202012002110110100200012010110011010202011101000122210000"
	skFolds4Max   = "1010220232021032121033110333122022300312300331222022011313110301212003230221211032330030031111303"
	skKFold5Seed7 = "10044013332112342224010"
	skKFold4Plain = "0001112233"
	skMUTAGFolds  = "90256447280535516117138177213373305801294632388658418589750271007347242297556163201391779434319450136826096654941694685985681004512579868294785624749413030726600605678714999249320032288573"
)

func digits(t *testing.T, s string) []int {
	t.Helper()
	out := make([]int, len(s))
	for i, r := range s {
		require.True(t, r >= '0' && r <= '9')
		out[i] = int(r - '0')
	}
	return out
}

func skLabelVector() []int {
	m := map[rune]int{'a': 7, 'b': 2, 'c': 5, 'd': 9}
	var y []int
	for _, r := range skLabels {
		y = append(y, m[r])
	}
	return y
}

func TestStratifiedKFoldMatchesScikitLearn(t *testing.T) {
	y := skLabelVector()
	for _, tc := range []struct {
		name string
		s    StratifiedKFold
		want string
	}{
		{"10 folds seed 12345", StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 12345}, skFolds10},
		{"5 folds no shuffle", StratifiedKFold{}, skFolds5Plain},
		{"3 folds seed 0", StratifiedKFold{NSplits: 3, Shuffle: true}, skFolds3Seed0},
		{"4 folds seed 2^32-1", StratifiedKFold{NSplits: 4, Shuffle: true, Seed: 1<<32 - 1}, skFolds4Max},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warned []string
			tc.s.Warn = func(m string) { warned = append(warned, m) }
			got, err := tc.s.Assign(y)
			require.NoError(t, err)
			assert.Equal(t, digits(t, tc.want), got)
			// class 9 has 3 members: scikit-learn warns for every k > 3.
			if tc.s.nSplits() > 3 {
				require.Len(t, warned, 1)
				assert.Contains(t, warned[0], "only 3 members")
			} else {
				assert.Empty(t, warned)
			}

			folds, err := tc.s.Split(y)
			require.NoError(t, err)
			want := digits(t, tc.want)
			for f, fold := range folds {
				for _, i := range fold.Test {
					assert.Equal(t, f, want[i])
				}
				assert.Len(t, fold.Train, len(y)-len(fold.Test))
			}
		})
	}
}

func TestKFoldMatchesScikitLearn(t *testing.T) {
	folds, err := KFold{NSplits: 5, Shuffle: true, Seed: 7}.Split(23)
	require.NoError(t, err)
	assert.Equal(t, digits(t, skKFold5Seed7), foldIDs(folds, 23))

	folds, err = KFold{NSplits: 4}.Split(10)
	require.NoError(t, err)
	assert.Equal(t, digits(t, skKFold4Plain), foldIDs(folds, 10))
	assert.Equal(t, []int{0, 1, 2}, folds[0].Test)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7}, folds[3].Train)
}

func foldIDs(folds []Fold, n int) []int {
	id := make([]int, n)
	for i := range id {
		id[i] = -1
	}
	for f, fold := range folds {
		for _, i := range fold.Test {
			id[i] = f
		}
	}
	return id
}

// dataDir returns ../shared/data or skips the test.
func dataDir(t *testing.T) string { return shareddata.Dir(t) }

func TestStratifiedKFoldMUTAG(t *testing.T) {
	path := filepath.Join(dataDir(t), "graphs", "tu", "MUTAG", "MUTAG_graph_labels.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Skip("split: MUTAG labels absent: ", err)
	}
	defer f.Close()
	var y []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
		require.NoError(t, err)
		y = append(y, v)
	}
	require.NoError(t, sc.Err())
	require.Len(t, y, 188)

	got, err := StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 12345}.Assign(y)
	require.NoError(t, err)
	assert.Equal(t, digits(t, skMUTAGFolds), got)
}

func TestStratifiedKFoldProperties(t *testing.T) {
	// 3 classes of 50, 31 and 12 samples in a scrambled order.
	var y []int
	for i := range 93 {
		switch {
		case i%3 == 0 && i < 36:
			y = append(y, 40)
		case i%2 == 0:
			y = append(y, -3)
		default:
			y = append(y, 11)
		}
	}
	count := map[int]int{}
	for _, l := range y {
		count[l]++
	}
	for _, shuffle := range []bool{false, true} {
		s := StratifiedKFold{NSplits: 7, Shuffle: shuffle, Seed: 5}
		folds, err := s.Split(y)
		require.NoError(t, err)
		require.Len(t, folds, 7)
		seen := make([]int, len(y))
		for _, f := range folds {
			require.True(t, slices.IsSorted(f.Test))
			require.True(t, slices.IsSorted(f.Train))
			// train and test partition the samples
			all := slices.Concat(f.Train, f.Test)
			slices.Sort(all)
			for i, v := range all {
				require.Equal(t, i, v)
			}
			// each class is spread evenly: per-fold count within 1 of n_c/k
			inFold := map[int]int{}
			for _, i := range f.Test {
				seen[i]++
				inFold[y[i]]++
			}
			for c, n := range count {
				assert.InDelta(t, float64(n)/7, float64(inFold[c]), 1.0, "class %d", c)
			}
		}
		for i, n := range seen {
			assert.Equal(t, 1, n, "sample %d tested %d times", i, n)
		}
	}
}

func TestStratifiedKFoldDeterministicAndSeeded(t *testing.T) {
	y := skLabelVector()
	a, err := StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 1}.Assign(y)
	require.NoError(t, err)
	b, err := StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 1}.Assign(y)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	c, err := StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 2}.Assign(y)
	require.NoError(t, err)
	assert.NotEqual(t, a, c)
	// Relabelling does not change the folds (scikit-learn's design goal).
	re := make([]int, len(y))
	for i, l := range y {
		re[i] = 1000 - 3*l
	}
	d, err := StratifiedKFold{NSplits: 10, Shuffle: true, Seed: 1}.Assign(re)
	require.NoError(t, err)
	assert.Equal(t, a, d)
}

func TestSplitErrors(t *testing.T) {
	_, err := StratifiedKFold{NSplits: 1}.Split([]int{0, 1, 0, 1})
	assert.ErrorContains(t, err, "at least 2 splits")
	_, err = StratifiedKFold{NSplits: -3}.Split([]int{0, 1, 0, 1})
	assert.Error(t, err)
	_, err = StratifiedKFold{}.Split(nil)
	assert.ErrorContains(t, err, "no samples")
	_, err = StratifiedKFold{NSplits: 5}.Split([]int{0, 1, 0, 1})
	assert.ErrorContains(t, err, "only 4 samples")
	// every class smaller than k: error (scikit-learn raises)
	_, err = StratifiedKFold{NSplits: 3}.Split([]int{0, 1, 2, 0, 1, 2, 3})
	assert.ErrorContains(t, err, "number of members in each class")
	// some classes smaller than k: warning only (scikit-learn warns)
	var warned string
	_, err = StratifiedKFold{NSplits: 3, Warn: func(m string) { warned = m }}.Split([]int{0, 0, 0, 1, 1, 2})
	assert.NoError(t, err)
	assert.Equal(t, "The least populated class in y has only 1 members, which is less than n_splits=3.", warned)
	// no warning when every class is large enough
	warned = ""
	_, err = StratifiedKFold{NSplits: 2, Warn: func(m string) { warned = m }}.Split([]int{0, 0, 1, 1})
	assert.NoError(t, err)
	assert.Empty(t, warned)

	_, err = KFold{NSplits: 1}.Split(10)
	assert.Error(t, err)
	_, err = KFold{}.Split(4)
	assert.ErrorContains(t, err, "5 splits")
	_, err = KFold{}.Split(0)
	assert.Error(t, err)
}
