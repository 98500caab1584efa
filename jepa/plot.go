package jepa

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nongrid/jepa/nn"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// PlotDir is the directory of a run's plots.
const PlotDir = "plots"

// plotSkip lists the values not worth a plot.
var plotSkip = map[string]bool{KeySamples: true, KeyElapsedS: true}

// PlotRun draws the metrics of the run in runDir (its metrics.jsonl) with
// gonum/plot: runDir/plots/loss.png (step losses and epoch means against
// the step) and one PNG per other logged value (lr, ema_momentum,
// grad_norm, pred_std, target_std, rankme, lidar, samples_per_s, time_ms,
// alloc_bytes and any extra key), each with its step and epoch series.
// NaN and infinite values are left out. It returns the files written,
// each replaced atomically. The trainer calls it at the end of a run;
// both CLIs' plot commands call it on any run directory.
func PlotRun(runDir string) ([]string, error) {
	recs, err := ReadMetrics(filepath.Join(runDir, MetricsFile))
	if err != nil {
		return nil, err
	}
	type series struct{ step, epoch plotter.XYs }
	byKey := map[string]*series{}
	for _, r := range recs {
		for k, v := range r.Values {
			if plotSkip[k] || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			s := byKey[k]
			if s == nil {
				s = &series{}
				byKey[k] = s
			}
			pt := plotter.XY{X: float64(r.Step), Y: v}
			if r.Kind == KindEpoch {
				s.epoch = append(s.epoch, pt)
			} else {
				s.step = append(s.step, pt)
			}
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	dir := filepath.Join(runDir, PlotDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	var files []string
	for _, k := range keys {
		s := byKey[k]
		p := plot.New()
		p.Title.Text = k
		p.X.Label.Text = "step"
		p.Y.Label.Text = k
		p.Add(plotter.NewGrid())
		for i, ser := range []struct {
			name string
			xy   plotter.XYs
		}{{"step", s.step}, {"epoch", s.epoch}} {
			if len(ser.xy) == 0 {
				continue
			}
			sort.SliceStable(ser.xy, func(a, b int) bool { return ser.xy[a].X < ser.xy[b].X })
			l, err := plotter.NewLine(ser.xy)
			if err != nil {
				return nil, fmt.Errorf("jepa: plot %s: %w", k, err)
			}
			l.Color = plotutil.Color(i)
			l.Width = vg.Points(1)
			if i == 1 {
				l.Width = vg.Points(2)
			}
			p.Add(l)
			p.Legend.Add(ser.name, l)
			if len(ser.xy) == 1 { // a single point draws no line
				sc, err := plotter.NewScatter(ser.xy)
				if err == nil {
					sc.Color = plotutil.Color(i)
					p.Add(sc)
				}
			}
		}
		p.Legend.Top = true
		wt, err := p.WriterTo(7*vg.Inch, 4*vg.Inch, "png")
		if err != nil {
			return nil, fmt.Errorf("jepa: plot %s: %w", k, err)
		}
		path := filepath.Join(dir, plotFileName(k))
		if err := nn.WriteFileAtomic(path, func(w io.Writer) error {
			_, err := wt.WriteTo(w)
			return err
		}); err != nil {
			return nil, fmt.Errorf("jepa: %w", err)
		}
		files = append(files, path)
	}
	return files, nil
}

// plotFileName maps a key to a file name: letters, digits, '-' and '_'
// kept, anything else replaced by '_'.
func plotFileName(key string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, key) + ".png"
}
