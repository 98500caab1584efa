package hyperbolic

import (
	"math"
	"testing"
)

// Benchmarks on 4096×64 batches. The baseline* functions are plain,
// non-generic float64 copies of the Dist and Expmap0 kernels: comparing
// them with the generic methods in the same run measures what the type
// parameter costs.

const benchN, benchD = 4096, 64

func benchInputs() (x, y, u []float64) {
	rng := newRand(42)
	return ballPoints(rng, benchN, benchD, 1, 0.95), ballPoints(rng, benchN, benchD, 1, 0.95), gauss(rng, benchN*benchD, 0.2)
}

func BenchmarkBallDist(b *testing.B) {
	x, y, _ := benchInputs()
	dst := make([]float64, benchN)
	b.SetBytes(int64(2 * 8 * benchN * benchD))
	for b.Loop() {
		Ball{}.Dist(dst, x, y, benchD)
	}
}

func BenchmarkBallDistBaseline(b *testing.B) {
	x, y, _ := benchInputs()
	dst := make([]float64, benchN)
	b.SetBytes(int64(2 * 8 * benchN * benchD))
	for b.Loop() {
		baselineDist(dst, x, y, benchD, 1)
	}
}

func BenchmarkBall32Dist(b *testing.B) {
	x, y, _ := benchInputs()
	x32, y32 := toF32(x), toF32(y)
	dst := make([]float32, benchN)
	b.SetBytes(int64(2 * 4 * benchN * benchD))
	for b.Loop() {
		Ball32{}.Dist(dst, x32, y32, benchD)
	}
}

func BenchmarkBallDistVJP(b *testing.B) {
	x, y, _ := benchInputs()
	g := make([]float64, benchN)
	for i := range g {
		g[i] = 1
	}
	dx, dy := make([]float64, benchN*benchD), make([]float64, benchN*benchD)
	for b.Loop() {
		Ball{}.DistVJP(dx, dy, x, y, g, benchD)
	}
}

func BenchmarkBallExpmap0(b *testing.B) {
	_, _, u := benchInputs()
	dst := make([]float64, benchN*benchD)
	b.SetBytes(int64(8 * benchN * benchD))
	for b.Loop() {
		Ball{}.Expmap0(dst, u, benchD)
	}
}

func BenchmarkBallExpmap0Baseline(b *testing.B) {
	_, _, u := benchInputs()
	dst := make([]float64, benchN*benchD)
	b.SetBytes(int64(8 * benchN * benchD))
	for b.Loop() {
		baselineExpmap0(dst, u, benchD, 1)
	}
}

func BenchmarkBall32Expmap0(b *testing.B) {
	_, _, u := benchInputs()
	u32 := toF32(u)
	dst := make([]float32, benchN*benchD)
	b.SetBytes(int64(4 * benchN * benchD))
	for b.Loop() {
		Ball32{}.Expmap0(dst, u32, benchD)
	}
}

func BenchmarkBallExpmap0VJP(b *testing.B) {
	_, _, u := benchInputs()
	dst := make([]float64, benchN*benchD)
	for b.Loop() {
		Ball{}.Expmap0VJP(dst, u, u, benchD)
	}
}

func BenchmarkLorentzDist(b *testing.B) {
	x, y, _ := benchInputs()
	l := Lorentz{}
	lx, ly := l.Projx(nil, x, benchD), l.Projx(nil, y, benchD)
	dst := make([]float64, benchN)
	for b.Loop() {
		l.Dist(dst, lx, ly, benchD)
	}
}

func BenchmarkLorentzExpmap0(b *testing.B) {
	_, _, u := benchInputs()
	dst := make([]float64, benchN*benchD)
	for b.Loop() {
		Lorentz{}.Expmap0(dst, u, benchD)
	}
}

// baselineDist is Ball.Dist without the type parameter (clamped form).
func baselineDist(dst, x, y []float64, d int, c float64) {
	sc := math.Sqrt(c)
	for r := range len(dst) {
		xr, yr := x[r*d:r*d+d], y[r*d:r*d+d]
		var x2, y2, xy, diff2 float64
		for i := range xr {
			xv, yv := xr[i], yr[i]
			x2 += xv * xv
			y2 += yv * yv
			xy += xv * yv
			dv := yv - xv
			diff2 += dv * dv
		}
		cb := 1 - c*x2
		den := math.Max(1-2*c*xy+c*c*x2*y2, MinNorm)
		cd := c * diff2
		var m2 float64
		for i := range xr {
			m := (cb*(yr[i]-xr[i]) - cd*xr[i]) / den
			m2 += m * m
		}
		dst[r] = 2 * ArtanhClamped(sc*math.Sqrt(m2)) / sc
	}
}

// baselineExpmap0 is Ball.Expmap0 without the type parameter.
func baselineExpmap0(dst, u []float64, d int, c float64) {
	sc := math.Sqrt(c)
	maxn := (1 - ProjEps64) / sc
	for r := range len(u) / d {
		ur, dr := u[r*d:r*d+d], dst[r*d:r*d+d]
		var s float64
		for _, v := range ur {
			s += v * v
		}
		nrm := math.Sqrt(s)
		nc := math.Max(nrm, MinNorm)
		f := TanhClamped(sc*nc) / (sc * nc)
		if f*nrm > maxn {
			f = maxn / nrm
		}
		for i, v := range ur {
			dr[i] = f * v
		}
	}
}

func TestBaselinesMatch(t *testing.T) {
	x, y, u := benchInputs()
	x, y, u = x[:64*benchD], y[:64*benchD], u[:64*benchD]
	want := make([]float64, 64)
	baselineDist(want, x, y, benchD, 1)
	requireClose(t, "baselineDist", Ball{}.Dist(nil, x, y, benchD), want, 0, 0)
	wantE := make([]float64, len(u))
	baselineExpmap0(wantE, u, benchD, 1)
	requireClose(t, "baselineExpmap0", Ball{}.Expmap0(nil, u, benchD), wantE, 0, 0)
}
