// Package hyperbolic is the hyperbolic geometry of nongrid/jepa: the
// Poincaré ball, the Lorentz (hyperboloid) model, the unit hyperbola on
// which Graph-JEPA places its targets, and exact maps between them, as
// batched float64/float32 kernels with the numerical guards of geoopt,
// their vector-Jacobian products, and differentiable ops on gorgonia
// graphs built from both.
//
// # Models
//
//   - PoincareBall (Ball, Ball32): the ball of curvature −c with Möbius
//     addition, scalar multiplication and matrix-vector product, exp/log
//     maps at 0 and at any point, geodesic distance, projection onto the
//     ball of radius (1 − eps)/√c, conformal factor λ_x, gyration and
//     parallel transport (Ganea, Bécigneul & Hofmann, "Hyperbolic Neural
//     Networks", NeurIPS 2018; Ungar 2009 for the gyrovector identities;
//     formulas and guards as geoopt's PoincareBall).
//   - Hyperboloid (Lorentz, Lorentz32): the sheet ⟨x,x⟩_L = −k with the
//     Minkowski inner product, exp/log maps, distance, projection,
//     tangent projection and the isometries to and from the ball of
//     curvature −1/k (Nickel & Kiela, "Learning Continuous Hierarchies in
//     the Lorentz Model of Hyperbolic Geometry", ICML 2018; geoopt's
//     Lorentz).
//   - UnitHyperbola (Hyperbola, Hyperbola32): x² − y² = 1, x > 0, and
//     Graph-JEPA's target map z = mean over channels ↦ (cosh z, sinh z)
//     and its inverse z = asinh(y) (Skenderi, Li, Bi, Cristani, "Graph-level
//     Representation Learning with Joint-Embedding Predictive
//     Architectures", arXiv 2309.16014).
//
// All three implement Model (distance, its vector-Jacobian product,
// projection, membership check).
//
// # Layout and allocation
//
// Every kernel is batched: points and tangent vectors are the rows of a
// row-major n×d slice, and the row width d is an argument; per-row
// scalars come back as n-slices. Results go to a dst argument (nil
// allocates), so the hot path does not allocate. Shape mismatches are
// programmer errors and panic with a "hyperbolic: " message; the kernels
// do not inspect values (NaN propagates), so data from outside should go
// through the models' Check methods, which return errors naming the row. The element type is a
// type parameter (float32 or float64); arithmetic is float64 throughout,
// so float32 storage costs no accuracy beyond the final rounding.
//
// # Derivatives
//
// Each map F of the models has a method FVJP returning the
// vector-Jacobian product Jᵀg for an upstream gradient g (of the
// output's shape; one value per row for per-row scalars such as
// distances), overwriting its dst arguments, which must be distinct
// slices: PoincareBall's Projx, Expmap0, Logmap0, Expmap, Logmap,
// MobiusAdd, MobiusScalarMul (x and r), MobiusMatvec (matrix and points),
// Dist, Lambda, Gyration and Transp; Hyperboloid's Inner, Projx, Proju,
// Expmap0, Logmap0, Expmap, Logmap, Dist, FromBall and ToBall;
// UnitHyperbola's FromScalar, FromMean, ToScalar and Dist (its Projx is
// Hyperboloid's with k = 1). Norm, EgradToRgrad and Origin, helpers for
// optimizers, have none.
// The VJPs follow PyTorch's autograd through geoopt's clamps: zero
// derivative where a clamp binds, and a zero subgradient for a norm at 0,
// so they are finite for inputs at the origin, on the boundary and for
// huge tangent vectors.
//
// # Graph ops
//
// The same operations are differentiable ops on gorgonia nodes, for
// float32 and float64 graphs (package nn): a method FNode per map F,
// adding one op whose forward pass is the kernel F and whose backward
// pass is FVJP (a single op for one input, an nn.GradGroup for several).
// Points and tangent vectors are the rows of [n, d] nodes, per-row
// scalars [n] nodes:
//
//	b := hyperbolic.Ball{C: 1}
//	x, err := b.Expmap0Node(u)      // [n, d] → [n, d]
//	dist, err := b.DistNode(x, y)   // [n, d], [n, d] → [n]
//	loss, err := gorgonia.Mean(dist)
//
//	PoincareBall: ProjxNode, Expmap0Node, Logmap0Node, ExpmapNode, LogmapNode,
//	    MobiusAddNode, MobiusScalarMulNode(r, x), MobiusMatvecNode(w, x),
//	    DistNode, LambdaNode, GyrationNode, TranspNode
//	Hyperboloid: InnerNode, ProjxNode, ProjuNode, Expmap0Node, Logmap0Node,
//	    ExpmapNode, LogmapNode, DistNode, FromBallNode ([n, m] → [n, m+1]),
//	    ToBallNode ([n, d] → [n, d−1])
//	UnitHyperbola: FromMeanNode ([n, d] → [n, 2]), FromScalarNode ([n] → [n, 2]),
//	    ToScalarNode, ProjxNode, DistNode
//	HyperbolaFromMean(x): Graph-JEPA's target (cosh z, sinh z), z = row mean
//
// The graph's dtype selects the kernels, not the receiver's type
// parameter (Ball{} and Ball32{} build the same op), so a zero Eps means
// the geoopt projection eps of the graph's dtype, and Lorentz's cosh clamp
// is that of the dtype. The curvature (C, K), Eps, Unclamped and the
// scalar r of MobiusScalarMulNode are constants of the op, fixed when it
// is added: they are not learnable. Wrong shapes, dtypes or settings
// return an error naming them (both shapes when two disagree); the ops
// never panic on them.
//
// # Guards
//
// The constants TanhClamp, ArtanhClamp, MinNorm, ArcoshMinSq,
// LorentzMinNormSq, ProjEps32 and ProjEps64 are geoopt's; guards.go lists
// them with geoopt's table and the few additions of this package
// (arcosh clamped at 1 and log(2x) for huge x, cosh/sinh arguments at
// ±MaxCoshArg or ±MaxCoshArg32). For
// reproductions, PoincareBall.Unclamped selects Graph-JEPA's own
// unguarded Poincaré distance and UnitHyperbola.Unclamped its unguarded
// cosh/sinh.
package hyperbolic
