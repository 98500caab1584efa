package nn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Activation names an elementwise nonlinearity. The zero value is ReLU.
type Activation int

const (
	ActReLU     Activation = iota // max(x, 0)
	ActGELU                       // exact (erf) GELU, torch.nn.GELU()
	ActGELUTanh                   // tanh-approximate GELU
	ActNone                       // identity
)

// String returns the name used in configs ("relu", "gelu", "gelu_tanh", "none").
func (a Activation) String() string {
	switch a {
	case ActReLU:
		return "relu"
	case ActGELU:
		return "gelu"
	case ActGELUTanh:
		return "gelu_tanh"
	case ActNone:
		return "none"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// ParseActivation parses the names String returns.
func ParseActivation(s string) (Activation, error) {
	for _, a := range []Activation{ActReLU, ActGELU, ActGELUTanh, ActNone} {
		if a.String() == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("nn: unknown activation %q (want relu, gelu, gelu_tanh or none)", s)
}

// Apply adds the activation to the graph of x.
func (a Activation) Apply(x *G.Node) (*G.Node, error) {
	switch a {
	case ActReLU:
		return ReLU(x)
	case ActGELU:
		return GELU(x)
	case ActGELUTanh:
		return GELUTanh(x)
	case ActNone:
		return x, nil
	}
	return nil, fmt.Errorf("nn: unknown activation %d", int(a))
}

// Dropout zeroes each element with probability P in training graphs and
// scales the others by 1/(1−P) (torch.nn.Dropout); it is the identity in
// evaluation graphs or when P is 0. Masks are drawn from the graph's Rand on
// every run.
type Dropout struct{ P float64 }

// Forward adds the layer to g.
func (d Dropout) Forward(g *Graph, x *G.Node) (*G.Node, error) {
	if !g.Train() || d.P == 0 {
		return x, nil
	}
	return maskOp("Dropout", x, d.P, 1, g.Rand())
}

// DropPath (stochastic depth, Huang et al. 2016; timm's drop_path) zeroes
// whole samples — slices along the first dimension — with probability P in
// training graphs and scales the kept ones by 1/(1−P).
type DropPath struct{ P float64 }

// Forward adds the layer to g.
func (d DropPath) Forward(g *Graph, x *G.Node) (*G.Node, error) {
	if !g.Train() || d.P == 0 {
		return x, nil
	}
	s := x.Shape()
	if s.Dims() < 1 || s[0] == 0 {
		return nil, fmt.Errorf("nn: DropPath: input shape %v has no sample dimension", s)
	}
	return maskOp("DropPath", x, d.P, s.TotalSize()/s[0], g.Rand())
}
