package datasets

import (
	"errors"
	"fmt"
)

// ErrNoLabels is wrapped by the error of GraphSet.RequireLabels.
var ErrNoLabels = errors.New("no graph labels")

// RequireLabels returns nil when the set can be evaluated: every graph has
// a class in 0..NumClasses-1 and there are at least two classes, or every
// graph has a regression target (Graph.Target) of the same width.
// Otherwise it returns a *ParseError wrapping ErrNoLabels that names the
// set, its source and what is missing — for a TU set, the
// NAME_graph_labels.txt file — e.g.
//
//	data/PTC: graph labels: no graph labels: dataset "PTC" has neither PTC_graph_labels.txt nor PTC_graph_attributes.txt; evaluation needs a class or a target per graph (pretraining does not)
//
// Loaders accept sets without labels, since pretraining needs none; the
// commands that evaluate (eval, reproduce) call RequireLabels on the full
// set before any work, so that a missing label file is an error and not a
// meaningless accuracy.
func (s *GraphSet) RequireLabels() error {
	bad := func(format string, args ...any) error {
		return &ParseError{File: s.Source, Field: "graph labels", Err: fmt.Errorf("%w: dataset %q %s", ErrNoLabels, s.Name, fmt.Sprintf(format, args...))}
	}
	if len(s.Graphs) == 0 {
		return bad("has no graphs")
	}
	if s.NumClasses == 0 {
		w := len(s.Graphs[0].Target)
		if w == 0 {
			what := "has no class or target per graph"
			if s.Format == FormatTU {
				what = fmt.Sprintf("has neither %s_graph_labels.txt nor %s_graph_attributes.txt", s.Name, s.Name)
			}
			return bad("%s; evaluation needs a class or a target per graph (pretraining does not)", what)
		}
		for i, g := range s.Graphs {
			if len(g.Target) != w {
				return bad("graph %d has %d target value(s), graph 0 has %d", i, len(g.Target), w)
			}
		}
		return nil
	}
	counts := make([]int, s.NumClasses)
	for i, g := range s.Graphs {
		if g.Y < 0 || g.Y >= s.NumClasses {
			return bad("graph %d has class %d, want 0..%d", i, g.Y, s.NumClasses-1)
		}
		counts[g.Y]++
	}
	present := 0
	for _, c := range counts {
		if c > 0 {
			present++
		}
	}
	if present < 2 {
		v := any(s.Graphs[0].Y)
		if s.Graphs[0].Y < len(s.ClassValues) {
			v = s.ClassValues[s.Graphs[0].Y]
		}
		return bad("has a single class (all %d graphs have label %v); evaluation needs at least two classes", len(s.Graphs), v)
	}
	return nil
}
