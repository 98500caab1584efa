package jepa

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is the built-in progress display: a schollz/progressbar bar on
// a terminal, plain periodic lines otherwise (CI logs).
type progress struct {
	mode      string
	w         io.Writer
	bar       *progressbar.ProgressBar
	every     time.Duration
	start     time.Time
	last      time.Time
	startStep int
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(t *Trainer) *progress {
	p := &progress{mode: t.cfg.Progress, w: t.out, start: time.Now(), startStep: t.state.Step,
		every: time.Duration(t.cfg.ProgressEverySec * float64(time.Second))}
	p.last = p.start
	if p.mode == ProgressAuto {
		p.mode = ProgressLines
		if isTerminal(t.out) {
			p.mode = ProgressBar
		}
	}
	switch p.mode {
	case ProgressBar:
		p.bar = progressbar.NewOptions(t.TotalSteps(),
			progressbar.OptionSetWriter(t.out),
			progressbar.OptionSetDescription(p.describe(t)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("step"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionFullWidth(),
		)
		_ = p.bar.Set(t.state.Step)
	case ProgressLines:
		what := "starting"
		if t.resumed {
			what = "resuming"
		}
		fmt.Fprintf(p.w, "%s%s: %d epochs × %d steps, at step %d\n", runLabel(t), what, t.cfg.Epochs, t.cfg.StepsPerEpoch, t.state.Step)
	}
	return p
}

func runLabel(t *Trainer) string {
	if t.cfg.Name == "" {
		return ""
	}
	return t.cfg.Name + ": "
}

// describe returns "epoch e/E loss x".
func (p *progress) describe(t *Trainer) string {
	e := t.state.Epoch + 1
	if t.state.Step > 0 {
		e = t.rec.Epoch + 1 // the epoch of the last step or finished epoch
	}
	e = min(e, t.cfg.Epochs)
	s := fmt.Sprintf("%sepoch %d/%d", runLabel(t), e, t.cfg.Epochs)
	if v, ok := t.rec.Get(KeyLoss); ok && t.state.Step > 0 {
		s += fmt.Sprintf(" loss %.4g", v)
	}
	return s
}

// line returns a plain progress line.
func (p *progress) line(t *Trainer) string {
	var b strings.Builder
	b.WriteString(p.describe(t))
	total := t.TotalSteps()
	fmt.Fprintf(&b, " step %d/%d (%.1f%%)", t.state.Step, total, 100*float64(t.state.Step)/float64(max(total, 1)))
	fmt.Fprintf(&b, " lr %.3g", t.opt.LR())
	if m := t.state.Momentum; t.ema != nil && !math.IsNaN(m) {
		fmt.Fprintf(&b, " ema %.6g", m)
	}
	elapsed := time.Since(p.start)
	if done := t.state.Step - p.startStep; done > 0 && elapsed > 0 {
		rate := float64(done) / elapsed.Seconds()
		if v, ok := t.rec.Get(KeySamplesPerS); ok {
			fmt.Fprintf(&b, " %.4g samples/s", v)
		}
		eta := time.Duration(float64(total-t.state.Step) / rate * float64(time.Second))
		fmt.Fprintf(&b, " %.3g steps/s ETA %s", rate, eta.Round(time.Second))
	}
	return b.String()
}

func (p *progress) step(t *Trainer) {
	if p == nil {
		return
	}
	switch p.mode {
	case ProgressBar:
		if time.Since(p.last) >= 100*time.Millisecond || t.state.Step == t.TotalSteps() {
			p.bar.Describe(p.describe(t))
			p.last = time.Now()
		}
		_ = p.bar.Add(1)
	case ProgressLines:
		if time.Since(p.last) >= p.every {
			fmt.Fprintln(p.w, p.line(t))
			p.last = time.Now()
		}
	}
}

func (p *progress) epoch(t *Trainer) {
	if p == nil {
		return
	}
	switch p.mode {
	case ProgressBar:
		if !p.bar.IsFinished() {
			p.bar.Describe(p.describe(t))
		}
	case ProgressLines:
		fmt.Fprintf(p.w, "%s (end of epoch %d)\n", p.line(t), t.rec.Epoch+1)
		p.last = time.Now()
	}
}

func (p *progress) end(t *Trainer) {
	if p == nil || p.mode == ProgressOff {
		return
	}
	if p.bar != nil {
		if !p.bar.IsFinished() {
			_ = p.bar.Exit() // keep the bar where the run ended
		}
		fmt.Fprintln(p.w)
	}
	switch {
	case t.err != nil:
		fmt.Fprintf(p.w, "%sfailed after step %d: %v\n", runLabel(t), t.state.Step, t.err)
	case t.state.Stopped != "":
		fmt.Fprintf(p.w, "%sstopped after step %d: %s\n", runLabel(t), t.state.Step, t.state.Stopped)
	default:
		fmt.Fprintf(p.w, "%sdone: %d steps in %s\n", runLabel(t), t.state.Step, time.Since(p.start).Round(time.Millisecond))
	}
}
