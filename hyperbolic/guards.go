package hyperbolic

import "math"

// Numerical guards. They reproduce the stabilizers of geoopt
// (geoopt/manifolds/stereographic/math.py and lorentz/math.py), as listed
// in the project spec (spec/conventions.md §1.4):
//
//	| where                                         | constant                                              |
//	| --------------------------------------------- | ----------------------------------------------------- |
//	| tanh(x) input                                 | x.clamp(-15, 15)                                      |
//	| artanh(x) input                               | x.clamp(-1 + 1e-7, 1 - 1e-7), computed as             |
//	|                                               | 0.5*(log(1+x) − log(1−x))                             |
//	| arsinh                                        | (x + sqrt(1+x²)).clamp_min(1e-15).log()               |
//	| every ‖u‖ used as divisor (expmap/expmap0/    | .clamp_min(1e-15)                                     |
//	| logmap/logmap0/matvec)                        |                                                       |
//	| mobius_add denominator, λ_x denominator,      | .clamp_min(1e-15)                                     |
//	| gyration                                      |                                                       |
//	| project boundary eps                          | 4e-3 for float32, 1e-5 for float64:                   |
//	|                                               | maxnorm = (1 − eps)/sqrt(|κ|)                         |
//	| Lorentz arcosh (in float64)                   | log(x + sqrt(clamp_min(x² − 1, 1e-15)))               |
//	| Lorentz norm of a tangent vector              | sqrt(clamp_min(⟨u,u⟩_L, 1e-8))                        |
//
// The κ>0 (sphere) and κ≈0 (Taylor) rows of geoopt's table do not apply:
// this package only has negative curvature. Where a guard is a clamp, the
// derivatives returned by this package follow PyTorch's autograd through
// that clamp: zero outside the clamp interval, the plain derivative inside
// it. A norm clamped at MinNorm therefore contributes no gradient through
// the norm itself (the zero-safe norm: subgradient 0 at 0, as torch.norm
// has and geoopt/geoopt#243 asks for).
//
// Additions of this package, each of which changes nothing for valid
// inputs and is documented where it is used:
//   - arcosh clamps its argument at 1 from below (geoopt would return
//     log(x + 3.2e-8) < 0, or NaN for x ≤ −3.2e-8, on points off the sheet)
//     and uses log(2x) above 1e8, where x² would overflow for huge points;
//   - cosh and sinh arguments of the Lorentz and unit-hyperbola maps are
//     clamped to ±MaxCoshArg (±MaxCoshArg32 for float32 Lorentz points),
//     so that 1e6-sized tangent vectors give finite points (geoopt returns
//     Inf and then NaN);
//   - arsinh is math.Asinh, exact over the whole range (the geoopt formula
//     loses everything for x below about −1e8).
const (
	// TanhClamp bounds the argument of tanh (geoopt: x.clamp(-15, 15)).
	TanhClamp = 15.0
	// ArtanhClamp bounds the argument of artanh to ±ArtanhClamp
	// (geoopt: x.clamp(-1 + 1e-7, 1 - 1e-7)).
	ArtanhClamp = 1 - 1e-7
	// MinNorm is the lower clamp of every norm used as a divisor and of the
	// Möbius-addition, λ_x and gyration denominators (geoopt: 1e-15).
	MinNorm = 1e-15
	// ArcoshMinSq is the lower clamp of x² − 1 inside arcosh (geoopt: 1e-15).
	ArcoshMinSq = 1e-15
	// LorentzMinNormSq is the lower clamp of ⟨u,u⟩_L in the Lorentz tangent
	// norm (geoopt: 1e-8).
	LorentzMinNormSq = 1e-8
	// ProjEps32 is the Poincaré projection boundary eps for float32 data:
	// points are kept within (1 − eps)/√c (geoopt: 4e-3).
	ProjEps32 = 4e-3
	// ProjEps64 is the Poincaré projection boundary eps for float64 data
	// (geoopt: 1e-5).
	ProjEps64 = 1e-5
	// MaxCoshArg bounds the argument of cosh and sinh on the unit
	// hyperbola and in the float64 Lorentz exponential maps (an addition of
	// this package; cosh(50) ≈ 2.6e21 is finite even in float32).
	MaxCoshArg = 50.0
	// MaxCoshArg32 bounds it in the float32 Lorentz exponential maps, so
	// that the quadratic quantities of later operations (⟨x,u⟩_L x in
	// Proju, say) stay below float32's 3.4e38: cosh(15) ≈ 1.6e6. A float32
	// Poincaré point is within 2·artanh(1 − 4e-3) ≈ 6.2 of the origin, so
	// the isometry to the ball never needs more.
	MaxCoshArg32 = 15.0
)

