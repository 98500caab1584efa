package datasets

import (
	"fmt"
	"math"
)

// OneHotDegree sets node features to the one-hot encoded degree, like
// PyG's OneHotDegree(max_degree, cat): MaxDegree+1 columns, column d set
// for a node with d neighbours. With Cat the block is appended to X (PyG's
// default, cat=True); otherwise it replaces X. A node with degree above
// MaxDegree is an error, as in PyG.
type OneHotDegree struct {
	MaxDegree int
	Cat       bool
}

// TransformGraph implements GraphTransform.
func (o OneHotDegree) TransformGraph(g *Graph) error {
	if o.MaxDegree < 0 {
		panic("datasets: OneHotDegree: negative MaxDegree")
	}
	k := o.MaxDegree + 1
	x, at := catColumns(g, k, o.Cat)
	w := at + k
	for v := 0; v < g.NumNodes(); v++ {
		d := g.Degree(v)
		if d > o.MaxDegree {
			return fmt.Errorf("OneHotDegree: node %d has degree %d > MaxDegree %d", v, d, o.MaxDegree)
		}
		x[v*w+at+d] = 1
	}
	g.X, g.F = x, w
	return nil
}

// String returns e.g. "one-hot-degree(max=135)".
func (o OneHotDegree) String() string {
	if o.Cat {
		return fmt.Sprintf("one-hot-degree(max=%d, cat)", o.MaxDegree)
	}
	return fmt.Sprintf("one-hot-degree(max=%d)", o.MaxDegree)
}

// NormalizedDegree sets node features to the standardised degree
// (deg − Mean)/Std as one float32 column, the NormalizedDegree transform
// of PyG's graph-kernel benchmark (benchmark/kernel/datasets.py). With Cat
// the column is appended to X; otherwise (the benchmark's behaviour) it
// replaces X.
type NormalizedDegree struct {
	Mean, Std float64
	Cat       bool
}

// TransformGraph implements GraphTransform.
func (t NormalizedDegree) TransformGraph(g *Graph) error {
	if !(t.Std > 0) || math.IsInf(t.Std, 0) || math.IsNaN(t.Mean) || math.IsInf(t.Mean, 0) {
		return fmt.Errorf("NormalizedDegree: need finite Mean and Std > 0, have %v, %v", t.Mean, t.Std)
	}
	x, at := catColumns(g, 1, t.Cat)
	w := at + 1
	for v := 0; v < g.NumNodes(); v++ {
		// float32 arithmetic, as torch computes (deg.float() - mean) / std.
		x[v*w+at] = (float32(g.Degree(v)) - float32(t.Mean)) / float32(t.Std)
	}
	g.X, g.F = x, w
	return nil
}

// String returns e.g. "normalized-degree(mean=2.5,std=1.2)".
func (t NormalizedDegree) String() string {
	return fmt.Sprintf("normalized-degree(mean=%g,std=%g)", t.Mean, t.Std)
}

// DegreeStats returns the maximum node degree over all graphs of s and the
// mean and unbiased standard deviation (torch.std, n−1) of all node
// degrees, accumulated in float64.
//
// PyG's benchmark computes the degrees with degree(edge_index[0]) without
// num_nodes, which leaves out trailing isolated nodes of a graph; here
// every node counts. The two agree whenever no graph ends in isolated
// nodes.
func DegreeStats(s *GraphSet) (maxDegree int, mean, std float64) {
	var n, sum, sq float64
	for _, g := range s.Graphs {
		for v := 0; v < g.NumNodes(); v++ {
			d := g.Degree(v)
			maxDegree = max(maxDegree, d)
			n++
			sum += float64(d)
		}
	}
	if n == 0 {
		return 0, 0, 0
	}
	mean = sum / n
	for _, g := range s.Graphs {
		for v := 0; v < g.NumNodes(); v++ {
			dd := float64(g.Degree(v)) - mean
			sq += dd * dd
		}
	}
	if n > 1 {
		std = math.Sqrt(sq / (n - 1))
	}
	return maxDegree, mean, std
}

// BenchmarkDegreeFeature returns the node-feature transform PyG's graph
// kernel benchmark picks for a featureless set: OneHotDegree(max degree)
// when the maximum degree is below 1000, NormalizedDegree(mean, std)
// otherwise (benchmark/kernel/datasets.py).
func BenchmarkDegreeFeature(s *GraphSet) GraphTransform {
	maxDeg, mean, std := DegreeStats(s)
	if maxDeg < 1000 {
		return OneHotDegree{MaxDegree: maxDeg}
	}
	if !(std > 0) {
		std = 1
	}
	return NormalizedDegree{Mean: mean, Std: std}
}

// FeatureRule chooses the node features of a set whose files have none
// (IMDB-BINARY, IMDB-MULTI, REDDIT-BINARY, COLLAB, ...). The zero value is
// Graph-JEPA's rule.
type FeatureRule int

const (
	// FeatureConstantZero gives x = zeros(N,1), what Graph-JEPA uses
	// (Constant(value=0, cat=False) in core/get_data.py).
	FeatureConstantZero FeatureRule = iota
	// FeatureDegreeAuto follows PyG's graph-kernel benchmark:
	// OneHotDegree(max degree) if the max degree is < 1000, else
	// NormalizedDegree(mean, std).
	FeatureDegreeAuto
	// FeatureOneHotDegree always uses OneHotDegree(max degree of the set).
	FeatureOneHotDegree
	// FeatureNormalizedDegree always uses NormalizedDegree(mean, std of
	// the set's degrees).
	FeatureNormalizedDegree
	// FeatureNone leaves X empty (F = 0), like PyG's x = None.
	FeatureNone
)

var featureRuleNames = [...]string{"zero", "degree-auto", "one-hot-degree", "normalized-degree", "none"}

// String returns the name ParseFeatureRule accepts.
func (r FeatureRule) String() string {
	if r >= 0 && int(r) < len(featureRuleNames) {
		return featureRuleNames[r]
	}
	return fmt.Sprintf("FeatureRule(%d)", int(r))
}

// ParseFeatureRule parses "zero", "degree-auto", "one-hot-degree",
// "normalized-degree" or "none".
func ParseFeatureRule(s string) (FeatureRule, error) {
	for i, n := range featureRuleNames {
		if s == n {
			return FeatureRule(i), nil
		}
	}
	return 0, fmt.Errorf("datasets: unknown feature rule %q (want one of %v)", s, featureRuleNames)
}

// applyFeatureRule fills X of a set without node features and records
// the rule in s.FeatureRule.
func applyFeatureRule(s *GraphSet, r FeatureRule) error {
	var t GraphTransform
	switch r {
	case FeatureConstantZero:
		t = ConstantFeature{}
	case FeatureDegreeAuto:
		t = BenchmarkDegreeFeature(s)
	case FeatureOneHotDegree:
		m, _, _ := DegreeStats(s)
		t = OneHotDegree{MaxDegree: m}
	case FeatureNormalizedDegree:
		_, mean, std := DegreeStats(s)
		if !(std > 0) {
			std = 1
		}
		t = NormalizedDegree{Mean: mean, Std: std}
	case FeatureNone:
		s.FeatureRule = "none"
		return nil
	default:
		return fmt.Errorf("datasets: unknown FeatureRule %d", int(r))
	}
	if err := s.Apply(t); err != nil {
		return err
	}
	s.FeatureRule = fmt.Sprint(t)
	return nil
}
