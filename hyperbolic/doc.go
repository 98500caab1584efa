// Package hyperbolic is the hyperbolic geometry of nongrid/jepa: the
// Poincaré ball, the Lorentz (hyperboloid) model, the unit hyperbola on
// which Graph-JEPA places its targets, and exact maps between them, as
// batched float64/float32 kernels with the numerical guards of geoopt.
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
// For the differentiable operations built on these kernels (custom graph
// ops whose backward pass calls them), the maps a model differentiates
// through have a method FVJP returning the vector-Jacobian product Jᵀg
// for an upstream gradient g, overwriting its dst arguments:
// PoincareBall's Projx, Expmap0, Logmap0, MobiusAdd, MobiusMatvec and
// Dist; Hyperboloid's Projx, Expmap0, Logmap0, Dist, FromBall and ToBall;
// UnitHyperbola's FromScalar, FromMean, ToScalar and Dist. (Expmap and
// Logmap at a general point, MobiusScalarMul, Gyration and Transp have
// values only.) The VJPs follow
// PyTorch's autograd through geoopt's clamps: zero derivative where a
// clamp binds, and a zero subgradient for a norm at 0, so they are finite
// for inputs at the origin, on the boundary and for huge tangent vectors.
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
