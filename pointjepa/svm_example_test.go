package pointjepa_test

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/pointjepa"
)

// radial is a stand-in encoder for the examples: an 8-bin histogram of the
// distances of a cloud's points from its centroid. A *pointjepa.Model is
// used the same way.
type radial struct{}

func (radial) Embed(clouds []datasets.PointCloud) (*mat.Dense, error) {
	const bins = 8
	out := mat.NewDense(len(clouds), bins, nil)
	for i, c := range clouds {
		var mid [3]float64
		for _, p := range c.Points {
			mid[0], mid[1], mid[2] = mid[0]+p.X, mid[1]+p.Y, mid[2]+p.Z
		}
		n := float64(len(c.Points))
		d := make([]float64, len(c.Points))
		far := 0.0
		for j, p := range c.Points {
			d[j] = math.Hypot(math.Hypot(p.X-mid[0]/n, p.Y-mid[1]/n), p.Z-mid[2]/n)
			far = math.Max(far, d[j])
		}
		for _, v := range d {
			b := min(int(v/far*bins), bins-1)
			out.Set(i, b, out.At(i, b)+10/n)
		}
	}
	return out, nil
}

// EvalSVM fits the paper's linear SVM (SVC, C = 0.012) on the features of
// every training cloud and scores it on every test cloud.
func ExampleEvalSVM() {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256})
	res, err := pointjepa.EvalSVM(context.Background(), radial{}, train, test, pointjepa.SVMConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d train → %d test clouds, %d features: %.2f%% (paper: %s)\n",
		res.TrainClouds, res.TestClouds, res.FeatureDim, res.Accuracy, pointjepa.PaperSVMAccuracy)
	// Output:
	// 320 train → 80 test clouds, 8 features: 83.75% (paper: 93.7 ± 0.2)
}

// FewShot draws seeded N-way K-shot episodes, support from train and
// queries from test, and fits a linear probe per episode.
func ExampleFewShot() {
	train, test := datasets.SyntheticClouds(datasets.SyntheticCloudsConfig{NumPoints: 256})
	rep, err := pointjepa.FewShot(context.Background(), radial{}, train, test, pointjepa.FewShotConfig{
		Settings: []pointjepa.FewShotSetting{{Way: 5, Shot: 10}},
		Query:    10, // the synthetic test split has 10 clouds per class
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Results {
		fmt.Printf("%s over %d folds: %s (paper, fine-tuned: %s)\n", r.Setting, len(r.Accuracy.Runs[0].Scores), r.Accuracy, r.Paper)
	}
	// Output:
	// 5w10s over 10 folds: 83.80 ± 5.62 (paper, fine-tuned: 97.4 ± 2.2)
}
