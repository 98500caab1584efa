package datasets

import (
	"fmt"
	"strings"
)

// GraphTransform changes a graph in place, like a PyTorch Geometric
// BaseTransform. Transforms replace slices (X, EdgeAttr, ...) rather than
// writing into them, so graphs that share backing arrays with a loaded set
// stay intact.
//
// (The name leaves Transform free for point-cloud transforms in the same
// package.)
type GraphTransform interface {
	TransformGraph(g *Graph) error
}

// GraphCompose applies its transforms in order, like PyG's Compose; it
// stops at the first error.
type GraphCompose []GraphTransform

// TransformGraph applies every transform of c to g.
func (c GraphCompose) TransformGraph(g *Graph) error {
	for _, t := range c {
		if err := t.TransformGraph(g); err != nil {
			return err
		}
	}
	return nil
}

// String lists the composed transforms.
func (c GraphCompose) String() string {
	parts := make([]string, len(c))
	for i, t := range c {
		parts[i] = fmt.Sprint(t)
	}
	return "compose(" + strings.Join(parts, ", ") + ")"
}

// Apply runs t on every graph of s and updates s.F and s.EF; it fails if
// the transform leaves graphs with different widths or invalid shapes.
func (s *GraphSet) Apply(t GraphTransform) error {
	for i, g := range s.Graphs {
		if err := t.TransformGraph(g); err != nil {
			return fmt.Errorf("datasets: graph %d: %w", i, err)
		}
		if i == 0 {
			s.F, s.EF = g.F, g.EF
		}
		if g.F != s.F || g.EF != s.EF || len(g.X) != g.NumNodes()*g.F || len(g.EdgeAttr) != len(g.Col)*g.EF {
			return fmt.Errorf("datasets: graph %d: transform %v left inconsistent feature shapes", i, t)
		}
	}
	return nil
}

// ConstantFeature sets every node's features to the constant Value, like
// PyG's Constant(value, cat): with Cat the column is appended to X,
// otherwise X becomes [N,1].
//
// The zero value is Graph-JEPA's choice for the featureless sets IMDB-B/M
// and REDDIT-B/M5, Constant(value=0, cat=False): x = zeros(N,1). (PyG's
// own default is value=1, cat=True.)
type ConstantFeature struct {
	Value float32
	Cat   bool
}

// TransformGraph implements GraphTransform.
func (c ConstantFeature) TransformGraph(g *Graph) error {
	n := g.NumNodes()
	if !c.Cat || g.F == 0 {
		x := make([]float32, n)
		for i := range x {
			x[i] = c.Value
		}
		g.X, g.F = x, 1
		return nil
	}
	x := make([]float32, n*(g.F+1))
	for v := 0; v < n; v++ {
		copy(x[v*(g.F+1):], g.X[v*g.F:(v+1)*g.F])
		x[v*(g.F+1)+g.F] = c.Value
	}
	g.X, g.F = x, g.F+1
	return nil
}

// String returns e.g. "constant(0)".
func (c ConstantFeature) String() string {
	if c.Cat {
		return fmt.Sprintf("constant(%g, cat)", c.Value)
	}
	return fmt.Sprintf("constant(%g)", c.Value)
}

// catColumns returns X with k new zeroed columns appended per node (cat)
// or a fresh zeroed [N,k] matrix, and the column where the new block
// starts.
func catColumns(g *Graph, k int, cat bool) (x []float32, at int) {
	n := g.NumNodes()
	if !cat || g.F == 0 {
		return make([]float32, n*k), 0
	}
	w := g.F + k
	x = make([]float32, n*w)
	for v := 0; v < n; v++ {
		copy(x[v*w:], g.X[v*g.F:(v+1)*g.F])
	}
	return x, g.F
}