// TanhClamped returns tanh(clamp(x, ±TanhClamp)), geoopt's tanh.
func TanhClamped(x float64) float64 {
	return math.Tanh(math.Max(-TanhClamp, math.Min(TanhClamp, x)))
}

// TanhClampedDeriv returns the derivative of TanhClamped: 1 − tanh²(x)
// inside the clamp interval, 0 outside.
func TanhClampedDeriv(x float64) float64 {
	if x < -TanhClamp || x > TanhClamp {
		return 0
	}
	t := math.Tanh(x)
	return (1 - t) * (1 + t)
}

// ArtanhClamped returns geoopt's artanh: the argument is clamped to
// ±ArtanhClamp and the value computed as 0.5·(log1p(x) − log1p(−x)).
func ArtanhClamped(x float64) float64 {
	x = math.Max(-ArtanhClamp, math.Min(ArtanhClamp, x))
	return 0.5 * (math.Log1p(x) - math.Log1p(-x))
}

// ArtanhClampedDeriv returns the derivative of ArtanhClamped:
// 1/((1−x)(1+x)) inside the clamp interval, 0 outside.
func ArtanhClampedDeriv(x float64) float64 {
	if x < -ArtanhClamp || x > ArtanhClamp {
		return 0
	}
	return 1 / ((1 - x) * (1 + x))
}

// arcoshBig is where ArcoshClamped switches to log(2x): above it
// sqrt(x²−1) equals x to double precision.
const arcoshBig = 1e8

// ArcoshClamped returns geoopt's Lorentz arcosh,
// log(x + sqrt(max(x² − 1, ArcoshMinSq))), computed in float64, with x
// clamped at 1 from below and log(2x) for x > 1e8 (see the guard table).
// ArcoshClamped(1) = log(1 + 3.16e-8) ≈ 3.16e-8, as in geoopt.
func ArcoshClamped(x float64) float64 {
	if x > arcoshBig {
		return math.Ln2 + math.Log(x)
	}
	if !(x >= 1) { // also catches NaN: NaN < 1 is false, !(NaN >= 1) is true
		if math.IsNaN(x) {
			return x
		}
		x = 1
	}
	return math.Log(x + math.Sqrt(math.Max(x*x-1, ArcoshMinSq)))
}

// ArcoshClampedDeriv returns the derivative of ArcoshClamped: 0 below 1,
// (1 + x/s)/(x + s) with s = sqrt(x²−1) while x²−1 > ArcoshMinSq,
// 1/(x + s) while the inner clamp binds, and 1/x above 1e8.
func ArcoshClampedDeriv(x float64) float64 {
	switch {
	case x > arcoshBig:
		return 1 / x
	case x < 1:
		return 0
	}
	q := x*x - 1
	if q <= ArcoshMinSq {
		return 1 / (x + math.Sqrt(ArcoshMinSq))
	}
	s := math.Sqrt(q)
	return (1 + x/s) / (x + s)
}

// clampCosh clamps a cosh/sinh argument to ±m and reports whether the
// clamp was inactive (the derivative passes).
func clampCosh(x, m float64) (float64, bool) {
	switch {
	case x > m:
		return m, false
	case x < -m:
		return -m, false
	}
	return x, true
}
