package probe_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/probe"
)

// Graph-JEPA's TU protocol: logistic regression, 10 stratified folds with
// random_state 12345, fold mean ± fold std.
func ExampleKFoldAccuracy() {
	// 40 two-dimensional "embeddings" of two classes.
	x := mat.NewDense(40, 2, nil)
	y := make([]int, 40)
	for i := range 40 {
		y[i] = i % 2
		x.Set(i, 0, float64(y[i])*2+float64(i%5)*0.3)
		x.Set(i, 1, float64(i%7)*0.2)
	}
	run, err := probe.KFoldAccuracy(probe.LogisticRegression{MaxIter: 10000}, x, y, probe.GraphJEPAFolds())
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := probe.SummarizeFolds(probe.AccuracyPercent, []probe.Run{run})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(run.Scores), "folds:", report)
	// Output:
	// 10 folds: 100.00 ± 0.00
}

// Point-JEPA's linear SVM: libsvm's one-vs-one SVC with C = 0.012.
func ExampleSVC() {
	x := mat.NewDense(6, 2, []float64{0, 0, 0, 1, 5, 5, 5, 6, 10, 0, 10, 1})
	y := []int{7, 7, 8, 8, 9, 9}
	m, err := probe.SVC{C: 0.012}.FitSVC(x, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	pred, err := m.Predict(mat.NewDense(3, 2, []float64{0.5, 0.5, 5, 5.5, 9, 0.5}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Classes, pred)
	// Output:
	// [7 8 9] [7 8 9]
}

// Graph-JEPA's ZINC protocol: Ridge() on train embeddings, test MAE.
func ExampleRidge() {
	x := mat.NewDense(4, 1, []float64{0, 1, 2, 3})
	y := []float64{1, 3, 5, 7}
	m, err := probe.Ridge{}.Fit(x, y) // alpha = 1
	if err != nil {
		fmt.Println(err)
		return
	}
	pred, _ := m.Predict(x)
	mae, _ := probe.MAE(pred, y)
	fmt.Printf("w=%.4f b=%.4f MAE=%.4f\n", m.Coef[0], m.Intercept, mae)
	// Output:
	// w=1.6667 b=1.5000 MAE=0.3333
}

func ExampleReport() {
	// Graph-JEPA's MUTAG runs (fold mean ± fold std per run, spec §12).
	var runs []probe.Run
	for i, ms := range [][2]float64{{92.11, 5.88}, {91.05, 6.68}, {90.47, 4.61}, {91.55, 5.35}, {91.05, 6.25}} {
		runs = append(runs, probe.NewRun(probe.GraphJEPASeeds[i], []float64{ms[0] - ms[1], ms[0] + ms[1]}))
	}
	r, _ := probe.SummarizeFolds(probe.AccuracyPercent, runs)
	fmt.Println(r)
	// Output:
	// 91.25 ± 5.75
}
