package probe

import (
	"bufio"
	"github.com/nongrid/jepa/internal/shareddata"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// dataDir returns ../shared/data or skips the test.
func dataDir(t testing.TB) string { return shareddata.Dir(t) }

// readInts reads a TU text file of comma-separated integers, one record per
// line.
func readInts(t testing.TB, path string) [][]int {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out [][]int
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var rec []int
		for _, field := range strings.Split(sc.Text(), ",") {
			v, err := strconv.Atoi(strings.TrimSpace(field))
			require.NoError(t, err, "%s:%d", path, line)
			rec = append(rec, v)
		}
		out = append(out, rec)
	}
	require.NoError(t, sc.Err())
	return out
}

// mutagHistograms returns, per MUTAG graph, the counts of its 7 node labels
// and of its node degrees 0, 1, 2, 3, ≥4 (12 raw-count features), and the
// graph labels (−1/1). The TU files are parsed minimally here; package
// datasets owns the real loader.
func mutagHistograms(t testing.TB) (*mat.Dense, []int) {
	dir := filepath.Join(dataDir(t), "graphs", "tu", "MUTAG")
	if _, err := os.Stat(filepath.Join(dir, "MUTAG_A.txt")); err != nil {
		t.Skip("probe: MUTAG absent: ", err)
	}
	gi := readInts(t, filepath.Join(dir, "MUTAG_graph_indicator.txt"))
	nl := readInts(t, filepath.Join(dir, "MUTAG_node_labels.txt"))
	edges := readInts(t, filepath.Join(dir, "MUTAG_A.txt"))
	gl := readInts(t, filepath.Join(dir, "MUTAG_graph_labels.txt"))
	require.Len(t, nl, len(gi))
	deg := make([]int, len(gi))
	for _, e := range edges {
		deg[e[0]-1]++ // A lists both directions of every edge
	}
	x := mat.NewDense(len(gl), 12, nil)
	for v, g := range gi {
		x.Set(g[0]-1, nl[v][0], x.At(g[0]-1, nl[v][0])+1)
		b := 7 + min(deg[v], 4)
		x.Set(g[0]-1, b, x.At(g[0]-1, b)+1)
	}
	y := make([]int, len(gl))
	for i, l := range gl {
		y[i] = l[0]
	}
	return x, y
}

// Per-fold test accuracies (%) of scikit-learn 1.2.1 on the same MUTAG
// histograms, Graph-JEPA's folds, computed once with:
//
//	d = '.../graphs/tu/MUTAG/MUTAG_'
//	gi = np.loadtxt(d + 'graph_indicator.txt', dtype=int) - 1
//	nl = np.loadtxt(d + 'node_labels.txt', dtype=int)
//	A = np.loadtxt(d + 'A.txt', dtype=int, delimiter=',') - 1
//	y = np.loadtxt(d + 'graph_labels.txt', dtype=int)
//	deg = np.bincount(A[:, 0], minlength=len(gi))
//	X = np.zeros((y.size, 12))
//	for v in range(len(gi)):
//	    X[gi[v], nl[v]] += 1
//	    X[gi[v], 7 + min(deg[v], 4)] += 1
//	for mk in [lambda: LogisticRegression(max_iter=10000), lambda: SVC(kernel='linear', C=0.012)]:
//	    acc = [mk().fit(X[tr], y[tr]).score(X[te], y[te]) * 100 for tr, te in
//	           StratifiedKFold(10, shuffle=True, random_state=12345).split(X, y)]
//	    print(acc, np.mean(acc), np.std(acc))
//
// Logistic regression: 89.36 ± 5.82; SVC(C=0.012): 84.53 ± 5.64.
var (
	mutagLogisticFolds = []float64{89.47368421052632, 89.47368421052632, 78.94736842105263, 89.47368421052632, 84.21052631578947, 94.73684210526315, 100.0, 89.47368421052632, 94.44444444444444, 83.33333333333334}
	mutagSVCFolds      = []float64{94.73684210526315, 78.94736842105263, 84.21052631578947, 78.94736842105263, 84.21052631578947, 94.73684210526315, 84.21052631578947, 84.21052631578947, 83.33333333333334, 77.77777777777779}
)

func TestMUTAGHistogramsMatchScikitLearn(t *testing.T) {
	x, y := mutagHistograms(t)
	require.Equal(t, 188, len(y))
	// Column sums from the same script: X.sum(0).
	sums := make([]float64, 12)
	for j := range 12 {
		sums[j] = mat.Sum(x.ColView(j))
	}
	assert.Equal(t, []float64{2395, 345, 593, 12, 1, 23, 2, 0, 656, 1360, 1354, 1}, sums)

	for _, tc := range []struct {
		clf  Classifier
		want []float64
		text string
	}{
		{LogisticRegression{MaxIter: 10000}, mutagLogisticFolds, "89.36 ± 5.82"},
		{SVC{C: 0.012}, mutagSVCFolds, "84.53 ± 5.64"},
	} {
		run, err := KFoldAccuracy(tc.clf, x, y, GraphJEPAFolds())
		require.NoError(t, err)
		assert.InDeltaSlice(t, tc.want, run.Scores, 1e-9, "%T", tc.clf)
		r, err := SummarizeFolds(AccuracyPercent, []Run{run})
		require.NoError(t, err)
		assert.Equal(t, tc.text, r.String())
		t.Logf("MUTAG label/degree histograms, %T, Graph-JEPA folds: %s (scikit-learn: %s)", tc.clf, r, tc.text)
	}
}
