package nn

import (
	"reflect"
	"unsafe"

	G "gorgonia.org/gorgonia"
)

// Gorgonia's TapeMachine compiler runs common-subexpression elimination by
// value numbering on the nodes' 32-bit hashes alone (gorgonia v0.9.18,
// analysis.go: dataflow.vn): two distinct nodes whose FNV-32 hashes collide
// are merged, the later replaced by the earlier, with no equality check. A
// graph of n nodes has such a collision with probability ≈ n²/2³³ — about
// 1 % for the 10⁴ nodes of a fine-tuning step — so a run compiling a
// program per batch meets it within hundreds of steps: the merged node's
// consumers read another node's value (a wrong result of the same shape,
// or a kernel fed a tensor of the wrong size). Our graphs never rely on
// that elimination (every node is built on purpose), so before compiling,
// uniqueHashes gives each node of the graph a distinct cached hash.
//
// A rarer path remains: while a graph is built, ExprGraph.AddNode returns
// an existing node for a new one when their hashes collide and their ops
// hash alike with the same arity, type and shape (children unchecked). Our
// fused ops hash their unique serial, so for them that needs two 32-bit
// collisions at once; gorgonia's own parameterless ops (Add, Reshape to
// one shape) need one, among pairs of such nodes of equal shape.

// nodeHashField and nodeHashedField are the offsets of gorgonia.Node's
// cached hash (uint32) and its "hashed" flag.
var nodeHashField, nodeHashedField = nodeFieldOffset("hash", reflect.Uint32), nodeFieldOffset("hashed", reflect.Bool)

func nodeFieldOffset(name string, kind reflect.Kind) uintptr {
	f, ok := reflect.TypeOf(G.Node{}).FieldByName(name)
	if !ok || f.Type.Kind() != kind {
		panic("nn: gorgonia.Node has no " + kind.String() + " field " + name + ": the gorgonia version changed; see nodehash.go")
	}
	return f.Offset
}

// uniqueHashes sets the cached hash of every node of g to its index in
// g.AllNodes() + 1, so that no two nodes share one.
func uniqueHashes(g *G.ExprGraph) {
	for i, n := range g.AllNodes() {
		p := unsafe.Pointer(n)
		*(*uint32)(unsafe.Add(p, nodeHashField)) = uint32(i + 1)
		*(*bool)(unsafe.Add(p, nodeHashedField)) = true
	}
}
