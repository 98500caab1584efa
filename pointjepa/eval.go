package pointjepa

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/jepa"
)

// Embedder maps point clouds to one feature row each: the frozen encoder the
// evaluation protocols (EvalSVM, FewShot) fit their linear classifiers on.
// *Model is one: Model.Embed returns §2.1's features, the concatenation of the
// max and the mean over the student's final-LayerNorm tokens (2·width
// columns, 768 in the paper configuration). Any other encoder (a baseline,
// a test double) can be evaluated the same way.
//
// Embed must return a len(clouds)×d matrix with d the same for every call.
type Embedder interface {
	Embed(clouds []datasets.PointCloud) (*mat.Dense, error)
}

// DefaultEvalBatch is the number of clouds per Embed call of the protocols
// when their Batch field is zero: the official SVM batch (256, §2.1).
const DefaultEvalBatch = 256

// embedClouds embeds clouds through e in chunks of batch, checking ctx
// between chunks and writing one progress line per chunk to log (nil: none).
// It checks the shape of every chunk and that every feature is finite, and
// names the first cloud whose features are not.
func embedClouds(ctx context.Context, e Embedder, clouds []datasets.PointCloud, batch int, what string, log io.Writer) (*mat.Dense, error) {
	if len(clouds) == 0 {
		return nil, fmt.Errorf("pointjepa: no %s clouds to embed", what)
	}
	if batch <= 0 {
		batch = DefaultEvalBatch
	}
	var out *mat.Dense
	start := time.Now()
	for lo := 0; lo < len(clouds); lo += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+batch, len(clouds))
		f, err := e.Embed(clouds[lo:hi])
		if err != nil {
			return nil, fmt.Errorf("pointjepa: embedding %s clouds %d..%d: %w", what, lo, hi-1, err)
		}
		r, c := f.Dims()
		if r != hi-lo || c == 0 {
			return nil, fmt.Errorf("pointjepa: embedder returned %d×%d features for %d %s clouds", r, c, hi-lo, what)
		}
		if out == nil {
			out = mat.NewDense(len(clouds), c, nil)
		} else if _, d := out.Dims(); d != c {
			return nil, fmt.Errorf("pointjepa: embedder returned %d columns for %s clouds %d..%d, %d before", c, what, lo, hi-1, d)
		}
		for i := range r {
			row := f.RawRowView(i)
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("pointjepa: feature %d of %s cloud %s is %v", j, what, cloudName(&clouds[lo+i], lo+i), v)
				}
			}
			out.SetRow(lo+i, row)
		}
		if log != nil {
			el := time.Since(start).Seconds()
			fmt.Fprintf(log, "embed %s: %d/%d clouds, %.1f clouds/s\n", what, hi, len(clouds), float64(hi)/math.Max(el, 1e-9))
		}
	}
	return out, nil
}

// cloudName names a cloud in messages: its file, else its id, else its index.
func cloudName(c *datasets.PointCloud, i int) string {
	switch {
	case c.Path != "":
		return c.Path
	case c.ID != "":
		return c.ID
	}
	return fmt.Sprintf("#%d", i)
}

// labelsOf returns the labels of the clouds of s, or an error naming the
// first cloud without a label (Label < 0) or with one outside ClassNames.
func labelsOf(s *datasets.PointSet, what string) ([]int, error) {
	y := make([]int, len(s.Clouds))
	for i := range s.Clouds {
		l := s.Clouds[i].Label
		if l < 0 || (len(s.ClassNames) > 0 && l >= len(s.ClassNames)) {
			return nil, fmt.Errorf("pointjepa: %s cloud %s has label %d (want 0..%d)", what, cloudName(&s.Clouds[i], i), l, len(s.ClassNames)-1)
		}
		y[i] = l
	}
	return y, nil
}

// featureStd is jepa.TokenStd of the rows of f: the per-dimension standard
// deviation over the samples, averaged. Values near zero mean the features
// collapsed to a constant.
func featureStd(f *mat.Dense) float64 {
	r, c := f.Dims()
	if r < 2 {
		return math.NaN()
	}
	raw := f.RawMatrix()
	if raw.Stride == c {
		return jepa.TokenStd(raw.Data[:r*c], c, nil)
	}
	x := make([]float64, 0, r*c)
	for i := range r {
		x = append(x, f.RawRowView(i)...)
	}
	return jepa.TokenStd(x, c, nil)
}
