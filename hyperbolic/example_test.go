package hyperbolic_test

import (
	"fmt"

	"github.com/nongrid/jepa/hyperbolic"
)

// Graph-JEPA's target: each target patch's d channels are averaged to z
// and placed at (cosh z, sinh z) on the unit hyperbola.
func Example_graphJEPATarget() {
	h := hyperbolic.Hyperbola{}
	const d = 4
	patches := []float64{ // 2 target patches × d channels, row-major
		0.5, -0.5, 1.0, 1.0,
		-2.0, 0.0, -1.0, -1.0,
	}
	pts := h.FromMean(nil, patches, d) // 2×2
	z := h.ToScalar(nil, pts)
	dist := h.Dist(nil, pts[:2], pts[2:], 2)
	fmt.Printf("points %.4f\nz %.4f\ndistance %.4f\n", pts, z, dist)
	// Output:
	// points [1.1276 0.5211 1.5431 -1.1752]
	// z [0.5000 -1.0000]
	// distance [1.5000]
}

func ExamplePoincareBall_Dist() {
	b := hyperbolic.Ball{} // c = 1, geoopt's guards
	x := []float64{0, 0, 0.5, 0}
	y := []float64{0.5, 0, -0.5, 0}
	fmt.Printf("%.6f\n", b.Dist(nil, x, y, 2))
	// Graph-JEPA's own (unclamped) formula gives the same values inside the ball.
	fmt.Printf("%.6f\n", hyperbolic.Ball{Unclamped: true}.Dist(nil, x, y, 2))
	// Output:
	// [1.098612 2.197225]
	// [1.098612 2.197225]
}

// A VJP is what a graph op's backward pass calls: here the gradient of
// the distance d(x, y) with respect to both points, for an upstream
// gradient of 1 per row.
func ExamplePoincareBall_DistVJP() {
	b := hyperbolic.Ball{}
	x := []float64{0, 0}
	y := []float64{0.5, 0}
	gx, gy := b.DistVJP(nil, nil, x, y, []float64{1}, 2)
	fmt.Printf("%.4f %.4f\n", gx, gy)
	// Output:
	// [-2.0000 0.0000] [2.6667 0.0000]
}

func ExampleHyperboloid_FromBall() {
	l := hyperbolic.Lorentz{K: 1}
	ball := l.Ball()
	x := []float64{0.5, 0, 0, 0.3}
	y := l.FromBall(nil, x, 2) // 2×3 points on the hyperboloid
	fmt.Printf("%.4f\n", y)
	fmt.Printf("%.4f %.4f\n", l.Dist(nil, y[:3], y[3:], 3), ball.Dist(nil, x[:2], x[2:], 2))
	fmt.Printf("%.4f\n", l.ToBall(nil, y, 3))
	// Output:
	// [1.6667 1.3333 0.0000 1.1978 0.0000 0.6593]
	// [1.3148] [1.3148]
	// [0.5000 0.0000 0.0000 0.3000]
}

func ExamplePoincareBall_Expmap0() {
	b := hyperbolic.Ball32{C: 1} // float32 data: projection eps 4e-3
	u := []float32{0.1, 0, 100, 0}
	fmt.Println(b.Expmap0(nil, u, 2), b.ProjEps())
	// Output:
	// [0.099667996 0 0.996 0] 0.004
}
