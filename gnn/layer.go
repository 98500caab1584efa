package gnn

import (
	"github.com/nongrid/jepa/nn"
	G "gorgonia.org/gorgonia"
)

// Layer is a row-wise module applied to node (or point) features:
// *nn.Linear, *nn.MLP, or any user type with the same methods. GIN and GINE
// take one as their inner network (PyG's nn argument).
type Layer interface {
	nn.Module
	Forward(g *nn.Graph, x *G.Node) (*G.Node, error)
}

// Conv is a message-passing layer: GIN, GINE, GCN, or a user type. edgeAttr
// is nil for layers without edge features.
//
// Shapes: x [N, Din], edgeAttr [M, De] → [N, Dout].
type Conv interface {
	nn.Module
	Forward(g *nn.Graph, x *G.Node, edges *Edges, edgeAttr *G.Node) (*G.Node, error)
}
