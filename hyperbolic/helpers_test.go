package hyperbolic

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
)

// newRand returns the seeded generator of a test.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// gauss returns n standard normal values times s.
func gauss(rng *rand.Rand, n int, s float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = s * rng.NormFloat64()
	}
	return v
}

// ballPoints returns n×d points of the ball of curvature −c with radii
// uniform in [0, rmax/√c) and isotropic directions.
func ballPoints(rng *rand.Rand, n, d int, c, rmax float64) []float64 {
	x := gauss(rng, n*d, 1)
	for r := 0; r < n; r++ {
		row := x[r*d : r*d+d]
		nrm := math.Sqrt(sqnorm(row))
		scaleTo(row, row, rng.Float64()*rmax/math.Sqrt(c)/nrm)
	}
	return x
}

// concat returns the concatenation of slices.
func concat(parts ...[]float64) []float64 {
	var out []float64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// checkVJP compares vjp(in, g) with the central finite-difference gradient
// of ⟨g, f(in)⟩ (gonum diff/fd) for a random g, to within
// tol·(1 + max|grad|).
func checkVJP(t *testing.T, name string, rng *rand.Rand, in []float64,
	f func(in []float64) []float64, vjp func(in, g []float64) []float64, tol float64) {
	t.Helper()
	checkVJPStep(t, name, rng, in, f, vjp, tol, 1e-6)
}

// checkVJPStep is checkVJP with a given finite-difference step, for
// stiff points (near a singularity of arcosh, say).
func checkVJPStep(t *testing.T, name string, rng *rand.Rand, in []float64,
	f func(in []float64) []float64, vjp func(in, g []float64) []float64, tol, step float64) {
	t.Helper()
	out := f(in)
	g := gauss(rng, len(out), 1)
	loss := func(v []float64) float64 { return dot(g, f(v)) }
	want := fd.Gradient(nil, loss, in, &fd.Settings{Formula: fd.Central, Step: step})
	got := vjp(in, g)
	require.Len(t, got, len(in), name)
	scale := 1.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for i := range got {
		require.InDeltaf(t, want[i], got[i], tol*scale, "%s: component %d of %d (fd %v, vjp %v)", name, i, len(in), want[i], got[i])
	}
}

// requireFinite fails if any value is NaN or ±Inf.
func requireFinite[T Float](t *testing.T, name string, v []T) {
	t.Helper()
	for i, x := range v {
		f := float64(x)
		require.Falsef(t, math.IsNaN(f) || math.IsInf(f, 0), "%s: element %d is %v", name, i, f)
	}
}

// requireClose fails unless |a_i − b_i| ≤ atol + rtol·|b_i| for all i.
func requireClose[T Float](t *testing.T, name string, a, b []T, atol, rtol float64) {
	t.Helper()
	require.Len(t, a, len(b), name)
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		require.LessOrEqualf(t, math.Abs(x-y), atol+rtol*math.Abs(y), "%s: element %d: %v vs %v", name, i, x, y)
	}
}
